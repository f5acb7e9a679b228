import { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.ts';
import { DeliveryError, type DeliveryTarget, type Notifier } from '../core/ports.ts';
import type { Reply } from '../core/reply.ts';
import { toBoltLogger } from './bolt-logger.ts';
import { renderBlocks, slackUploadOf } from './render-blocks.ts';

/**
 * Proactive messages (digests, reminders, waitlist offers) through chat.postMessage. Rate limits are the caller's to
 * pace: a 429 is not waited out here but thrown as a retryable DeliveryError with Retry-After in milliseconds, so the
 * scheduler's per-workspace queue can hold every send to that workspace. 5xx and network errors are retried with
 * back-off first.
 */
export class SlackNotifier implements Notifier {
  readonly platform = 'slack' as const;
  private readonly clients = new Map<string, webApi.WebClient>();
  private readonly tokens: (workspace: string | undefined) => Promise<string[]>;
  private readonly makeClient: (token: string) => webApi.WebClient;

  /**
   * `botToken` for one workspace, or `tokens` to look up the delivery's workspace token (installations kept in the
   * database): a workspace without one is a permanent delivery failure. A delivery that names no workspace gets
   * every installation's token, tried in turn until one workspace knows the channel or person.
   */
  constructor(options: {
    botToken?: string;
    tokens?: (workspace: string | undefined) => Promise<string[]>;
    apiUrl?: string | null;
    logger: Logger;
    client?: webApi.WebClient;
  }) {
    const fixed = options.botToken;
    this.tokens = options.tokens ?? (async () => (fixed ? [fixed] : []));
    const logger = toBoltLogger(options.logger.child('slack-notifier'));
    this.makeClient = (token) =>
      options.client ??
      new webApi.WebClient(token, {
        ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 3, factor: 2, minTimeout: 250, maxTimeout: 4000, randomize: true },
        timeout: 15_000,
        logger,
      });
  }

  private clientFor(token: string): webApi.WebClient {
    let client = this.clients.get(token);
    if (!client) {
      client = this.makeClient(token);
      this.clients.set(token, client);
    }
    return client;
  }

  async canPost(channelRef: string, workspace?: string): Promise<boolean | undefined> {
    // Direct messages and the App Home need no membership.
    if (/^[DU]/.test(channelRef)) return true;
    const [token] = await this.tokens(workspace);
    if (!token) return undefined;
    try {
      const client = this.clientFor(token);
      const info = await client.conversations.info({ channel: channelRef });
      const channel = info.channel as { is_member?: boolean; is_archived?: boolean } | undefined;
      if (channel?.is_archived) return false;
      return typeof channel?.is_member === 'boolean' ? channel.is_member : undefined;
    } catch (error) {
      const reason = (error as { data?: { error?: string } }).data?.error;
      return reason === 'channel_not_found' ? false : undefined;
    }
  }

  async post(target: DeliveryTarget, reply: Reply): Promise<void> {
    const tokens = await this.tokens(target.workspace);
    if (tokens.length === 0)
      throw new DeliveryError(
        `Signpost is not installed in the Slack workspace ${target.workspace ?? '(none named)'}`,
        false,
      );
    for (const [i, token] of tokens.entries()) {
      try {
        await this.postWith(this.clientFor(token), target, reply);
        return;
      } catch (error) {
        // Another workspace may know this channel or person: only "not found here" moves on to the next one.
        const e = error as { code?: string; data?: { error?: string } };
        const reason = e.code === webApi.ErrorCode.PlatformError ? e.data?.error : undefined;
        if (reason && NOT_IN_THIS_WORKSPACE.has(reason) && i < tokens.length - 1) continue;
        throw toDeliveryError(error);
      }
    }
  }

  private async postWith(client: webApi.WebClient, target: DeliveryTarget, reply: Reply): Promise<void> {
    const message = renderBlocks(reply);
    await client.chat.postMessage({
      channel: target.channelRef,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
    for (const file of message.files) {
      await client.files.uploadV2({ channel_id: target.channelRef, ...slackUploadOf(file) });
    }
  }
}

const NOT_IN_THIS_WORKSPACE = new Set(['channel_not_found', 'user_not_found']);

const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'missing_scope',
  'restricted_action',
  'invalid_blocks',
  'msg_too_long',
]);

export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  if (e.code === webApi.ErrorCode.RateLimitedError) {
    return new DeliveryError('Slack rate limit', true, Math.max(1, e.retryAfter ?? 1) * 1000);
  }
  if (e.code === webApi.ErrorCode.PlatformError) {
    const reason = e.data?.error ?? 'unknown';
    return new DeliveryError(`Slack refused the message: ${reason}`, !PERMANENT.has(reason));
  }
  if (e.code === webApi.ErrorCode.HTTPError) return new DeliveryError(`Slack HTTP ${e.statusCode ?? 'error'}`, true);
  return new DeliveryError(`Slack unreachable: ${error instanceof Error ? error.message : String(error)}`, true);
}
