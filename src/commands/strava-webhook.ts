import { ConfigError, EXIT } from '../errors.ts';
import { openSession } from '../strava/session.ts';
import { maskWebhookUrl, webhookCallbackUrl, webhookSecret } from '../strava/webhook-secret.ts';
import { printJson, type CommandContext } from './context.ts';
import { withStrava } from './strava.ts';

/**
 * The daemon's webhook route with its secret segment, under KNEECHECK_PUBLIC_URL unless a base
 * URL is given (`https://runner.example` or the older `https://runner.example/webhooks/strava`).
 */
function callbackUrl(ctx: CommandContext, given: string | undefined, secret: string): string {
  if (given !== undefined) {
    if (!URL.canParse(given) || !/^https?:$/.test(new URL(given).protocol)) {
      throw new ConfigError('--callback-url', 'an http(s) URL where Strava reaches the daemon');
    }
    return webhookCallbackUrl(given, secret);
  }
  if (ctx.config.publicUrl === null) {
    throw new ConfigError(
      'KNEECHECK_PUBLIC_URL',
      'the address Strava can reach the kneecheck daemon at (or pass --callback-url)',
    );
  }
  return webhookCallbackUrl(ctx.config.publicUrl, secret);
}

/** `kneecheck strava webhook subscribe|unsubscribe|status`. */
export async function stravaWebhookCommand(
  action: 'subscribe' | 'unsubscribe' | 'status',
  opts: { callbackUrl?: string; json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  return withStrava(ctx, { quiet: true }, async (deps) => {
    const { api } = openSession(deps, false);
    if (action === 'subscribe') {
      const verifyToken = ctx.config.strava.webhookVerifyToken;
      if (verifyToken === null) {
        throw new ConfigError(
          'STRAVA_WEBHOOK_VERIFY_TOKEN',
          'a token of your choice; the daemon checks Strava knows it',
        );
      }
      const url = callbackUrl(ctx, opts.callbackUrl, webhookSecret(deps.store, deps.now));
      const { id } = await api.subscribe(url, verifyToken);
      // The secret segment is a password: never printed.
      const shown = maskWebhookUrl(url);
      if (opts.json) printJson(ctx, { id, callbackUrl: shown });
      else ctx.stdout.write(`Subscribed to Strava events (subscription ${id}) at ${shown}\n`);
      return EXIT.ok;
    }
    const subs = await api.listSubscriptions();
    if (action === 'status') {
      if (opts.json) {
        printJson(
          ctx,
          subs.map((s) => ({
            id: s.id,
            callbackUrl: maskWebhookUrl(s.callback_url),
            createdAt: s.created_at ?? null,
          })),
        );
      } else if (subs.length === 0) {
        ctx.stdout.write(
          'No Strava webhook subscription. Create one with: kneecheck strava webhook subscribe\n',
        );
      } else {
        for (const s of subs) {
          ctx.stdout.write(`Subscription ${s.id}: ${maskWebhookUrl(s.callback_url)}\n`);
        }
      }
      return EXIT.ok;
    }
    for (const s of subs) await api.unsubscribe(s.id);
    if (opts.json) printJson(ctx, { deleted: subs.map((s) => s.id) });
    else {
      ctx.stdout.write(
        subs.length === 0
          ? 'No Strava webhook subscription to delete.\n'
          : `Deleted Strava webhook subscription ${subs.map((s) => s.id).join(', ')}.\n`,
      );
    }
    return EXIT.ok;
  });
}
