import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { NO_KNEE_FLAGS, type Advice } from '../../src/model.ts';
import {
  adviceChangedMessage,
  followUpMessage,
  kneeCheckMessage,
} from '../../src/notify/templates.ts';
import { adviceFor, history, weekly, ZONE } from '../advice/scenario.ts';

const NOW = '2026-11-25T19:00:00Z';

function context(units: 'metric' | 'imperial') {
  // Two weeks of 5 km, then this week's runs at 6 km: the last 7 days are 20 % up.
  const specs = [...weekly(NOW, 2, 5).slice(0, 3), ...weekly(NOW, 1, 6, { speedMps: 2.5 })];
  const { runs } = history(specs);
  const config = loadConfig({
    env: {
      KNEECHECK_DATA_DIR: '/nonexistent',
      KNEECHECK_TIMEZONE: ZONE,
      KNEECHECK_UNITS: units,
    },
    envFile: '/nonexistent/.env',
  });
  const advice = adviceFor(specs, [], NOW);
  const latest = [...runs].sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime))[0];
  if (!latest) throw new Error('no runs');
  return { ctx: { config, advice, recentRuns: runs, now: new Date(NOW) }, latest, advice };
}

describe('message templates', () => {
  it('the knee-check prompt sums up the run, the last 7 days and the advice, and asks the question', () => {
    const { ctx, latest, advice } = context('metric');
    const m = kneeCheckMessage(latest, ctx);
    expect(m.title).toBe('How do your knees feel after your 6.00 km run?');
    expect(m.message).toMatch(/6\.00 km in 40:00, 6:40 \/km, 166 steps\/min/);
    expect(m.message).toMatch(/Last 7 days: 18\.00 km \(\+20 % vs the 7 days before\)\./);
    expect(m.message).toContain(advice.headline);
    expect(m.message).toMatch(/front, inside, outside or back/);
    expect(m.message).toMatch(/guidance, not a diagnosis/);
    expect(m.html).toContain(`href="${m.checkUrl ?? ''}"`);
  });

  it('imperial units give miles and minutes per mile', () => {
    const { ctx, latest } = context('imperial');
    const m = kneeCheckMessage(latest, ctx);
    expect(m.title).toBe('How do your knees feel after your 3.73 mi run?');
    expect(m.message).toMatch(/3\.73 mi in 40:00, 10:44 \/mi/);
    expect(m.message).toMatch(/Last 7 days: 11\.18 mi/);
  });

  it('the follow-up recalls the pain reported and where', () => {
    const { ctx, latest } = context('metric');
    const check = {
      id: 1,
      runId: latest.id,
      checkedAt: NOW,
      pain: 4,
      where: ['front' as const, 'outside' as const],
      ...NO_KNEE_FLAGS,
      knee: null,
      via: 'cli' as const,
      note: null,
    };
    const m = followUpMessage(latest, check, ctx);
    expect(m.type).toBe('follow-up');
    expect(m.message).toMatch(/you reported pain 4\/10 \(front, outside\)/);
  });

  it('"advice changed" is urgent for stop and see-doctor, and says what it was', () => {
    const { ctx, latest } = context('metric');
    const worse: Advice = { ...ctx.advice, level: 'see-doctor', headline: 'See a clinician.' };
    const m = adviceChangedMessage(ctx.advice, latest, { ...ctx, advice: worse });
    expect(m.priority).toBe('high');
    expect(m.title).toBe('Advice changed: SEE A CLINICIAN');
    expect(m.message).toMatch(/^Was: /);
    expect(m.actions).toEqual([]);
  });
});
