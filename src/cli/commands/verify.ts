import { createVerifyQueue, toVerifyListItem, type VerifyRow } from '../../catalogue/verify/verify-queue.ts';
import { type Command, CommandError, UsageError } from '../command.ts';

const USAGE = 'verify list [--json] | verify confirm <id> | verify close <id>';

const describe = (r: VerifyRow) => `${r.id}  ${(r.lastConfirmed ?? 'never').padEnd(10)}  ${r.source}  ${r.title}`;

/** The coordinators' verification queue: listings not confirmed for VERIFY_AFTER_MONTHS, and checking them off. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Listings not confirmed for VERIFY_AFTER_MONTHS (oldest first); confirm one as still running, or close it',
  usage: USAGE,
  options: {},
  async run(ctx, args) {
    const [sub, id, extra] = args.positionals;
    const queue = createVerifyQueue(await ctx.database(), { afterMonths: ctx.config.verifyAfterMonths });
    if (sub === 'list' && id === undefined) {
      const { items } = await queue.list(ctx.now);
      const text = items.length
        ? [`${items.length} listings not confirmed since ${queue.dueBefore(ctx.now)}:`, ...items.map(describe)].join(
            '\n',
          )
        : `Every listing has been confirmed since ${queue.dueBefore(ctx.now)}.`;
      return { json: items.map(toVerifyListItem), text };
    }
    if ((sub === 'confirm' || sub === 'close') && id && extra === undefined) {
      const outcome =
        sub === 'confirm'
          ? await queue.confirm(id, ctx.now, 'command line')
          : await queue.close(id, ctx.now, 'command line');
      if (!outcome.ok) throw new CommandError('VERIFY.NOT_FOUND', `No listing with id ${id} in the catalogue.`);
      const { listing } = outcome;
      const text =
        sub === 'confirm'
          ? `Confirmed “${listing.title}” as still running.`
          : `Closed “${listing.title}”: it no longer shows in search.`;
      return { json: { ...toVerifyListItem(listing), status: listing.status }, text };
    }
    throw new UsageError(USAGE);
  },
};
