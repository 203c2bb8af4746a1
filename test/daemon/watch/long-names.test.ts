import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noteName, writeWhole } from '../../../src/daemon/watch/inbox.ts';
import { tempDir } from '../../support/paths.ts';
import { simpleRun } from '../../support/synth-fit.ts';
import { day, ls, watchSetup } from './setup.ts';

/** Issue 21 item 8: a file whose name leaves no room for `.error.txt` is still filed away. */
describe('files with long names', () => {
  it('files a broken 250-byte name into failed/ under its own name, with a shortened note', async () => {
    const t = watchSetup();
    await t.start();
    const long = `${'é'.repeat(120)}-run.fit`; // 248 bytes in UTF-8
    expect(Buffer.byteLength(long)).toBeGreaterThanOrEqual(246);
    fs.writeFileSync(path.join(t.inbox, long), 'not a FIT file at all, just some text');
    const good = `${'a'.repeat(251)}.fit`; // 255 bytes: the longest name there is
    fs.writeFileSync(path.join(t.inbox, good), simpleRun(day(0)));
    // Filed, and its note written (just after the file, through a temporary file).
    const done = () => {
      const names = ls(t.failed);
      return names.includes(long) && names.some((n) => n.endsWith('.error.txt'));
    };
    await t.run('both filed', () => done() && ls(t.processed).includes(good));
    await t.idle();
    expect(ls(t.inbox)).toEqual(['failed', 'processed']);
    const notes = ls(t.failed).filter((n) => n.endsWith('.error.txt'));
    expect(notes).toHaveLength(1);
    const note = notes[0] ?? '';
    expect(Buffer.byteLength(note)).toBeLessThanOrEqual(255);
    expect(note.startsWith('é'.repeat(100))).toBe(true);
    expect(fs.readFileSync(path.join(t.failed, note), 'utf8')).toContain(`File: ${long}`);
    expect(t.store.runs.count()).toBe(1);
    // No temporary file of the note left behind.
    expect(ls(t.failed).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('files a 255-byte name that is taken in processed/ into a numbered folder, keeping its name', async () => {
    const t = watchSetup();
    const name = `${'d'.repeat(251)}.fit`;
    fs.mkdirSync(t.processed, { recursive: true });
    fs.writeFileSync(path.join(t.processed, name), 'an older file of that name');
    await t.start();
    const bytes = Buffer.from(simpleRun(day(5)));
    fs.writeFileSync(path.join(t.inbox, name), bytes);
    await t.run('filed', () => ls(path.join(t.processed, '1')).includes(name));
    await t.idle();
    expect(fs.readFileSync(path.join(t.processed, '1', name))).toEqual(bytes);
    expect(fs.readFileSync(path.join(t.processed, name), 'utf8')).toBe(
      'an older file of that name',
    );
    expect(t.store.runs.count()).toBe(1);
  });

  it('keeps short names as they were, and two long names that share a start get two notes', () => {
    expect(noteName('run.fit')).toBe('run.fit.error.txt');
    const a = noteName(`${'b'.repeat(250)}1.fit`);
    const b = noteName(`${'b'.repeat(250)}2.fit`);
    expect(a).not.toBe(b);
    for (const n of [a, b]) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(255);
  });

  it('writes a note for a 255-byte name through a short temporary name', async () => {
    const dir = tempDir('kneecheck-note-');
    const target = path.join(dir, noteName(`${'c'.repeat(251)}.fit`));
    await writeWhole(target, 'hello');
    expect(fs.readFileSync(target, 'utf8')).toBe('hello');
    expect(ls(dir)).toEqual([path.basename(target)]);
  });
});
