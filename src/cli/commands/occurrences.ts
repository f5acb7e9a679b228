import { parseLondonDateTime } from '../../catalogue/time.ts';
import { type Command, stringOption, UsageError } from '../command.ts';

export const occurrencesCommand: Command = {
  name: 'occurrences',
  summary: 'List dated occurrences starting in [from, to)',
  usage: 'occurrences --from <date> --to <date> [--source <name>] [--include-cancelled]',
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    source: { type: 'string' },
    'include-cancelled': { type: 'boolean' },
  },
  async run(ctx, args) {
    const fromText = stringOption(args, 'from');
    const toText = stringOption(args, 'to');
    if (!fromText || !toText) throw new UsageError('occurrences needs --from and --to (dates such as 2026-12-01)');
    const from = parseLondonDateTime(fromText);
    const to = parseLondonDateTime(toText);
    if (!from) throw new UsageError(`--from "${fromText}" is not a date or ISO 8601 time`);
    if (!to) throw new UsageError(`--to "${toText}" is not a date or ISO 8601 time`);
    if (to < from) throw new UsageError('--to is before --from');
    const source = stringOption(args, 'source');
    const repo = await ctx.catalogue();
    const rows = await repo.listOccurrences({
      from,
      to,
      ...(source ? { source } : {}),
      includeCancelled: args.values['include-cancelled'] === true,
    });
    const text = rows.length
      ? rows
          .map(
            (o) =>
              `${o.allDay ? `${o.start} (all day)` : `${o.start} – ${o.end}`}  ${o.title}  [${o.source}]${o.status === 'cancelled' ? ' CANCELLED' : ''}`,
          )
          .join('\n')
      : 'No occurrences in that period.';
    return { json: rows, text };
  },
};
