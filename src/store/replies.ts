import type { RunId } from '../model.ts';
import type { Db } from './db.ts';
import {
  arrayOf,
  json,
  maybe,
  num,
  numOrNull,
  objectOf,
  oneOf,
  row,
  runIdOrNull,
  str,
  strOrNull,
} from './rows.ts';

/** One answer given in a series, in the order given. */
export interface SeriesAnswer {
  step: string;
  answer: string;
  /** When the button was tapped (the ntfy message time), unix seconds. */
  atUnix: number;
}

/** A run's prompt and its follow-up questions, answered through the ntfy reply topic. */
export interface ReplySeries {
  id: string;
  runId: RunId | null;
  createdUnix: number;
  /** When the last answer was tapped (unix seconds), null before the first. */
  lastAnswerUnix: number | null;
  answers: SeriesAnswer[];
  status: 'open' | 'recorded';
  checkId: number | null;
}

/** One prompt the daemon sent. */
export interface ReplyPrompt {
  id: string;
  seriesId: string;
  step: string;
  nonce: string;
  createdUnix: number;
  /** After this (unix seconds) an answer to it is ignored. */
  expiresUnix: number;
  answer: string | null;
  answeredUnix: number | null;
}

const seriesRow = row('reply_series', {
  id: str,
  run_id: runIdOrNull,
  created_unix: num,
  last_answer_unix: numOrNull,
  answers: json(arrayOf(objectOf({ step: str, answer: str, atUnix: num }))),
  status: oneOf(['open', 'recorded']),
  check_id: numOrNull,
});

const toSeries = (raw: unknown): ReplySeries => {
  const r = seriesRow(raw);
  return {
    id: r.id,
    runId: r.run_id,
    createdUnix: r.created_unix,
    lastAnswerUnix: r.last_answer_unix,
    answers: r.answers,
    status: r.status,
    checkId: r.check_id,
  };
};

const promptRow = row('reply_prompts', {
  id: str,
  series_id: str,
  step: str,
  nonce: str,
  created_unix: num,
  expires_unix: num,
  answer: strOrNull,
  answered_unix: numOrNull,
});

const toPrompt = (raw: unknown): ReplyPrompt => {
  const r = promptRow(raw);
  return {
    id: r.id,
    seriesId: r.series_id,
    step: r.step,
    nonce: r.nonce,
    createdUnix: r.created_unix,
    expiresUnix: r.expires_unix,
    answer: r.answer,
    answeredUnix: r.answered_unix,
  };
};

/** Prompts answered through ntfy and their series (the only SQL for these tables). */
export class ReplyTable {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  addSeries(id: string, runId: RunId | null, createdUnix: number): void {
    this.#db
      .prepare('INSERT INTO reply_series (id, run_id, created_unix) VALUES (?, ?, ?)')
      .run(id, runId, createdUnix);
  }

  addPrompt(p: Omit<ReplyPrompt, 'answer' | 'answeredUnix'>): void {
    this.#db
      .prepare(
        `INSERT INTO reply_prompts (id, series_id, step, nonce, created_unix, expires_unix)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(p.id, p.seriesId, p.step, p.nonce, p.createdUnix, p.expiresUnix);
  }

  prompt(id: string): ReplyPrompt | null {
    return maybe(toPrompt, this.#db.prepare('SELECT * FROM reply_prompts WHERE id = ?').get(id));
  }

  series(id: string): ReplySeries | null {
    return maybe(toSeries, this.#db.prepare('SELECT * FROM reply_series WHERE id = ?').get(id));
  }

  /**
   * Marks a prompt answered unless it already is, and appends the answer to its series; false
   * when it was answered before (a second tap or a repeated delivery), so each applies once.
   */
  answer(prompt: ReplyPrompt, answer: string, atUnix: number): boolean {
    const changed = this.#db
      .prepare(
        `UPDATE reply_prompts SET answer = ?, answered_unix = ? WHERE id = ? AND answer IS NULL`,
      )
      .run(answer, atUnix, prompt.id).changes;
    if (changed !== 1) return false;
    const series = this.series(prompt.seriesId);
    if (!series) return false;
    const answers = [...series.answers, { step: prompt.step, answer, atUnix }];
    this.#db
      .prepare(
        `UPDATE reply_series SET answers = ?,
           last_answer_unix = MAX(COALESCE(last_answer_unix, 0), ?) WHERE id = ?`,
      )
      .run(JSON.stringify(answers), atUnix, series.id);
    return true;
  }

  /** Closes a series with the check recorded from it; false when it was closed already. */
  markRecorded(seriesId: string, checkId: number): boolean {
    return (
      this.#db
        .prepare(
          `UPDATE reply_series SET status = 'recorded', check_id = ? WHERE id = ? AND status = 'open'`,
        )
        .run(checkId, seriesId).changes === 1
    );
  }

  /** Open series whose last answer was tapped before `beforeUnix` (left halfway). */
  stale(beforeUnix: number): ReplySeries[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM reply_series WHERE status = 'open' AND last_answer_unix IS NOT NULL
           AND last_answer_unix < ? ORDER BY last_answer_unix`,
      )
      .all(beforeUnix);
    return rows.map(toSeries);
  }
}
