import type { ActionId } from './action-ids.ts';

export type Platform = 'slack' | 'teams' | 'terminal';

/** Who is asking, on which platform; never a resident. */
export type Actor = {
  platform: Platform;
  /** Slack user id, Teams AAD object id (or channel account id), or the terminal user's name. */
  userId: string;
  displayName?: string;
  /** Coordinators may edit entries and manage digests; adapters decide from their configuration. */
  isCoordinator: boolean;
  /**
   * The Slack workspace the message came from (its team id, or the enterprise id of an org-wide install): digests
   * set up there are posted with that workspace's token.
   */
  workspace?: string;
};

/** A message typed to the bot, already stripped of its @mention. */
export type InboundMessage = Actor & {
  /** Where the conversation is: Slack channel id, Teams conversation id, "terminal". */
  channelRef: string;
  text: string;
  /** A direct (one-to-one) conversation rather than a channel. */
  isDirect: boolean;
};

/** A button press or card submission. */
export type InboundAction = Actor & {
  channelRef: string;
  action: ActionId;
  /** The button's value, unparsed (the core validates it). */
  value: string;
};
