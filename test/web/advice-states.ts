import { checks, history, weekly, type CheckSpec, type RunSpec } from '../advice/scenario.ts';
import { harness, type Harness } from './support.ts';

/**
 * Four advice states a beginner meets, as stored histories served by the real app (issue 23
 * follow-up): the runs go through the real FIT importer and `Store.saveRun`, the checks through
 * `store.checks.add`, and the app's clock is the state's own `now`.
 */
export type AdviceState = 'stop-right-knee' | 'ladder-step-2' | 'pain-8-days' | 'ok';

interface StateSpec {
  runs: RunSpec[];
  checks: CheckSpec[];
  now: string;
}

const BASE_NOW = '2026-11-25T18:00:00Z';
/** Six weeks of three 4 km runs, the last one Tue 24 Nov 07:00 UTC. */
const steady = weekly(BASE_NOW, 6, 4);
const lastStart = Date.parse(steady.at(-1)?.at ?? '');
const h = (hours: number) => new Date(lastStart + hours * 3_600_000).toISOString();
const passed = { walkOk: true, squatOk: true, stairsOk: true };
/** A ladder session of `min` minutes, `days` after the stop's run, at 2.5 m/s. */
const session = (days: number, min = 20): RunSpec => ({
  at: h(24 * days + 2),
  km: (min * 60 * 2.5) / 1000,
  speedMps: 2.5,
});

const SPECS: Record<AdviceState, () => StateSpec> = {
  // Sharp 4/10 on the outside of the right knee, then 2/10 at the front of the left that evening.
  'stop-right-knee': () => ({
    runs: steady,
    checks: [
      { at: h(2), pain: 4, where: ['outside'], knee: 'right', flags: { sharp: true } },
      { at: h(10), pain: 2, where: ['front'], knee: 'left' },
    ],
    now: h(11),
  }),
  // A 6/10 stop, the return test passed two mornings in a row, two good sessions: step 2.
  'ladder-step-2': () => ({
    runs: [...steady, session(4), session(6)],
    checks: [
      { at: h(2), pain: 6, where: ['front'] },
      { at: h(48), pain: 0, run: null, ...passed },
      { at: h(72), pain: 0, run: null, ...passed },
      { at: h(24 * 4 + 3), pain: 1, where: ['front'] },
      { at: h(24 * 5), pain: 0, run: null },
      { at: h(24 * 6 + 3), pain: 0 },
      { at: h(24 * 7), pain: 0, run: null },
    ],
    now: h(24 * 7 + 1),
  }),
  // 2/10 at the front every evening for eight calendar days in a row.
  'pain-8-days': () => ({
    runs: steady,
    checks: Array.from({ length: 8 }, (_, i) => ({
      at: h(11 + 24 * (i - 7)),
      pain: 2,
      where: ['front'] as CheckSpec['where'],
    })),
    now: h(12),
  }),
  // Regular easy weeks, a pain-free check after the last run.
  ok: () => ({
    runs: steady,
    checks: [{ at: h(2), pain: 0 }],
    now: h(6),
  }),
};

/** The real app over a fresh store holding `state`'s history, its clock at the state's `now`. */
export async function stateHarness(state: AdviceState): Promise<Harness & { now: string }> {
  const spec = SPECS[state]();
  const at = () => new Date(Date.parse(spec.now));
  const hx = await harness({ settings: { KNEECHECK_NOW: spec.now }, deps: { now: at } });
  const { runs, forms } = history(spec.runs);
  for (const run of runs)
    hx.store.saveRun({ run, form: forms.get(run.id) ?? null }, null, spec.now);
  // The id is the store's to give: `add` reads the answers, not `id`.
  for (const c of checks(spec.checks, runs)) hx.store.checks.add(c);
  return { ...hx, now: spec.now };
}
