import { describe, expect, it } from 'vitest';
import { advise } from '../../src/advice/advise.ts';
import { parseCheckAnswers } from '../../src/check-input.ts';
import { buildReport } from '../../src/load/report.ts';
import type { KneeCheck } from '../../src/model.ts';
import { Store } from '../../src/store/index.ts';
import { seriesCheck } from '../../src/notify/reply-steps.ts';
import { parseCheckForm, parseCheckJson } from '../../src/web/check-input.ts';
import { checkItem } from '../../src/web/pages/layout.ts';
import { tempDir } from '../support/paths.ts';
import { ZONE, adviceFor, checks, history, weekly } from './scenario.ts';

// Issue 23, "What is wrong today" 7: "6 or more" on the phone was stored as 10/10 and quoted
// back as "you reported pain 10/10". Ranges stay ranges; rules read the upper bound.

const NOW = '2026-11-25T18:00:00Z';
const steady = weekly(NOW, 6, 4);
const lastStart = steady.at(-1)?.at ?? '';
const after = (h: number) => new Date(Date.parse(lastStart) + h * 3_600_000).toISOString();

describe('a pain answered as a range', () => {
  it('is read as a range by the one check parser, its top the pain the rules read', () => {
    for (const said of ['6 or more', '6+', '6-10', '6–10']) {
      const a = parseCheckAnswers({ pain: said, where: 'front' });
      expect(a.pain).toBe(10);
      expect(a.painRange).toEqual({ from: 6, to: 10 });
    }
    expect(parseCheckAnswers({ pain: '4-5', where: 'front' }).painRange).toEqual({
      from: 4,
      to: 5,
    });
    expect(parseCheckAnswers({ pain: '3', where: 'front' }).painRange).toBeNull();
    expect(() => parseCheckAnswers({ pain: '5-4', where: 'front' })).toThrow(/pain/);
    expect(() => parseCheckAnswers({ pain: '6-11', where: 'front' })).toThrow(/pain/);
  });

  it('and the return test are read the same from the form and the API', () => {
    const form = parseCheckForm({ pain: '0', walkOk: 'on', squatOk: 'on', stairsOk: 'on' });
    expect(form).toMatchObject({ walkOk: true, squatOk: true, stairsOk: true });
    expect(parseCheckForm({ pain: '0', walkOk: 'on' })).toMatchObject({
      walkOk: true,
      squatOk: false,
      stairsOk: false,
    });
    expect(parseCheckForm({ pain: '0' })).toMatchObject({ walkOk: null, squatOk: null });
    const api = parseCheckJson({ pain: '6 or more', where: ['front'], walkOk: false });
    expect(api.input).toMatchObject({ pain: 10, painRange: { from: 6, to: 10 }, walkOk: false });
    expect(parseCheckJson({ pain: { from: 4, to: 5 }, where: ['front'] }).input.painRange).toEqual({
      from: 4,
      to: 5,
    });
  });

  it('comes from the phone as the range the button said', () => {
    const s = seriesCheck([
      { step: 'start', answer: 'hurts' },
      { step: 'where', answer: 'front' },
      { step: 'knee', answer: 'right' },
      { step: 'pain', answer: '6-10' },
      { step: 'flag', answer: 'none' },
    ]);
    expect(s.input.pain).toBe(10);
    expect(s.input.painRange).toEqual({ from: 6, to: 10 });
  });

  it('is stored and read back as the range, through a real database file', () => {
    const store = Store.open(tempDir());
    try {
      const added = store.checks.add({
        runId: null,
        checkedAt: NOW,
        via: 'notification',
        ...parseCheckAnswers({ pain: '6 or more', where: 'front', knee: 'right' }),
      });
      const back = store.checks.get(added.id);
      expect(back?.painRange).toEqual({ from: 6, to: 10 });
      expect(back?.pain).toBe(10);
      expect(back?.walkOk).toBeNull();
      const exact = store.checks.add({
        runId: null,
        checkedAt: NOW,
        via: 'cli',
        ...parseCheckAnswers({ pain: 2, where: 'front', walkOk: true }),
      });
      expect(store.checks.get(exact.id)).toMatchObject({ painRange: null, walkOk: true });
    } finally {
      store.close();
    }
  });

  it('is said as "6 or more" in the advice, the report and the checks list, never 10/10', () => {
    const specs = [
      { at: after(3), pain: 10, where: ['front' as const], painRange: { from: 6, to: 10 } },
    ];
    const a = adviceFor(steady, specs, after(4));
    expect(a.level).toBe('stop');
    const text = [a.headline, ...a.suggestions.map((s) => s.message)].join(' ');
    expect(text).toMatch(/6 or more/);
    expect(text).not.toMatch(/10\/10/);
    const { runs, forms } = history(steady);
    const cs: KneeCheck[] = checks(specs, runs);
    const report = buildReport({
      runs,
      forms,
      checks: cs,
      zone: ZONE,
      now: new Date(after(4)),
      weeks: 2,
    });
    const week = report.weeks.find((w) => w.maxPain !== null);
    expect(week?.maxPainRange).toEqual({ from: 6, to: 10 });
    const [check] = cs;
    if (!check) throw new Error('no check');
    expect(String(checkItem(check, ZONE))).toMatch(/pain 6 or more/);
    expect(
      advise({ runs, forms, checks: cs, now: new Date(after(4)), zone: ZONE, units: 'metric' })
        .level,
    ).toBe('stop');
  });
});
