/**
 * Slack-only action and view ids. The neutral ones (src/bots/core/action-ids.ts) go to the conversation core; these
 * are handled inside the Slack adapter. A button's action_id is the id plus an optional `~n` suffix, because Slack
 * wants action ids unique within a block.
 */
export const SLACK_ACTION = {
  /** "Show N more" for what did not fit in one message; the value is a token for the stashed rest. */
  overflow: 'slack.overflow',
  /** Link buttons: Slack still sends an interaction, which only needs an ack. */
  link: 'slack.link',
  /** Coordinators: open the add-entry modal. */
  addEntry: 'slack.add-entry',
  /** Coordinators: open the edit modal for a coordinator entry; the value is its external id. */
  editEntry: 'slack.edit-entry',
  /** `/signpost share`'s pick list: post this listing's card in the conversation; the value is `{"id"}`. */
  sharePost: 'slack.share-post',
} as const;

export type SlackActionId = (typeof SLACK_ACTION)[keyof typeof SLACK_ACTION];

/** The coordinator's add/edit entry modal. */
export const ENTRY_MODAL_CALLBACK = 'slack.entry-modal';
/** The global shortcut that opens the entry modal (listed in manifest.json). */
export const ADD_ENTRY_SHORTCUT = 'signpost_add_entry';
/** The message shortcut that offers listings to post, found by the message's words (listed in manifest.json). */
export const SHARE_LISTING_SHORTCUT = 'signpost_share_listing';
/** The slash command (listed in manifest.json). */
export const SLASH_COMMAND = '/signpost';

/** The action id without its uniqueness suffix. */
export function baseActionId(actionId: string): string {
  return actionId.replace(/~\d+$/, '');
}
