/**
 * Bounds on what one FIT file may hold (DESIGN §8), checked by a cheap scan of the message
 * headers before any decoder builds an object per message. A CRC-valid 60 MB file of 30 M two-byte
 * messages took the SDK and fit-file-parser to gigabytes (about 400 bytes per message) and the
 * import to an out-of-memory abort; the bounds below keep every real recording and refuse it.
 */

/**
 * Most record messages (samples) one file may hold. A 48-hour run recorded every second has
 * 172,800; a 100-hour ultra 360,000. More is not a recording of one activity.
 */
export const MAX_FIT_RECORDS = 1_000_000;

/**
 * Most data messages of any kind one file may hold (records, laps, events, HRV, device info…):
 * twice the records' bound, for watches that write a heart-beat (HRV) message beside each sample.
 */
export const MAX_FIT_MESSAGES = 2_000_000;

/**
 * Most session messages one file may hold before it is refused whole: a guard on the work of
 * reading them, not the rule of which sessions are runs. A triathlon has five, with its
 * transitions; the FIT importer keeps only the legs the file's own records span, one a minute
 * at most (issue 21 item 6), so a damaged file of 3,000 sessions still gives its one real run;
 * ten thousand is not a recording of anything.
 */
export const MAX_FIT_SESSIONS = 10_000;

/** A file past a bound of fit-bounds.ts (records, messages, sessions), as the user reads it. */
export class FitTooLarge extends Error {
  override readonly name = 'FitTooLarge';
}

const thousands = (n: number): string => n.toLocaleString('en-US');

/** The message of a file with more records than {@link MAX_FIT_RECORDS}. */
export const tooManyRecordsText = (): string =>
  `refused: more than ${thousands(MAX_FIT_RECORDS)} records: not a recording of one activity ` +
  '(a 48-hour run recorded every second has 172,800)';

/** The message of a file with more messages than {@link MAX_FIT_MESSAGES}. */
export const tooManyMessagesText = (): string =>
  `refused: more than ${thousands(MAX_FIT_MESSAGES)} FIT messages: not a recording of one activity`;

/** The message of a file with more sessions than {@link MAX_FIT_SESSIONS}. */
export const tooManySessionsText = (): string =>
  `refused: more than ${thousands(MAX_FIT_SESSIONS)} sessions: not a recording of one activity`;

const RECORD_MESG = 20;
const SESSION_MESG = 18;

/** Counts of a scan, up to the first bound passed (the scan stops there). */
export interface FitCounts {
  /** Data messages (every kind), compressed-timestamp ones included. */
  messages: number;
  /** Data messages of the record message (global 20). */
  records: number;
  /** Data messages of the session message (global 18). */
  sessions: number;
}

/**
 * Counts the data messages of a FIT file (or chain of files) by walking the message headers and
 * definitions only: no field is read, nothing is allocated but two small tables. It reads as far
 * as the layout makes sense (where a decoder could read too) and stops at the first bound passed.
 * Normal and compressed-timestamp headers both count.
 */
export function countFitMessages(bytes: Uint8Array): FitCounts {
  const sizes = new Int32Array(16);
  const globals = new Int32Array(16);
  let messages = 0;
  let records = 0;
  let sessions = 0;
  const counts = (): FitCounts => ({ messages, records, sessions });
  const len = bytes.length;
  let p = 0;
  while (p + 12 <= len) {
    const h = bytes[p] ?? 0;
    if (h < 12) break;
    const dataSize =
      ((bytes[p + 4] ?? 0) | ((bytes[p + 5] ?? 0) << 8) | ((bytes[p + 6] ?? 0) << 16)) +
      (bytes[p + 7] ?? 0) * 0x1000000;
    const end = Math.min(len, p + h + dataSize);
    sizes.fill(-1);
    let q = p + h;
    while (q < end) {
      const header = bytes[q] ?? 0;
      if (header & 0x80 || !(header & 0x40)) {
        // A data message (compressed timestamp: local type in bits 5-6).
        const local = header & 0x80 ? (header >> 5) & 0x03 : header & 0x0f;
        const size = sizes[local] ?? -1;
        if (size < 0) return counts(); // undefined local type: no decoder reads on
        messages++;
        if (globals[local] === RECORD_MESG) records++;
        else if (globals[local] === SESSION_MESG) sessions++;
        if (messages > MAX_FIT_MESSAGES || records > MAX_FIT_RECORDS) return counts();
        if (sessions > MAX_FIT_SESSIONS) return counts();
        q += 1 + size;
        continue;
      }
      if (q + 6 > end) return counts();
      const little = bytes[q + 2] === 0;
      const global = little
        ? (bytes[q + 3] ?? 0) | ((bytes[q + 4] ?? 0) << 8)
        : ((bytes[q + 3] ?? 0) << 8) | (bytes[q + 4] ?? 0);
      const n = bytes[q + 5] ?? 0;
      let size = 0;
      let r = q + 6;
      for (let i = 0; i < n; i++, r += 3) size += bytes[r + 1] ?? 0;
      if (header & 0x20) {
        const nd = bytes[r] ?? 0;
        r += 1;
        for (let i = 0; i < nd; i++, r += 3) size += bytes[r + 1] ?? 0;
      }
      sizes[header & 0x0f] = size;
      globals[header & 0x0f] = global;
      q = r;
    }
    p += h + dataSize + 2;
  }
  return counts();
}

/** The first header says ".FIT" (what the SDK's isFIT() looks at). */
export const looksFit = (b: Uint8Array): boolean =>
  b.length >= 12 && b[8] === 0x2e && b[9] === 0x46 && b[10] === 0x49 && b[11] === 0x54;

/** The refusal of a file past a bound, or null when it is within them. */
export function fitBoundProblem(bytes: Uint8Array): string | null {
  return boundProblemOf(countFitMessages(bytes));
}

/** The refusal of a file of these counts ({@link countFitMessages}), or null. */
export function boundProblemOf({ messages, records, sessions }: FitCounts): string | null {
  if (records > MAX_FIT_RECORDS) return tooManyRecordsText();
  if (messages > MAX_FIT_MESSAGES) return tooManyMessagesText();
  if (sessions > MAX_FIT_SESSIONS) return tooManySessionsText();
  return null;
}

/** Throws {@link FitTooLarge} for a file past a bound: each decoder's guard before it decodes. */
export function assertFitWithinBounds(bytes: Uint8Array): void {
  const problem = fitBoundProblem(bytes);
  if (problem) throw new FitTooLarge(problem);
}
