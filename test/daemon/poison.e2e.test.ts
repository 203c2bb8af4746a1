import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { READING_JOURNAL_KEY } from '../../src/daemon/watch/journal.ts';
import { startDaemon, stopDaemons, until } from '../support/daemon.ts';
import { tempDir } from '../support/paths.ts';
import { poisonFit } from '../support/poison-fit.ts';
import { withDbFile } from '../support/sqlite.ts';
import { simpleRun } from '../support/synth-fit.ts';

afterEach(() => stopDaemons());

/** The files the journal of files being read holds now (another connection, as a kill leaves it). */
const reading = (data: string): string[] =>
  withDbFile(data, (db) => {
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(READING_JOURNAL_KEY) as
      { value: string } | undefined;
    return row ? Object.keys(JSON.parse(row.value) as object) : [];
  });

describe('kneecheck start and a file that stops it (issue 21 item 2)', () => {
  it('the poison FIT file is filed in failed/ and the daemon keeps importing', async () => {
    const data = tempDir();
    const daemon = await startDaemon({ KNEECHECK_DATA_DIR: data });
    const inbox = path.join(data, 'inbox');
    fs.writeFileSync(path.join(inbox, 'poison.fit'), poisonFit(30_000_000, 'compressed'));
    fs.writeFileSync(path.join(inbox, 'run.fit'), simpleRun(new Date(Date.now() - 7200_000)));
    const note = await until(
      () =>
        fs.existsSync(path.join(inbox, 'failed/poison.fit.error.txt')) &&
        fs.readFileSync(path.join(inbox, 'failed/poison.fit.error.txt'), 'utf8'),
      'failed/poison.fit.error.txt',
      30_000,
    );
    expect(note).toMatch(/^Problem: refused: more than 1,000,000 records/m);
    await until(() => fs.existsSync(path.join(inbox, 'processed/run.fit')), 'processed/', 30_000);
    const health = (await (await fetch(`${daemon.url}healthz`)).json()) as {
      watcher: { imported: number; failed: number };
    };
    expect(health.watcher).toMatchObject({ imported: 1, failed: 1 });
  }, 60_000);

  it('killed while reading a file, at the next start files it in failed/ and imports the rest', async () => {
    const data = tempDir();
    const first = await startDaemon({ KNEECHECK_DATA_DIR: data });
    const inbox = path.join(data, 'inbox');
    // Inside the bounds and slow to read (900,000 records): time to be killed while reading it.
    const slow = path.join(inbox, 'slow.fit');
    fs.writeFileSync(slow, poisonFit(900_000, 'timed'));
    await until(() => reading(data).includes(slow), 'slow.fit written down as being read', 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    fs.writeFileSync(path.join(inbox, 'run.fit'), simpleRun(new Date(Date.now() - 7200_000)));

    await startDaemon({ KNEECHECK_DATA_DIR: data });
    const note = await until(
      () =>
        fs.existsSync(path.join(inbox, 'failed/slow.fit.error.txt')) &&
        fs.readFileSync(path.join(inbox, 'failed/slow.fit.error.txt'), 'utf8'),
      'failed/slow.fit.error.txt',
      30_000,
    );
    expect(note).toMatch(/^Problem: it stopped kneecheck while being read/m);
    expect(fs.existsSync(path.join(inbox, 'failed/slow.fit'))).toBe(true);
    await until(() => fs.existsSync(path.join(inbox, 'processed/run.fit')), 'processed/', 30_000);
    expect(fs.existsSync(slow)).toBe(false);
    expect(reading(data)).toEqual([]);
  }, 90_000);
});
