import fs, { type FSWatcher, type Stats } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../log.ts';
import { errText, statOrNull } from './files.ts';

/** Is `p` itself a symbolic link? */
const isLink = (p: string): boolean => {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};

/** What {@link watchTree} tells its caller. */
export interface TreeEvents {
  /** Paths under the root that are never looked at (nor their subfolders). */
  ignored: (abs: string) => boolean;
  /**
   * A file (or a FIFO, a device…: anything that is not a folder) appeared or changed, or was found
   * by the scan at start. Called once per turn of the event loop that had events on the path,
   * with a fresh stat. `link`: the linked folder (a symbolic link to a folder, or a folder of
   * another disk mounted in the tree) the file was found through, or null: such a folder is not
   * the tree's own (issue 21 item 3), so its files are for reading only, never for moving.
   */
  onFile: (abs: string, st: Stats, link: string | null) => void;
  /**
   * The root folder is gone (removed, or moved away: its watch would follow it elsewhere). Called
   * before the root is looked for again, so that it can be made anew; a root that is there
   * afterwards is watched and scanned.
   */
  onRootGone: () => void;
  log: Logger;
}

/** A watched folder tree: {@link close} stops every watch. */
export interface TreeWatch {
  close(): void;
}

/**
 * Watches a folder and its subfolders with one native watch (inotify) per folder, and scans them
 * once at start (before it returns).
 *
 * Made for the inbox, where every file is moved away once read: unlike a general watcher it keeps
 * no watch per file and no tree of what it saw. The events of one turn of the event loop are
 * folded together and each path they name is stat'ed once: a file written in a hundred chunks
 * costs a stat per turn it was written in, and a file moved away one stat that finds nothing.
 *
 * A folder that appears is scanned and watched; one that goes away is forgotten. An event without
 * a name (the kernel dropped some) rescans the folder it came from. After events on the root, the
 * root is stat'ed once: when it is gone or another folder, {@link TreeEvents.onRootGone} is told
 * and the root is watched anew.
 */
export function watchTree(root: string, ev: TreeEvents): TreeWatch {
  const watches = new Map<string, { w: FSWatcher; id: string; link: string | null }>();
  /** The folders watched, by device and inode: a link back up the tree is not followed again. */
  const ids = new Set<string>();
  const dirty = new Set<string>();
  const rescans = new Set<string>();
  let flushing = false;
  let closed = false;
  /** The device of the root folder: a folder of the tree on another one is not the tree's own. */
  let rootDev = statOrNull(root)?.dev ?? -1;
  /** The root's own watch had events this turn: is it still the root? */
  let rootEvents = false;

  /** The root removed or moved away: told, forgotten, and looked for again. */
  const checkRoot = () => {
    const st = statOrNull(root);
    const watched = watches.get(root);
    if (st?.isDirectory() && watched?.id === `${st.dev}:${st.ino}`) return;
    forget(root);
    ev.onRootGone();
    scan(root);
  };

  const flush = () => {
    flushing = false;
    if (closed) return;
    if (rootEvents) {
      rootEvents = false;
      checkRoot();
    }
    const dirs = [...rescans];
    rescans.clear();
    for (const d of dirs) scan(d, undefined, watches.get(d)?.link ?? null);
    const paths = [...dirty];
    dirty.clear();
    for (const p of paths) look(p, watches.get(path.dirname(p))?.link ?? null);
  };
  const later = () => {
    if (flushing) return;
    flushing = true;
    setImmediate(flush);
  };

  /**
   * One path named by an event, or found by a scan; `link`: the linked folder it is in (see
   * {@link TreeEvents.onFile}), or null.
   */
  const look = (abs: string, link: string | null) => {
    if (ev.ignored(abs)) return;
    const st = statOrNull(abs);
    if (!st) {
      forget(abs);
      return;
    }
    if (st.isDirectory()) {
      // A link to a folder (a watch's folder, a synced folder dropped in as a link) is read
      // through, as a read-only source: what is in it stays where it is.
      // So is a folder of another disk (a watch or a share mounted inside the inbox): moving
      // from it would copy and delete.
      const linked = link ?? (isLink(abs) || st.dev !== rootDev ? abs : null);
      // A folder named by an event was made, removed, moved or changed: watched anew, since the
      // one watched under this name may be gone (removed and made again, even with the same
      // inode number). Such events are rare; files are the inbox's traffic.
      forget(abs);
      if (!ids.has(`${st.dev}:${st.ino}`)) scan(abs, st, linked);
      return;
    }
    ev.onFile(abs, st, link);
  };

  /** Closes the watches of a folder that went away, and of its subfolders. */
  const forget = (abs: string) => {
    for (const [dir, { w, id }] of watches) {
      if (dir === abs || dir.startsWith(abs + path.sep)) {
        w.close();
        watches.delete(dir);
        ids.delete(id);
      }
    }
  };

  /** Watches a folder (first, so nothing written meanwhile is missed), then looks at what is in it. */
  const scan = (dir: string, st = statOrNull(dir), link: string | null = null) => {
    if (closed || !st) return;
    if (dir === root) rootDev = st.dev;
    if (!watches.has(dir)) {
      try {
        const w = fs.watch(dir, { persistent: true }, (_type, name) => {
          if (closed) return;
          if (dir === root) rootEvents = true;
          if (name === null) rescans.add(dir);
          else dirty.add(path.join(dir, name.toString()));
          later();
        });
        w.on('error', (e) => {
          // The folder went away (or the watch broke): forget it; its parent's event says more.
          ev.log.debug('folder watch ended', { folder: dir, error: errText(e) });
          forget(dir);
          if (dir === root) {
            rootEvents = true;
            later();
          }
        });
        const id = `${st.dev}:${st.ino}`;
        watches.set(dir, { w, id, link });
        ids.add(id);
      } catch (e) {
        ev.log.warn('cannot watch folder', { folder: dir, error: errText(e) });
        return;
      }
    }
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (e) {
      ev.log.warn('cannot read folder', { folder: dir, error: errText(e) });
      return;
    }
    for (const name of names) look(path.join(dir, name), link);
  };

  scan(root);
  return {
    close() {
      closed = true;
      for (const { w } of watches.values()) w.close();
      watches.clear();
      ids.clear();
      dirty.clear();
      rescans.clear();
    },
  };
}
