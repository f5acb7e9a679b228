import { type Command, stringOption } from '../command.ts';

export const entriesCommand: Command = {
  name: 'entries',
  summary: 'List catalogue entries with their fields',
  usage: 'entries [--source <name>] [--include-removed]',
  options: { source: { type: 'string' }, 'include-removed': { type: 'boolean' } },
  async run(ctx, args) {
    const source = stringOption(args, 'source');
    const repo = await ctx.catalogue();
    const entries = await repo.listEntries({
      ...(source ? { source } : {}),
      includeRemoved: args.values['include-removed'] === true,
    });
    const text = entries.length
      ? entries
          .map((e) => {
            const where = e.venue?.ward ? ` · ${e.venue.ward}` : e.venue?.online ? ' · online' : '';
            return `${e.kind.padEnd(8)} ${e.title}${where}  [${e.source}]${e.status !== 'active' ? ` (${e.status.replace('_', ' ')})` : ''}`;
          })
          .join('\n') + `\n${entries.length} entries`
      : 'No entries.';
    return { json: entries, text };
  },
};
