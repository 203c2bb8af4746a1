import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE_NAME } from '../src/store/index.ts';
import { runCli } from './support/cli.ts';
import { corruptTables, readOnlyFile, smallDisk, type SmallDisk } from './support/damage.ts';
import { tempDir } from './support/paths.ts';
import { simpleRun } from './support/synth-fit.ts';

/**
 * Issue 21 item 13 (and 5, 9 for the CLI): a read-only database, a full disk and a damaged
 * database end a command with a message naming the database file and the fix, exit 2, and no
 * stack trace.
 */
const day = (n: number) => new Date(Date.UTC(2026, 9, 1, 6, 0, 0) + n * 86_400_000);
const noStack = (text: string) => {
  expect(text).not.toMatch(/unexpected error|\n\s+at |SqliteError|Please report/);
};

const disks: SmallDisk[] = [];
afterAll(() => {
  for (const d of disks.splice(0)) d.unmount();
});

/** A data folder (in `dir`) with one run stored by the CLI, and a FIT file of another run. */
async function withOneRun(dir: string) {
  const data = path.join(dir, 'data');
  const files = tempDir('kneecheck-files-');
  fs.writeFileSync(path.join(files, 'a.fit'), simpleRun(day(0)));
  fs.writeFileSync(path.join(files, 'b.fit'), simpleRun(day(1), { km: 9 }));
  const env = { KNEECHECK_DATA_DIR: data };
  const first = await runCli(['import', path.join(files, 'a.fit')], env);
  expect(first.code, first.stderr).toBe(0);
  return { data, env, next: path.join(files, 'b.fit'), db: path.join(data, DB_FILE_NAME) };
}

describe('the CLI on a database it cannot use', () => {
  const disk = smallDisk(4096);
  const why = typeof disk === 'string' ? ` (skipped: ${disk})` : '';
  const disk2 = smallDisk(4096);
  for (const d of [disk, disk2]) if (typeof d !== 'string') disks.push(d);

  it.skipIf(why !== '')(`says the disk is full, importing and checking${why}`, async () => {
    const d = disk as SmallDisk;
    const t = await withOneRun(d.dir);
    d.fill();
    const imp = await runCli(['import', t.next], t.env);
    expect(imp.code).toBe(2);
    expect(imp.stderr).toContain(`the disk holding ${t.db} is full`);
    expect(imp.stderr).toMatch(/Free some space/);
    noStack(imp.stderr);
    const check = await runCli(['check', '--no-run', '--pain', '2', '--where', 'front'], t.env);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(`the disk holding ${t.db} is full`);
    noStack(check.stderr);
    expect(
      (fs.readdirSync(d.dir, { recursive: true }) as string[]).filter((n) => n.endsWith('.tmp')),
    ).toEqual([]);
    // With room again, the same command works.
    d.free();
    const again = await runCli(['import', t.next], t.env);
    expect(again.code, again.stderr).toBe(0);
  });

  it.skipIf(why !== '')(`says the database is read-only${why}`, async () => {
    const d = disk2 as SmallDisk;
    const t = await withOneRun(d.dir);
    // The database file alone read-only (its folder writable).
    const undo = readOnlyFile(t.db);
    if (typeof undo === 'string') return void console.warn(`read-only file case skipped: ${undo}`);
    try {
      for (const args of [['import', t.next], ['cleared']]) {
        const r = await runCli(args, t.env);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toContain(`${t.db} cannot be written to`);
        expect(r.stderr).toMatch(/writable/);
        noStack(r.stderr);
      }
    } finally {
      undo();
    }
    // The whole disk read-only: the data folder's own check says so first.
    d.readOnly();
    const imp = await runCli(['import', t.next], t.env);
    expect(imp.code).toBe(2);
    expect(imp.stderr).toMatch(/KNEECHECK_DATA_DIR.*may not write to it/);
    noStack(imp.stderr);
  });

  it('says the database is damaged and what to do, on reading and writing commands', async () => {
    const t = await withOneRun(tempDir('kneecheck-damaged-'));
    corruptTables(t.data, ['runs', 'checks']);
    for (const args of [['runs'], ['advice'], ['report', '--json'], ['import', t.next]]) {
      const r = await runCli(args, t.env);
      const what = args.join(' ');
      expect(r.code, `${what}: ${r.stderr}`).toBe(2);
      expect(r.stderr, what).toContain(`${t.db} is damaged`);
      expect(r.stderr, what).toMatch(/move the file aside/);
      noStack(r.stderr);
    }
  });

  it('says a file that is not a database is not one', async () => {
    const data = tempDir('kneecheck-notadb-');
    fs.writeFileSync(path.join(data, DB_FILE_NAME), Buffer.alloc(8192, 0x41));
    const r = await runCli(['runs'], { KNEECHECK_DATA_DIR: data });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${path.join(data, DB_FILE_NAME)} is damaged (or is not a kneecheck database)`,
    );
    noStack(r.stderr);
  });
});
