import { toLondonIso } from '../../catalogue/time.ts';
import { nextRunAt } from '../../scheduler/digest-schedule.ts';
import { DigestModeSchema, DigestFiltersSchema } from '../../scheduler/select-digest-items.ts';
import {
  describeFilters,
  describeSchedule,
  PlatformSchema,
  SubscriptionInputError,
} from '../../scheduler/subscriptions.ts';
import { type Command, listOption, stringOption, UsageError } from '../command.ts';

export const subscribeCommand: Command = {
  name: 'subscribe',
  summary: 'Subscribe a Slack or Teams channel (or the terminal) to a digest',
  usage:
    'subscribe --platform slack|teams|terminal --channel <id> --when <"daily 08:00" | "weekly mon 09:00" | cron> ' +
    '[--ward <name>]… [--category <name>]… [--audience <name>]… [--kind activity|training|resource]… [--mode new|highlights|both] [--verify] ' +
    '[--workspace <Slack team / Teams tenant id>] [--by <who>]',
  options: {
    platform: { type: 'string' },
    channel: { type: 'string' },
    when: { type: 'string' },
    ward: { type: 'string', multiple: true },
    category: { type: 'string', multiple: true },
    audience: { type: 'string', multiple: true },
    kind: { type: 'string', multiple: true },
    mode: { type: 'string' },
    verify: { type: 'boolean' },
    workspace: { type: 'string' },
    by: { type: 'string' },
  },
  async run(ctx, args) {
    const platform = PlatformSchema.safeParse(stringOption(args, 'platform'));
    if (!platform.success) throw new UsageError('--platform is slack, teams or terminal');
    const channel = stringOption(args, 'channel');
    if (!channel) throw new UsageError('--channel <id> is required');
    const when = stringOption(args, 'when');
    if (!when) throw new UsageError('--when is required, e.g. --when "daily 08:00" or --when "0 8 * * 1-5"');
    const mode = DigestModeSchema.safeParse(stringOption(args, 'mode') ?? 'both');
    if (!mode.success) throw new UsageError('--mode is new, highlights or both');
    const filters = DigestFiltersSchema.safeParse({
      wards: listOption(args, 'ward'),
      categories: listOption(args, 'category'),
      audiences: listOption(args, 'audience'),
      kinds: listOption(args, 'kind'),
    });
    if (!filters.success) throw new UsageError('--kind is activity, training or resource');
    const repo = await ctx.subscriptions();
    const workspace = stringOption(args, 'workspace');
    try {
      const sub = await repo.create(
        {
          platform: platform.data,
          channelRef: channel,
          ...(workspace ? { workspace } : {}),
          when,
          filters: filters.data,
          mode: mode.data,
          checks: args.values.verify === true,
          createdBy: stringOption(args, 'by') ?? 'cli',
        },
        ctx.now,
      );
      const next = nextRunAt(sub.schedule, ctx.now, sub.timezone);
      const what = describeFilters(sub.filters);
      return {
        json: { id: sub.id, checks: sub.checks },
        text:
          `Subscribed ${sub.platform} ${sub.channelRef}: ${describeSchedule(sub)}${what ? `, for ${what}` : ''} (${sub.mode}${sub.checks ? ', with the listings to check' : ''}).\n` +
          `id ${sub.id}; next digest ${next ? toLondonIso(next) : 'never'}`,
      };
    } catch (error) {
      if (error instanceof SubscriptionInputError) throw new UsageError(error.message);
      throw error;
    }
  },
};
