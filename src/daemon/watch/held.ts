import { dbProblemText, onDisk, type DbProblem } from '../../errors.ts';
import type { Logger } from '../../log.ts';

/**
 * Files held back because the database could not take them (a full disk, a damaged or read-only
 * database: issue 21 items 5, 9): says once, plainly, what is wrong and what to do, and once that
 * it is over, however many batches meet the same problem meanwhile.
 */
export class HeldBack {
  readonly #log: Logger;
  readonly #retryMs: number;
  #problem: DbProblem | null = null;

  /** @param retryMs how long (ms) a held file waits before it is tried again (for the log) */
  constructor(log: Logger, retryMs: number) {
    this.#log = log;
    this.#retryMs = retryMs;
  }

  /** What a batch held back (file → problem; empty: the database took every file). */
  note(held: ReadonlyMap<string, DbProblem>): void {
    const first = [...held.values()][0];
    const problem = first === undefined ? null : onDisk(first);
    if (problem === this.#problem) return;
    if (problem === null) {
      this.#log.info('the database takes files again; importing the files held back');
    } else {
      this.#log.error(`cannot import: ${dbProblemText(problem)}`, {
        problem,
        held: held.size,
        retryInS: Math.round(this.#retryMs / 1000),
        note: 'the files stay in the inbox and are tried again; none is blamed',
      });
    }
    this.#problem = problem;
  }
}
