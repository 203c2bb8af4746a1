/** Exit codes of the command line (DESIGN §4). */
export const EXIT = { ok: 0, someFailed: 1, usage: 2 } as const;

/**
 * An expected failure with a message for the user. The CLI's one top-level handler prints
 * `message` and exits with `exitCode`; `cause` keeps the underlying error for debugging.
 */
export class KneecheckError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'KneecheckError';
    this.exitCode = options.exitCode ?? EXIT.usage;
  }
}

/** A configuration value that is missing or malformed; names the variable and the expected form. */
export class ConfigError extends KneecheckError {
  readonly variable: string;
  constructor(variable: string, expected: string, got?: string) {
    super(
      `${variable}: expected ${expected}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}`,
      { exitCode: EXIT.usage },
    );
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/**
 * The exit code for an error that ended a command, after telling the user: a {@link
 * KneecheckError}'s message, or an unexpected error with its stack and a request to report it.
 */
export function failed(
  e: unknown,
  stderr: { write(text: string): unknown } = process.stderr,
): number {
  if (e instanceof KneecheckError) {
    stderr.write(`kneecheck: ${e.message}\n`);
    return e.exitCode;
  }
  stderr.write(
    `kneecheck: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n` +
      'Please report it with the command you ran.\n',
  );
  return EXIT.someFailed;
}
