import { DEFAULT_THRESHOLDS, type Thresholds } from '../model.ts';

/** Parses `name=value,name=value` (KNEECHECK_THRESHOLDS) over the defaults; null on a bad entry. */
export function parseThresholds(text: string): Thresholds | null {
  const out: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (!name || value === undefined || !(name in DEFAULT_THRESHOLDS)) return null;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) return null;
    out[name as keyof Thresholds] = n;
  }
  return out;
}
