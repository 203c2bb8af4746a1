import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { ImportOptions } from '../../src/import/pipeline.ts';
import { Store } from '../../src/store/index.ts';
import { tempDir } from './paths.ts';

/** The import pipeline's clock in these tests: after every generated run. */
export const IMPORT_NOW = '2026-11-25T12:00:00.000Z';

/**
 * A fresh store per test (closed after each) with the import options of the pipeline tests:
 * Berlin time, a fixed clock. Call at the top level of a test file.
 */
export function importStores(): () => { store: Store; opts: ImportOptions; dir: string } {
  const stores: Store[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
  });
  return () => {
    const store = Store.open(tempDir());
    stores.push(store);
    const opts: ImportOptions = {
      store,
      ctx: { timezone: 'Europe/Berlin' },
      now: () => IMPORT_NOW,
    };
    return { store, opts, dir: tempDir() };
  };
}

/** Writes bytes to a file, making its folder; returns the path. */
export function writeFile(file: string, bytes: Uint8Array): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}
