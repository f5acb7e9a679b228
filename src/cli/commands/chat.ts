import os from 'node:os';
import { createBookingHooks } from '../../bots/core/bookings/booking-hooks.ts';
import { createConversation } from '../../bots/core/conversation.ts';
import { BookingService } from '../../catalogue/booking/booking-service.ts';
import { createDatabaseSearch } from '../../catalogue/search/database-search.ts';
import { runTerminalChat } from '../../bots/terminal/chat.ts';
import { fixedClock, systemClock } from '../../clock.ts';
import { createDigestHooks } from '../../scheduler/digest-hooks.ts';
import { createPrismaSubscriptionRepository } from '../../scheduler/prisma-subscription-repository.ts';
import { type Command, stringOption } from '../command.ts';

export const chatCommand: Command = {
  name: 'chat',
  summary: 'Ask Signpost questions in the terminal, as in Slack or Teams (type "quit" or Ctrl-D to leave)',
  usage: 'chat [--user <id>] [--name <text>]',
  options: { user: { type: 'string' }, name: { type: 'string' } },
  async run(ctx, args) {
    const store = await ctx.store();
    // --now fixes the clock for the whole session; otherwise time moves on as the chat goes.
    const clock = typeof args.values.now === 'string' ? fixedClock(ctx.now) : systemClock;
    const search = createDatabaseSearch(store);
    const offerHours = ctx.config.offerHours;
    const conversation = createConversation({
      search,
      clock,
      logger: ctx.logger.child('conversation'),
      hooks: {
        bookings: createBookingHooks({ bookings: new BookingService(store, { offerHours }), search, clock, offerHours }),
        digests: createDigestHooks({ store, subscriptions: createPrismaSubscriptionRepository(store), clock, logger: ctx.logger }),
      },
    });
    const name = stringOption(args, 'name');
    const interactive = (ctx.stdin as Partial<NodeJS.ReadStream>).isTTY === true;
    const answered = await runTerminalChat({
      conversation,
      input: ctx.stdin,
      output: interactive ? process.stdout : ctx.stdout,
      interactive,
      user: {
        userId: stringOption(args, 'user') ?? safeUserName(),
        ...(name ? { displayName: name } : {}),
        isCoordinator: true,
      },
      attachmentDir: ctx.cwd,
    });
    return { json: { answered }, text: '' };
  },
};

function safeUserName(): string {
  try {
    return os.userInfo().username || 'terminal';
  } catch {
    return 'terminal';
  }
}
