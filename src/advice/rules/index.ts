import type { AdviceRule } from '../types.ts';
import lateDrop from './late-drop.ts';
import location from './location.ts';
import longStrides from './long-strides.ts';
import mildPain from './mild-pain.ts';
import moderatePain from './moderate-pain.ts';
import noRest from './no-rest.ts';
import painNotSettling from './pain-not-settling.ts';
import redFlagDuration from './red-flag-duration.ts';
import redFlagRest from './red-flag-rest.ts';
import redFlagSwelling from './red-flag-swelling.ts';
import redFlagUrgent from './red-flag-urgent.ts';
import replaceShoes from './replace-shoes.ts';
import returnLadder from './return-ladder.ts';
import returning from './returning.ts';
import sessionSpike from './session-spike.ts';
import sharpOrGait from './sharp-or-gait.ts';
import weeklyRamp from './weekly-ramp.ts';

/**
 * The rule table (`../shared/science.md`), one file per rule, in precedence order: red flags,
 * stop, ease-off, caution, tips. The first rule at the winning level gives the headline.
 */
export const RULES: readonly AdviceRule[] = [
  redFlagUrgent,
  redFlagSwelling,
  redFlagDuration,
  redFlagRest,
  sharpOrGait,
  returnLadder,
  painNotSettling,
  moderatePain,
  returning,
  sessionSpike,
  weeklyRamp,
  mildPain,
  noRest,
  longStrides,
  lateDrop,
  location,
  replaceShoes,
];
