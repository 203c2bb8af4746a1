import { EXIT } from '../errors.ts';
import { RUN_HEADER, runLine, table } from '../format.ts';
import { importPaths } from '../import/pipeline.ts';
import { notifyNewRuns } from '../notify/index.ts';
import { printJson, type CommandContext } from './context.ts';
import { ProgressBar } from './progress.ts';
import { terminalText } from '../present/terminal.ts';

/** Lists longer than this are summarised in human output (`--json` always has them all). */
const LIST_LIMIT = 20;

/** `kneecheck import <path...>`: returns the exit code (1 when any file failed). */
export async function importCommand(
  paths: string[],
  opts: { json?: boolean; workers?: number },
  ctx: CommandContext,
): Promise<number> {
  const store = ctx.openStore();
  let bar: ProgressBar | null = null;
  // An Apple Health export.xml (often GB) streams: its own bar, by bytes (stderr TTY only).
  let bytesBar: ProgressBar | null = null;
  try {
    const report = await importPaths(paths, {
      store,
      ctx: { timezone: ctx.config.timezone },
      now: () => ctx.now().toISOString(),
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      onProgress: (done, total) => {
        if (opts.json) return;
        if (!bar && ProgressBar.enabled(total, ctx.stderr))
          bar = new ProgressBar('importing', ctx.stderr);
        bar?.update(done, total);
      },
      onBytes: (done, total) => {
        if (opts.json || total === null) return;
        if (!bytesBar && ProgressBar.enabled(total, ctx.stderr))
          bytesBar = new ProgressBar('reading Apple Health export', ctx.stderr);
        bytesBar?.update(done, total, 'MB');
        if (done >= total) bytesBar?.clear();
      },
      onFile: (file, result) => {
        if (result.kind !== 'failed' || opts.json) return;
        bar?.clear();
        ctx.stderr.write(
          `${terminalText(`failed: ${file}: ${result.error}`, { oneLine: true })}\n`,
        );
      },
    });
    (bar as ProgressBar | null)?.clear();
    (bytesBar as ProgressBar | null)?.clear();
    // Prompts for new runs; a channel that is down leaves them in the outbox, never fails the import.
    await notifyNewRuns(
      { store, config: ctx.config, now: ctx.now, log: ctx.log },
      report.imported.map((i) => i.run),
    );
    if (opts.json) {
      printJson(ctx, report);
    } else {
      const { imported, duplicates, skipped, failed } = report;
      const units = ctx.config.units;
      if (imported.length > 0 && imported.length <= LIST_LIMIT) {
        ctx.stdout.write(`${table([RUN_HEADER, ...imported.map((i) => runLine(i.run, units))])}\n`);
      }
      if (skipped.length > 0 && skipped.length <= LIST_LIMIT) {
        for (const s of skipped) {
          ctx.stdout.write(
            `${terminalText(`skipped: ${s.file}: ${s.reason}`, { oneLine: true })}\n`,
          );
        }
      }
      // A never-set clock or a future start (science.md): kept, listed, counted in no metric.
      for (const i of imported.filter((x) => x.run.excluded?.by === 'kneecheck')) {
        const reason = i.run.excluded?.reason ?? '';
        const line = `excluded: ${i.file}: ${reason}; listed, but counts in no metric`;
        ctx.stdout.write(`${terminalText(line, { oneLine: true })}\n`);
      }
      const partial = imported.filter((i) => i.run.partial).length;
      ctx.stdout.write(
        `Imported ${imported.length} run${imported.length === 1 ? '' : 's'}` +
          `${partial > 0 ? ` (${partial} partial: the file was damaged, what could be read was kept)` : ''}, ` +
          `${duplicates.length} duplicate${duplicates.length === 1 ? '' : 's'}, ` +
          `${skipped.length} skipped, ${failed.length} failed.\n`,
      );
      if (skipped.length > LIST_LIMIT) {
        ctx.stdout.write(
          `(${skipped.length} files skipped as not runs; --json lists them with reasons)\n`,
        );
      }
    }
    return report.failed.length > 0 ? EXIT.someFailed : EXIT.ok;
  } finally {
    store.close();
  }
}
