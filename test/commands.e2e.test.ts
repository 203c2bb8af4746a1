import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_A_DIAGNOSIS } from '../src/present/advice-text.ts';
import type { ImportReport } from '../src/import/pipeline.ts';
import {
  ADVICE_LEVELS,
  type Advice,
  type KneeCheck,
  type Report,
  type Run,
  type RunId,
} from '../src/model.ts';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/paths.ts';
import { simpleRun } from './support/synth-fit.ts';

/** A Wednesday in November (CET, UTC+1): the current week starts on Monday 2026-11-23. */
const NOW = '2026-11-25T12:00:00+01:00';

/**
 * A small history at 2.5 m/s (so every distance and time is exact) and 166 steps/min, in
 * Europe/Berlin, which runCli sets as KNEECHECK_TIMEZONE.
 */
const HISTORY = [
  { name: 'tue-10', start: '2026-11-10T17:00:00Z', km: 3 },
  { name: 'thu-12', start: '2026-11-12T17:00:00Z', km: 4 },
  { name: 'mon-16', start: '2026-11-16T17:00:00Z', km: 5 },
  { name: 'sat-21', start: '2026-11-21T08:00:00Z', km: 5 },
  // 23:30 on Sunday in Berlin: still that Sunday's week.
  { name: 'sun-22-late', start: '2026-11-22T22:30:00Z', km: 2 },
  { name: 'tue-24', start: '2026-11-24T17:00:00Z', km: 6 },
  // After NOW: ignored by check, report and advice.
  { name: 'thu-26-future', start: '2026-11-26T17:00:00Z', km: 4 },
] as const;
type RunName = (typeof HISTORY)[number]['name'];

const CHECK_KEYS = [
  'id',
  'runId',
  'checkedAt',
  'pain',
  'where',
  'swelling',
  'locking',
  'givingWay',
  'sharp',
  'changedGait',
  'cannotBearWeight',
  'hotRedFever',
  'note',
  'knee',
  'via',
  // DESIGN §4 (issue 23): a range as answered, and the return test after a stop.
  'painRange',
  'walkOk',
  'squatOk',
  'stairsOk',
].sort();
const WEEK_KEYS = [
  'weekStart',
  'runs',
  'distanceM',
  'durationS',
  'longestRunM',
  'rampPct',
  'acwr',
  'restDays',
  'avgCadenceSpm',
  'avgStepLengthM',
  'maxPain',
].sort();

/** A data folder holding HISTORY, imported through the CLI; the ids by run name. */
async function history(): Promise<{ env: Record<string, string>; ids: Record<RunName, RunId> }> {
  const data = tempDir();
  const folder = tempDir();
  for (const r of HISTORY) {
    fs.writeFileSync(
      path.join(folder, `${r.name}.fit`),
      simpleRun(new Date(r.start), { km: r.km, speedMps: 2.5, spm: 166, offsetMin: 60 }),
    );
  }
  const env = { KNEECHECK_DATA_DIR: data, KNEECHECK_NOW: NOW };
  const imported = await runCli(['import', folder, '--json'], env);
  expect(imported.code, imported.stderr).toBe(0);
  const report = JSON.parse(imported.stdout) as ImportReport;
  const ids = Object.fromEntries(
    report.imported.map((i) => [path.basename(i.file, '.fit'), i.run.id]),
  ) as Record<RunName, RunId>;
  expect(Object.keys(ids)).toHaveLength(HISTORY.length);
  return { env, ids };
}

function expectAdviceShape(advice: Advice, now: string): void {
  expect(Object.keys(advice).sort()).toEqual(['generatedAt', 'headline', 'level', 'suggestions']);
  expect(ADVICE_LEVELS).toContain(advice.level);
  expect(advice.headline).toEqual(expect.any(String));
  expect(advice.generatedAt).toBe(new Date(now).toISOString());
  expect(advice.suggestions.length).toBeGreaterThan(0);
  for (const s of advice.suggestions) {
    expect(Object.keys(s).sort()).toEqual(['because', 'code', 'message']);
    for (const b of s.because) {
      expect(Object.keys(b).sort()).toEqual(['label', 'signal', 'source', 'threshold', 'value']);
      expect(b.label.length).toBeGreaterThan(0);
    }
  }
}

describe('kneecheck check', () => {
  it('stores a check about the latest run so far and prints {check, advice}', async () => {
    const { env, ids } = await history();
    const r = await runCli(
      ['check', '--pain', '2', '--where', 'front, Outside,front', '--note', ' stairs ', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { check: KneeCheck; advice: Advice };
    expect(Object.keys(out).sort()).toEqual(['advice', 'check']);
    expect(Object.keys(out.check).sort()).toEqual(CHECK_KEYS);
    expect(out.check).toMatchObject({
      runId: ids['tue-24'],
      checkedAt: '2026-11-25T11:00:00.000Z',
      pain: 2,
      where: ['front', 'outside'],
      swelling: false,
      sharp: false,
      note: 'stairs',
    });
    expect(out.check.id).toEqual(expect.any(Number));
    expectAdviceShape(out.advice, NOW);
  });

  it('takes a run id, the red-flag switches, and pain 0 without --where', async () => {
    const { env, ids } = await history();
    const flags = await runCli(
      [
        'check',
        ids['mon-16'],
        '--pain=4',
        '--where=inside',
        '--swelling',
        '--locking',
        '--giving-way',
        '--sharp',
        '--changed-gait',
        '--cannot-bear-weight',
        '--hot-red-fever',
        '--json',
      ],
      env,
    );
    expect(flags.code, flags.stderr).toBe(0);
    expect((JSON.parse(flags.stdout) as { check: KneeCheck }).check).toMatchObject({
      runId: ids['mon-16'],
      swelling: true,
      locking: true,
      givingWay: true,
      sharp: true,
      changedGait: true,
      cannotBearWeight: true,
      hotRedFever: true,
      note: null,
    });
    const none = await runCli(['check', '--pain', '0', '--json'], env);
    expect(none.code, none.stderr).toBe(0);
    expect((JSON.parse(none.stdout) as { check: KneeCheck }).check).toMatchObject({
      pain: 0,
      where: [],
    });
  });

  it('prints the check and the advice for people', async () => {
    const { env } = await history();
    const r = await runCli(['check', '--pain', '1', '--where', 'back'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Saved knee check \d+ for the run of 2026-11-24 18:00 \(6\.00 km\): knee not said, pain 1\/10, back\./,
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(NOT_A_DIAGNOSIS);
  });

  it('exits 2 on a bad pain, location or run id, naming the option and the expected form', async () => {
    const { env, ids } = await history();
    const cases: [string[], RegExp][] = [
      [['--pain', '11'], /--pain: expected a whole number from 0 .* to 10 .*, got "11"/],
      [['--pain=-1'], /--pain: expected a whole number from 0 .* to 10 .*, got "-1"/],
      [['--pain', '2.5'], /--pain: expected a whole number .*, got "2\.5"/],
      [['--pain', 'abc'], /--pain: expected a whole number .*, got "abc"/],
      [[], /--pain is required: expected a whole number from 0/],
      [['--pain', '3'], /--where is required when --pain is above 0.*front, inside, outside, back/],
      [
        ['--pain', '3', '--where', 'knee'],
        /--where: expected one or more of front, inside, outside, back.*got "knee"/,
      ],
      [['fit:000000000000', '--pain', '0'], /run id "fit:000000000000": no such run/],
      [[ids['thu-26-future'], '--pain', '0'], /starts after the current time/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['check', ...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
    // Nothing was stored by the failed attempts.
    const report = JSON.parse((await runCli(['report', '--json'], env)).stdout) as Report;
    expect(report.weeks.every((w) => w.maxPain === null)).toBe(true);
  });

  it('records a check about the knee now when there are no runs yet, and a red flag holds', async () => {
    const env = { KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_NOW: NOW };
    const r = await runCli(
      ['check', '--pain', '3', '--where', 'front', '--swelling', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { check: KneeCheck; advice: Advice };
    expect(out.check.runId).toBeNull();
    expect(out.advice.level).toBe('see-doctor');
    const human = await runCli(['advice'], env);
    expect(human.stdout).toMatch(/about your knee|See a clinician/);
  });
});

describe('kneecheck report', () => {
  it('prints exactly the DESIGN §4 document with the weekly numbers of the history', async () => {
    const { env, ids } = await history();
    // A check on Saturday, one now, and one after now (ignored).
    await runCli(['check', ids['sat-21'], '--pain', '3', '--where', 'outside'], {
      ...env,
      KNEECHECK_NOW: '2026-11-21T12:00:00+01:00',
    });
    await runCli(['check', '--pain', '2', '--where', 'front'], env);
    await runCli(['check', '--pain', '5', '--where', 'front'], {
      ...env,
      KNEECHECK_NOW: '2026-11-27T12:00:00+01:00',
    });

    const r = await runCli(['report', '--weeks', '3', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(Object.keys(report).sort()).toEqual(['timezone', 'weeks']);
    expect(report.timezone).toBe('Europe/Berlin');
    for (const w of report.weeks) {
      expect(Object.keys(w).sort()).toEqual(WEEK_KEYS);
      expect(w.acwr === null || typeof w.acwr === 'number').toBe(true);
    }
    // 2.5 m/s: 1 km takes 400 s. Step length 2.5 m/s / (166/60 steps/s) = 0.904 m.
    const numbers = report.weeks.map(({ acwr: _acwr, ...w }) => w);
    expect(numbers).toEqual([
      {
        weekStart: '2026-11-09',
        runs: 2,
        distanceM: 7000,
        durationS: 2800,
        longestRunM: 4000,
        rampPct: null,
        restDays: 5,
        avgCadenceSpm: 166,
        avgStepLengthM: 0.904,
        maxPain: null,
      },
      {
        weekStart: '2026-11-16',
        runs: 3,
        distanceM: 12000,
        durationS: 4800,
        longestRunM: 5000,
        rampPct: 71.4, // (12 − 7) / 7
        restDays: 4,
        avgCadenceSpm: 166,
        avgStepLengthM: 0.904,
        maxPain: 3,
      },
      {
        // Monday to Wednesday so far; the run on Thursday is after now.
        weekStart: '2026-11-23',
        runs: 1,
        distanceM: 6000,
        durationS: 2400,
        longestRunM: 6000,
        rampPct: -50,
        restDays: 2,
        avgCadenceSpm: 166,
        avgStepLengthM: 0.904,
        maxPain: 2,
      },
    ]);
    const eight = JSON.parse((await runCli(['report', '--json'], env)).stdout) as Report;
    expect(eight.weeks).toHaveLength(8);
    expect(eight.weeks.at(-1)?.weekStart).toBe('2026-11-23');
  });

  it('prints a weekly table for people, in the configured units', async () => {
    const { env } = await history();
    const r = await runCli(['report', '--weeks', '2'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/week of\s+runs\s+distance\s+time\s+longest\s+ramp\s+ACWR/);
    expect(r.stdout).toMatch(/2026-11-16\s+3\s+12\.00 km\s+1:20:00\s+5\.00 km\s+\+71 %/);
    // The current week is "so far": no ramp (a Wednesday is not half a week of decline).
    expect(r.stdout).toMatch(/2026-11-23 so far\s+1\s+6\.00 km\s+40:00\s+6\.00 km\s+–\s/);
    expect(r.stdout).not.toContain('-50 %');
    expect(r.stdout).toMatch(/ACWR .* context only/);
    const miles = await runCli(['report', '--weeks', '2'], { ...env, KNEECHECK_UNITS: 'imperial' });
    expect(miles.stdout).toMatch(/2026-11-16\s+3\s+7\.46 mi/);
  });

  it('exits 2 on a bad --weeks', async () => {
    const { env } = await history();
    for (const weeks of ['0', 'x', '1.5', '9999']) {
      const r = await runCli(['report', '--weeks', weeks], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--weeks: expected a whole number of weeks from 1 to 520/);
    }
  });
});

describe('kneecheck advice', () => {
  it('prints the advice document, as of now', async () => {
    const { env } = await history();
    const r = await runCli(['advice', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expectAdviceShape(JSON.parse(r.stdout) as Advice, NOW);
  });

  it('prints the level, the suggestions with their reasons, and that it is not a diagnosis', async () => {
    const { env } = await history();
    const advice = JSON.parse((await runCli(['advice', '--json'], env)).stdout) as Advice;
    const r = await runCli(['advice'], env);
    expect(r.code, r.stderr).toBe(0);
    // The headline first (it opens with what to do), then each suggestion with its reasons in
    // words and the source's name, never an internal id alone.
    expect(r.stdout.split('\n')[0]).toBe(advice.headline.slice(0, r.stdout.split('\n')[0]?.length));
    for (const s of advice.suggestions)
      for (const b of s.because)
        expect(r.stdout.replace(/\s+/g, ' ')).toContain(`because ${b.label}:`);
    expect(r.stdout).not.toMatch(/\(ease-off\)|\[ease-off\]/);
    expect(r.stdout).toContain('kneecheck sources');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(NOT_A_DIAGNOSIS);
  });

  it('works on an empty database', async () => {
    const env = { KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_NOW: NOW };
    const r = await runCli(['advice', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expectAdviceShape(JSON.parse(r.stdout) as Advice, NOW);
    const human = await runCli(['advice'], env);
    expect(human.stdout).toMatch(/No runs or knee checks yet/);
  });
});

describe('kneecheck demo', () => {
  it('makes a demo folder that report, advice and runs can read', async () => {
    const dir = path.join(tempDir(), 'demo');
    const r = await runCli(['demo', '--dir', dir, '--json'], { KNEECHECK_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { dataDir: string; runs: number; checks: number };
    expect(out).toEqual({ dataDir: dir, runs: 33, checks: 4 });
    expect(fs.existsSync(path.join(dir, '.kneecheck-demo'))).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'fit')).filter((f) => f.endsWith('.fit'))).toHaveLength(
      33,
    );

    const env = { KNEECHECK_DATA_DIR: dir, KNEECHECK_NOW: NOW };
    const runs = JSON.parse((await runCli(['runs', '--json'], env)).stdout) as Run[];
    expect(runs).toHaveLength(33);
    // Ten weeks from about 3 km, then 7 days with about 40 % more than the 7 before, among them
    // a long run about 50 % longer than any before it.
    const km = (from: number, to: number) =>
      runs
        .filter((x) => {
          const ago = (Date.parse(NOW) - Date.parse(x.startTime)) / 86_400_000;
          return ago >= from && ago < to;
        })
        .reduce((a, x) => a + (x.distanceM ?? 0), 0);
    expect(km(0, 8) / km(8, 15)).toBeGreaterThan(1.3);
    expect(km(0, 8) / km(8, 15)).toBeLessThan(1.5);
    const byStart = [...runs]
      .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime))
      .map((x) => x.distanceM ?? 0);
    expect((byStart.at(-1) ?? 0) / Math.max(...byStart.slice(0, -1))).toBeGreaterThan(1.4);
    expect(Math.min(...runs.map((x) => x.distanceM ?? 0))).toBeLessThan(3100);

    const report = await runCli(['report', '--json'], env);
    expect(report.code, report.stderr).toBe(0);
    const weeks = (JSON.parse(report.stdout) as Report).weeks;
    expect(weeks).toHaveLength(8);
    expect(Math.max(...weeks.map((w) => w.maxPain ?? -1))).toBe(2);
    const advice = await runCli(['advice', '--json'], env);
    expect(advice.code, advice.stderr).toBe(0);
    expectAdviceShape(JSON.parse(advice.stdout) as Advice, NOW);
    const humanRuns = await runCli(['runs'], env);
    expect(humanRuns.code).toBe(0);
  });

  it('prints how to look at it, refills its own folder, and refuses any other', async () => {
    const dir = path.join(tempDir(), 'demo');
    const first = await runCli(['demo', '--dir', dir], { KNEECHECK_NOW: NOW });
    expect(first.code, first.stderr).toBe(0);
    for (const command of ['report', 'advice', 'runs']) {
      expect(first.stdout).toContain(`KNEECHECK_DATA_DIR=${dir} kneecheck ${command}`);
    }
    const again = await runCli(['demo', '--dir', dir, '--json'], {});
    expect(again.code, again.stderr).toBe(0);
    const runs = JSON.parse(
      (await runCli(['runs', '--json'], { KNEECHECK_DATA_DIR: dir })).stdout,
    ) as Run[];
    expect(runs).toHaveLength(33);

    const busy = tempDir();
    fs.writeFileSync(path.join(busy, 'mine.txt'), 'keep me');
    const refused = await runCli(['demo', '--dir', busy]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--dir: .* is not empty and is not a kneecheck demo folder/);
    expect(fs.readdirSync(busy)).toEqual(['mine.txt']);
  });
});

describe('help', () => {
  it('has help with examples for check, report, advice and demo', async () => {
    for (const command of ['check', 'report', 'advice', 'demo']) {
      const r = await runCli([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: kneecheck ${command}`));
      expect(r.stdout).toMatch(/--json/);
      expect(r.stdout).toMatch(/Examples:/);
    }
  });
});
