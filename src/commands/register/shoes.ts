import type { Command } from 'commander';
import { withParentJson, type RunWork } from './types.ts';

/** `kneecheck shoes` and its `add`, `default`, `assign` and `replace-at` (work: ../shoes.ts). */
export function register(program: Command, run: RunWork): void {
  const shoes = program
    .command('shoes')
    .description('your running shoes and the distance on each pair')
    .option('--json', 'print {shoes:[…], replaceAtKm} as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../shoes.ts')).shoesCommand(opts, ctx)),
    );
  const withJson = withParentJson(shoes);
  shoes
    .command('add')
    .description('add a pair')
    .argument('<name>', 'what you call the pair, e.g. "blue Pegasus"')
    .option('--since <date>', 'the first day you ran in them (default: today)')
    .option('--default', 'new runs get this pair')
    .option('--json', 'print the pair as JSON')
    .action((name: string, opts: { since?: string; default?: boolean; json?: boolean }) =>
      run(async (ctx) => (await import('../shoes.ts')).shoesAddCommand(name, withJson(opts), ctx)),
    );
  shoes
    .command('default')
    .description('the pair new runs get (none: no pair)')
    .argument('<id>', 'a pair id from `kneecheck shoes`, or none')
    .option('--json', 'print the shoes as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      run(async (ctx) =>
        (await import('../shoes.ts')).shoesDefaultCommand(id, withJson(opts), ctx),
      ),
    );
  shoes
    .command('assign')
    .description('the pair a run was run in (none: no pair)')
    .argument('<runId>', 'a run id from `kneecheck runs`')
    .argument('<id>', 'a pair id from `kneecheck shoes`, or none')
    .option('--json', 'print {runId, shoe} as JSON')
    .action((runId: string, id: string, opts: { json?: boolean }) =>
      run(async (ctx) =>
        (await import('../shoes.ts')).shoesAssignCommand(runId, id, withJson(opts), ctx),
      ),
    );
  shoes
    .command('replace-at')
    .description(
      "the distance from which kneecheck suggests a new pair (default 700 km: kneecheck's own rule of thumb)",
    )
    .argument('<km>', 'kilometres, 50 to 5000')
    .option('--json', 'print the shoes as JSON')
    .action((km: string, opts: { json?: boolean }) =>
      run(async (ctx) =>
        (await import('../shoes.ts')).shoesReplaceAtCommand(km, withJson(opts), ctx),
      ),
    );
}
