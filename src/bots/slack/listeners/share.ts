import type { AllMiddlewareArgs, MessageShortcut, RespondFn, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { listingPageUrl } from '../../../catalogue/pages/listing-url.ts';
import type { CatalogueSearch, SearchResult } from '../../../catalogue/search/types.ts';
import type { Clock } from '../../../clock.ts';
import { EntryValueSchema, parseActionValue } from '../../core/replies/action-values.ts';
import { buildListingCard, listingCardFacts } from '../../core/replies/listing-card.ts';
import type { Logger } from '../../../logger.ts';
import { withBoundary } from '../error-boundary.ts';
import { escapeMrkdwn, truncate } from '../mrkdwn.ts';
import { renderBlocks, type SlackBlock } from '../render-blocks.ts';
import { SLACK_ACTION } from '../slack-action-ids.ts';
import { SLACK_LIMITS } from '../slack-limits.ts';
import { fromSlackText } from '../to-inbound.ts';
import type { WorkQueue } from '../../core/work-queue.ts';

/** A listing posted into a conversation (`/signpost share`): what a follow-up may ask about. Nothing about anyone. */
export type ListingShared = { platform: 'slack'; entryId: string; at: Date; workspace?: string };

/** What sharing listings into any conversation needs: the chat's search, the clock and the listing pages' address. */
export type ListingShareDeps = {
  search: CatalogueSearch;
  clock: Clock;
  /** PUBLIC_URL: cards link to `/l/<id>`, and only links to those pages unfurl. */
  publicUrl: string;
  /** Called once a chosen listing has been posted in a conversation (the one place a share happens). */
  onShare?: (share: ListingShared) => Promise<void>;
};

/** How many listings the pick list offers. */
export const SHARE_CHOICES = 5;
const MAX_WORDS = 500;

export const SHARE_USAGE = 'Type what to share after the word, for example `/signpost share lunch club kentish town`.';

/**
 * A listing's card as Block Kit: the neutral listing card (title, when, where, cost, a link to its page) through the
 * one Slack renderer, so every piece of catalogue text is escaped as in every other answer.
 */
export function listingCardBlocks(
  result: SearchResult,
  now: Date,
  publicUrl: string,
): { text: string; blocks: SlackBlock[] } {
  const rendered = renderBlocks(buildListingCard(result, now, listingPageUrl(publicUrl, result.id)));
  return { text: rendered.text, blocks: rendered.blocks };
}

/**
 * `/signpost share <words>`: a pick list only the asker sees, each listing with a *Post here* button; the words are
 * never posted. An empty `share` says how to use it.
 */
export async function answerShareCommand(
  listings: ListingShareDeps,
  words: string,
  respond: RespondFn,
  options: { fromMessage?: boolean } = {},
): Promise<void> {
  const text = words.trim().slice(0, MAX_WORDS);
  if (!text) {
    await respond({
      response_type: 'ephemeral',
      text: options.fromMessage
        ? 'That message has no words to search for. Try `/signpost share <words>`.'
        : SHARE_USAGE,
    });
    return;
  }
  const now = listings.clock.now();
  const response = await listings.search.search({ text, now, limit: SHARE_CHOICES });
  const results = response.results.slice(0, SHARE_CHOICES);
  if (results.length === 0) {
    await respond({
      response_type: 'ephemeral',
      text: 'Nothing in the catalogue matches that. Try fewer or other words.',
    });
    return;
  }
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: '*Which listing should go into this conversation?*' } },
    ...results.map((result): SlackBlock => {
      const lines = listingCardFacts(result, now).map((f) => escapeMrkdwn(f.value));
      return {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate([`*${escapeMrkdwn(result.title)}*`, ...lines].join('\n'), SLACK_LIMITS.sectionText),
        },
        accessory: {
          type: 'button',
          action_id: SLACK_ACTION.sharePost,
          text: { type: 'plain_text', text: 'Post here', emoji: true },
          value: JSON.stringify({ id: result.id }),
        },
      };
    }),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Only you can see this list. The listing you pick is posted here for everyone, without your words.',
        },
      ],
    },
  ];
  await respond({ response_type: 'ephemeral', text: 'Which listing should go into this conversation?', blocks });
}

/**
 * The pick list's *Post here*: the listing's card is posted in the conversation, in-channel, through the click's
 * response_url, then the pick list is taken away. A listing gone since the list was shown is said so, privately.
 */
export async function postSharedListing(
  listings: ListingShareDeps,
  value: string,
  respond: RespondFn,
  where: { workspace?: string },
): Promise<void> {
  const picked = parseActionValue(EntryValueSchema, value);
  if (!picked) {
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'That button is out of date. Please share again.',
    });
    return;
  }
  const now = listings.clock.now();
  const result = await listings.search.getResult(picked.id, now);
  if (!result) {
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'That listing is no longer listed, so it was not posted.',
    });
    return;
  }
  const card = listingCardBlocks(result, now, listings.publicUrl);
  await respond({ response_type: 'in_channel', replace_original: false, text: card.text, blocks: card.blocks });
  await listings.onShare?.({
    platform: 'slack',
    entryId: result.id,
    at: now,
    ...(where.workspace ? { workspace: where.workspace } : {}),
  });
  await respond({ delete_original: true });
}

const MessageShortcutSchema = z.object({
  type: z.literal('message_action'),
  response_url: z.string().startsWith('https://'),
  message: z.object({ text: z.string().max(40_000).optional() }).loose(),
});

type MessageShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * The *Share a Signpost listing* message shortcut: the message's words are searched, and the same pick list as
 * `/signpost share` is shown to the person who chose it, for the conversation the message is in.
 */
export function shareMessageShortcut(deps: { listings: ListingShareDeps; logger: Logger; queue: WorkQueue }) {
  const log = deps.logger.child('slack');
  return async ({ ack, shortcut, respond }: MessageShortcutArgs): Promise<void> => {
    await ack();
    const parsed = MessageShortcutSchema.safeParse(shortcut);
    if (!parsed.success) {
      log.warn('malformed message shortcut ignored', { issues: parsed.error.issues.length });
      return;
    }
    const words = fromSlackText(parsed.data.message.text ?? '');
    deps.queue.defer(
      () =>
        withBoundary(
          log,
          'share shortcut',
          () => answerShareCommand(deps.listings, words, respond, { fromMessage: true }),
          (text) => respond({ response_type: 'ephemeral', text }),
        ),
      async () =>
        respond({ response_type: 'ephemeral', text: 'Signpost is busy right now. Please try again in a minute.' }).then(
          () => undefined,
        ),
    );
  };
}
