import type { RunId } from '../model.ts';
import type { Db } from './db.ts';
import {
  arrayOf,
  json,
  maybe,
  num,
  numberAt,
  numOrNull,
  objectOf,
  oneOf,
  rowsOf,
  runIdOrNull,
  str,
  strOrNull,
  textAt,
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

const readAnswers = arrayOf(
  objectOf((o): SeriesAnswer => ({
    step: textAt(o, 'step'),
    answer: textAt(o, 'answer'),
    atUnix: numberAt(o, 'atUnix'),
  })),
);

const toSeries = rowsOf('reply_series', (r): ReplySeries => ({
  id: str(r.id, 'id'),
  runId: runIdOrNull(r.run_id, 'run_id'),
  createdUnix: num(r.created_unix, 'created_unix'),
  lastAnswerUnix: numOrNull(r.last_answer_unix, 'last_answer_unix'),
  answers: json(r.answers, 'answers', readAnswers),
  status: oneOf(r.status, 'status', ['open', 'recorded']),
  checkId: numOrNull(r.check_id, 'check_id'),
}));

const toPrompt = rowsOf('reply_prompts', (r): ReplyPrompt => ({
  id: str(r.id, 'id'),
  seriesId: str(r.series_id, 'series_id'),
  step: str(r.step, 'step'),
  nonce: str(r.nonce, 'nonce'),
  createdUnix: num(r.created_unix, 'created_unix'),
  expiresUnix: num(r.expires_unix, 'expires_unix'),
  answer: strOrNull(r.answer, 'answer'),
  answeredUnix: numOrNull(r.answered_unix, 'answered_unix'),
}));

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
