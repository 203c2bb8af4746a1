import { afterEach, describe, expect, it } from 'vitest';
import { baseUrl } from '../../src/notify/templates.ts';
import { SECRETS } from '../web/support.ts';
import { answerLoop, prompt, TOPIC, type Loop } from './reply-harness.ts';

let loop: Loop;
afterEach(() => loop.close());

const published = (l: Loop) => l.ntfy.requests.map((r) => `${r.url}\n${r.body}`).join('\n');

describe('answering the knee check on the phone through ntfy (daemon on loopback, no public URL)', () => {
  it('a new run gets a prompt whose buttons publish only to the ntfy server, with no token and no daemon address', async () => {
    loop = await answerLoop();
    const msg = await prompt(loop, loop.runs[1]);
    expect(msg.actions?.map((a) => a.label)).toEqual(['No pain', 'Some pain', 'Hurts']);
    for (const a of msg.actions ?? []) {
      expect(a.action).toBe('http');
      expect(a.url).toBe(`${loop.ntfy.url}/${loop.replyTopic}`);
      expect(a.headers ?? {}).toEqual({});
      expect(JSON.parse(a.body ?? '')).toMatchObject({ v: 1, runId: loop.runs[1]?.id });
    }
    expect(loop.replyTopic).toMatch(/^kc-[A-Za-z0-9_-]{32}$/);
    const daemon = baseUrl(loop.deps.config);
    expect(daemon).toBe('http://127.0.0.1:7117');
    expect(published(loop)).not.toContain(SECRETS.KNEECHECK_TOKEN);
    expect(published(loop)).not.toContain(daemon);
    expect(msg.click).toBeUndefined();
  });

  it('tapping "No pain" records a pain-0 check for that run, and the advice comes back', async () => {
    loop = await answerLoop();
    const msg = await prompt(loop, loop.runs[1]);
    await loop.tap('No pain', 1);
    const checks = loop.store.checks.forRun(loop.runs[1]?.id ?? ('' as never));
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ pain: 0, where: [], via: 'notification' });
    const noted = await loop.ntfy.waitForMessages(TOPIC, 2);
    expect(noted[1]?.title).toBe('Noted: no pain');
    expect(noted[1]?.message).toContain('Advice:');
    // It replaces the prompt on the phone, and offers no link to a daemon the phone cannot reach.
    expect(noted[1]?.sequence_id).toBe(msg.sequence_id);
    expect(noted[1]?.actions ?? []).toEqual([]);
    expect(published(loop)).not.toContain(SECRETS.KNEECHECK_TOKEN);
  });

  it('"Some pain" then one answer per question records pain above 0 with where, which knee and the range', async () => {
    loop = await answerLoop();
    const first = await prompt(loop, loop.runs[1]);
    const titles: string[] = [];
    const answers = ['Some pain', 'Front', 'Left', '4–5', 'None'];
    for (const [i, label] of answers.entries()) {
      if (i > 0) titles.push(loop.latest().title ?? '');
      await loop.tap(label, i + 1);
      await loop.ntfy.waitForMessages(TOPIC, i + 2);
    }
    expect(titles).toEqual([
      'Where does it hurt?',
      'Which knee?',
      'How much, from 0 (none) to 10 (worst)?',
      'Is the knee swollen or locked, or did it give way?',
    ]);
    const [check] = loop.store.checks.forRun(loop.runs[1]?.id ?? ('' as never));
    expect(check).toMatchObject({
      pain: 5,
      where: ['front'],
      knee: 'left',
      via: 'notification',
      swelling: false,
      givingWay: false,
    });
    // Issue 23: a range stays a range (the rules read its top, 5).
    expect(check?.painRange).toEqual({ from: 4, to: 5 });
    expect(check?.note).toContain('Pain answered as 4–5.');
    const noted = loop.latest();
    expect(noted.title).toBe('Noted: pain 4–5/10, front, left knee');
    expect(noted.message).toContain('Kept as you said it (4–5)');
    // One notification on the phone: every question and the advice replaced the prompt.
    expect(loop.ntfy.shown(TOPIC)).toHaveLength(1);
    expect(new Set(loop.ntfy.messages(TOPIC).map((m) => m.sequence_id))).toEqual(
      new Set([first.sequence_id]),
    );
    expect(published(loop)).not.toContain(SECRETS.KNEECHECK_TOKEN);
    expect(published(loop)).not.toContain('127.0.0.1:7117');
  });

  it('a red flag answered on the phone is recorded as that flag, and the advice says see a clinician', async () => {
    loop = await answerLoop();
    await prompt(loop, loop.runs[1]);
    const answers = ['Hurts', 'Inside or outside…', 'Outside', 'Right', '6 or more'];
    answers.push("Gave way / can't bear weight…", "Can't bear weight");
    for (const [i, label] of answers.entries()) {
      await loop.tap(label, i + 1);
      await loop.ntfy.waitForMessages(TOPIC, i + 2);
    }
    const [check] = loop.store.checks.forRun(loop.runs[1]?.id ?? ('' as never));
    expect(check).toMatchObject({
      pain: 10,
      where: ['outside'],
      knee: 'right',
      cannotBearWeight: true,
      givingWay: false,
      swelling: false,
    });
    expect(check?.painRange).toEqual({ from: 6, to: 10 });
    expect(loop.latest().message).toContain('Kept as you said it (6 or more)');
    expect(`${loop.latest().title} ${loop.latest().message}`).not.toMatch(/10\/10/);
    expect(loop.latest().message).toMatch(/clinician|doctor/i);
  });

  it('with KNEECHECK_PUBLIC_URL the buttons still answer through ntfy, and the advice offers "Open in kneecheck"', async () => {
    loop = await answerLoop({ KNEECHECK_PUBLIC_URL: 'https://knees.example.org' });
    const msg = await prompt(loop, loop.runs[1]);
    expect(msg.click).toMatch(/^https:\/\/knees\.example\.org\/runs\//);
    for (const a of msg.actions ?? []) expect(a.url).toBe(`${loop.ntfy.url}/${loop.replyTopic}`);
    await loop.tap('No pain', 1);
    const [, noted] = await loop.ntfy.waitForMessages(TOPIC, 2);
    const open = noted?.actions?.find((a) => a.label === 'Open in kneecheck');
    expect(open?.url).toBe(
      `https://knees.example.org/runs/${encodeURIComponent(loop.runs[1]?.id ?? '')}`,
    );
    expect(published(loop)).not.toContain(SECRETS.KNEECHECK_TOKEN);
  });

  it('a runner who stops halfway gets a check 30 minutes after the last answer, with what was said', async () => {
    loop = await answerLoop();
    await prompt(loop, loop.runs[1]);
    await loop.tap('Some pain', 1);
    await loop.ntfy.waitForMessages(TOPIC, 2);
    await loop.tap('Front', 2);
    await loop.ntfy.waitForMessages(TOPIC, 3);
    loop.advance(29);
    expect(await loop.sub.sweep()).toBe(0);
    loop.advance(2);
    expect(await loop.sub.sweep()).toBe(1);
    const [check] = loop.store.checks.forRun(loop.runs[1]?.id ?? ('' as never));
    // "Some pain" is 1–5 until "how much" says more: its top counts.
    expect(check).toMatchObject({ pain: 5, where: ['front'], knee: null, via: 'notification' });
    expect(check?.note).toContain('stopped answering');
    // The question left open ("Which knee?") has expired with it.
    const stale = loop.ntfy.messages(TOPIC).find((m) => m.title === 'Which knee?');
    if (!stale) throw new Error('the knee question was sent');
    await loop.ntfy.tap(stale, 'Left');
    await loop.sub.handled(3);
    expect(loop.store.checks.forRun(loop.runs[1]?.id ?? ('' as never))).toHaveLength(1);
    expect(loop.logs()).toContain('ignored a reply');
  });
});
