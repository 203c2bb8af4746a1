import type { Channel } from '../types.ts';

/**
 * The log: every message also goes to the daemon's or command's logger, so a runner without any
 * channel configured still sees the prompts. Always on, reads no settings.
 */
export default {
  name: 'console',
  settings: () => [],
  enabled: () => true,
  send(message, ctx) {
    ctx.log.info(message.title, {
      channel: 'console',
      type: message.type,
      runId: message.runId,
      text: message.message,
      checkUrl: message.checkUrl,
    });
    return Promise.resolve();
  },
} satisfies Channel;
