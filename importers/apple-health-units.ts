/** Units and dates as Apple Health exports write them. */

const UNIT_M: Record<string, number> = {
  m: 1,
  km: 1000,
  mi: 1609.344,
  yd: 0.9144,
  ft: 0.3048,
  cm: 0.01,
};
const UNIT_S: Record<string, number> = { s: 1, sec: 1, min: 60, hr: 3600, h: 3600, ms: 0.001 };

/** A length in `unit` as metres; null for an unknown unit or a non-number. */
export function metres(value: number, unit: string | undefined): number | null {
  const f = UNIT_M[unit ?? 'm'];
  return f === undefined || !Number.isFinite(value) ? null : value * f;
}

/** A duration in `unit` (default min, Apple's) as seconds; null for an unknown unit. */
export function seconds(value: number, unit: string | undefined): number | null {
  const f = UNIT_S[unit ?? 'min'];
  return f === undefined || !Number.isFinite(value) ? null : value * f;
}

/** A number attribute; null when absent or not a number. */
export const num = (s: string | undefined): number | null => {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

/**
 * Apple's `2025-09-16 16:14:50 +0100` as unix seconds (NaN when it is not one). Read by hand,
 * not with Date.parse on a rebuilt string: it runs for every sample of a multi-GB export. The
 * offset is the exporting phone's on the export day, not the run's: only the instant is used.
 */
export function appleDateS(s: string | undefined): number {
  if (s === undefined || s.length < 19 || s[4] !== '-' || s[13] !== ':') return NaN;
  const d = (i: number) => s.charCodeAt(i) - 48;
  const two = (i: number) => d(i) * 10 + d(i + 1);
  const ms = Date.UTC(two(0) * 100 + two(2), two(5) - 1, two(8), two(11), two(14), two(17));
  let offsetMin = 0;
  if (s.length >= 25) {
    const sign = s[20] === '-' ? -1 : 1;
    offsetMin = sign * (two(21) * 60 + two(23));
  }
  const t = ms / 1000 - offsetMin * 60;
  return Number.isFinite(t) ? t : NaN;
}
