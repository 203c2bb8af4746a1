import type { Dirent } from 'node:fs';
import fsSync, { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type yauzl from 'yauzl';
import {
  readAppleExport,
  type AppleExportResult,
  type AppleExportSource,
  type ByteProgress,
} from '../../importers/apple-health.ts';
import type { ImportContext } from '../../importers/types.ts';
import { InputRefused, MAX_FIT_BYTES, megabytes, notRegularText } from './bounded.ts';
import type { InputItem } from './types.ts';

/*
 * Where an Apple Health export enters the import pipeline: the Health app's export.zip (its
 * `apple_health_export/export.xml` streamed from the archive), the unzipped `apple_health_export/`
 * folder, or a bare export.xml. Each is one input item whose runs the importer streams out
 * (importers/apple-health.ts); its route files are read by that item, never listed as files.
 */

/** The name of the export's main file. */
const EXPORT_XML = /^export\.xml$/i;
/** The export's other files, read (routes) or left alone (the clinical-records copy) by the item. */
const EXPORT_SIBLINGS = /^(export_cda\.xml|workout-routes)$/i;
/**
 * A zip member or file that may be an export: `apple_health_export/export.xml`, or any other XML
 * file (its root element decides; the clinical-records copy export_cda.xml is not one).
 */
const XML_FILE = /^(?:(.*\/))?(?!export_cda\.xml$)[^/]+\.xml$/i;
/** A zip member that is one of an export's route files. */
const ZIP_ROUTE = /(?:^|\/)workout-routes\/[^/]+\.gpx$/i;

/** Largest export.xml read: far above any real export (often 1–3 GB), it is streamed, never held. */
export const MAX_APPLE_EXPORT_BYTES = 64 * 1024 * 1024 * 1024;

/** An input item that is an Apple Health export (the importer asks for its scratch folder itself). */
export interface AppleItem {
  file: string;
  kind: 'apple-health';
  source: Omit<AppleExportSource, 'scratchDir'>;
  /** export.xml on disk (its size and mtime go into the import memo), null inside a zip. */
  path: string | null;
  /** Named export.xml: anything else is an export only when its root says so (else skipped). */
  byName: boolean;
}

/** Whether `file` may be an Apple Health export.xml (any `.xml` but export_cda.xml; content decides). */
export const isAppleCandidate = (file: string): boolean => XML_FILE.test(path.basename(file));

/** A route file's path from a `FileReference` (`/workout-routes/route_….gpx`), kept inside `root`. */
function routeUnder(root: string, ref: string): string | null {
  const rel = path.normalize(ref.replace(/^[/\\]+/, ''));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return path.join(root, rel);
}

/** A route file's text, at most {@link MAX_FIT_BYTES} (a route of a day is a few MB). */
async function readText(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const c = chunk as Buffer;
    size += c.length;
    if (size > MAX_FIT_BYTES) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new InputRefused(`route file larger than ${megabytes(MAX_FIT_BYTES)}`);
    }
    parts.push(c);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** export.xml on disk (given by name, or found in an `apple_health_export/` folder). */
export function appleFileItem(full: string, shown: string): AppleItem {
  const root = path.dirname(full);
  return {
    file: shown,
    kind: 'apple-health',
    path: full,
    byName: EXPORT_XML.test(path.basename(full)),
    source: {
      size: fsSync.statSync(full, { throwIfNoEntry: false })?.size ?? null,
      open: async () => {
        const fh = await fs.open(full, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
        const st = await fh.stat();
        if (!st.isFile()) {
          await fh.close();
          throw new InputRefused(notRegularText(st, false));
        }
        // 64 KB reads: larger chunks only raise the peak memory (1 MB ones: +40 MB on 80 MB).
        return fh.createReadStream({ highWaterMark: 1 << 16 });
      },
      route: async (ref) => {
        const file = routeUnder(root, ref);
        if (file === null) return null;
        try {
          const st = await fs.stat(file);
          if (!st.isFile()) return null;
          return await readText(fsSync.createReadStream(file));
        } catch {
          return null;
        }
      },
    },
  };
}

/**
 * A folder holding export.xml is an Apple export: its export.xml becomes one item, and its route
 * folder and clinical copy are not walked. Returns the entries left to walk as usual.
 */
export function appleInFolder(
  dir: string,
  label: string,
  entries: Dirent[],
  items: InputItem[],
): Dirent[] {
  const xml = entries.find((e) => e.isFile() && EXPORT_XML.test(e.name));
  if (!xml) return entries;
  items.push(appleFileItem(path.join(dir, xml.name), path.join(label, xml.name)));
  return entries.filter((e) => e !== xml && !EXPORT_SIBLINGS.test(e.name));
}

/** Each archive's route members by name (an export's routes may be listed before its export.xml). */
const routesOf = new WeakMap<yauzl.ZipFile, Map<string, yauzl.Entry>>();

/**
 * A zip member that belongs to an Apple export: export.xml becomes one item (streamed from the
 * archive, not bound by the per-file cap: it is never held whole), a route file is kept aside for
 * it. Returns true when the member was taken.
 */
export function appleMember(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  name: string,
  file: string,
  items: InputItem[],
): boolean {
  let routes = routesOf.get(zip);
  if (!routes) routesOf.set(zip, (routes = new Map()));
  if (ZIP_ROUTE.test(name)) {
    routes.set(name, entry);
    return true;
  }
  const m = XML_FILE.exec(name);
  if (!m) return false;
  if (entry.uncompressedSize > MAX_APPLE_EXPORT_BYTES) {
    items.push({
      file,
      kind: 'failed',
      error: `refused: export.xml is larger than ${megabytes(MAX_APPLE_EXPORT_BYTES)}`,
    });
    return true;
  }
  const prefix = m[1] ?? '';
  const byName = routes;
  items.push({
    file,
    kind: 'apple-health',
    path: null,
    byName: EXPORT_XML.test(path.posix.basename(name)),
    source: {
      size: entry.uncompressedSize,
      open: () => zip.openReadStreamPromise(entry),
      route: async (ref) => {
        const member = byName.get(prefix + ref.replace(/^\/+/, ''));
        if (!member || member.uncompressedSize > MAX_FIT_BYTES) return null;
        try {
          const stream = await zip.openReadStreamPromise(member);
          return await readText(stream);
        } catch {
          return null;
        }
      },
    },
  });
  return true;
}

/** An export read: the importer's result, and for one on disk its path, size and mtime then. */
export interface AppleRead extends AppleExportResult {
  seen?: { path: string; size: number; mtimeMs: number };
}

/** Streams an export through the importer, with a private scratch folder removed afterwards. */
export async function readAppleItem(
  item: AppleItem,
  ctx: ImportContext,
  onBytes?: ByteProgress,
): Promise<AppleRead> {
  let scratch: string | null = null;
  const before = item.path === null ? null : await fs.stat(item.path).catch(() => null);
  try {
    const result = await readAppleExport(
      {
        ...item.source,
        scratchDir: () =>
          (scratch ??= fsSync.mkdtempSync(path.join(os.tmpdir(), 'kneecheck-apple-'))),
      },
      ctx,
      onBytes,
    );
    if (result.notAnExport !== null && !item.byName) {
      const reason = `not an Apple Health export (its root element is <${result.notAnExport}>)`;
      result.outcome = { kind: 'skipped', reason };
    }
    if (item.path === null || !before) return result;
    const seen = { path: path.resolve(item.path), size: before.size, mtimeMs: before.mtimeMs };
    return { ...result, seen };
  } finally {
    if (scratch) fsSync.rmSync(scratch, { recursive: true, force: true });
  }
}
