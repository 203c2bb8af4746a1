import type { KneeLocation, SuggestionCode } from '../model.ts';

/** What one pain location calls for (GUIDE-2026, DESIGN §1): the usual runner explanation, not a diagnosis. */
export interface PlaceGuidance {
  /** The usual explanation, said when it is the only place. */
  about: string;
  /** Muscles to strengthen and the moves for them. */
  strengthen: { what: readonly string[]; moves: readonly string[] };
  /** What to stretch. */
  stretch: readonly string[];
  /** What to avoid while it hurts. */
  avoid: readonly string[];
}

/**
 * What to strengthen, stretch and avoid for each pain location, as lists, so two places ticked
 * give one sentence each (issue 23: no sentence said twice, almost word for word).
 */
export const LOCATION_GUIDANCE: Record<KneeLocation, PlaceGuidance> = {
  front: {
    about:
      'Pain around or behind the kneecap ("runner\'s knee") is often worse downstairs and after sitting.',
    strengthen: {
      what: ['hips', 'thighs'],
      moves: ['side-lying leg raises', 'glute bridges', 'shallow step-ups'],
    },
    stretch: ['the front of the thigh (quadriceps)', 'the calves'],
    avoid: ['deep squats', 'jumps', 'lunges', 'downhill running', 'long sitting with bent knees'],
  },
  outside: {
    about:
      'Pain on the outside of the knee that builds after a few minutes of running, sharp or burning, comes from the tissue along the outer thigh.',
    strengthen: {
      what: ['the side hip muscles'],
      moves: ['clamshells', 'side planks', 'side-stepping with a band'],
    },
    stretch: ['the outer hip and thigh (a foam roller helps)'],
    avoid: ['downhill running', 'cambered roads', 'long runs', 'running on once the pain starts'],
  },
  inside: {
    about:
      'Pain on the inside of the knee often goes with weak hip and thigh muscles that let the knee collapse inward.',
    strengthen: {
      what: ['hips', 'thighs'],
      moves: ['glute bridges', 'clamshells', 'step-downs watching the knee stay over the foot'],
    },
    stretch: ['the inner thigh', 'the hamstrings'],
    avoid: ['deep squats', 'twisting on a bent knee', 'jumps', 'sudden changes of direction'],
  },
  back: {
    about:
      'Pain at the back of the knee often comes with tight hamstrings and calves, stiff when straightening the leg.',
    strengthen: {
      what: ['calves', 'hamstrings'],
      moves: ['calf raises', 'bridges with nearly straight legs'],
    },
    stretch: ['the hamstrings', 'the calves'],
    avoid: ['hill sprints', 'deep squats', 'forcing the knee straight'],
  },
};

/** "a", "a and b", "a, b and c". */
export const listWords = (items: readonly string[]): string =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;

const unique = (xs: readonly string[]): string[] => [...new Set(xs)];

/** One message per code for the places given: each thing named once, however many places. */
export function placeGuidance(
  where: readonly KneeLocation[],
): Partial<Record<SuggestionCode, string>> {
  const g = where.map((w) => LOCATION_GUIDANCE[w]);
  const about = g.length === 1 && g[0] ? `${g[0].about} ` : '';
  return {
    strengthen: `${about}Strengthen ${listWords(unique(g.flatMap((x) => x.strengthen.what)))} twice a week: ${listWords(unique(g.flatMap((x) => x.strengthen.moves)))}.`,
    stretch: `Gently stretch ${listWords(unique(g.flatMap((x) => x.stretch)))} once a day.`,
    'avoid-movements': `While it hurts, avoid ${listWords(unique(g.flatMap((x) => x.avoid)))}.`,
  };
}

/** Generic guidance when a check gives no location. */
export const GENERAL_GUIDANCE: Partial<Record<SuggestionCode, string>> = {
  strengthen:
    'Strengthen hips, thighs and calves two or three times a week (bridges, side leg raises, calf raises).',
  stretch: 'Gently stretch thighs, hamstrings and calves once a day.',
  'avoid-movements': 'While it hurts, avoid deep squats, jumps and twisting.',
};
