import type { RunId } from '../model.ts';
import type { Db } from './db.ts';
import { num, numOrNull, oneOf, rowsOf, runIdOrNull, str, strOrNull } from './rows.ts';

/** The states of a stored notification. */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** One stored notification for one channel. */
export interface OutboxItem {
  id: number;
  /** What the message is about (a run id, a check id, an advice level and day). */
  subject: string;
  kind: string;
  channel: string;
  runId: RunId | null;
  /** The rendered message, as JSON. */
  message: string;
  status: OutboxStatus;
  attempts: number;
  /** When the next attempt is due (unix seconds). */
  dueUnix: number;
  /** After this (unix seconds) a failing message is given up. */
  giveUpUnix: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

const toItem = rowsOf('outbox', (r): OutboxItem => ({
  id: num(r.id, 'id'),
  subject: str(r.subject, 'subject'),
  kind: str(r.kind, 'kind'),
  channel: str(r.channel, 'channel'),
  runId: runIdOrNull(r.run_id, 'run_id'),
  message: str(r.message, 'message'),
  status: oneOf(r.status, 'status', OUTBOX_STATUSES),
  attempts: num(r.attempts, 'attempts'),
  dueUnix: num(r.due_unix, 'due_unix'),
  giveUpUnix: num(r.give_up_unix, 'give_up_unix'),
  lastError: strOrNull(r.last_error, 'last_error'),
  createdAt: str(r.created_at, 'created_at'),
  sentAt: strOrNull(r.sent_at, 'sent_at'),
}));

const statusCountRow = rowsOf('outbox', (r) => ({
  status: oneOf(r.status, 'status', OUTBOX_STATUSES),
  n: num(r.n, 'n'),
}));
const dueRow = rowsOf('outbox', (r) => numOrNull(r.due, 'due'));

export type NewOutboxItem = Pick<
  OutboxItem,
  'subject' | 'kind' | 'channel' | 'runId' | 'message' | 'dueUnix' | 'giveUpUnix'
>;

/** The notification outbox (the only SQL for it): idempotent per subject × kind × channel. */
export class OutboxTable {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores a message unless one with the same subject, kind and channel exists; true when stored. */
  enqueue(item: NewOutboxItem, now: string): boolean {
    const info = this.#db
      .prepare(
        `INSERT OR IGNORE INTO outbox (subject, kind, channel, run_id, message, status, due_unix,
           give_up_unix, created_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      )
      .run(
        item.subject,
        item.kind,
        item.channel,
        item.runId,
        item.message,
        item.dueUnix,
        item.giveUpUnix,
        now,
      );
    return info.changes === 1;
  }

  /**
   * True when a message of this kind about this run exists for any channel. Run ids follow merges
   * (ON UPDATE CASCADE), so a run that got a new id is still known as prompted.
   */
  hasForRun(runId: RunId, kind: string): boolean {
    return (
      this.#db
        .prepare('SELECT 1 FROM outbox WHERE run_id = ? AND kind = ? LIMIT 1')
        .get(runId, kind) !== undefined
    );
  }

  /**
   * Claims the messages due by `nowUnix` (pending, or left `sending` by a process that died more
   * than `staleS` ago) by marking them `sending`, atomically, so two processes never send one twice.
   */
  claimDue(nowUnix: number, limit: number, staleS = 300): OutboxItem[] {
    return this.#db
      .transaction(() => {
        const rows = this.#db
          .prepare(
            `SELECT * FROM outbox
           WHERE (status = 'pending' AND due_unix <= ?) OR (status = 'sending' AND due_unix <= ?)
           ORDER BY due_unix, id LIMIT ?`,
          )
          .all(nowUnix, nowUnix - staleS, limit)
          .map(toItem);
        const mark = this.#db.prepare(
          `UPDATE outbox SET status = 'sending', attempts = attempts + 1, due_unix = ? WHERE id = ?`,
        );
        for (const r of rows) mark.run(nowUnix, r.id);
        return rows.map((r) => ({
          ...r,
          status: 'sending' as const,
          attempts: r.attempts + 1,
        }));
      })
      .immediate();
  }

  markSent(id: number, now: string): void {
    this.#db
      .prepare(`UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?`)
      .run(now, id);
  }

  /** Puts a message back for another attempt at `dueUnix`. */
  markRetry(id: number, error: string, dueUnix: number): void {
    this.#db
      .prepare(`UPDATE outbox SET status = 'pending', last_error = ?, due_unix = ? WHERE id = ?`)
      .run(error, dueUnix, id);
  }

  markFailed(id: number, error: string): void {
    this.#db
      .prepare(`UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?`)
      .run(error, id);
  }

  /** Messages in these states, oldest first. */
  list(statuses: readonly OutboxStatus[], limit = 1000): OutboxItem[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM outbox WHERE status IN (${statuses.map(() => '?').join(',')})
         ORDER BY id LIMIT ?`,
      )
      .all(...statuses, limit);
    return rows.map(toItem);
  }

  /** How many messages are in each state. */
  counts(): Record<OutboxStatus, number> {
    const out: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
    const rows = this.#db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all();
    for (const raw of rows) {
      const r = statusCountRow(raw);
      out[r.status] = r.n;
    }
    return out;
  }

  /** The earliest due time of a pending message (unix seconds), or null. */
  nextDueUnix(): number | null {
    return dueRow(
      this.#db.prepare(`SELECT MIN(due_unix) AS due FROM outbox WHERE status = 'pending'`).get(),
    );
  }
}
