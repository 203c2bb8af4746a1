// `npm start` runs the daemon; `npm start -- <command>` runs any other command (DESIGN §4).
// package.json runs this through scripts/node24.js, so it is on Node >= 22.22 even where the
// machine's Node is older; node-floor.ts stops with one line if it is started on an old Node anyway.
import './node-floor.ts';

if (process.argv.length <= 2) process.argv.push('start');
await import('./cli.ts');
