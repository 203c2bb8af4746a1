import { DateTime } from 'luxon';
import type { RecordedCheck } from '../checks.ts';
import { LEVEL_LABEL, NOT_A_DIAGNOSIS } from '../present/advice-text.ts';
import type { Config } from '../config/index.ts';
import { formatDistance } from '../format.ts';
import type { Advice, Run } from '../model.ts';
import { painWords } from '../advice/words.ts';
import { rangeText, STEP_QUESTION, type SeriesCheck, type StepName } from './reply-steps.ts';
import { baseUrl } from './templates.ts';
import type { Message, ReplyButtons } from './types.ts';

type Ctx = Pick<Config, 'units' | 'timezone' | 'publicUrl' | 'host' | 'port'>;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function runLine(run: Run | null, config: Ctx): string {
  if (!run) return 'About your knees now.';
  const when = DateTime.fromISO(run.startTime, { setZone: true }).toFormat('ccc d LLL HH:mm');
  return `About your ${formatDistance(run.distanceM, config.units)} run of ${when}.`;
}

function message(
  type: Message['type'],
  run: Run | null,
  title: string,
  lines: string[],
  config: Ctx,
  extra: Partial<Message> & { advice: Advice | null },
): Message {
  const text = [...lines, '', NOT_A_DIAGNOSIS].join('\n');
  return {
    type,
    runId: run?.id ?? null,
    title,
    message: text,
    html: `<p>${lines.filter(Boolean).map(escapeHtml).join('<br>')}</p>`,
    checkUrl: null,
    run,
    priority: 'default',
    tags: ['knee-check'],
    actions: [],
    apiUrl: null,
    linkIsLocal: !config.publicUrl,
    phoneText: text,
    ...extra,
  };
}

/** The next question of a series (ntfy only): three answer buttons, replacing the last prompt. */
export function stepMessage(
  run: Run | null,
  step: StepName,
  reply: ReplyButtons,
  sequenceKey: string,
  config: Ctx,
): Message {
  return message('check-step', run, STEP_QUESTION[step], [runLine(run, config)], config, {
    advice: null,
    reply,
    sequenceKey,
  });
}

/**
 * The check as recorded from the phone, and the advice that follows it: says when the pain was
 * answered as a range (and that its top was counted), and links to the run page only when the
 * daemon has a public URL.
 */
export function notedMessage(
  recorded: RecordedCheck,
  answered: SeriesCheck,
  sequenceKey: string,
  config: Ctx,
): Message {
  const { check, advice, run } = recorded;
  const where = check.where.length > 0 ? `, ${check.where.join(' and ')}` : '';
  const knee =
    check.knee === null ? '' : check.knee === 'both' ? ', both knees' : `, ${check.knee} knee`;
  const title =
    check.pain === 0 ? 'Noted: no pain' : `Noted: pain ${painWords(check)}${where}${knee}`;
  const lines: string[] = [];
  if (answered.range && answered.range.low !== answered.range.high)
    lines.push(`Kept as you said it (${rangeText(answered.range)}); the advice reads its top.`);
  if (!answered.complete)
    lines.push('You stopped before the last question; this is what you said.');
  const changed = advice.level !== recorded.before.level;
  lines.push(
    changed
      ? `Advice changed from ${LEVEL_LABEL[recorded.before.level].toUpperCase()}: ${advice.headline}`
      : `Advice: ${advice.headline}`,
    // The first thing to do; the whole advice is on the dashboard.
    ...advice.suggestions.slice(0, 1).map((s) => `- ${s.message}`),
  );
  const url = config.publicUrl
    ? `${baseUrl(config)}${run ? `/runs/${encodeURIComponent(run.id)}` : '/'}`
    : null;
  const urgent = advice.level === 'see-doctor' || advice.level === 'stop';
  return message('check-noted', run, title, lines, config, {
    advice,
    sequenceKey,
    priority: urgent ? 'high' : 'default',
    checkUrl: url,
    ...(url === null ? {} : { link: { label: 'Open in kneecheck', url } }),
  });
}
