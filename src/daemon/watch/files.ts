import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Where a file was seen, and the small file helpers shared by the watcher's modules. */

/** Where a file was seen: the inbox, or one of the read-only sources. */
export type Origin = { kind: 'inbox' } | { kind: 'source'; root: string };

export interface Seen {
  size: number;
  mtimeMs: number;
}

export const same = (a: Seen, b: Seen) => a.size === b.size && a.mtimeMs === b.mtimeMs;
export const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function statOrNull(p: string): Promise<Stats | null> {
  try {
    return await fs.stat(p);
  } catch {
    return null;
  }
}

export const isInside = (p: string, dir: string) => p === dir || p.startsWith(dir + path.sep);

/** The folder an origin stands for (the inbox, or the source's root). */
export const rootPath = (o: Origin, inbox: string): string => (o.kind === 'inbox' ? inbox : o.root);
