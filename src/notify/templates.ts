import { DateTime } from 'luxon';
import { painWords } from '../advice/words.ts';
import { LEVEL_LABEL, NOT_A_DIAGNOSIS } from '../present/advice-text.ts';
import type { Config } from '../config/index.ts';
import { formatDistance, formatDuration, formatPace } from '../format.ts';
import { rollingRamp } from '../load/weeks.ts';
import type { Advice, KneeCheck, Run } from '../model.ts';
import type { Message, MessageKind } from './types.ts';

/** Everything a message is rendered from. */
export interface MessageContext {
  config: Pick<Config, 'units' | 'timezone' | 'publicUrl' | 'host' | 'port'>;
  advice: Advice;
  /** Runs up to now, for this week's ramp. */
  recentRuns: readonly Run[];
  now: Date;
}

/** The daemon's base URL as the runner's phone or browser reaches it. */
export function baseUrl(config: MessageContext['config']): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${config.port}`;
}

const checkUrlOf = (ctx: MessageContext, run: Run | null): string =>
  run
    ? `${baseUrl(ctx.config)}/runs/${encodeURIComponent(run.id)}#check`
    : `${baseUrl(ctx.config)}/`;

function runSummary(run: Run, ctx: MessageContext): string {
  const when = DateTime.fromISO(run.startTime, { setZone: true }).toFormat('ccc d LLL HH:mm');
  const parts = [
    `${formatDistance(run.distanceM, ctx.config.units)} in ${formatDuration(run.movingTimeS ?? run.elapsedTimeS)}`,
    formatPace(run.avgSpeedMps, ctx.config.units),
  ];
  if (run.avgCadenceSpm !== null) parts.push(`${Math.round(run.avgCadenceSpm)} steps/min`);
  return `${when}: ${parts.join(', ')}`;
}

function weekLine(ctx: MessageContext): string {
  const ramp = rollingRamp(ctx.recentRuns, ctx.config.timezone, ctx.now);
  const last = formatDistance(ramp.last7DaysM, ctx.config.units);
  if (ramp.ratio === null) return `Last 7 days: ${last}.`;
  const pct = Math.round((ramp.ratio - 1) * 100);
  return `Last 7 days: ${last} (${pct >= 0 ? '+' : ''}${pct} % vs the 7 days before).`;
}

const adviceLine = (a: Advice): string => `Advice: ${a.headline}`;

/** The longest notification body a phone shows whole (issue 23: the full text is one tap away). */
export const PHONE_MAX_CHARS = 400;

/**
 * `text` cut to at most `max` characters for a phone: whole lines while they fit, then the whole
 * sentences of the next line that fit, then "…"; the last line (the not-a-diagnosis reminder)
 * is kept when there is room for it.
 */
export function phoneFit(
  text: string,
  max = PHONE_MAX_CHARS,
  more = 'Full advice: tap to open.',
): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  const last = lines.at(-1) ?? '';
  const tail = [more, last].filter(Boolean).join('\n');
  const room = max - tail.length - 1;
  const out: string[] = [];
  let used = 0;
  for (const line of lines.slice(0, -1)) {
    if (used + line.length + 1 <= room) {
      out.push(line);
      used += line.length + 1;
      continue;
    }
    let part = '';
    for (const s of line.split(/(?<=[.!?])\s+/)) {
      const next = part ? `${part} ${s}` : s;
      if (used + next.length + 2 > room) break;
      part = next;
    }
    if (part) out.push(`${part} …`);
    break;
  }
  const fitted = [...out.filter((l, i) => l !== '' || i < out.length - 1), tail].join('\n');
  return fitted.length <= max ? fitted : fitted.slice(0, max - 1) + '…';
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function build(
  type: MessageKind,
  run: Run | null,
  title: string,
  lines: string[],
  ctx: MessageContext,
  opts: { priority?: Message['priority']; tags: string[]; answerable: boolean },
  link?: Message['link'],
): Message {
  const checkUrl = checkUrlOf(ctx, run);
  const apiUrl = ctx.config.publicUrl ? baseUrl(ctx.config) : null;
  const text = [...lines, '', `Answer: ${checkUrl}`, '', NOT_A_DIAGNOSIS].join('\n');
  const phoneText = [...lines, '', NOT_A_DIAGNOSIS].join('\n');
  const html =
    `<p>${lines.filter(Boolean).map(escapeHtml).join('<br>')}</p>` +
    `<p><a href="${escapeHtml(checkUrl)}">Answer the knee check</a></p>` +
    `<p><small>${escapeHtml(NOT_A_DIAGNOSIS)}</small></p>`;
  return {
    type,
    runId: run?.id ?? null,
    title,
    message: text,
    html,
    checkUrl,
    run,
    advice: ctx.advice,
    priority: opts.priority ?? 'default',
    tags: opts.tags,
    // One-tap answers need a daemon the phone can reach: KNEECHECK_PUBLIC_URL says where it is.
    actions: opts.answerable && run && apiUrl ? [{ label: 'No pain', pain: 0 }] : [],
    apiUrl,
    linkIsLocal: !ctx.config.publicUrl,
    phoneText,
    ...(link ? { link } : {}),
  };
}

const QUESTION =
  'How do your knees feel? Pain 0-10, and where: front, inside, outside or back; any swelling, locking or giving way?';

/** The prompt after a new run. */
export function kneeCheckMessage(run: Run, ctx: MessageContext): Message {
  return build(
    'knee-check',
    run,
    `How do your knees feel after your ${formatDistance(run.distanceM, ctx.config.units)} run?`,
    [runSummary(run, ctx), weekLine(ctx), adviceLine(ctx.advice), '', QUESTION],
    ctx,
    { tags: ['running', 'knee-check'], answerable: true },
  );
}

/** The next-morning question about a run whose check reported pain. */
export function followUpMessage(run: Run, check: KneeCheck, ctx: MessageContext): Message {
  const where = check.where.length > 0 ? ` (${check.where.join(', ')})` : '';
  return build(
    'follow-up',
    run,
    'Good morning: how are your knees today?',
    [
      `After your run of ${runSummary(run, ctx)} you reported pain ${painWords(check)}${where}.`,
      // Reassurance only where the advice agrees: beside "see a clinician" or "stop" it would
      // contradict the next line (issue 23, "the same paragraph whatever the history").
      ...(ctx.advice.level === 'ok' || ctx.advice.level === 'caution'
        ? [
            'Pain that settles within 24-48 h is common training stress; pain that stays or grows changes the advice.',
          ]
        : []),
      adviceLine(ctx.advice),
      '',
      QUESTION,
    ],
    ctx,
    { tags: ['knee-check', 'follow-up'], answerable: true },
  );
}

/** A reminder for a run whose prompt was never answered. */
export function reminderMessage(run: Run, ctx: MessageContext): Message {
  return build(
    'reminder',
    run,
    'Quick knee check?',
    [
      `You have not told kneecheck how your knees felt after ${runSummary(run, ctx)}.`,
      '',
      QUESTION,
    ],
    ctx,
    { priority: 'low', tags: ['knee-check'], answerable: true },
  );
}

/**
 * Once a week while a red flag stands (science.md: it stands until a clinician has seen the
 * knee): the advice again, and how to record the visit.
 */
export function redFlagReminderMessage(weeks: number, ctx: MessageContext): Message {
  return build(
    'reminder',
    null,
    'Has a clinician seen your knee yet?',
    [
      `For ${weeks === 1 ? 'a week' : `${weeks} weeks`} kneecheck has advised you to see a clinician. ${ctx.advice.headline}`,
      'After the visit, press "A clinician has seen my knee" on the dashboard.',
    ],
    ctx,
    { priority: 'default', tags: ['warning'], answerable: false },
  );
}

/** The advice got worse (e.g. after a check or a big week). */
export function adviceChangedMessage(
  before: Advice,
  run: Run | null,
  ctx: MessageContext,
): Message {
  const a = ctx.advice;
  const urgent = a.level === 'see-doctor' || a.level === 'stop';
  return build(
    'advice-changed',
    run,
    `Advice changed: ${LEVEL_LABEL[a.level].toUpperCase()}`,
    [
      `Was: ${LEVEL_LABEL[before.level].toUpperCase()}. Now: ${a.headline}`,
      // The first thing to do; the rest is on the dashboard, one tap away.
      ...a.suggestions.slice(0, 1).map((s) => `- ${s.message}`),
    ],
    ctx,
    { priority: urgent ? 'high' : 'default', tags: ['warning'], answerable: false },
    ctx.config.publicUrl ? { label: 'Full advice', url: `${baseUrl(ctx.config)}/` } : undefined,
  );
}

/** `kneecheck notify test`. */
export function testMessage(ctx: MessageContext): Message {
  return build(
    'test',
    null,
    'kneecheck test notification',
    ['If you can read this, this channel works.', adviceLine(ctx.advice)],
    ctx,
    { priority: 'low', tags: ['test'], answerable: false },
  );
}
