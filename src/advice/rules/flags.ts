import type { KneeCheck, KneeFlag } from '../../model.ts';
import type { Facts } from '../types.ts';
import type { Finding } from '../types.ts';
import { HOW_TO_CLEAR, onDay, reason } from '../words.ts';

const FLAG_WORDS: Partial<Record<KneeFlag, string>> = {
  hotRedFever: 'a hot, red knee with fever',
  cannotBearWeight: 'not being able to bear weight',
  locking: 'a locked or catching knee',
  swelling: 'swelling',
  givingWay: 'the knee giving way',
};
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * A red flag reported in any check since the latest clearance (science.md, "A red flag stands
 * until it is resolved"): later pain-free checks and time do not end it.
 */
export function standingFlags(
  f: Facts,
  flags: readonly KneeFlag[],
  source: string,
  text: { headline: string; urgency: string },
): Finding | null {
  const raised = f.standing.filter((c) => flags.some((k) => c[k]));
  const first = raised[0];
  const latest = raised.at(-1);
  if (!first || !latest) return null;
  const present = flags.filter((k) => raised.some((c: KneeCheck) => c[k]));
  // Which knee, when the checks said (issue 11: the advice names the side); the knee giving way
  // is "your left knee giving way", not "the knee giving way in your left knee".
  const sides = new Set(raised.map((c) => c.knee).filter((k) => k != null));
  const [side] = sides;
  const knee =
    side === undefined ? null : sides.size === 1 && side !== 'both' ? `your ${side} knee` : null;
  const named = knee ?? (side === undefined ? null : 'both knees');
  const words = present.map((k) =>
    k === 'givingWay' && knee ? `${knee} giving way` : (FLAG_WORDS[k] ?? k),
  );
  const what = words.join(' and ');
  const inKnee =
    named === null || (knee !== null && present.includes('givingWay')) ? '' : ` in ${named}`;
  const on = onDay(first.checkedAt, f.input.zone, f.now);
  return {
    level: 'see-doctor',
    headline: text.headline.replace('{what}', present.map((k) => FLAG_WORDS[k] ?? k).join(' and ')),
    parts: [
      {
        code: 'see-doctor',
        message: `You reported ${what}${inKnee} ${on}. ${text.urgency} ${HOW_TO_CLEAR}`,
        because: present.map((k) => reason(`knee-check.${kebab(k)}`, true, 'reported', source)),
      },
    ],
  };
}
