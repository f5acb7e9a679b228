import type { types as SlackTypes } from '@slack/bolt';
import type { ManualEntrySummary } from '../../catalogue/manual-entries.ts';
import type { Reply } from '../core/reply.ts';
import { escapeMrkdwn } from './mrkdwn.ts';
import { renderBlocks, type SlackBlock } from './render-blocks.ts';
import { SLACK_ACTION, SLASH_COMMAND } from './slack-action-ids.ts';
import { SLACK_LIMITS } from './slack-limits.ts';

export type HomeContent = {
  bookings?: Reply;
  digests?: Reply;
  /** Present for coordinators: their entries, most recent first. */
  coordinatorEntries?: ManualEntrySummary[];
  /** Present for coordinators: the first listings of the verification queue. */
  verify?: Reply;
};

/**
 * The App Home tab: how to ask, the user's bookings, channel digests and, for coordinators, the listings to check
 * and their entries.
 */
export function buildHomeView(content: HomeContent): SlackTypes.HomeView {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Signpost: find help for a resident', emoji: true } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          'Ask in your own words what the resident needs: the day, the area, who it is for, access needs or cost.',
          `• In any channel: \`${SLASH_COMMAND} lunch club near Kentish Town on Tuesdays, step-free\` (only you see the answer)`,
          '• Mention me in a channel: `@Signpost chair exercise for over 60s in NW5`',
          '• Or message me here in the *Messages* tab: `dementia cafe this week`',
          'Each result has *Details*, *Share with resident* (a plain summary to text or print) and, for training, *Book*.',
          '_Please don’t include names or other details that identify a resident._',
        ].join('\n'),
      },
    },
  ];
  const section = (title: string, reply: Reply | undefined, budget: number) => {
    if (!reply) return;
    blocks.push({ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: title, emoji: true } });
    blocks.push(
      ...renderBlocks({ ...reply, blocks: reply.blocks.filter((b) => b.type !== 'heading') }, { maxBlocks: budget })
        .blocks,
    );
  };
  section('Your bookings', content.bookings, 30);
  section('Channel digests', content.digests, 20);
  if (content.verify) {
    const title = content.verify.blocks.find((b) => b.type === 'heading');
    section(title?.type === 'heading' ? title.text : 'Listings to check', content.verify, 20);
  }
  if (content.coordinatorEntries) {
    blocks.push(
      { type: 'divider' },
      { type: 'header', text: { type: 'plain_text', text: 'Coordinator tools', emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Add a group, course or service the feeds don’t cover, or correct one you added.',
        },
        accessory: {
          type: 'button',
          action_id: SLACK_ACTION.addEntry,
          text: { type: 'plain_text', text: 'Add an entry' },
          style: 'primary',
          value: 'home',
        },
      },
    );
    for (const entry of content.coordinatorEntries.slice(0, 15)) {
      blocks.push({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${escapeMrkdwn(entry.title)}*\n${entry.kind}, updated ${entry.updatedAt.toISOString().slice(0, 10)}`,
        },
        accessory: {
          type: 'button',
          action_id: SLACK_ACTION.editEntry,
          text: { type: 'plain_text', text: 'Edit' },
          value: entry.externalId,
        },
      });
    }
  }
  return { type: 'home', blocks: blocks.slice(0, SLACK_LIMITS.viewBlocks) };
}
