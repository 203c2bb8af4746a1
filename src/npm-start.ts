// `npm start` runs the daemon; `npm start -- <command>` runs any other command (DESIGN §4).
if (process.argv.length <= 2) process.argv.push('start');
await import('./cli.ts');
