import { type Command, stringOption, UsageError } from '../command.ts';

export const unsubscribeCommand: Command = {
  name: 'unsubscribe',
  summary: 'Stop a digest subscription',
  usage: 'unsubscribe --id <subscription id>',
  options: { id: { type: 'string' } },
  async run(ctx, args) {
    const id = stringOption(args, 'id');
    if (!id) throw new UsageError('--id <subscription id> is required');
    const done = await (await ctx.subscriptions()).deactivate(id, ctx.now);
    if (!done) throw new UsageError(`No active subscription with id ${id}`);
    return { json: { id, unsubscribed: true }, text: `Unsubscribed ${id}.` };
  },
};
