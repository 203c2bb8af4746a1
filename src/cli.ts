#!/usr/bin/env node
// First: on a Node older than 22.22 this stops with one line before any dependency is evaluated.
import './node-floor.ts';
import { Argument, Command, CommanderError, Option } from 'commander';
import type { Settings } from './config/index.ts';
import { EXIT, KneecheckError } from './errors.ts';
import type { CommandContext } from './commands/context.ts';
import type { CheckOptions } from './commands/check.ts';
import { BOUNDS, boundedInt } from './commands/bounds.ts';
import { DEFAULT_WEEKS, cronLine, defaultDemoDir } from './commands/defaults.ts';

const VERSION = '0.1.0';

/** Builds the command line; `run` receives each command's work and returns its exit code. */
export function buildProgram(
  run: (work: (ctx: CommandContext) => Promise<number> | number) => Promise<void>,
): Command {
  const program = new Command('kneecheck')
    .description(
      'A local-first companion for new runners whose knees hurt: imports runs, watches load and ' +
        'stride, asks about the knees, and explains its advice. Guidance, not diagnosis.',
    )
    .version(VERSION)
    .option('--data-dir <dir>', 'where the database lives (KNEECHECK_DATA_DIR)')
    .option(
      '--timezone <zone>',
      'your IANA time zone for weeks and files without one (KNEECHECK_TIMEZONE)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('import')
    .description(
      'import runs from FIT files, folders (recursively), .fit.gz files and .zip exports',
    )
    .argument('<path...>', 'files, folders or archives')
    .option('--json', 'print {imported, duplicates, skipped, failed} as JSON')
    .addOption(
      new Option('--workers <n>', 'decoder threads (default: one per core for 8 files or more)')
        .argParser(boundedInt(BOUNDS.workers))
        .hideHelp(),
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 all good, 1 some files failed (the others were still imported), 2 usage or config error.\n' +
        'Examples:\n  kneecheck import ~/Downloads/run.fit\n  kneecheck import /media/GARMIN/GARMIN/Activity\n  kneecheck import export.zip --json',
    )
    .action((paths: string[], opts: { json?: boolean; workers?: number }) =>
      run(async (ctx) => (await import('./commands/import.ts')).importCommand(paths, opts, ctx)),
    );

  program
    .command('runs')
    .description('list stored runs, newest first')
    .option('--since <date>', 'only runs on or after this date (e.g. 2026-11-01)')
    .option('--limit <n>', `at most this many runs (1 to ${BOUNDS.limit.max})`)
    .option('--json', 'print the runs as JSON (DESIGN §3 fields, null when unknown)')
    .action((opts: { json?: boolean; since?: string; limit?: string }) =>
      run(async (ctx) => (await import('./commands/runs.ts')).runsCommand(opts, ctx)),
    );

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
    .option('--pain <0-10>', 'pain from 0 (none) to 10 (worst imaginable); required')
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
    .option('--note <text>', 'anything else worth remembering')
    .option('--json', 'print {check, advice} as JSON')
    .addHelpText(
      'after',
      '\nChecks right after a run and again the next morning tell kneecheck whether the pain settles.\n' +
        'Examples:\n' +
        '  kneecheck check --pain 0\n' +
        '  kneecheck check --pain 2 --where front --knee left --note "stairs hurt a bit"\n' +
        '  kneecheck check --no-run --pain 1 --where front   (a rest-day check)\n' +
        '  kneecheck check fit:1a2b3c4d5e6f --pain 4 --where outside,front --sharp',
    )
    .action((runId: string | undefined, opts: CheckOptions) =>
      run(async (ctx) => (await import('./commands/check.ts')).checkCommand(runId, opts, ctx)),
    );
  // commander hands `--json` after a subcommand (`check delete 3 --json`) to `check` itself,
  // which has a --json of its own: the subcommands read either.
  const withJson = <T extends { json?: boolean }>(opts: T): T => ({
    ...opts,
    json: opts.json === true || check.opts<{ json?: boolean }>().json === true,
  });
  check
    .command('delete')
    .description(
      'delete a check entered by mistake (its red flags stop at once; undo within 30 days)',
    )
    .argument('<id>', 'the check id (`kneecheck checks` lists them)')
    .option('--json', 'print {check, advice} as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      run(async (ctx) =>
        (await import('./commands/record.ts')).checkDeleteCommand(id, withJson(opts), ctx),
      ),
    );
  check
    .command('undo')
    .description('bring back the last deleted check')
    .option('--json', 'print {check, advice} as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) =>
        (await import('./commands/record.ts')).checkUndoCommand(withJson(opts), ctx),
      ),
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
        (await import('./commands/correct.ts')).checkEditCommand(id, withJson(given), ctx),
      );
    });

  const runCmd = program
    .command('run')
    .description('keep a run out of every metric, or count it again (it stays listed)');
  for (const exclude of [true, false]) {
    const sub = runCmd
      .command(exclude ? 'exclude' : 'include')
      .description(
        exclude
          ? 'keep a run out of every metric (a watch clock never set, a heart-rate strap file)'
          : 'count a run again that was left out (by you, or by kneecheck)',
      )
      .argument('<id>', 'the run id (`kneecheck runs` lists them)');
    if (exclude) sub.option('--reason <text>', 'why, in your words (shown beside the run)');
    sub
      .option('--json', 'print the run as JSON')
      .action((id: string, opts: { reason?: string; json?: boolean }) =>
        run(async (ctx) =>
          (await import('./commands/correct.ts')).runExcludeCommand(id, exclude, opts, ctx),
        ),
      );
  }

  program
    .command('checks')
    .description('list your knee checks, oldest first, with their ids')
    .option('--since <date>', 'only checks made on or after this date (e.g. 2026-11-01)')
    .option('--json', 'print the checks as JSON')
    .action((opts: { since?: string; json?: boolean }) =>
      run(async (ctx) => (await import('./commands/record.ts')).checksCommand(opts, ctx)),
    );

  program
    .command('cleared')
    .description(
      'record that a clinician has seen your knee: red flags reported before now stop holding the advice',
    )
    .option('--note <text>', 'what the clinician said, for your record')
    .option('--json', 'print {clearance, advice} as JSON')
    .addHelpText(
      'after',
      '\nA red flag (swelling, locking, giving way, pain for more than a week, pain rising at rest)\n' +
        'keeps the advice at "see a clinician" until you record the visit here.\n' +
        'Example:\n  kneecheck cleared --note "physio: patellofemoral pain, fine to run short and easy"',
    )
    .action((opts: { note?: string; json?: boolean }) =>
      run(async (ctx) => (await import('./commands/record.ts')).clearedCommand(opts, ctx)),
    );

  program
    .command('sources')
    .description('the research and guidance behind every piece of advice, with links')
    .option('--json', 'print the source list as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('./commands/record.ts')).sourcesCommand(opts, ctx)),
    );

  program
    .command('export')
    .description(
      'write runs.csv, checks.csv, kneecheck.json (everything) and summary.html (a printable page for your physiotherapist)',
    )
    .option('--out <dir>', 'the folder to write into (default: ./kneecheck-export-<date>)')
    .option('--json', 'print {files:[…]} as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  kneecheck export\n  kneecheck export --out ~/Desktop/for-physio',
    )
    .action((opts: { out?: string; json?: boolean }) =>
      run(async (ctx) => (await import('./commands/export.ts')).exportCommand(opts, ctx)),
    );

  const shoes = program
    .command('shoes')
    .description('your running shoes and the distance on each pair')
    .option('--json', 'print {shoes:[…], replaceAtKm} as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('./commands/shoes.ts')).shoesCommand(opts, ctx)),
    );
  // `shoes add x --json`: commander hands --json to `shoes` itself, so each subcommand reads both.
  const shoesJson = <T extends { json?: boolean }>(opts: T): T => ({
    ...opts,
    json: opts.json === true || (shoes.opts() as { json?: boolean }).json === true,
  });
  shoes
    .command('add')
    .description('add a pair')
    .argument('<name>', 'what you call the pair, e.g. "blue Pegasus"')
    .option('--since <date>', 'the first day you ran in them (default: today)')
    .option('--default', 'new runs get this pair')
    .option('--json', 'print the pair as JSON')
    .action((name: string, opts: { since?: string; default?: boolean; json?: boolean }) =>
      run(async (ctx) =>
        (await import('./commands/shoes.ts')).shoesAddCommand(name, shoesJson(opts), ctx),
      ),
    );
  shoes
    .command('default')
    .description('the pair new runs get (none: no pair)')
    .argument('<id>', 'a pair id from `kneecheck shoes`, or none')
    .option('--json', 'print the shoes as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      run(async (ctx) =>
        (await import('./commands/shoes.ts')).shoesDefaultCommand(id, shoesJson(opts), ctx),
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
        (await import('./commands/shoes.ts')).shoesAssignCommand(runId, id, shoesJson(opts), ctx),
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
        (await import('./commands/shoes.ts')).shoesReplaceAtCommand(km, shoesJson(opts), ctx),
      ),
    );

  program
    .command('report')
    .description('weekly load and form: distance, ramp, longest run, rest days, step rate, pain')
    .option(
      '--weeks <n>',
      `how many calendar weeks, the current one last (default ${DEFAULT_WEEKS})`,
    )
    .option(
      '--json',
      'print {timezone, weeks:[{weekStart, runs, distanceM, durationS, longestRunM, rampPct, acwr, ' +
        'restDays, avgCadenceSpm, avgStepLengthM, maxPain}]} as JSON',
    )
    .addHelpText(
      'after',
      '\nWeeks run Monday to Monday in your time zone (KNEECHECK_TIMEZONE).\n' +
        'Examples:\n  kneecheck report\n  kneecheck report --weeks 12\n  kneecheck report --json',
    )
    .action((opts: { json?: boolean; weeks?: string }) =>
      run(async (ctx) => (await import('./commands/report.ts')).reportCommand(opts, ctx)),
    );

  program
    .command('advice')
    .description('the current advice, with the reasons behind each suggestion')
    .option(
      '--json',
      'print {level, headline, suggestions:[{code, message, because}], generatedAt}',
    )
    .addHelpText(
      'after',
      '\nLevels, worst first: see-doctor, stop, ease-off, caution, ok. Guidance, not a diagnosis.\n' +
        'Examples:\n  kneecheck advice\n  kneecheck advice --json',
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('./commands/advice.ts')).adviceCommand(opts, ctx)),
    );

  program
    .command('start')
    .description(
      'run the daemon: import FIT files dropped into the inbox, prompt and follow up, serve the dashboard',
    )
    .option('--json', 'log JSON lines (default: when stderr is not a terminal)')
    .addHelpText(
      'after',
      '\nStops cleanly on Ctrl+C (SIGINT) or SIGTERM. One daemon per data folder.\n' +
        'Settings: KNEECHECK_INBOX, KNEECHECK_WATCH, KNEECHECK_HOST, KNEECHECK_PORT, KNEECHECK_TOKEN,\n' +
        'KNEECHECK_FOLLOWUP_CRON, NOTIFY_*, STRAVA_* (see .env.example).\n' +
        'Examples:\n  kneecheck start\n  npm start\n  KNEECHECK_WATCH=/media/GARMIN/GARMIN/Activity kneecheck start',
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('./commands/start.ts')).startCommand(opts, ctx)),
    );

  const notify = program
    .command('notify')
    .description(
      'knee-check prompts and follow-ups: test the channels, see the outbox, send what is due',
    );
  notify
    .command('test')
    .description('send a test message to every configured channel and print each result')
    .option('--json', 'print [{channel, ok, error}] as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('./commands/notify.ts')).notifyTestCommand(opts, ctx)),
    );
  notify
    .command('status')
    .description('list the channels (secrets masked), and the pending and failed messages')
    .option('--json', 'print {channels, outbox:{pending, sent, failed}, pending, failed} as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('./commands/notify.ts')).notifyStatusCommand(opts, ctx)),
    );
  notify
    .command('run-due')
    .description(
      'send everything due once: retries, next-morning follow-ups and reminders (for your own cron)',
    )
    .option('--json', 'print {sent, retrying, failed} as JSON')
    .addHelpText(
      'after',
      '\nThe daemon (kneecheck start) does this on KNEECHECK_FOLLOWUP_CRON by itself.\n' +
        'Crontab line for this installation (`crontab -e`; cron has only /usr/bin:/bin on PATH):\n  ' +
        cronLine('notify run-due'),
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('./commands/notify.ts')).notifyRunDueCommand(opts, ctx)),
    );

  program
    .command('demo')
    .description(
      'make a separate data folder with a generated beginner history, to try kneecheck out',
    )
    .option('--dir <dir>', `the demo folder, new or empty (default ${defaultDemoDir()})`)
    .option('--json', 'print {dataDir, runs, checks} (the numbers of runs and checks) as JSON')
    .addHelpText(
      'after',
      '\nYour own data is not touched. Running demo again refills the same demo folder.\n' +
        'Examples:\n' +
        '  kneecheck demo\n' +
        '  KNEECHECK_DATA_DIR=' +
        defaultDemoDir() +
        ' kneecheck advice\n' +
        '  kneecheck demo --dir ./demo-data',
    )
    .action((opts: { dir?: string; json?: boolean }) =>
      run(async (ctx) => (await import('./commands/demo.ts')).demoCommand(opts, ctx)),
    );

  const stravaCmd = program
    .command('strava')
    .description('connect your Strava account and sync its runs (no files needed)')
    .addHelpText(
      'after',
      '\nSet STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET (your API app at https://www.strava.com/settings/api) first.\n' +
        'Examples:\n  kneecheck strava connect\n  kneecheck strava sync\n  kneecheck strava status --json',
    );
  stravaCmd
    .command('connect')
    .description(
      'let kneecheck read your Strava activities: prints the Strava page to open, then waits for it',
    )
    .option(
      '--port <n>',
      'port of the local listener Strava sends you back to (default: any free one; it is printed)',
      boundedInt(BOUNDS.port),
    )
    .option('--no-browser', 'only print the address, do not try to open a browser')
    .option(
      '--timeout <s>',
      'give up after this many seconds (default 300, at most 86400)',
      boundedInt(BOUNDS.timeoutS),
    )
    .option('--json', 'print {athlete:{id, name}, scope} as JSON once connected')
    .addHelpText(
      'after',
      '\nThe tokens are stored in <data dir>/strava-tokens.json (readable only by you) and never printed.\n' +
        'In your Strava API app, set "Authorization Callback Domain" to 127.0.0.1.\n' +
        'Examples:\n  kneecheck strava connect\n  kneecheck strava connect --port 8765 --no-browser',
    )
    .action((opts: { port?: number; browser?: boolean; timeout?: number; json?: boolean }) =>
      run(async (ctx) => (await import('./commands/strava.ts')).stravaConnectCommand(opts, ctx)),
    );
  stravaCmd
    .command('sync')
    .description(
      'import new runs from Strava (the first sync fetches your whole history), notice edits and deletions',
    )
    .option(
      '--max-wait <minutes>',
      "wait at most this long for Strava's rate-limit window, else stop and resume next time (default 15, at most 1440)",
      boundedInt(BOUNDS.maxWaitMin),
    )
    .option(
      '--json',
      'print {imported, merged, updated, deleted, skipped:[{id, reason}], failed, apiCalls, complete, stopped, rateLimit}',
    )
    .addHelpText(
      'after',
      '\nRides, walks and other non-runs are skipped with a reason. Runs from the last 42 days also get\n' +
        'their samples (for step-rate analysis). Runs also imported from FIT files are merged, not doubled.\n' +
        'Exit codes: 0 ok (also when stopped at the rate limit: progress is saved), 1 Strava unreachable\n' +
        'or an activity failed, 2 not connected or config error.\n' +
        'Examples:\n  kneecheck strava sync\n  kneecheck strava sync --json --max-wait 0',
    )
    .action((opts: { json?: boolean; maxWait?: number }) =>
      run(async (ctx) => (await import('./commands/strava.ts')).stravaSyncCommand(opts, ctx)),
    );
  stravaCmd
    .command('status')
    .description(
      'the connected athlete, scopes, last sync and rate-limit usage (no request to Strava)',
    )
    .option(
      '--json',
      'print {connected, athlete, scope, lastSyncAt, lastSync, backfillComplete, activities, rateLimit, ...}',
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('./commands/strava.ts')).stravaStatusCommand(opts, ctx)),
    );
  stravaCmd
    .command('disconnect')
    .description(
      "revoke kneecheck's Strava access, delete the tokens and the runs that came only from Strava",
    )
    .option('--json', 'print {deauthorized, runsDeleted, sourcesRemoved} as JSON')
    .addHelpText(
      'after',
      '\nRuns also imported from FIT files stay.\nExample:\n  kneecheck strava disconnect',
    )
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => (await import('./commands/strava.ts')).stravaDisconnectCommand(opts, ctx)),
    );
  stravaCmd
    .command('webhook')
    .description('Strava push events to the daemon, so new runs arrive within seconds')
    .addArgument(
      new Argument('<action>', 'subscribe, unsubscribe or status').choices([
        'subscribe',
        'unsubscribe',
        'status',
      ]),
    )
    .option(
      '--callback-url <url>',
      'the address Strava reaches the daemon at (default: KNEECHECK_PUBLIC_URL); the secret path /webhooks/strava/<secret> is added',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nNeeds STRAVA_WEBHOOK_VERIFY_TOKEN, and the daemon (kneecheck start) reachable at the callback URL:\n' +
        'Strava checks it while subscribing. One subscription per Strava app.\n' +
        'Examples:\n  kneecheck strava webhook subscribe\n  kneecheck strava webhook status\n  kneecheck strava webhook unsubscribe',
    )
    .action(
      (
        action: 'subscribe' | 'unsubscribe' | 'status',
        opts: { callbackUrl?: string; json?: boolean },
      ) =>
        run(async (ctx) =>
          (await import('./commands/strava-webhook.ts')).stravaWebhookCommand(action, opts, ctx),
        ),
    );

  return program;
}

/** Parses `argv`, runs the command, and returns the exit code; all errors are handled here. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(async (work) => {
    const globals = program.opts<{ dataDir?: string; timezone?: string }>();
    const flags: Settings = {};
    if (globals.dataDir !== undefined) flags.KNEECHECK_DATA_DIR = globals.dataDir;
    if (globals.timezone !== undefined) flags.KNEECHECK_TIMEZONE = globals.timezone;
    // Loaded here, not at the top: `--help` and usage errors need neither the settings nor the
    // store (better-sqlite3), and each command loads only its own modules.
    const [{ loadConfig }, { createContext }] = await Promise.all([
      import('./config/index.ts'),
      import('./commands/context.ts'),
    ]);
    code = await work(createContext(loadConfig({ flags })));
  });
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof KneecheckError) {
      process.stderr.write(`kneecheck: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(
      `kneecheck: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n` +
        'Please report it with the command you ran.\n',
    );
    return EXIT.someFailed;
  }
}

process.exitCode = await main(process.argv);
