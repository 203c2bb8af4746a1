import fsSync, { type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { importPaths, type FileResult, type ImportReport } from '../../import/pipeline.ts';
import type { DecodePool } from '../../import/pool.ts';
import { dbProblemOf, type DbProblem } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { formatsText, isActivityName } from '../../../importers/names.ts';
import { errorNote, moveNoClobber, notePath, writeWhole } from './inbox.ts';
import { notRegularText } from '../../import/bounded.ts';
import { errText, rootPath, throughLink, type Origin } from './files.ts';
import type { SourceMemo } from './memo.ts';
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
 * What importing a batch gave: the report, each file's outcome, and the files `held` back because
 * the database (or the disk under it) could not take them ({@link dbProblemOf}: full, read-only,
 * damaged…): none of that is the file's fault, so they stay where they are and are tried again.
 */
export interface BatchResult {
  report: ImportReport;
  results: Map<string, Outcome>;
  held: Map<string, DbProblem>;
}

/**
 * importPaths on the batch (regular files the queue has just stat'ed: not stat'ed again),
 * decoding on the watcher's long-lived `pool` (null: the pipeline's own choice per batch); on an
 * unexpected throw, file by file, a throwing file failing. A database or disk error holds back
 * every file not yet stored (not retried one by one: each would meet the same error). `memo`:
 * look the files up in (and note them in) the import's memo of paths already read.
 */
export async function importFiles(
  files: string[],
  opts: WatcherOptions,
  now: () => Date,
  log: Logger,
  pool: DecodePool | null,
  memo = true,
): Promise<BatchResult> {
  const results = new Map<string, Outcome>(files.map((f) => [f, []]));
  const held = new Map<string, DbProblem>();
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
    return { report, results, held };
  } catch (e) {
    const problem = dbProblemOf(e);
    if (problem !== null) {
      // What was stored before the error stands (its transactions committed); the rest waits.
      for (const [file, outcome] of results) if (outcome.length === 0) held.set(file, problem);
      return { report: reportOf(results), results, held };
    }
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
      const problem = dbProblemOf(e);
      if (problem !== null) {
        if (results.get(file)?.length === 0) held.set(file, problem);
        continue;
      }
      const error = `unexpected error while importing: ${errText(e)}`;
      results.set(file, [[file, { kind: 'failed', error }]]);
      report.failed.push({ file, error });
    }
  }
  return { report, results, held };
}

/** The report of what was stored, from the files' outcomes (a batch cut short by the database). */
function reportOf(results: Map<string, Outcome>): ImportReport {
  const report: ImportReport = { imported: [], duplicates: [], skipped: [], failed: [] };
  for (const outcome of results.values()) {
    for (const [file, r] of outcome) {
      if (r.kind === 'imported') for (const run of r.runs) report.imported.push({ file, run });
      else if (r.kind === 'duplicate') report.duplicates.push({ file, of: r.of });
      else if (r.kind === 'skipped') report.skipped.push({ file, reason: r.reason });
      else report.failed.push({ file, error: r.error });
    }
  }
  return report;
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
 * destination folders already made by this batch (see {@link moveNoClobber}). Returns where it
 * went and its note; null when it was left in place; 'held' when the disk had no room for its
 * note (it is back in the inbox, to be filed later).
 */
export async function fileAway(
  ctx: FilingContext,
  file: string,
  rel: string,
  bad: Outcome,
  good: Outcome,
  made?: Set<string>,
): Promise<{ moved: string; note: string | null } | 'held' | null> {
  if (throughLink(ctx.inbox, file)) {
    // Its folder became a link to another folder since it was seen: not the inbox's to move.
    ctx.log.warn('left in place: its folder is a link to a folder the inbox does not own', {
      file: rel,
    });
    return null;
  }
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
    try {
      await writeWhole(notePath(moved), note);
    } catch (e) {
      if (dbProblemOf(e) !== 'full') throw e;
      // No room for the note on this disk: the file goes back where it was (a link takes no
      // room), to be filed with its note once there is room, rather than left without one.
      putBack(moved, file);
      ctx.log.warn('the disk is full: the file stays in the inbox and is filed later', {
        file: rel,
        error: errText(e),
      });
      return 'held';
    }
  }
  const to = path.relative(ctx.inbox, moved);
  if (allBad) ctx.log.warn('moved to failed/', { file: rel, to, problem: problems.join('; ') });
  else ctx.log.debug('moved to processed/', { file: rel, to });
  return { moved, note: problems.length > 0 ? notePath(moved) : null };
}

/** Moves a file just filed away back to where it was (or beside it, when the name was taken since). */
function putBack(moved: string, to: string): void {
  try {
    fsSync.linkSync(moved, to);
  } catch {
    moveNoClobber(moved, path.dirname(to), path.basename(to));
    return;
  }
  fsSync.unlinkSync(moved);
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

/**
 * A FIFO, device or socket (or a link to one) is never opened (reads could block for ever): it
 * fails, and an inbox one is filed in failed/ with a note; a read-only source's is noted in `memo`.
 */
export async function fileNotRegular(
  ctx: FilingContext & { memo: SourceMemo },
  counts: Counts,
  file: string,
  origin: Origin,
  st: Stats,
): Promise<void> {
  const lst = await fs.lstat(file).catch(() => null);
  const error = notRegularText(st, lst?.isSymbolicLink() === true);
  logResult(ctx.log, counts, file, { kind: 'failed', error });
  if (origin.kind === 'source') {
    ctx.memo.remember(file, st);
    return;
  }
  try {
    const rel = path.relative(rootPath(origin, ctx.inbox), file);
    await fileAway(ctx, file, rel, [[file, { kind: 'failed', error }]], []);
  } catch (e) {
    ctx.log.error('could not file away a file', { file, error: errText(e) });
  }
}
