// Entry of the answers bundle (dist/quick/answers.cjs, scripts/bundle.js): `kneecheck advice` and
// `kneecheck report`, alone or with --json, the commands cron and scripts run most, in one file
// with the modules they need and nothing else (one file loads in ~5 ms less than the ~20 chunks
// of the code-split bundle). bin/kneecheck.js starts here only for those command lines; they run
// exactly as src/cli.ts runs them (the same functions, settings and error handling).
import './node-floor.ts';
import { adviceCommand } from './commands/advice.ts';
import { contextFor } from './commands/context.ts';
import { quickLine } from './commands/quick.ts';
import { reportCommand } from './commands/report.ts';
import { EXIT, failed } from './errors.ts';
import { stdio } from './stdio.ts';

function answer(args: readonly string[]): number {
  // Written directly when a pipe or a file, without constructing process.stdout (src/stdio.ts).
  const stderr = stdio(2);
  const line = quickLine(args);
  if (line === null || line.command === 'import') {
    stderr.write(
      `kneecheck: this file answers only \`advice\` and \`report\` [--json]; run bin/kneecheck.js ${args.join(' ')}\n`,
    );
    return EXIT.usage;
  }
  try {
    const ctx = contextFor({});
    const opts = line.json ? { json: true } : {};
    return line.command === 'advice' ? adviceCommand(opts, ctx) : reportCommand(opts, ctx);
  } catch (e) {
    return failed(e, stderr);
  }
}

process.exitCode = answer(process.argv.slice(2));
