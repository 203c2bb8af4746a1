// The CLI entry's first import, so it is evaluated before any other module: on a Node older than
// kneecheck's floor it stops with one line before a dependency is evaluated (better-sqlite3's
// native addon crashes Node 20 with a segmentation fault). On a recent Node it turns on Node's
// module compile cache, so the modules evaluated after it start from cached code.
import module from 'node:module';

/** The oldest Node kneecheck runs on, [major, minor] (the same as scripts/node24.js). */
export const NODE_FLOOR = [22, 22] as const;

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < NODE_FLOOR[0] || (major === NODE_FLOOR[0] && minor < NODE_FLOOR[1])) {
  process.stderr.write(
    `kneecheck: needs Node.js ${NODE_FLOOR.join('.')} or newer, this is ${process.version} ` +
      `(${process.execPath}); run \`kneecheck\` (on the PATH after \`npm link\`) or ` +
      '`npm start -- <command>` instead: both bring a Node 24 along (README, "Set up and run").\n',
  );
  process.exit(2);
}
module.enableCompileCache?.();
