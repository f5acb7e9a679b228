import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { Logger } from '../../logger.ts';
import { DeliveryError, type DeliveryTarget, type Notifier } from '../core/ports.ts';
import type { Reply } from '../core/reply.ts';
import { ConnectorStatusError, RETRYABLE_STATUSES } from './connector-http-client.ts';
import type { ConversationRefs } from './conversation-refs.ts';
import { toTeamsMessage } from './render-card.ts';
import { toChannelRef } from './to-inbound.ts';

export type RetryPolicy = {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

/** Bot Framework's guidance: retry 429/412/502/504 with exponential, jittered back-off; a few tries, then give up. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

export type TeamsNotifierDeps = {
  adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  appId: string;
  refs: ConversationRefs;
  logger: Logger;
  retry?: RetryPolicy;
  /** Service URLs posts may go to (Bot Framework's); a reference pointing elsewhere is never posted to. */
  serviceUrlAllowed?: (serviceUrl: string | undefined) => boolean;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

/**
 * Posts digests and reminders into Teams chats and channels through their stored conversation references. Throttling
 * and gateway errors are retried here with jittered back-off; after the last attempt a DeliveryError tells the
 * scheduler to try later (with the connector's Retry-After, when it gave one).
 */
export function createTeamsNotifier(deps: TeamsNotifierDeps): Notifier {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;
  const log = deps.logger.child('teams-notifier');

  return {
    platform: 'teams',
    async post(target: DeliveryTarget, reply: Reply) {
      const stored = await deps.refs.get(toChannelRef(target.channelRef));
      if (!stored) throw new DeliveryError('Signpost is not installed in that Teams conversation', false);
      if (deps.serviceUrlAllowed && !deps.serviceUrlAllowed(stored.serviceUrl)) {
        log.warn('teams delivery refused: the stored serviceUrl is not a Bot Framework one', {
          tenantId: stored.tenantId,
        });
        throw new DeliveryError(
          'The stored Teams conversation points at a service URL that is not Bot Framework’s',
          false,
        );
      }
      const message = toTeamsMessage(reply);
      for (let attempt = 1; ; attempt += 1) {
        try {
          // The adapter hands errors inside the callback to onTurnError; keep them here, where retries are decided.
          let failure: { error: unknown } | undefined;
          await deps.adapter.continueConversationAsync(
            deps.appId,
            stored.reference as Partial<ConversationReference>,
            async (context) => {
              try {
                await context.sendActivity(message);
              } catch (error) {
                failure = { error };
              }
            },
          );
          if (failure) throw failure.error;
          return;
        } catch (error) {
          const status = statusOf(error);
          const retryable = status !== undefined && RETRYABLE_STATUSES.has(status);
          const retryAfterMs = error instanceof ConnectorStatusError ? error.retryAfterMs : undefined;
          if (status === 403 || status === 404) {
            // The bot was removed or the conversation is gone: stop trying to post there.
            await deps.refs.remove(stored.conversationId);
            throw new DeliveryError(
              `Teams refused the conversation (HTTP ${status}); its reference was removed`,
              false,
            );
          }
          if (!retryable || attempt >= retry.attempts) {
            log.warn('teams delivery failed', { status, attempt, tenantId: stored.tenantId });
            throw new DeliveryError(
              status
                ? `Teams answered HTTP ${status} after ${attempt} attempt(s)`
                : `Teams delivery failed: ${String(error)}`,
              retryable || status === undefined,
              retryAfterMs,
            );
          }
          const wait = Math.max(retryAfterMs ?? 0, backoff(retry, attempt, random));
          log.debug('teams delivery retry', { status, attempt, waitMs: wait });
          await sleep(wait);
        }
      }
    },
  };
}

/** "Full jitter" back-off: a random wait up to base·2^(attempt-1), capped. */
export function backoff(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof ConnectorStatusError) return error.status;
  if (typeof error === 'object' && error !== null) {
    const e = error as { statusCode?: unknown; status?: unknown };
    if (typeof e.statusCode === 'number') return e.statusCode;
    if (typeof e.status === 'number') return e.status;
  }
  return undefined;
}
