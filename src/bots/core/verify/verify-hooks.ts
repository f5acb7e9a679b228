import { z } from 'zod';
import { type ReportedRow, roleOf, type VerifyQueue, type VerifyRow } from '../../../catalogue/verify/verify-queue.ts';
import type { Clock } from '../../../clock.ts';
import type { Logger } from '../../../logger.ts';
import { ACTION } from '../action-ids.ts';
import type { Actor, InboundAction, InboundMessage } from '../inbound.ts';
import { parseActionValue } from '../replies/action-values.ts';
import { context, heading, type Reply, type ReplyBlock, text } from '../reply.ts';
import { verifyButtons, verifyListItem } from './verify-replies.ts';

/** `verify` in chat and the queue's *Still running* / *Has closed* buttons (coordinators only). */
export type VerifyHooks = {
  /** The first page of the queue for `verify`; undefined when the message is not that command. */
  command(message: InboundMessage): Promise<Reply | undefined>;
  /** `verify.confirm` and `verify.close`, with their raw value. */
  handleAction(action: InboundAction): Promise<Reply>;
  /** The same first page for a coordinator (the Slack App Home shows it); undefined for anyone else. */
  queueFor(actor: Actor): Promise<Reply | undefined>;
  /** What a closed listing's details say instead ("has closed"); undefined when a coordinator did not close it. */
  closedNotice(entryId: string): Promise<Reply | undefined>;
};

/** How many listings one `verify` shows: checking them off takes them out, so the next `verify` shows the rest. */
export const VERIFY_PAGE_SIZE = 5;

export const VerifyValueSchema = z.object({ id: z.guid() });

const VERIFY = /^\/?(?:verify|verify listings|verification queue|listings to verify)[.!?]?$/i;

export const NOT_FOR_STAFF =
  'Checking listings is for coordinators. Ask a coordinator, or search as usual (for example “lunch club in Kilburn”).';

const say = (body: string): Reply => ({ fallbackText: body, blocks: [text(body)], ephemeral: true });

export function createVerifyHooks(deps: {
  queue: VerifyQueue;
  clock: Clock;
  logger: Logger;
  /** Offer *Edit* (the coordinators' entry form) on coordinator entries; other listings change at their source. */
  canEdit: boolean;
}): VerifyHooks {
  const log = deps.logger.child('verify');

  const reportLine = (r: ReportedRow) =>
    `Staff reported: ${[r.closedReports ? `has closed (${r.closedReports})` : '', r.wrongReports ? `details wrong (${r.wrongReports})` : ''].filter(Boolean).join(', ')}`;
  const confirmedLine = (r: VerifyRow) =>
    `${r.source} · ${r.lastConfirmed ? `last confirmed ${r.lastConfirmed}` : 'never confirmed'}`;

  async function page(): Promise<Reply> {
    const now = deps.clock.now();
    const since = deps.queue.dueBefore(now);
    const reported = await deps.queue.reported(VERIFY_PAGE_SIZE);
    const { items, total } = await deps.queue.list(now, { limit: VERIFY_PAGE_SIZE });
    if (total === 0 && reported.total === 0)
      return say(`Every listing has been confirmed since ${since}. Nothing to check.`);
    const shown = new Set(reported.items.map((r) => r.id));
    const due = items.filter((r) => !shown.has(r.id));
    const rest = total - items.length;
    const blocks: ReplyBlock[] = [];
    if (reported.total > 0) {
      blocks.push(
        heading(`Reported by staff: ${reported.total} listing${reported.total === 1 ? '' : 's'}`),
        text('“Still running” answers a “has closed” report; “Has closed” answers them all.'),
        {
          type: 'list',
          items: reported.items.map((r) => ({
            title: r.title,
            lines: [reportLine(r), confirmedLine(r)],
            buttons: verifyButtons(r, deps),
          })),
        },
      );
    }
    if (total > 0) {
      blocks.push(
        heading(`Listings to check: ${total} not confirmed since ${since}`),
        text('Oldest first. Is each one still running?'),
      );
      if (due.length) blocks.push({ type: 'list', items: due.map((r) => verifyListItem(r, deps)) });
    }
    blocks.push(
      context(
        rest > 0
          ? `…and ${rest} more. Say “verify” again for the next ones; the whole list: \`signpost verify list\`.`
          : 'Partner feeds’ listings change at their source; closing one here keeps it closed when the feed sends it again.',
      ),
    );
    const fallback = [
      reported.total > 0 ? `${reported.total} listings reported by staff.` : '',
      total > 0 ? `${total} listings to check, not confirmed since ${since}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return { fallbackText: fallback, blocks, ephemeral: true };
  }

  return {
    async command(message) {
      if (!VERIFY.test(message.text.trim())) return undefined;
      if (!message.isCoordinator) return say(NOT_FOR_STAFF);
      return page();
    },
    async handleAction(action) {
      if (!action.isCoordinator) return say(NOT_FOR_STAFF);
      const value = parseActionValue(VerifyValueSchema, action.value);
      if (!value) {
        log.warn('verify value refused', { platform: action.platform, length: action.value.length });
        return say('That button has expired. Say “verify” to see the listings to check.');
      }
      const now = deps.clock.now();
      const role = roleOf(action.platform);
      const closing = action.action === ACTION.verifyClose;
      const outcome = closing
        ? await deps.queue.close(value.id, now, role)
        : await deps.queue.confirm(value.id, now, role);
      if (!outcome.ok) return say('That listing is no longer in the catalogue.');
      log.info(closing ? 'listing closed by a coordinator' : 'listing confirmed by a coordinator', {
        platform: action.platform,
        id: value.id,
      });
      const title = outcome.listing.title;
      return say(
        closing
          ? `Marked “${title}” as closed. It no longer shows in search, and stays closed if its source sends it again.`
          : `Thank you: “${title}” is confirmed as still running today.`,
      );
    },
    async queueFor(actor) {
      return actor.isCoordinator ? page() : undefined;
    },
    async closedNotice(entryId) {
      const closed = await deps.queue.closure(entryId);
      if (!closed) return undefined;
      const body = `“${closed.title}” has closed: a coordinator checked on ${closed.closedOn}, so it no longer shows in search. Please search again for something similar.`;
      return { fallbackText: body, blocks: [heading('Has closed'), text(body)] };
    },
  };
}
