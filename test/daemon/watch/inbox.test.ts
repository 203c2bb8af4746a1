import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TEMP_NAME,
  errorNote,
  moveNoClobber,
  withSuffix,
} from '../../../src/daemon/watch/inbox.ts';
import { tempDir } from '../../support/paths.ts';

describe('inbox helpers', () => {
  it('adds numeric suffixes before the extension', () => {
    expect(withSuffix('run.fit', 0)).toBe('run.fit');
    expect(withSuffix('run.fit', 2)).toBe('run-2.fit');
    expect(withSuffix('run.FIT.gz', 1)).toBe('run-1.FIT.gz');
    expect(withSuffix('export.zip', 3)).toBe('export-3.zip');
    expect(withSuffix('notes', 1)).toBe('notes-1');
  });

  it('recognises copy-tool temp files', () => {
    for (const n of [
      'a.fit.part',
      'a.fit.crdownload',
      'a.fit.tmp',
      'a.fit~',
      '~$a.fit',
      'a.filepart',
    ]) {
      expect(TEMP_NAME.test(n), n).toBe(true);
    }
    for (const n of ['a.fit', 'a.fit.gz', 'partial-run.fit', 'tmp.fit']) {
      expect(TEMP_NAME.test(n), n).toBe(false);
    }
  });

  it('moves without ever overwriting, keeping the bytes', async () => {
    const dir = tempDir();
    const dest = path.join(dir, 'processed');
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, 'a.fit'), 'first');
    fs.writeFileSync(path.join(dest, 'a-1.fit.error.txt'), 'a note without its file');
    fs.writeFileSync(path.join(dir, 'a.fit'), 'second');
    const moved = moveNoClobber(path.join(dir, 'a.fit'), dest, 'a.fit');
    expect(path.basename(moved)).toBe('a-2.fit');
    expect(fs.readFileSync(moved, 'utf8')).toBe('second');
    expect(fs.readFileSync(path.join(dest, 'a.fit'), 'utf8')).toBe('first');
    expect(fs.existsSync(path.join(dir, 'a.fit'))).toBe(false);
  });

  it('writes a note that names the file, the time, the problem and what to do', () => {
    const note = errorNote({
      file: 'x.fit',
      time: new Date('2026-11-25T08:00:00Z'),
      problems: ['empty file (0 bytes)'],
      inbox: '/in',
      movedTo: '/in/failed/x.fit',
    });
    expect(note).toContain(
      'File: x.fit\nTime: 2026-11-25T08:00:00.000Z\nProblem: empty file (0 bytes)',
    );
    expect(note).toMatch(/What you can do: The file is empty/);
    expect(note).toMatch(/drop a good copy into \/in/);
  });
});
