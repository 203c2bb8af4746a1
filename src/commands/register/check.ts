import type { Command } from 'commander';
import type { CheckOptions } from '../check.ts';
import { withParentJson, type RunWork } from './types.ts';

/**
 * `kneecheck check [runId]` and its `delete`, `undo` and `edit` (work: ../check.ts, ../record.ts,
 * ../correct.ts).
 */
export function register(program: Command, run: RunWork): void {
  const check = program
    .command('check')
    .description(
      'record how your knees feel after a run (or the next morning), then see the advice',
    )
    .argument(
      '[runId]',
      'the run it is about (default: your latest run within 48 h; `kneecheck runs` lists ids)',
    )
    .option('--no-run', 'about your knee now, not a run (e.g. on a rest day)')
    .option(
      '--pain <0-10>',
      'pain from 0 (none) to 10 (worst imaginable), or a range as you would say it (4-5, "6 or more"); required',
    )
    .option(
      '--where <locations>',
      'where it hurts, comma-separated: front, inside, outside, back (required when pain > 0)',
    )
    .option('--knee <side>', 'which knee: left, right or both (not said when left out)')
    .option('--swelling', 'the knee is swollen')
    .option('--locking', 'the knee locks or catches')
    .option('--giving-way', 'the knee gives way')
    .option('--sharp', 'the pain is sharp or constant')
    .option('--changed-gait', 'the pain changed how you ran (limping)')
    .option('--cannot-bear-weight', 'you cannot put weight on the leg')
    .option('--hot-red-fever', 'the knee is hot and red and you have a fever or feel unwell')
    .option('--walk-ok', 'after a stop: walking is pain-free (the return test)')
    .option('--squat-ok', 'after a stop: squatting is pain-free')
    .option('--stairs-ok', 'after a stop: stairs up and down are pain-free')
    .option('--note <text>', 'anything else worth remembering')
    .option('--json', 'print {check, advice} as JSON')
    .addHelpText(
      'after',
      '\nChecks right after a run and again the next morning tell kneecheck whether the pain settles.\n' +
        'Examples:\n' +
        '  kneecheck check --pain 0\n' +
        '  kneecheck check --pain 2 --where front --knee left --note "stairs hurt a bit"\n' +
        '  kneecheck check --no-run --pain 1 --where front   (a rest-day check)\n' +
        '  kneecheck check --no-run --pain 0 --walk-ok --squat-ok --stairs-ok   (after a stop)\n' +
        '  kneecheck check fit:1a2b3c4d5e6f --pain 4 --where outside,front --sharp',
    )
    .action((runId: string | undefined, opts: CheckOptions) =>
      run(async (ctx) => (await import('../check.ts')).checkCommand(runId, opts, ctx)),
    );
  const withJson = withParentJson(check);
  check
    .command('delete')
    .description(
      'delete a check entered by mistake (its red flags stop at once; undo within 30 days)',
    )
    .argument('<id>', 'the check id (`kneecheck checks` lists them)')
    .option('--json', 'print {check, advice} as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      run(async (ctx) =>
        (await import('../record.ts')).checkDeleteCommand(id, withJson(opts), ctx),
      ),
    );
  check
    .command('undo')
    .description('bring back the last deleted check')
    .option('--json', 'print {check, advice} as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('../record.ts')).checkUndoCommand(withJson(opts), ctx)),
    );
  const edit = check
    .command('edit')
    .description('correct a check: changes only the answers given (`kneecheck checks` lists ids)')
    .argument('<id>', 'the check id (`kneecheck checks` lists them)')
    .option('--pain <0-10>', 'pain from 0 (none) to 10 (worst imaginable)')
    .option('--where <locations>', 'where it hurts, comma-separated: front, inside, outside, back')
    .option('--knee <side>', 'which knee: left, right or both')
    .option('--note <text>', 'the note ("" removes it)')
    .option('--json', 'print {check, advice} as JSON');
  for (const [flag, what] of [
    ['swelling', 'swollen'],
    ['locking', 'locks or catches'],
    ['giving-way', 'gives way'],
    ['sharp', 'sharp or constant pain'],
    ['changed-gait', 'changed how you ran'],
    ['cannot-bear-weight', 'cannot put weight on the leg'],
    ['hot-red-fever', 'hot and red, with a fever'],
    ['walk-ok', 'walking is pain-free'],
    ['squat-ok', 'squatting is pain-free'],
    ['stairs-ok', 'stairs are pain-free'],
  ] as const) {
    edit.option(`--${flag}`, `yes: ${what}`).option(`--no-${flag}`, `no: not ${what}`);
  }
  edit
    .addHelpText(
      'after',
      '\nExamples:\n  kneecheck check edit 12 --pain 3 --knee left\n  kneecheck check edit 12 --no-swelling',
    )
    .action((id: string, opts: CheckOptions) => {
      // commander gives the options `check` has too (--pain, --where, --knee, …) to `check`.
      const given: CheckOptions = { ...check.opts<CheckOptions>(), ...opts };
      delete given.run;
      return run(async (ctx) =>
        (await import('../correct.ts')).checkEditCommand(id, withJson(given), ctx),
      );
    });
}
