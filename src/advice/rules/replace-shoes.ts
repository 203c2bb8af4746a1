import type { AdviceRule } from '../types.ts';
import { reason } from '../words.ts';

/**
 * Shoes past the runner's replace-at distance (default 700 km): a tip, never a level. The number
 * is kneecheck's own cut-off; the evidence for any particular mileage is weak, so the words say so.
 */
export default {
  id: 'replace-shoes',
  signal: 'distance run in a pair of shoes in use',
  levels: ['tip'],
  codes: ['replace-shoes'],
  scope: 'load',
  sources: ['kneecheck'],
  evaluate: (f) => {
    const shoes = f.input.shoes;
    if (!shoes) return null;
    const worn = shoes.pairs.filter((p) => !p.retired && p.distanceM / 1000 >= shoes.replaceAtKm);
    if (worn.length === 0) return null;
    return {
      level: 'tip',
      headline: `Your shoes have run more than ${shoes.replaceAtKm} km.`,
      parts: worn.map((p) => {
        const km = Math.round(p.distanceM / 1000);
        return {
          code: 'replace-shoes' as const,
          message: `Your shoes “${p.name}” have carried you ${km} km. kneecheck suggests thinking about a new pair from ${shoes.replaceAtKm} km: that number is kneecheck's own rule of thumb, not a research finding (the evidence for any particular mileage is weak, and comfort matters more). If a knee hurts and the shoes feel worn or flat, a new pair is a cheap thing to try.`,
          because: [
            reason('shoe-km', km, shoes.replaceAtKm, 'kneecheck', `distance in “${p.name}” (km)`),
          ],
        };
      }),
    };
  },
} satisfies AdviceRule;
