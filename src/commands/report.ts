import { painWords } from '../advice/words.ts';
import { EXIT, KneecheckError } from '../errors.ts';
import { DateTime } from 'luxon';
import { zoneOf } from '../load/zone.ts';
import { formatDistance, formatDuration, formatStart, table, type Units } from '../format.ts';
import type { WeekReport } from '../model.ts';
import { printJson, type CommandContext } from './context.ts';
import { RECENT_RUN_DAYS, loadHistory, recency, reportOf } from '../history.ts';
import { DEFAULT_WEEKS, MAX_WEEKS, weekCount } from '../present/limits.ts';

const FT_PER_M = 3.28084;

/** `--weeks`: a whole number from 1 to {@link MAX_WEEKS}. */
export function parseWeeks(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WEEKS;
  const n = weekCount(text.trim());
  if (n === null) {
    throw new KneecheckError(
      `--weeks: expected a whole number of weeks from 1 to ${MAX_WEEKS}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

const dash = <T>(v: T | null, f: (v: T) => string): string => (v === null ? '–' : f(v));

/** One row of the human table; the current week is "so far", with no ramp until it ends. */
function weekRow(w: WeekReport, units: Units, current: boolean): string[] {
  return [
    current ? `${w.weekStart} so far` : w.weekStart,
    String(w.runs),
    formatDistance(w.distanceM, units),
    formatDuration(w.durationS),
    formatDistance(w.longestRunM, units),
    dash(current ? null : w.rampPct, (p) => `${p > 0 ? '+' : ''}${p.toFixed(0)} %`),
    dash(w.acwr, (a) => a.toFixed(2)),
    String(w.restDays),
    dash(w.avgCadenceSpm, (c) => `${Math.round(c)} spm`),
    dash(w.avgStepLengthM, (m) =>
      units === 'imperial' ? `${(m * FT_PER_M).toFixed(2)} ft` : `${m.toFixed(2)} m`,
    ),
    dash(w.maxPain, (p) => painWords({ pain: p, painRange: w.maxPainRange ?? null })),
  ];
}

const HEADER = [
  'week of',
  'runs',
  'distance',
  'time',
  'longest',
  'ramp',
  'ACWR',
  'rest days',
  'step rate',
  'step length',
  'max pain',
];

/** `kneecheck report [--weeks N]`: weekly load and form; `--json` prints the Report (DESIGN §4). */
export function reportCommand(
  opts: { json?: boolean; weeks?: string },
  ctx: CommandContext,
): number {
  const weeks = parseWeeks(opts.weeks);
  const now = ctx.now();
  const store = ctx.openStore();
  try {
    // Only the runs these weeks need (their look-back included), however long the history.
    const history = loadHistory(store, now, { weeks, advice: null });
    const report = reportOf(history, ctx.config, now, weeks);
    if (opts.json) {
      printJson(ctx, report);
      return EXIT.ok;
    }
    const units = ctx.config.units;
    const thisWeek = DateTime.fromJSDate(now)
      .setZone(zoneOf(report.timezone))
      .startOf('week')
      .toISODate();
    ctx.stdout.write(
      `Weekly load and form, last ${weeks} week${weeks === 1 ? '' : 's'} ` +
        `(weeks start on Monday, ${report.timezone}; the last one is the current week so far):\n\n` +
        `${table([HEADER, ...report.weeks.map((w) => weekRow(w, units, w.weekStart === thisWeek))])}\n\n` +
        'ramp: distance vs the week before, shown once a week has ended. ACWR (acute:chronic load, 7 vs 28 days) is context ' +
        'only: it is never on its own a reason to stop.\n',
    );
    const { latest, recent } = recency(history, now);
    if (history.runs.length === 0) {
      ctx.stdout.write('No runs yet. Import some with: kneecheck import <file-or-folder>\n');
    } else if (!recent) {
      ctx.stdout.write(
        `No runs in the last ${RECENT_RUN_DAYS / 7} weeks${latest ? ` (your latest that counts: ${formatStart(latest)})` : ''}: ` +
          'kneecheck cannot judge your load now. Add new runs with: kneecheck import <file-or-folder>\n',
      );
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}
