import fs from 'node:fs';
import path from 'node:path';
import { DEMO_MARKER } from '../config/demo.ts';
import { demoPlan } from '../demo/plan.ts';
import { synthFit } from '../demo/synth-fit.ts';
import { EXIT, KneecheckError } from '../errors.ts';
import { importPaths } from '../import/pipeline.ts';
import { NO_KNEE_FLAGS, type RunId } from '../model.ts';
import { Store } from '../store/index.ts';
import { printJson, type CommandContext } from './context.ts';
import { defaultDemoDir } from './defaults.ts';

export { DEMO_MARKER };

/** Quotes a path for a POSIX shell when it needs it. */
const shellQuote = (s: string): string =>
  /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * Makes `dir` an empty demo folder: creates it, or empties a previous demo folder. Refuses a
 * folder with other content, so that nobody's data is ever overwritten.
 */
function prepareDir(dir: string): void {
  let entries: string[] | null = null;
  try {
    if (!fs.statSync(dir).isDirectory()) {
      throw new KneecheckError(`--dir: ${dir} is a file; expected a new or empty folder`);
    }
    entries = fs.readdirSync(dir);
  } catch (e) {
    if (e instanceof KneecheckError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new KneecheckError(`--dir: cannot read ${dir}: ${(e as Error).message}`, { cause: e });
    }
  }
  if (entries !== null && entries.length > 0) {
    if (!entries.includes(DEMO_MARKER)) {
      throw new KneecheckError(
        `--dir: ${dir} is not empty and is not a kneecheck demo folder (no ${DEMO_MARKER} file); ` +
          'expected a new or empty folder',
      );
    }
    // A previous demo: start again, so its dates are relative to now.
    for (const entry of entries) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  fs.mkdirSync(path.join(dir, 'fit'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, DEMO_MARKER),
    'Made by `kneecheck demo`: sample data, safe to delete. `kneecheck demo` refills this folder.\n' +
      'While this file is here, kneecheck sends no notification from this folder to real channels\n' +
      '(NOTIFY_* settings are ignored): the demo never reaches your phone or inbox.\n',
  );
}

/**
 * `kneecheck demo [--dir DIR]`: a separate data folder with a generated beginner history (real
 * FIT files, imported by the real importer, plus a few knee checks), and how to look at it.
 * `--json` prints `{dataDir, runs, checks}` (the numbers of runs and checks stored).
 */
export async function demoCommand(
  opts: { dir?: string; json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const dir = path.resolve(opts.dir ?? defaultDemoDir());
  try {
    prepareDir(dir);
  } catch (e) {
    if (e instanceof KneecheckError) throw e;
    throw new KneecheckError(
      `--dir: cannot create the demo folder ${dir}: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  const now = ctx.now();
  const plan = demoPlan(now, ctx.config.timezone);
  const fitDir = path.join(dir, 'fit');
  const files = plan.runs.map((r) => {
    const file = path.join(fitDir, r.file);
    fs.writeFileSync(file, synthFit(r.fit));
    return file;
  });

  const store = Store.open(dir);
  try {
    const report = await importPaths(files, {
      store,
      ctx: { timezone: ctx.config.timezone },
      now: () => now.toISOString(),
    });
    if (report.imported.length !== files.length) {
      const problems = [...report.failed.map((f) => `${f.file}: ${f.error}`)];
      throw new Error(
        `demo: ${files.length} files generated but ${report.imported.length} imported. ${problems.join('; ')}`,
      );
    }
    const idOf = new Map<string, RunId>(report.imported.map((i) => [i.file, i.run.id]));
    const checks = plan.checks.map((c) => {
      const runId = idOf.get(files[c.runIndex] ?? '') ?? null;
      return store.checks.add({
        runId,
        checkedAt: c.checkedAt,
        pain: c.pain,
        where: c.where,
        ...NO_KNEE_FLAGS,
        knee: null,
        via: 'cli',
        note: c.note,
      });
    });
    if (opts.json) {
      printJson(ctx, { dataDir: dir, runs: report.imported.length, checks: checks.length });
      return EXIT.ok;
    }
    const env = `KNEECHECK_DATA_DIR=${shellQuote(dir)}`;
    ctx.stdout.write(
      `Made a demo data folder: ${dir}\n` +
        `  ${report.imported.length} runs over ${Math.ceil(report.imported.length / 3)} weeks ` +
        `(FIT files generated in ${fitDir}, imported like your own) and ${checks.length} knee checks:\n` +
        '  a beginner building up from about 3 km for ten weeks, then 7 days with about 40 % more\n' +
        '  distance than the 7 before, among them a long run 50 % longer than any before, the step\n' +
        '  rate easing down, and mild front-of-knee pain after the long run.\n\n' +
        'Look at it with:\n' +
        `  ${env} kneecheck report\n` +
        `  ${env} kneecheck advice\n` +
        `  ${env} kneecheck runs\n` +
        `  ${env} kneecheck start     (the dashboard in your browser)\n` +
        '(from the project folder: the same with `npm start -- report`, and so on; `npm start` alone\n' +
        'starts the dashboard.)\n' +
        'Your own data is untouched, and commands on this folder send nothing to your ntfy, webhook\n' +
        'or email (NOTIFY_* settings are ignored for a demo folder). Delete the folder when you are done.\n',
    );
    return EXIT.ok;
  } finally {
    store.close();
  }
}
