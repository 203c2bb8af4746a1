import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Advice, Run, Shoe } from '../src/model.ts';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/paths.ts';
import { simpleRun } from './support/synth-fit.ts';

const NOW = '2026-11-25T12:00:00+01:00';

describe('kneecheck shoes', () => {
  it('counts km per pair from the default pair, moves a run to another pair, and tips past replace-at', async () => {
    const env = { KNEECHECK_DATA_DIR: tempDir(), KNEECHECK_NOW: NOW };
    const cli = async (...args: string[]) => {
      const r = await runCli(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    expect(await cli('shoes')).toContain('No shoes yet');
    await cli('shoes', 'add', 'blue Pegasus', '--since', '2026-11-01', '--default');
    const trail = JSON.parse(await cli('shoes', 'add', 'trail pair', '--json')) as Shoe;
    expect(trail).toMatchObject({ name: 'trail pair', startedOn: '2026-11-25', isDefault: false });

    const folder = tempDir();
    for (const [i, d] of ['2026-11-18', '2026-11-21', '2026-11-24'].entries()) {
      fs.writeFileSync(
        path.join(folder, `${d}.fit`),
        simpleRun(new Date(`${d}T17:00:00Z`), {
          km: 5 + i,
          speedMps: 2.5,
          spm: 166,
          offsetMin: 60,
        }),
      );
    }
    await cli('import', folder);
    let shoes = JSON.parse(await cli('shoes', '--json')) as { shoes: Shoe[]; replaceAtKm: number };
    expect(shoes.replaceAtKm).toBe(700);
    expect(shoes.shoes.find((s) => s.name === 'blue Pegasus')).toMatchObject({
      runs: 3,
      distanceM: 18000,
    });

    const [latest] = JSON.parse(await cli('runs', '--json')) as Run[];
    await cli('shoes', 'assign', latest?.id ?? '', String(trail.id));
    shoes = JSON.parse(await cli('shoes', '--json')) as { shoes: Shoe[]; replaceAtKm: number };
    expect(shoes.shoes.map((s) => [s.name, s.distanceM])).toEqual([
      ['trail pair', 7000],
      ['blue Pegasus', 11000],
    ]);
    expect(await cli('shoes')).toContain(
      'from 700 km: its own rule of thumb, the evidence for a number is weak',
    );

    await cli('shoes', 'replace-at', '50');
    let advice = JSON.parse(await cli('advice', '--json')) as Advice;
    expect(advice.suggestions.some((s) => s.code === 'replace-shoes')).toBe(false);
    const bad = await runCli(['shoes', 'replace-at', '10'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'replace-at: expected a whole number of km from 50 to 5000, got "10"',
    );

    // Seven October runs of 8 km in a pair started in September: 56 km, past the 50 km set above.
    const more = tempDir();
    for (let i = 0; i < 7; i++) {
      fs.writeFileSync(
        path.join(more, `oct-${i}.fit`),
        simpleRun(new Date(Date.UTC(2026, 9, 1 + i * 3, 17)), {
          km: 8,
          speedMps: 2.5,
          spm: 166,
          offsetMin: 60,
        }),
      );
    }
    await cli('shoes', 'default', String(trail.id));
    await cli('shoes', 'add', 'october pair', '--since', '2026-09-01', '--default');
    await cli('import', more);
    advice = JSON.parse(await cli('advice', '--json')) as Advice;
    const tip = advice.suggestions.find((s) => s.code === 'replace-shoes');
    expect(tip?.message).toContain('Your shoes “october pair” have carried you 56 km');
    expect(tip?.because[0]).toMatchObject({
      signal: 'shoe-km',
      value: 56,
      threshold: 50,
      source: 'kneecheck',
    });

    const out = tempDir();
    await cli('export', '--out', out);
    const csv = fs.readFileSync(path.join(out, 'runs.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/,shoes$/);
    expect(csv).toMatch(/,october pair\r\n/);
    expect(fs.readFileSync(path.join(out, 'summary.html'), 'utf8')).toContain('Shoes in use:');
  });
});
