import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** End-to-end tests run the built CLI (dist/), so build it once before the suite. */
export default function setup(): void {
  // Parallel work on one checkout: KNEECHECK_SKIP_BUILD=1 uses the dist/ already built.
  if (process.env.KNEECHECK_SKIP_BUILD === '1') return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  // The bundle `kneecheck advice` and `report` start from (bin/kneecheck.js), as `npm run build`.
  execFileSync(process.execPath, ['scripts/bundle.js'], { stdio: 'inherit' });
}
