import { EXIT } from '../errors.ts';
import { currentAdvice } from '../history.ts';
import { activeChannels } from '../notify/deliver.ts';
import type { NotifyDeps } from '../notify/deps.ts';
import { runDue } from '../notify/index.ts';
import { channelSettings } from '../notify/registry.ts';
import { displayUrl } from '../notify/channels/http.ts';
import { replyTopicUrl } from '../notify/channels/ntfy.ts';
import { replyRoundTrip, testReplyButtons } from '../notify/reply-check.ts';
import { peekReplyTopic, replyTopic } from '../notify/reply-topic.ts';
import { testMessage } from '../notify/templates.ts';
import type { Store } from '../store/index.ts';
import { maskSecrets } from '../log.ts';
import { secretValues } from '../config/index.ts';
import { printJson, type CommandContext } from './context.ts';

function withStore<T>(
  ctx: CommandContext,
  fn: (deps: NotifyDeps, store: Store) => Promise<T>,
): Promise<T> {
  const store = ctx.openStore();
  const deps: NotifyDeps = { store, config: ctx.config, now: ctx.now, log: ctx.log };
  return fn(deps, store).finally(() => store.close());
}

/**
 * `kneecheck notify test`: sends a test message to each configured channel right away (not through
 * the outbox: a test is not retried) and prints each result. Exit 1 when any channel failed.
 * With ntfy, also whether an answer to the test prompt comes back through the server (the
 * `ntfy replies` line; reported, not counted in the exit code).
 */
export function notifyTestCommand(opts: { json?: boolean }, ctx: CommandContext): Promise<number> {
  return withStore(ctx, async (deps, store) => {
    const replies = ctx.config.notify.ntfyUrl !== null;
    const topic = replies ? replyTopic(store, ctx.now()) : null;
    const buttons = testReplyButtons();
    const message = {
      ...testMessage({
        config: ctx.config,
        advice: currentAdvice(store, ctx.config, ctx.now()),
        recentRuns: [],
        now: ctx.now(),
      }),
      ...(replies ? { reply: buttons } : {}),
    };
    const secrets = [...secretValues(ctx.config), ...(topic === null ? [] : [topic])];
    const results: { channel: string; ok: boolean; error: string | null }[] = [];
    for (const ch of await activeChannels(deps)) {
      try {
        await ch.send(message, {
          config: ctx.config,
          log: ctx.log,
          signal: AbortSignal.timeout(10_000),
          replyTopic: topic,
        });
        results.push({ channel: ch.name, ok: true, error: null });
      } catch (e) {
        const error = maskSecrets(e instanceof Error ? e.message : String(e), secrets);
        results.push({ channel: ch.name, ok: false, error });
      }
    }
    const delivered = results.every((r) => r.ok);
    // The answer buttons publish to the reply topic: check the round trip through the server.
    // Reported beside the channels; it does not change the exit code (every channel delivered).
    if (topic !== null && results.some((r) => r.channel === 'ntfy' && r.ok)) {
      const trip = await replyRoundTrip(ctx.config, topic, buttons);
      results.push({ channel: `ntfy replies (${trip.where})`, ok: trip.ok, error: trip.error });
    }
    if (opts.json) printJson(ctx, results);
    else {
      for (const r of results) {
        const replies = r.channel.startsWith('ntfy replies');
        const mark = r.ok ? 'ok    ' : replies ? 'NO    ' : 'FAILED';
        const why = replies && !r.ok ? ' (prompts arrive, but their buttons cannot answer)' : '';
        ctx.stdout.write(`${mark} ${r.channel}${r.error ? `: ${r.error}` : ''}${why}\n`);
      }
      if (results.length <= 1) {
        ctx.stdout.write(
          'Only the console channel is on. Set NOTIFY_NTFY_URL, NOTIFY_WEBHOOK_URL, ' +
            'NOTIFY_SMTP_URL + NOTIFY_EMAIL_TO or NOTIFY_DESKTOP=1 to get prompts elsewhere.\n',
        );
      }
    }
    return delivered ? EXIT.ok : EXIT.someFailed;
  });
}

/** `kneecheck notify status`: channels with masked settings, and what waits in the outbox. */
export function notifyStatusCommand(
  opts: { json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  return withStore(ctx, (_deps, store) => {
    const channels = channelSettings(ctx.config);
    const item = (i: ReturnType<typeof store.outbox.list>[number]) => ({
      id: i.id,
      channel: i.channel,
      kind: i.kind,
      runId: i.runId,
      attempts: i.attempts,
      due: new Date(i.dueUnix * 1000).toISOString(),
      lastError: i.lastError,
      createdAt: i.createdAt,
    });
    const pending = store.outbox.list(['pending', 'sending']).map(item);
    const failed = store.outbox.list(['failed']).map(item);
    const topic = peekReplyTopic(store);
    const replies =
      ctx.config.notify.ntfyUrl === null
        ? null
        : topic === null
          ? 'not made yet (made when the first prompt is sent or `kneecheck start` runs)'
          : maskSecrets(displayUrl(replyTopicUrl(ctx.config.notify.ntfyUrl, topic)), [topic]);
    const status = { channels, replies, outbox: store.outbox.counts(), pending, failed };
    if (opts.json) printJson(ctx, status);
    else {
      for (const c of channels) {
        const settings = c.settings.map((s) => `${s.env}=${s.value ?? '(unset)'}`).join(' ');
        ctx.stdout.write(`${c.enabled ? 'on ' : 'off'} ${c.name.padEnd(8)} ${settings}\n`);
      }
      if (replies !== null) ctx.stdout.write(`    answers  ntfy reply topic ${replies}\n`);
      const n = status.outbox;
      ctx.stdout.write(
        `\nOutbox: ${n.pending + n.sending} pending, ${n.sent} sent, ${n.failed} failed.\n`,
      );
      for (const p of [...pending, ...failed]) {
        ctx.stdout.write(
          `  ${p.kind} via ${p.channel} (run ${p.runId ?? '–'}), ${p.attempts} attempt(s)` +
            `${p.lastError ? `: ${p.lastError}` : ''}\n`,
        );
      }
    }
    return Promise.resolve(EXIT.ok);
  });
}

/** `kneecheck notify run-due`: follow-ups, reminders and retries that are due, sent once. */
export function notifyRunDueCommand(
  opts: { json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  return withStore(ctx, async (deps) => {
    const report = await runDue(deps);
    if (opts.json) printJson(ctx, report);
    else {
      ctx.stdout.write(
        `Sent ${report.sent}, ${report.retrying} waiting to be retried, ${report.failed} given up.\n`,
      );
    }
    return EXIT.ok;
  });
}
