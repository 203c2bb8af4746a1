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

const cache = new Map<string, { body: string; type: string }>();

/** An asset's text and content type, read once; null for a name not in the table. */
export function readAsset(name: string): { body: string; type: string } | null {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return null;
  let hit = cache.get(name);
  if (!hit) {
    hit = { body: fs.readFileSync(asset.file(), 'utf8'), type: asset.type };
    cache.set(name, hit);
  }
  return hit;
}
