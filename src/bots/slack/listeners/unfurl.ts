import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { listingIdFromUrl } from '../../../catalogue/pages/listing-link.ts';
import type { Logger } from '../../../logger.ts';
import { withBoundary } from '../error-boundary.ts';
import type { SlackBlock } from '../render-blocks.ts';
import type { WorkQueue } from '../../core/work-queue.ts';
import { type ListingShareDeps, listingCardBlocks } from './share.ts';

/** Slack sends a few links per event; more than this in one message are left as they are. */
const MAX_LINKS = 10;

const LinkSharedSchema = z.object({
  channel: z.string().min(1),
  message_ts: z.string().min(1),
  unfurl_id: z.string().optional(),
  source: z.string().max(50).optional(),
  links: z.array(z.object({ url: z.string().max(3000), domain: z.string().optional() })).max(50),
});

type LinkSharedArgs = SlackEventMiddlewareArgs<'link_shared'> & AllMiddlewareArgs;

/**
 * `link_shared`: links to this server's listing pages (the manifest's `unfurl_domains`) unfurl with the listing's
 * card through `chat.unfurl`. Links in a message being written (`source: composer`) are unfurled by their
 * `unfurl_id`. Other links of the domain, and listings no longer listed, are left as plain links.
 */
export function linkShared(deps: { listings: ListingShareDeps; logger: Logger; queue: WorkQueue }) {
  const log = deps.logger.child('slack');
  return async ({ event, client }: LinkSharedArgs): Promise<void> => {
    const parsed = LinkSharedSchema.safeParse(event);
    if (!parsed.success) {
      log.warn('malformed link_shared event ignored', { issues: parsed.error.issues.length });
      return;
    }
    const shared = parsed.data;
    deps.queue.defer(() =>
      withBoundary(
        log,
        'link_shared',
        async () => {
          const now = deps.listings.clock.now();
          const unfurls: Record<string, { blocks: SlackBlock[] }> = {};
          for (const link of shared.links.slice(0, MAX_LINKS)) {
            const id = listingIdFromUrl(deps.listings.publicUrl, link.url);
            if (!id || unfurls[link.url]) continue;
            const result = await deps.listings.search.getResult(id, now);
            if (result) unfurls[link.url] = { blocks: listingCardBlocks(result, now, deps.listings.publicUrl).blocks };
          }
          if (Object.keys(unfurls).length === 0) return;
          const source =
            shared.source === 'composer' || shared.source === 'conversations_history' ? shared.source : undefined;
          await client.chat.unfurl(
            shared.unfurl_id && source
              ? { unfurl_id: shared.unfurl_id, source, unfurls }
              : { channel: shared.channel, ts: shared.message_ts, unfurls },
          );
          log.info('listing links unfurled', { links: Object.keys(unfurls).length });
        },
        async () => undefined,
      ),
    );
  };
}
