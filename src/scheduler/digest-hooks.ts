import type { Database } from '../db/sql.ts';
import { z } from 'zod';
import { ACTION } from '../bots/core/action-ids.ts';
import type { ConversationContext, DigestHooks } from '../bots/core/conversation.ts';
import type { Actor, InboundAction, Platform } from '../bots/core/inbound.ts';
import type { Notifier } from '../bots/core/ports.ts';
import { actions, context, heading, literal, type Reply, text } from '../bots/core/reply.ts';
import { buildDigestNotice, buildSubscribedReply } from '../bots/core/replies/digest.ts';
import { parseQuery } from '../catalogue/search/parse-query.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { nextRunAt } from './digest-schedule.ts';
import { sourceHealth } from './refresh-feeds.ts';
import type { DigestFilters, DigestMode } from './select-digest-items.ts';
import {
  describeSchedule,
  resolveSchedule,
  SubscriptionInputError,
  type SubscriptionRepository,
} from './subscriptions.ts';

export type DigestHooksDeps = {
  store: Database;
  subscriptions: SubscriptionRepository;
  clock: Clock;
  logger: Logger;
  /** The platforms' notifiers, asked whether the bot can post in a channel being subscribed. */
  notifiers?: Partial<Record<Platform, Notifier>>;
};

const DEFAULT_WHEN = 'weekly mon 09:00';
const WHEN =
  /\b(daily|every day|weekdays|every weekday|weekly(?: on)?(?: [a-z]+)?|every week(?: on)?(?: [a-z]+)?|monthly(?: on)?(?: (?:the )?\d{1,2}(?:st|nd|rd|th)?)?|every (?:mon|tues|wednes|thurs|fri|satur|sun)day)(?: at)?(?: \d{1,2}(?:[:.]\d{2})? ?(?:am|pm)?)?/i;
/** "with checks", "and listings to check": the coordinators' listings to check, in the first digest of each week. */
const CHECKS =
  /\b(?:(?:with|and|plus) (?:the )?(?:listing )?checks|(?:(?:with|and|plus) )?(?:the )?listings to check)\b/i;
const IdValueSchema = z.object({ id: z.string().uuid() });

/**
 * "subscribe weekly mon 09:00 lunch clubs in Kentish Town for older people": the schedule is read by the scheduler's
 * own parser and the topic, place and audience by the search's query parser, so a digest understands what a search
 * would. "with checks" adds the listings to check. Everything else about it is the scheduler's.
 */
export function parseSubscribeText(
  text: string,
  now: Date,
): { when: string; filters: DigestFilters; mode: DigestMode; checks: boolean; filterText: string | null } {
  let rest = ` ${text.replace(/\s+/g, ' ')} `;
  const checksMatch = CHECKS.exec(rest);
  if (checksMatch) rest = rest.replace(checksMatch[0], ' ');
  let mode: DigestMode = 'both';
  if (/\bhighlights?\b/i.test(rest) && !/\bnew\b/i.test(rest)) mode = 'highlights';
  else if (/\b(new|what's new|whats new)\b/i.test(rest) && !/\bhighlights?\b/i.test(rest)) mode = 'new';
  rest = rest.replace(/\b(to )?(new|what's new|whats new|highlights?|and|digests?|of|the)\b/gi, ' ');
  const whenMatch = WHEN.exec(rest);
  const when = whenMatch ? whenMatch[0].trim() : DEFAULT_WHEN;
  if (whenMatch) rest = rest.replace(whenMatch[0], ' ');
  const understood = parseQuery(rest.trim(), now);
  const filters: DigestFilters = {
    wards: understood.place?.wards ?? [],
    categories: understood.categories,
    audiences: understood.audiences,
    kinds: understood.kinds,
  };
  const parts = [
    filters.categories.join(', '),
    filters.kinds.length ? filters.kinds.join(', ') : '',
    filters.audiences.length ? `for ${filters.audiences.map((a) => a.replace(/_/g, ' ')).join(', ')}` : '',
    understood.place ? `in ${understood.place.label}` : '',
  ].filter(Boolean);
  return { when, filters, mode, checks: checksMatch !== null, filterText: parts.length ? parts.join(' ') : null };
}

/** Digests from chat: coordinators subscribe or unsubscribe the channel they are in, and check delivery and feeds. */
export function createDigestHooks(deps: DigestHooksDeps): DigestHooks {
  const { subscriptions, clock, logger } = deps;
  const notCoordinator = () =>
    buildDigestNotice(
      'For coordinators',
      'Only coordinators can set up or stop digests. Ask your team coordinator to do it.',
    );

  async function status(ctx: ConversationContext): Promise<Reply> {
    const now = clock.now();
    const subs = await subscriptions.list({ activeOnly: true, platform: ctx.platform, channelRef: ctx.channelRef });
    const feeds = await sourceHealth(deps.store, now);
    const failing = feeds.filter((f) => f.lastError && f.failures > 0);
    const lines = subs.length
      ? subs.map(
          (s) =>
            `• ${literal(describeSchedule(s))}: ${s.lastSentAt ? `last sent ${s.lastSentAt.toISOString().slice(0, 10)}` : 'not sent yet'}` +
            (s.consecutiveFailures > 0
              ? `, **${s.consecutiveFailures} failed attempts** (${literal(s.lastError ?? 'unknown error')})`
              : ''),
        )
      : ['• This channel has no digest.'];
    const feedLine = failing.length
      ? `Feeds failing: ${literal(failing.map((f) => `${f.name} (${f.failures}×: ${f.lastError})`).join('; '))}`
      : `All ${feeds.length} sources are healthy.`;
    return {
      fallbackText: `Digests here: ${lines.join(' ')} ${feedLine}`,
      blocks: [heading('Digest and feed health'), text(lines.join('\n')), context(feedLine)],
    };
  }

  async function stop(id: string): Promise<Reply> {
    const done = await subscriptions.deactivate(id, clock.now());
    return done
      ? buildDigestNotice('Digest stopped', 'This channel will get no more digests from that subscription.')
      : buildDigestNotice('Nothing to stop', 'That digest was already stopped.');
  }

  return {
    async subscribe(ctx, request) {
      const words = request.text.trim().toLowerCase();
      if (/^(status|health)$/.test(words)) return status(ctx);
      if (!ctx.isCoordinator) return notCoordinator();
      const now = clock.now();
      const parsed = parseSubscribeText(request.text, now);
      try {
        const schedule = resolveSchedule(parsed.when);
        const sub = await subscriptions.create(
          {
            platform: ctx.platform,
            channelRef: ctx.channelRef,
            ...(ctx.workspace ? { workspace: ctx.workspace } : {}),
            when: parsed.when,
            filters: parsed.filters,
            mode: parsed.mode,
            checks: parsed.checks,
            createdBy: `${ctx.platform}:${ctx.userId}`,
          },
          now,
        );
        logger.info('digest subscription created', { subscription: sub.id, platform: ctx.platform });
        const reply = buildSubscribedReply({
          id: sub.id,
          scheduleText: schedule.description,
          filterText: parsed.filterText,
          mode: parsed.mode,
          checks: parsed.checks,
          next: nextRunAt(schedule.cron, now),
        });
        const reachable = await deps.notifiers?.[ctx.platform]
          ?.canPost?.(ctx.channelRef, ctx.workspace)
          .catch(() => undefined);
        if (reachable !== false) return reply;
        logger.warn('digest subscribed in a channel the bot cannot post in', {
          subscription: sub.id,
          platform: ctx.platform,
        });
        const warning =
          'I am not a member of this channel, so I cannot post the digest here yet: add me to the channel (for example /invite @Signpost), or the digest will fail.';
        return {
          ...reply,
          fallbackText: `${warning} ${reply.fallbackText}`,
          blocks: [...reply.blocks.slice(0, 1), text(`**${literal(warning)}**`), ...reply.blocks.slice(1)],
        };
      } catch (error) {
        if (error instanceof SubscriptionInputError)
          return buildDigestNotice("Couldn't set up the digest", error.message);
        throw error;
      }
    },

    async unsubscribe(ctx, request) {
      if (!ctx.isCoordinator) return notCoordinator();
      const subs = await subscriptions.list({ activeOnly: true, platform: ctx.platform, channelRef: ctx.channelRef });
      const prefix = request.text.trim().toLowerCase();
      const chosen = prefix ? subs.filter((s) => s.id.startsWith(prefix)) : subs;
      if (chosen.length === 0) return buildDigestNotice('No digest here', 'This channel has no digest to stop.');
      if (chosen.length === 1) return stop(chosen[0]!.id);
      return {
        fallbackText: `This channel has ${chosen.length} digests: ${chosen.map((s) => describeSchedule(s)).join('; ')}. Choose one to stop.`,
        blocks: [
          heading('Which digest?'),
          text(chosen.map((s) => `• ${describeSchedule(s)} (${s.id.slice(0, 8)})`).join('\n')),
          actions(
            chosen.slice(0, 5).map((s) => ({
              label: `Stop ${s.id.slice(0, 8)}`,
              action: ACTION.unsubscribe,
              value: JSON.stringify({ id: s.id }),
              style: 'danger' as const,
            })),
          ),
        ],
      };
    },

    async handleAction(action: InboundAction) {
      if (!action.isCoordinator) return notCoordinator();
      if (action.action === ACTION.unsubscribe) {
        const value = IdValueSchema.safeParse(safeJson(action.value));
        if (!value.success)
          return buildDigestNotice('Out of date', 'That button is out of date; say "unsubscribe" instead.');
        const sub = await subscriptions.get(value.data.id);
        if (!sub || sub.channelRef !== action.channelRef || sub.platform !== action.platform) {
          return buildDigestNotice('Nothing to stop', 'That digest belongs to another channel or was already stopped.');
        }
        return stop(sub.id);
      }
      return this.subscribe(action, { text: '' });
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** The App Home's digest section: the channel digests on this platform (coordinators) or how to get one. */
export function createHomeDigests(subscriptions: SubscriptionRepository): (actor: Actor) => Promise<Reply | undefined> {
  return async (actor) => {
    if (!actor.isCoordinator) {
      return {
        fallbackText: 'Ask a coordinator to set up a digest of new activities for your team’s channel.',
        blocks: [text('Ask a coordinator to set up a digest of new activities for your team’s channel.')],
      };
    }
    const subs = await subscriptions.list({ activeOnly: true, platform: actor.platform });
    if (subs.length === 0) {
      const body =
        'No channel has a digest yet. In a channel, say `/signpost subscribe weekly mon 09:00 lunch clubs in NW5`.';
      return { fallbackText: body, blocks: [text(body)] };
    }
    const lines = subs
      .slice(0, 20)
      .map(
        (s) =>
          `• channel ${literal(s.channelRef)}: ${literal(describeSchedule(s))}${s.consecutiveFailures > 0 ? ` — **failing** (${s.consecutiveFailures}×)` : ''}`,
      );
    return {
      fallbackText: `${subs.length} channel digests: ${lines.join(' ')}`,
      blocks: [text(lines.join('\n')), ...(subs.length > 20 ? [context(`…and ${subs.length - 20} more.`)] : [])],
    };
  };
}
