import type { webApi } from '@slack/bolt';
import type { Clock } from '../../../clock.ts';
import type { Logger } from '../../../logger.ts';
import type { Actor } from '../../core/inbound.ts';
import type { CoordinatorEntries } from '../../core/entries/entry-hooks.ts';
import type { Conversation } from '../../core/ports.ts';
import type { Reply } from '../../core/reply.ts';
import type { CoordinatorCheck } from '../coordinators.ts';
import type { SlackInstallations } from '../prisma-installation-store.ts';
import { renderBlocks, type RenderedMessage, slackUploadOf } from '../render-blocks.ts';
import type { ReplyStash } from '../reply-stash.ts';
import type { WorkQueue } from '../../core/work-queue.ts';
import type { ListingShareDeps } from './share.ts';

/** What the listeners need; built once in slack-app.ts. */
export type ListenerDeps = {
  conversation: Conversation;
  /** Coordinators' entries, for the entry modal and the App Home's list. */
  entries: CoordinatorEntries;
  clock: Clock;
  logger: Logger;
  isCoordinator: CoordinatorCheck;
  stash: ReplyStash;
  /** Where the work after an ack runs. */
  queue: WorkQueue;
  /** Installed workspaces, when workspaces install the app themselves ("Add to Slack"). */
  installations?: SlackInstallations;
  /** The App Home's "Channel digests" section, when digests are wired. */
  homeDigests?: (actor: Actor) => Promise<Reply | undefined>;
  /** The App Home's "Listings to check" section for coordinators, when the verification queue is wired. */
  homeVerify?: (actor: Actor) => Promise<Reply | undefined>;
  /** Listings shared into any conversation: `/signpost share` and listing-page unfurls. */
  listings?: ListingShareDeps;
};

/** Names registered with Bolt, so a test can compare them with manifest.json. */
export type Registered = {
  commands: string[];
  events: string[];
  actions: string[];
  views: string[];
  shortcuts: string[];
};

export function toSlackMessage(deps: ListenerDeps, reply: Reply, options: { ephemeral: boolean }): RenderedMessage {
  return renderBlocks(reply, { stashOverflow: (rest) => deps.stash.put(rest), offerPostToChannel: options.ephemeral });
}

/** Uploads a reply's files (calendar invites, leaflets): into the thread or channel, or the user's DM for private answers. */
export async function uploadFiles(
  client: webApi.WebClient,
  message: RenderedMessage,
  where: { channel: string; threadTs?: string } | { user: string },
): Promise<void> {
  if (message.files.length === 0) return;
  let channel: string;
  let threadTs: string | undefined;
  if ('user' in where) {
    const opened = await client.conversations.open({ users: where.user });
    channel = opened.channel?.id ?? where.user;
  } else {
    channel = where.channel;
    threadTs = where.threadTs;
  }
  for (const file of message.files) {
    const upload = { channel_id: channel, ...slackUploadOf(file) };
    await client.files.uploadV2(threadTs ? { ...upload, thread_ts: threadTs } : upload);
  }
}

export { NOT_COORDINATOR } from '../../core/entries/entry-form.ts';
