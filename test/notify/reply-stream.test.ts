import { afterEach, describe, expect, it } from 'vitest';
import type { RunId } from '../../src/model.ts';
import { SECRETS } from '../web/support.ts';
import { answerLoop, prompt, TOPIC, type Loop } from './reply-harness.ts';

let loop: Loop;
afterEach(() => loop.close());

const checksOf = (l: Loop, i: number) => l.store.checks.forRun(l.runs[i]?.id ?? ('' as RunId));

/** Publishes `body` to the reply topic as anyone who learnt the topic's name could. */
async function publishReply(l: Loop, body: string): Promise<void> {
  const res = await fetch(`${l.ntfy.url}/${l.replyTopic}`, { method: 'POST', body });
  expect(res.status).toBe(200);
}

describe('the reply stream', () => {
  it('subscribes with NOTIFY_NTFY_TOKEN and never logs the reply topic or a token', async () => {
    loop = await answerLoop();
    await prompt(loop, loop.runs[1]);
    await loop.tap('No pain', 1);
    const gets = loop.ntfy.requests.filter((r) => r.method === 'GET');
    expect(gets[0]?.url).toBe(`/${loop.replyTopic}/json?since=all`);
    expect(gets[0]?.headers.authorization).toBe(`Bearer ${SECRETS.NOTIFY_NTFY_TOKEN}`);
    expect(loop.logs()).toContain('listening for answers');
    expect(loop.logs()).not.toContain(loop.replyTopic);
    expect(loop.logs()).not.toContain(SECRETS.NOTIFY_NTFY_TOKEN);
  });

  it('a connection dropped mid-series is reopened after the last answer handled, and the series goes on', async () => {
    loop = await answerLoop();
    await prompt(loop, loop.runs[1]);
    await loop.tap('Some pain', 1);
    await loop.tap('Front', 2);
    await loop.ntfy.waitForMessages(TOPIC, 3);
    const lastId = loop.ntfy.messages(loop.replyTopic).at(-1)?.id ?? '';
    loop.ntfy.dropStreams();
    // Answers tapped while the daemon is not connected wait on the server.
    await loop.tap('Right', 3);
    expect(loop.ntfy.subscriptions.at(-1)).toBe(`?since=${lastId}`);
    for (const [i, label] of ['1–3', 'None'].entries()) {
      await loop.ntfy.waitForMessages(TOPIC, 4 + i);
      await loop.tap(label, 4 + i);
    }
    expect(checksOf(loop, 1)).toMatchObject([{ pain: 3, where: ['front'], knee: 'right' }]);
  });

  it('an answer tapped while the daemon was stopped is applied when it starts again', async () => {
    loop = await answerLoop();
    await prompt(loop, loop.runs[1]);
    await loop.stop();
    expect(await loop.ntfy.tap(loop.latest(), 'No pain')).toBe(200);
    loop.restart();
    await loop.sub.handled(1);
    expect(checksOf(loop, 1)).toMatchObject([{ pain: 0, via: 'notification' }]);
    // The second start resumed: nothing handled before the stop is handled twice.
    const handled = loop.ntfy.messages(loop.replyTopic).at(-1)?.id ?? '';
    loop.advance(1);
    await loop.stop();
    loop.restart();
    await publishReply(loop, 'not an answer');
    expect(loop.ntfy.subscriptions.at(-1)).toBe(`?since=${handled}`);
    await loop.sub.handled(1);
    expect(checksOf(loop, 1)).toHaveLength(1);
  });

  it('an answer delivered twice, tapped twice, forged or for an unknown prompt is ignored and logged', async () => {
    loop = await answerLoop();
    const msg = await prompt(loop, loop.runs[1]);
    const noPain = msg.actions?.find((a) => a.label === 'No pain')?.body ?? '';
    const answer = JSON.parse(noPain) as Record<string, unknown>;
    await loop.tap('No pain', 1);
    await publishReply(loop, noPain); // ntfy delivering it again
    await loop.ntfy.tap(msg, 'Hurts'); // a second tap on the same prompt
    await publishReply(loop, JSON.stringify({ ...answer, answer: 'hurts', nonce: 'guessed' }));
    await publishReply(loop, JSON.stringify({ ...answer, promptId: 'made-up' }));
    await publishReply(loop, JSON.stringify({ ...answer, v: 2 }));
    await loop.sub.handled(6);
    expect(checksOf(loop, 1)).toMatchObject([{ pain: 0 }]);
    const ignored = loop
      .logs()
      .split('\n')
      .filter((l) => l.includes('ignored a reply'));
    expect(ignored.join('\n')).toContain('answered already');
    expect(ignored.join('\n')).toContain('forged');
    expect(ignored.join('\n')).toContain('no prompt with this id');
    expect(ignored).toHaveLength(5);
    // Only the prompt and the one "Noted" went out.
    expect(loop.ntfy.messages(TOPIC)).toHaveLength(2);
  });

  it('two prompts answered out of order each record their own run', async () => {
    loop = await answerLoop();
    const early = await prompt(loop, loop.runs[0]);
    const late = await prompt(loop, loop.runs[1]);
    expect(early.sequence_id).not.toBe(late.sequence_id);
    await loop.ntfy.tap(late, 'Some pain');
    await loop.sub.handled(1);
    await loop.ntfy.tap(early, 'No pain');
    await loop.sub.handled(2);
    for (const [i, label] of ['Back or other…', 'Back', 'Both', '1–3', 'None'].entries()) {
      const question = loop.ntfy
        .messages(TOPIC)
        .filter((m) => m.sequence_id === late.sequence_id)
        .at(-1);
      if (!question) throw new Error('the late run has a question open');
      await loop.ntfy.tap(question, label);
      await loop.sub.handled(3 + i);
    }
    expect(checksOf(loop, 0)).toMatchObject([{ pain: 0, via: 'notification' }]);
    expect(checksOf(loop, 1)).toMatchObject([{ pain: 3, where: ['back'], knee: 'both' }]);
  });
});
