/**
 * Imports the given paths into a fresh store in this process and prints the report and the
 * process's peak resident memory, for tests that measure what an import costs
 * (`node test/support/import-child.ts <dataDir> <path...>`).
 */
import { importPaths } from '../../src/import/pipeline.ts';
import { Store } from '../../src/store/index.ts';

const [dataDir, ...paths] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: import-child.ts <dataDir> <path...>');
const store = Store.open(dataDir);
const report = await importPaths(paths, {
  store,
  ctx: { timezone: 'Europe/Berlin' },
  now: () => '2026-11-25T12:00:00.000Z',
});
store.close();
// resourceUsage().maxRSS is in kilobytes.
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(JSON.stringify({ report, peakRssMb }));
