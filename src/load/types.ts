import type { Run } from '../model.ts';

/** The fields of a run the load and form metrics use. */
export type LoadRun = Pick<
  Run,
  | 'id'
  | 'startTime'
  | 'distanceM'
  | 'movingTimeS'
  | 'elapsedTimeS'
  | 'avgSpeedMps'
  | 'avgCadenceSpm'
  | 'avgStepLengthM'
>;

/** Seconds a run took: moving time, else elapsed time, else 0. */
export const durationOf = (r: LoadRun): number => r.movingTimeS ?? r.elapsedTimeS ?? 0;
/** Metres, 0 when unknown (a run without distance adds no load). */
export const distanceOf = (r: LoadRun): number => r.distanceM ?? 0;
