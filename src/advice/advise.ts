import type { Advice, FormSummary, KneeCheck, Run, RunId } from '../model.ts';
import type { Units } from '../format.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.ts';

export interface AdviceInput {
  /** All stored runs (any order). */
  runs: readonly Run[];
  forms: ReadonlyMap<RunId, FormSummary>;
  /** All knee checks (any order). */
  checks: readonly KneeCheck[];
  now: Date;
  /** The runner's IANA zone. */
  zone: string;
  units: Units;
  thresholds?: Thresholds;
}

/** The current advice (DESIGN §1, §4). STUB: being written. */
export function advise(input: AdviceInput): Advice {
  void (input.thresholds ?? DEFAULT_THRESHOLDS);
  return {
    level: 'ok',
    headline: 'Keep going: build up gradually.',
    suggestions: [
      {
        code: 'keep-going',
        message: 'Nothing in your recent runs or knee checks calls for a change.',
        because: [],
      },
    ],
    generatedAt: input.now.toISOString(),
  };
}
