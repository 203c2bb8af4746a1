import path from 'node:path';
import { importPaths, type FileResult, type ImportReport } from '../../import/pipeline.ts';
import type { DecodePool } from '../../import/pool.ts';
import type { Logger } from '../../log.ts';
import { formatsText, isActivityName } from '../../../importers/names.ts';
import { ERROR_SUFFIX, errorNote, moveNoClobber, writeWhole } from './inbox.ts';
import { errText } from './files.ts';
import type { WatcherOptions, WatcherStatus } from './options.ts';

/** Importing a batch of files, and filing inbox files away to `processed/` or `failed/`. */

/** What was read from one file: (label, result) for the file, or for each member of a zip. */
export type Outcome = [string, FileResult][];

/** Totals since start, for `/healthz`. */
export type Counts = Pick<WatcherStatus, 'imported' | 'duplicates' | 'skipped' | 'failed'>;

/** What filing a file away needs to know. */
export interface FilingContext {
  inbox: string;
  processedDir: string;
  failedDir: string;
  now: () => Date;
  log: Logger;
}

/**
 * importPaths on the batch (regular files the queue has just stat'ed: not stat'ed again),
 * decoding on the watcher's long-lived `pool` (null: the pipeline's own choice per batch); on an
 * unexpected throw, file by file, a throwing file failing. `memo`: look the files up in (and note
 * them in) the import's memo of paths already read.
 */
export async function importFiles(
  files: string[],
  opts: WatcherOptions,
  now: () => Date,
  log: Logger,
  pool: DecodePool | null,
  memo = true,
): Promise<{ report: ImportReport; results: Map<string, Outcome> }> {
  const results = new Map<string, Outcome>(files.map((f) => [f, []]));
  const regularFiles = new Set(files);
  const topOf = (label: string) => {
    const bang = label.indexOf('!');
    return bang === -1 ? label : label.slice(0, bang);
  };
  const run = (paths: string[]) =>
    importPaths(paths, {
      store: opts.store,
      ctx: { timezone: opts.timezone },
      now: () => now().toISOString(),
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      ...(pool ? { pool } : {}),
      ...(memo ? {} : { memo: false }),
      regularFiles,
      onFile: (label, result) => results.get(topOf(label))?.push([label, result]),
    });
  try {
    const report = await run(files);
    asReported(results, report);
    return { report, results };
  } catch (e) {
    log.error('import batch failed; retrying its files one by one', { error: errText(e) });
  }
  const report: ImportReport = { imported: [], duplicates: [], skipped: [], failed: [] };
  for (const file of files) {
    results.set(file, []);
    try {
      const one = await run([file]);
      report.imported.push(...one.imported);
      report.duplicates.push(...one.duplicates);
      report.skipped.push(...one.skipped);
      report.failed.push(...one.failed);
    } catch (e) {
      const error = `unexpected error while importing: ${errText(e)}`;
      results.set(file, [[file, { kind: 'failed', error }]]);
      report.failed.push({ file, error });
    }
  }
  return { report, results };
}

/**
 * The results as the batch's report has them in the end: a file whose run a later file of the
 * same batch replaced (the better record of the same run) was told to `onFile` as imported, and is
 * a duplicate of the run as it is now (its logs and /healthz counts say so too).
 */
function asReported(results: Map<string, Outcome>, report: ImportReport): void {
  const imported = new Map<string, FileResult & { kind: 'imported' }>();
  for (const i of report.imported) {
    const r = imported.get(i.file);
    if (r) r.runs.push(i.run);
    else imported.set(i.file, { kind: 'imported', runs: [i.run] });
  }
  const duplicateOf = new Map(report.duplicates.map((d) => [d.file, d.of]));
  for (const outcome of results.values()) {
    for (const entry of outcome) {
      const [label, r] = entry;
      if (r.kind !== 'imported') continue;
      const now = imported.get(label);
      const of = duplicateOf.get(label);
      if (now) entry[1] = now;
      else if (of !== undefined) entry[1] = { kind: 'duplicate', of };
    }
  }
}

/**
 * Moves an inbox file to processed/ or failed/, with an `.error.txt` naming what was bad. `made`:
 * destination folders already made by this batch (see {@link moveNoClobber}).
 */
export async function fileAway(
  ctx: FilingContext,
  file: string,
  rel: string,
  bad: Outcome,
  good: Outcome,
  made?: Set<string>,
): Promise<void> {
  const allBad = good.length === 0;
  const problems =
    bad.length > 0
      ? bad.map(([label, r]) => {
          const what = r.kind === 'failed' ? r.error : r.kind === 'skipped' ? r.reason : '';
          return label === file ? what : `${path.relative(ctx.inbox, label)}: ${what}`;
        })
      : allBad
        ? [`nothing to import: the archive holds no ${formatsText('or')} files`]
        : [];
  const destDir = path.join(allBad ? ctx.failedDir : ctx.processedDir, path.dirname(rel));
  const moved = moveNoClobber(file, destDir, path.basename(rel), made);
  if (problems.length > 0) {
    const note = errorNote({
      file: rel,
      time: ctx.now(),
      problems,
      inbox: ctx.inbox,
      movedTo: moved,
    });
    await writeWhole(moved + ERROR_SUFFIX, note);
  }
  const to = path.relative(ctx.inbox, moved);
  if (allBad) ctx.log.warn('moved to failed/', { file: rel, to, problem: problems.join('; ') });
  else ctx.log.debug('moved to processed/', { file: rel, to });
}

/** Logs one file's (or zip member's) result and counts it. */
export function logResult(log: Logger, counts: Counts, label: string, r: FileResult): void {
  switch (r.kind) {
    case 'imported':
      counts.imported += r.runs.length;
      log.info('imported', { file: label, runs: r.runs.map((x) => x.id) });
      break;
    case 'duplicate':
      counts.duplicates++;
      log.info('duplicate', { file: label, of: r.of });
      break;
    case 'skipped':
      if (refused(label, r)) {
        counts.failed++;
        log.warn('failed', { file: label, error: r.reason });
      } else {
        counts.skipped++;
        log.info('skipped', { file: label, reason: r.reason });
      }
      break;
    case 'failed':
      counts.failed++;
      log.warn('failed', { file: label, error: r.error });
  }
}

/** A file skipped because no importer claims its name: for the user it is a failure to act on. */
export function refused(label: string, r: FileResult): boolean {
  return r.kind === 'skipped' && !isActivityName(label);
}
