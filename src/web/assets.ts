import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The folder holding package.json above this module (the project root, from src/ or dist/). */
export function packageRoot(from = here): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`kneecheck web: no package.json above ${from}`);
    dir = up;
  }
}

/**
 * The folder of the app's own CSS and JS: beside this module when the build copied it there,
 * else `src/web/assets` under the package root (tsc does not copy non-TS files to dist/).
 */
export function assetDir(): string {
  const beside = path.join(here, 'assets');
  if (fs.existsSync(path.join(beside, 'app.css'))) return beside;
  return path.join(packageRoot(), 'src', 'web', 'assets');
}

interface Asset {
  file: () => string;
  type: string;
}

const require = createRequire(import.meta.url);
const own = (name: string) => () => path.join(assetDir(), name);

/** Every file served under /assets/: a fixed table, so no request can name another file. */
const ASSETS: Record<string, Asset> = {
  'app.css': { file: own('app.css'), type: 'text/css; charset=utf-8' },
  'app.js': { file: own('app.js'), type: 'text/javascript; charset=utf-8' },
  'summary.css': { file: own('summary.css'), type: 'text/css; charset=utf-8' },
  'upload.js': { file: own('upload.js'), type: 'text/javascript; charset=utf-8' },
  'uplot.js': {
    file: () => require.resolve('uplot/dist/uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'uplot.css': {
    file: () => require.resolve('uplot/dist/uPlot.min.css'),
    type: 'text/css; charset=utf-8',
  },
};

/** An asset as served: its text, type, and a validator naming its content. */
export interface ServedAsset {
  body: string;
  type: string;
  /** The first 16 hex digits of the body's sha256: the `?v=` of its URL and its ETag. */
  hash: string;
}

const cache = new Map<string, ServedAsset>();

/** An asset's text, content type and content hash, read once; null for a name not in the table. */
export function readAsset(name: string): ServedAsset | null {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return null;
  let hit = cache.get(name);
  if (!hit) {
    const body = fs.readFileSync(asset.file(), 'utf8');
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    hit = { body, type: asset.type, hash };
    cache.set(name, hit);
  }
  return hit;
}

/**
 * The address of an asset with its content hash (`/assets/app.css?v=1a2b…`): such an address
 * names one content for ever, so it is served as immutable and a repeat view fetches nothing;
 * a new version of the file gets a new address.
 */
export function assetUrl(name: string): string {
  const asset = readAsset(name);
  return asset ? `/assets/${name}?v=${asset.hash}` : `/assets/${name}`;
}
