import type { KneeLocation, SuggestionCode } from '../model.ts';

/**
 * What to strengthen, stretch and avoid for each pain location (GUIDE-2026, DESIGN §1). The
 * usual runner explanation, not a diagnosis.
 */
export const LOCATION_GUIDANCE: Record<
  KneeLocation,
  Partial<Record<SuggestionCode, string>> & { about: string }
> = {
  front: {
    about:
      'Pain around or behind the kneecap ("runner\'s knee") is often worse downstairs and after sitting.',
    strengthen:
      'Strengthen hips and thighs: side-lying leg raises, glute bridges, shallow step-ups.',
    stretch: 'Stretch the front of the thigh (quadriceps) and the calves gently after runs.',
    'avoid-movements':
      'While it hurts avoid deep squats, jumps, lunges, downhill running and long sitting with bent knees.',
  },
  outside: {
    about:
      'Pain on the outside of the knee that builds after a few minutes of running, sharp or burning, comes from the tissue along the outer thigh.',
    strengthen:
      'Strengthen the hip muscles on the side: clamshells, side planks, side-stepping with a band.',
    stretch: 'Stretch the outer hip and thigh, and foam-roll the outer thigh gently.',
    'avoid-movements':
      'While it hurts avoid downhill running, running on cambered roads and long runs; stop a run when the pain starts.',
  },
  inside: {
    about:
      'Pain on the inside of the knee often goes with weak hip and thigh muscles that let the knee collapse inward.',
    strengthen:
      'Strengthen hips and thighs so the knee stays over the foot: glute bridges, clamshells, step-downs watching the knee in a mirror.',
    stretch: 'Stretch the inner thigh and hamstrings gently.',
    'avoid-movements':
      'While it hurts avoid deep squats, twisting on a bent knee, jumps and sudden changes of direction.',
  },
  back: {
    about:
      'Pain at the back of the knee often comes with tight hamstrings and calves, stiff when straightening the leg.',
    strengthen:
      'Strengthen the calves and hamstrings: calf raises, bridges with straight-ish legs.',
    stretch: 'Stretch the hamstrings and calves gently, several times a day.',
    'avoid-movements':
      'While it hurts avoid hill sprints, deep squats and forcing the knee straight.',
  },
};

/** Generic guidance when a check gives no location. */
export const GENERAL_GUIDANCE: Partial<Record<SuggestionCode, string>> = {
  strengthen:
    'Strengthen hips, thighs and calves two or three times a week (bridges, side leg raises, calf raises).',
  stretch: 'Stretch thighs, hamstrings and calves gently after runs.',
  'avoid-movements': 'While it hurts avoid deep squats, jumps and twisting.',
};
