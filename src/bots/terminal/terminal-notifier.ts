import type { DeliveryTarget, Notifier } from '../core/ports.ts';
import type { Reply } from '../core/reply.ts';
import { renderText } from './render-text.ts';

/** A Notifier for the `terminal` platform: prints each message, under a line naming its channel, to a stream. */
export function createTerminalNotifier(out: { write(text: string): void }): Notifier {
  return {
    platform: 'terminal',
    async post(target: DeliveryTarget, reply: Reply) {
      const rendered = renderText(reply).text.replace(/\s+$/, '');
      out.write(`── to ${target.channelRef} ──\n${rendered}\n\n`);
    },
  };
}
