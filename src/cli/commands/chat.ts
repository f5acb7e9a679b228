import os from 'node:os';
import { runTerminalChat } from '../../bots/terminal/chat.ts';
import { fixedClock, systemClock } from '../../clock.ts';
import { type Command, stringOption } from '../command.ts';

export const chatCommand: Command = {
  name: 'chat',
  summary: 'Ask Signpost questions in the terminal, as in Slack or Teams (type "quit" or Ctrl-D to leave)',
  usage: 'chat [--user <id>] [--name <text>]',
  options: { user: { type: 'string' }, name: { type: 'string' } },
  async run(ctx, args) {
    // --now fixes the clock for the whole session; otherwise time moves on as the chat goes.
    const clock = typeof args.values.now === 'string' ? fixedClock(ctx.now) : systemClock;
    // The same conversation as the chat inside `npm start` (one builder for both).
    const conversation = await ctx.chat(clock);
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
