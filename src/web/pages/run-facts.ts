import type { Run } from '../../model.ts';
import { excludedText, runTypeText, sourcesText } from '../../present/run-words.ts';

/**
 * The run page's facts about where a run came from (issue 11 part B): its type, its sources in
 * words, and whether it counts in the figures.
 */
export function runOriginRows(run: Run): [string, string][] {
  const excluded = excludedText(run);
  return [
    ['Type', runTypeText(run)],
    ['Numbers from', sourcesText(run)],
    ['Counts in your figures', excluded === null ? 'yes' : `no: ${excluded}`],
  ];
}
