import fs, { type Stats } from 'node:fs';
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

/**
 * A file's stat, or null when it is not there (or cannot be looked at). Synchronous: the watcher
 * stats each file a few times on its way (seen, read, filed away), in local folders, and a
 * thread-pool round trip per stat costs several times the stat itself.
 */
export function statOrNull(p: string): Stats | null {
  try {
    return fs.statSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null; // EACCES, ELOOP…: as if not there
  }
}

export const isInside = (p: string, dir: string) => p === dir || p.startsWith(dir + path.sep);

/** The folder an origin stands for (the inbox, or the source's root). */
export const rootPath = (o: Origin, inbox: string): string => (o.kind === 'inbox' ? inbox : o.root);

/**
 * Is one of the folders between `root` and `file` a symbolic link (`file` itself is not looked
 * at)? Such a file is in a folder the inbox does not own: read, never moved. One lstat per
 * folder below `root`.
 */
export function throughLink(root: string, file: string): boolean {
  const rel = path.relative(root, path.dirname(file));
  if (rel === '' || rel.startsWith('..')) return false;
  let at = root;
  for (const part of rel.split(path.sep)) {
    at = path.join(at, part);
    try {
      if (fs.lstatSync(at).isSymbolicLink()) return true;
    } catch {
      return true; // gone or unreadable meanwhile: not moved
    }
  }
  return false;
}
