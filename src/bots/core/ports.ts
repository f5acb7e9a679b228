import type { InboundAction, InboundMessage, Platform } from './inbound.ts';
import type { Reply } from './reply.ts';

/** The platform-neutral conversation: a message or an action in, a reply out. It never sends anything itself. */
export type Conversation = {
  handleMessage(message: InboundMessage): Promise<Reply>;
  handleAction(action: InboundAction): Promise<Reply>;
};

/** Where a proactive message (digest, reminder, waitlist offer) goes. */
export type DeliveryTarget = {
  platform: Platform;
  /** Slack channel or user id; Teams conversation id (its stored reference is looked up by the notifier). */
  channelRef: string;
  /** Slack team id or Teams tenant id: deliveries are rate-limited per workspace / tenant. */
  workspace?: string;
};

/** Sends a reply proactively; each platform adapter implements it. */
export type Notifier = {
  platform: Platform;
  post(target: DeliveryTarget, reply: Reply): Promise<void>;
  /**
   * Whether the bot can post in a channel (it is a member): false when the platform says no, undefined when it
   * cannot tell. Lets a digest subscription warn at once instead of failing at its first delivery.
   */
  canPost?(channelRef: string, workspace?: string): Promise<boolean | undefined>;
};

/** A delivery the platform refused for now; `retryAfterMs` when it said how long to wait (HTTP 429 Retry-After). */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
