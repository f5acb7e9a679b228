import { listFlags, resolveFlag, FLAG_LABELS } from '../../insights/flags.ts';
import { toCsv } from '../../insights/csv.ts';
import { type Command, stringOption, UsageError } from '../command.ts';

export const flagsCommand: Command = {
  name: 'flags',
  summary: 'Listings staff reported as closed or wrong; resolve one when it is dealt with',
  usage: 'flags [--status open|resolved|all] [--csv] | flags resolve <id>',
  options: { status: { type: 'string' }, csv: { type: 'boolean' } },
  async run(ctx, args) {
    const db = await ctx.database();
    if (args.positionals[0] === 'resolve') {
      const id = args.positionals[1];
      if (!id) throw new UsageError('flags resolve <id>');
      const ok = await resolveFlag(db, id, ctx.now);
      if (!ok) throw new UsageError(`No open flag with id ${id}`);
      return { json: { id, status: 'resolved' }, text: 'Resolved.' };
    }
    const status = stringOption(args, 'status') ?? 'open';
    if (status !== 'open' && status !== 'resolved' && status !== 'all')
      throw new UsageError('--status is open, resolved or all');
    const flags = await listFlags(db, { status });
    if (args.values.csv) return { json: flags, text: toCsv(flags).trimEnd() };
    const text = flags.length
      ? flags
          .map(
            (f) =>
              `${f.id}  ${f.createdAt.slice(0, 10)}  ${f.status.padEnd(8)}  ${FLAG_LABELS[f.kind]}: ${f.title ?? '(removed listing)'}${f.note ? ` — ${f.note}` : ''}${f.contact ? `  [${f.contact}]` : ''}`,
          )
          .join('\n')
      : 'No reported problems.';
    return { json: flags, text };
  },
};
