import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { KneecheckError } from '../errors.ts';
import { loadHistory } from '../history.ts';
import type { KneeCheck, Run } from '../model.ts';
import { csv, type CsvCell } from '../present/csv.ts';
import { runTypeShort, sourcesText } from '../present/run-words.ts';
import { SCHEMA_VERSION } from '../store/db.ts';
import { readAsset } from '../web/assets.ts';
import { summaryData, summaryHtml } from '../web/pages/summary.ts';
import { printJson, type CommandContext } from './context.ts';
import { writeExportFolder } from './export-write.ts';

/** Version of the `kneecheck.json` layout; raised when a field changes meaning or goes away. */
export const EXPORT_VERSION = 1;

/** The files `kneecheck export` writes, in this order. */
export const EXPORT_FILES = ['runs.csv', 'checks.csv', 'kneecheck.json', 'summary.html'] as const;

const RUN_COLUMNS = [
  'id',
  'start_time',
  'timezone',
  'type',
  'distance_m',
  'moving_time_s',
  'elapsed_time_s',
  'avg_speed_mps',
  'avg_step_rate_spm',
  'avg_step_length_m',
  'avg_heart_rate_bpm',
  'device',
  'gear_id',
  'numbers_from',
  'sources',
  'excluded',
  'excluded_reason',
  'partial',
  'warnings',
  'shoes',
];

const runRow = (r: Run, shoe: string | null): CsvCell[] => [
  r.id,
  r.startTime,
  r.timezone,
  runTypeShort(r),
  r.distanceM,
  r.movingTimeS,
  r.elapsedTimeS,
  r.avgSpeedMps,
  r.avgCadenceSpm,
  r.avgStepLengthM,
  r.avgHeartRateBpm,
  r.device,
  r.gearId,
  sourcesText(r),
  r.sources.map((s) => `${s.source}:${s.sourceId}`).join(' '),
  r.excluded === null ? false : `by ${r.excluded.by}`,
  r.excluded?.reason ?? null,
  r.partial,
  r.warnings.join(' '),
  shoe,
];

const CHECK_COLUMNS = [
  'id',
  'checked_at',
  'run_id',
  'knee',
  'pain',
  'where',
  'swelling',
  'locking',
  'giving_way',
  'sharp',
  'changed_gait',
  'cannot_bear_weight',
  'hot_red_fever',
  'note',
  'via',
];

const checkRow = (c: KneeCheck): CsvCell[] => [
  c.id,
  c.checkedAt,
  c.runId,
  c.knee,
  c.pain,
  c.where.join(' '),
  c.swelling,
  c.locking,
  c.givingWay,
  c.sharp,
  c.changedGait,
  c.cannotBearWeight,
  c.hotRedFever,
  c.note,
  c.via,
];

/**
 * `kneecheck export [--out DIR]`: every run and check as CSV, everything as versioned JSON, and
 * the clinician summary as one self-contained HTML page (DESIGN §4). Runs and checks after "now"
 * (KNEECHECK_NOW) are left out, as everywhere. The folder is written whole or not at all; an
 * existing non-empty one is replaced only with `--force` (see `writeExportFolder`).
 */
export function exportCommand(
  opts: { out?: string; json?: boolean; force?: boolean },
  ctx: CommandContext,
): number {
  const now = ctx.now();
  const zone = ctx.config.timezone;
  if (opts.out !== undefined && opts.out.trim() === '') {
    throw new KneecheckError('--out is empty: name the folder to write into (or leave --out out)');
  }
  const out = path.resolve(
    opts.out ?? `kneecheck-export-${DateTime.fromJSDate(now).setZone(zone).toISODate()}`,
  );
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
    throw new KneecheckError(`--out: ${out} is a file, not a folder; name a folder to write into`);
  }
  const css = readAsset('summary.css');
  if (!css) throw new Error('kneecheck: the summary stylesheet summary.css is missing');

  const store = ctx.openStore();
  let contents: Record<(typeof EXPORT_FILES)[number], string>;
  try {
    // Every run and check is listed (runs.csv, kneecheck.json); the metrics (advice, weekly
    // report, the summary's spikes and stride) are computed once, from the weeks the summary
    // shows and their look-back, as /summary does: the same figures as from the whole history
    // (test/page-window.test.ts) without a pass over every run for each (issue 24).
    const history = loadHistory(store, now);
    const summary = summaryData(store, ctx.config, now);
    const runsOldestFirst = [...history.runs].reverse();
    const shoeIds = store.shoes.idsOfRuns(runsOldestFirst.map((r) => r.id));
    const names = new Map((history.shoes?.pairs ?? []).map((s) => [s.id, s.name]));
    const shoeName = (id: Run['id']) => names.get(shoeIds.get(id) ?? -1) ?? null;
    const document = {
      format: 'kneecheck-export',
      version: EXPORT_VERSION,
      schemaVersion: SCHEMA_VERSION,
      exportedAt: now.toISOString(),
      timezone: zone,
      units: ctx.config.units,
      runs: runsOldestFirst,
      forms: Object.fromEntries(history.forms),
      checks: history.checks,
      clearances: history.clearances,
      shoes: history.shoes?.pairs ?? [],
      shoeOfRun: Object.fromEntries(shoeIds),
      advice: summary.advice,
      report: summary.report,
    };
    contents = {
      'runs.csv': csv(
        RUN_COLUMNS,
        runsOldestFirst.map((r) => runRow(r, shoeName(r.id))),
      ),
      'checks.csv': csv(CHECK_COLUMNS, history.checks.map(checkRow)),
      'kneecheck.json': `${JSON.stringify(document, null, 2)}\n`,
      'summary.html': summaryHtml(summary, { inline: css.body }),
    };
  } finally {
    store.close();
  }

  const files = writeExportFolder(out, contents, { force: opts.force === true });

  if (opts.json) {
    printJson(ctx, { files });
  } else {
    ctx.stdout.write(
      `Exported to ${out}:\n${files.map((f) => `  ${path.basename(f)}`).join('\n')}\n` +
        `Open summary.html in a browser and print it (or save as PDF) for your physiotherapist.\n`,
    );
  }
  return 0;
}
