import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { advise } from '../../src/advice/advise.ts';
import { factsOf } from '../../src/advice/facts.ts';
import { forKnee, kneesOf } from '../../src/advice/knees.ts';
import { RULES } from '../../src/advice/rules/index.ts';
import { SOURCES } from '../../src/advice/sources.ts';
import { DEFAULT_THRESHOLDS } from '../../src/advice/thresholds.ts';
import type { AdviceRule } from '../../src/advice/types.ts';
import { ADVICE_LEVELS, SUGGESTION_CODES } from '../../src/model.ts';
import { REPO, SCIENCE_MD } from '../support/paths.ts';
import {
  ZONE,
  checks,
  daysBefore,
  history,
  lastRun,
  weekly,
  type CheckSpec,
  type RunSpec,
} from './scenario.ts';

// Issue 23, "What is wrong today" 9: the rule table is checked. The registry (rules/index.ts)
// against itself, against what the rules emit, and against science.md's table.

const KEYS = new Set(SOURCES.map((s) => s.key));
const LEVELS = new Set<string>([...ADVICE_LEVELS, 'tip']);
const CODES = new Set<string>(SUGGESTION_CODES);

describe('the rule registry', () => {
  it('lists every rule once, with unique ids, known sources, codes and levels', () => {
    expect(new Set(RULES).size).toBe(RULES.length);
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size, ids.join(', ')).toBe(ids.length);
    for (const r of RULES) {
      expect(r.sources.length, r.id).toBeGreaterThan(0);
      for (const s of r.sources) expect(KEYS.has(s), `${r.id}: source ${s}`).toBe(true);
      expect(r.codes.length, r.id).toBeGreaterThan(0);
      for (const c of r.codes) expect(CODES.has(c), `${r.id}: code ${c}`).toBe(true);
      expect(r.levels.length, r.id).toBeGreaterThan(0);
      for (const l of r.levels) expect(LEVELS.has(l), `${r.id}: level ${l}`).toBe(true);
    }
  });

  it('leaves no rule file out of rules/index.ts', async () => {
    const dir = path.join(REPO, 'src/advice/rules');
    const listed = new Set<unknown>(RULES);
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as {
        default?: Partial<AdviceRule>;
      };
      const rule = mod.default;
      if (rule && typeof rule.evaluate === 'function')
        expect(listed.has(rule), `${file} (${rule.id}) is not in rules/index.ts`).toBe(true);
    }
  });
});

/** Histories that make each rule speak: knee checks of both sides, loads, comebacks, the ladder. */
function histories(): { runs: RunSpec[]; checks: CheckSpec[]; now: string }[] {
  const NOW = '2026-11-25T18:00:00Z';
  const steady = weekly(NOW, 6, 4);
  const last = steady.at(-1)?.at ?? '';
  const h = (hours: number) => new Date(Date.parse(last) + hours * 3_600_000).toISOString();
  const ok = { walkOk: true, squatOk: true, stairsOk: true };
  const pain = (hours: number, p: number, more: Partial<CheckSpec> = {}): CheckSpec => ({
    at: h(hours),
    pain: p,
    where: p > 0 ? ['front'] : [],
    ...more,
  });
  const daily = Array.from({ length: 9 }, (_, d) => pain(-24 * 8 + 24 * d + 10, 2));
  const extra: RunSpec[] = [0, 2].map((d) => ({ at: daysBefore(NOW, d), km: 4 }));
  const off = [...weekly(daysBefore(NOW, 43), 4, 6), { at: daysBefore(NOW, 1), km: 7 }];
  const every = Array.from({ length: 9 }, (_, d) => ({ at: daysBefore(NOW, d), km: 3 }));
  return [
    { runs: steady, checks: [], now: NOW },
    { runs: steady, checks: [pain(3, 2)], now: h(4) },
    { runs: steady, checks: [pain(3, 2), pain(20, 0)], now: h(21) },
    { runs: steady, checks: [pain(3, 4, { knee: 'left' })], now: h(4) },
    { runs: steady, checks: [pain(3, 2), pain(20, 3)], now: h(21) },
    { runs: steady, checks: [pain(72, 2)], now: h(73) },
    {
      runs: steady,
      checks: [pain(3, 7, { knee: 'right' }), pain(8, 1, { knee: 'left' })],
      now: h(9),
    },
    { runs: steady, checks: [pain(3, 1, { flags: { swelling: true } })], now: h(4) },
    { runs: steady, checks: [pain(3, 1, { flags: { locking: true } })], now: h(4) },
    { runs: steady, checks: daily, now: h(12) },
    { runs: steady, checks: [pain(24 * 9, 2, { run: null })], now: h(24 * 9 + 1) },
    { runs: steady, checks: [pain(50, 1, { run: null }), pain(74, 3, { run: null })], now: h(75) },
    { runs: steady, checks: [pain(2, 6), pain(48, 0, ok), pain(72, 0, ok)], now: h(73) },
    { runs: lastRun(steady, { km: 6 }), checks: [], now: NOW },
    { runs: lastRun(steady, { km: 4.8 }), checks: [], now: NOW },
    { runs: [...steady, ...extra].sort((a, b) => a.at.localeCompare(b.at)), checks: [], now: NOW },
    { runs: off, checks: [], now: NOW },
    { runs: weekly(daysBefore(NOW, 60), 3, 4), checks: [], now: NOW },
    { runs: [{ at: daysBefore(NOW, 1), km: 3 }], checks: [], now: NOW },
    { runs: every, checks: [], now: NOW },
  ];
}

describe('what the rules emit', () => {
  it('stays within each rule’s declared codes and levels, and every rule speaks in some history', () => {
    const spoke = new Set<string>();
    for (const hs of histories()) {
      const { runs, forms } = history(hs.runs);
      const f = factsOf({
        runs,
        forms,
        checks: checks(hs.checks, runs),
        now: new Date(hs.now),
        zone: ZONE,
        units: 'metric',
      });
      for (const side of kneesOf(f)) {
        const kf = forKnee(f, side);
        for (const rule of RULES) {
          const found = rule.evaluate(kf, DEFAULT_THRESHOLDS);
          if (!found) continue;
          spoke.add(rule.id);
          expect(rule.levels, `${rule.id} emitted level ${found.level}`).toContain(found.level);
          for (const p of found.parts)
            expect(rule.codes, `${rule.id} emitted code ${p.code}`).toContain(p.code);
        }
      }
    }
    // Rules that need a stride line or shoes are exercised by their own tests.
    const elsewhere = new Set(['long-strides', 'late-drop', 'replace-shoes']);
    const silent = RULES.map((r) => r.id).filter((id) => !spoke.has(id) && !elsewhere.has(id));
    expect(silent).toEqual([]);
  });
});

describe('short, plain, doable (issue 23 item 8)', () => {
  it('keeps every headline ≤ 120 characters, each suggestion ≤ 3 sentences, no sentence twice, no command', () => {
    for (const hs of histories()) {
      const { runs, forms } = history(hs.runs);
      const a = advise({
        runs,
        forms,
        checks: checks(hs.checks, runs),
        now: new Date(hs.now),
        zone: ZONE,
        units: 'metric',
      });
      expect(a.headline.length, a.headline).toBeLessThanOrEqual(120);
      const all = a.suggestions.flatMap((x) => sentencesOf(x.message));
      expect(new Set(all).size, JSON.stringify(a, null, 1)).toBe(all.length);
      for (const x of a.suggestions) {
        expect(sentencesOf(x.message).length, x.message).toBeLessThanOrEqual(3);
        expect(x.message).not.toMatch(/`?kneecheck [a-z]/);
      }
    }
  });

  it('says each exercise once when two places are ticked', () => {
    const NOW = '2026-11-25T18:00:00Z';
    const steady = weekly(NOW, 6, 4);
    const { runs, forms } = history(steady);
    const at = new Date(Date.parse(steady.at(-1)?.at ?? '') + 3 * 3_600_000).toISOString();
    const a = advise({
      runs,
      forms,
      checks: checks([{ at, pain: 2, where: ['front', 'inside'] }], runs),
      now: new Date(Date.parse(at) + 3_600_000),
      zone: ZONE,
      units: 'metric',
    });
    const strengthen = a.suggestions.find((x) => x.code === 'strengthen')?.message ?? '';
    expect(strengthen.match(/glute bridges/g)).toHaveLength(1);
    expect(strengthen.match(/Strengthen/g)).toHaveLength(1);
    const avoid = a.suggestions.find((x) => x.code === 'avoid-movements')?.message ?? '';
    expect(avoid.match(/deep squats/g)).toHaveLength(1);
  });
});

const sentencesOf = (text: string): string[] =>
  text.split(/(?<=[.!?])\s+(?=[A-Z("`'])/).map((x) => x.trim());

/** A row of science.md's rule table. */
interface Row {
  id: string;
  level: string;
  codes: string;
  sources: string;
}

function tableRows(md: string): Row[] {
  const from = md.indexOf('## Rule table');
  const lines = md.slice(from).split('\n');
  const rows: Row[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith('#')) break;
    if (!line.startsWith('| ') || line.startsWith('| id ') || line.startsWith('|---')) continue;
    const [id, , , level, codes, sources] = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (id && level !== undefined && codes !== undefined && sources !== undefined)
      rows.push({ id, level, codes, sources });
  }
  return rows;
}

/** The table's composite row for three flags is one rule; its rows that are no rule, and why. */
const ROW_TO_RULE: Record<string, string> = {
  'red-flag-swelling / -locking / -giving-way': 'red-flag-swelling-giving-way',
};
const NOT_A_RULE: Record<string, string> = {
  'acwr-context': 'context in the because of other rules (rules/acwr.ts)',
  ok: 'the advice when no rule speaks (ok.ts)',
};

const words = (cell: string, vocabulary: readonly string[]): Set<string> =>
  new Set(
    [...vocabulary]
      .sort((a, b) => b.length - a.length)
      .filter((w) => new RegExp(`(^|[^\\w-])${w.replace(/[-]/g, '\\-')}([^\\w-]|$)`).test(cell)),
  );

describe.skipIf(!fs.existsSync(SCIENCE_MD))('science.md’s rule table and the registry', () => {
  if (!fs.existsSync(SCIENCE_MD))
    console.warn(`kneecheck tests: ${SCIENCE_MD} not found; the rule-table comparison is skipped.`);

  it('agree on ids, levels, codes and sources, both ways', () => {
    const rows = tableRows(fs.readFileSync(SCIENCE_MD, 'utf8'));
    expect(rows.length).toBeGreaterThan(10);
    const byId = new Map(RULES.map((r) => [r.id, r]));
    const tabled = new Set<string>();
    const levelsOf = new Map<string, Set<string>>();
    for (const row of rows) {
      if (NOT_A_RULE[row.id]) continue;
      const id = ROW_TO_RULE[row.id] ?? row.id;
      const rule = byId.get(id);
      expect(rule, `science.md row ${row.id}: no rule ${id} in rules/index.ts`).toBeDefined();
      if (!rule) continue;
      tabled.add(id);
      const as = /^as ([\w-]+)$/.exec(row.level)?.[1];
      const levels = as ? (levelsOf.get(as) ?? new Set()) : words(row.level, [...LEVELS]);
      if (levels.size === 0) levels.add('tip');
      levelsOf.set(id, levels);
      expect(new Set(rule.levels), `${id}: levels`).toEqual(levels);
      expect(new Set(rule.codes), `${id}: codes`).toEqual(words(row.codes, SUGGESTION_CODES));
      const keys = [...KEYS].filter((k) => k !== 'kneecheck');
      expect(new Set(rule.sources.filter((s) => s !== 'kneecheck')), `${id}: sources`).toEqual(
        words(row.sources, keys),
      );
      if (/kneecheck['’]s own/.test(row.sources))
        expect(rule.sources, `${id}: the table says kneecheck's own`).toContain('kneecheck');
    }
    expect(tabled.size, [...tabled].join(', ')).toBeGreaterThanOrEqual(14);
    // Rules the table does not list are kneecheck's own additions, and say so.
    for (const rule of RULES.filter((r) => !tabled.has(r.id)))
      expect(rule.sources, `${rule.id} is not in science.md's table`).toContain('kneecheck');
  });
});
