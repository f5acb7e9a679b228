import type { Database } from '../db/sql.ts';
import { DateTime } from 'luxon';
import type { Reply } from '../bots/core/reply.ts';
import { buildDigestReply, type DigestChecks, type DigestReplyItem } from '../bots/core/replies/digest.ts';
import { createVerifyQueue, DEFAULT_VERIFY_AFTER_MONTHS } from '../catalogue/verify/verify-queue.ts';
import type { Logger } from '../logger.ts';
import { enqueueDelivery } from './delivery-queue.ts';
import { claimChecksWeek, insertDigestRun, loadDigestCandidates, recordSubscriptionRun } from './digest-queries.ts';
import { type DigestWindow, digestWindow, isDue, type Slot } from './digest-schedule.ts';
import {
  type DigestItem,
  type PreparedCatalogue,
  prepareCandidates,
  prepareFilters,
  selectFromPrepared,
} from './select-digest-items.ts';
import { describeFilters, describeSchedule, type Subscription, type SubscriptionRepository } from './subscriptions.ts';

/** What the digests use of the store: reads for candidates, and one transaction per queued digest. */
export type DigestStore = Database;

export type DigestDeps = {
  store: DigestStore;
  subscriptions: SubscriptionRepository;
  logger: Logger;
  /** VERIFY_AFTER_MONTHS, for the listings to check (default 6). */
  verifyAfterMonths?: number;
};

/** How many of the listings to check a digest names (as many as one `verify` shows). */
export const DIGEST_CHECKS_SHOWN = 5;

/** The ISO week of a moment in London, e.g. "2026-W49": the listings to check go out once in each. */
export function checksWeekOf(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("kkkk-'W'WW");
}

/** The listings to check as of `now`, read once per run however many subscriptions carry them. */
function checksLoader(deps: DigestDeps, now: Date): () => Promise<DigestChecks> {
  const queue = createVerifyQueue(deps.store, { afterMonths: deps.verifyAfterMonths ?? DEFAULT_VERIFY_AFTER_MONTHS });
  let loaded: Promise<DigestChecks> | undefined;
  return () => {
    loaded ??= queue
      .list(now, { limit: DIGEST_CHECKS_SHOWN })
      // Edit opens the coordinators' entry form, which every chat platform has.
      .then(({ items, total }) => ({ total, since: queue.dueBefore(now), oldest: items, canEdit: true }));
    return loaded;
  };
}

export type QueuedDigest = {
  subscription: string;
  period: string;
  items: number;
  late: boolean;
  runId: string;
  deliveryId: string | null;
  /** Whether it carries the listings to check. */
  checks: boolean;
};

export type BuiltDigest = { reply: Reply; items: number; window: DigestWindow };

function toReplyItem(item: DigestItem, isNew: boolean): DigestReplyItem {
  const c = item.candidate;
  return {
    id: c.id,
    title: c.title,
    kind: c.kind,
    nextStart: item.nextStart,
    sessions: item.sessions,
    venue: c.venue,
    ward: c.ward,
    organisation: c.organisation,
    cost: c.cost,
    isNew,
  };
}

/** Builds one subscription's digest from candidates already loaded for its window (pure apart from the inputs). */
export function composeDigest(
  sub: Subscription,
  slot: Slot,
  late: boolean,
  window: DigestWindow,
  catalogue: PreparedCatalogue,
  checks?: DigestChecks,
): BuiltDigest {
  const selection = selectFromPrepared(catalogue, prepareFilters(sub.filters), sub.mode);
  const fresh = selection.fresh.map((i) => toReplyItem(i, true));
  const highlights = selection.highlights.map((i) => toReplyItem(i, false));
  const reply = buildDigestReply({
    scheduleText: `Digest ${describeSchedule(sub)}`,
    filterText: describeFilters(sub.filters),
    at: slot.at,
    late,
    fresh,
    highlights,
    total: selection.total,
    subscriptionId: sub.id,
    demo: [...selection.fresh, ...selection.highlights].some((i) => i.candidate.isDemo),
    ...(checks ? { checks } : {}),
  });
  return { reply, items: fresh.length + highlights.length, window };
}

/** Caches candidate lists per window, so a thousand channels on the same schedule cost one query. */
export function candidateLoader(store: Pick<Database, 'sql'>): (w: DigestWindow) => Promise<PreparedCatalogue> {
  const cache = new Map<string, Promise<PreparedCatalogue>>();
  return (w) => {
    const key = [w.newSince, w.newUntil, w.highlightsFrom, w.highlightsTo].map((d) => d.getTime()).join(':');
    let found = cache.get(key);
    if (!found) {
      found = loadDigestCandidates(store.sql, {
        newSince: w.newSince,
        newUntil: w.newUntil,
        from: w.highlightsFrom,
        to: w.highlightsTo,
      }).then((candidates) => prepareCandidates(candidates, w));
      cache.set(key, found);
    }
    return found;
  };
}

/**
 * What a subscription's digest would say at `now` (the latest scheduled time, or `now` itself when none has passed),
 * without recording anything. A subscription with checks shows its listings to check, as the first digest of a week
 * would.
 */
export async function previewDigest(
  deps: DigestDeps,
  sub: Subscription,
  now: Date,
): Promise<BuiltDigest & { slot: Slot }> {
  const due = isDue(
    { schedule: sub.schedule, createdAt: new Date(0), lastRunAt: null, lastPeriod: null, zone: sub.timezone },
    now,
  );
  const slot: Slot = due.due ? due.slot : { key: 'preview', at: now };
  const window = digestWindow(sub.schedule, slot, sub.lastRunAt, sub.timezone);
  const candidates = await candidateLoader(deps.store)(window);
  const checks = sub.checks ? await checksLoader(deps, now)() : undefined;
  return { ...composeDigest(sub, slot, false, window, candidates, checks), slot };
}

/**
 * Records and queues every digest due at `now`. Each (subscription, period) is inserted into `digest_run` under its
 * unique key in the same transaction that queues its delivery, so whichever instance inserts it first owns it and no
 * other ever queues it again; running twice for the same moment queues nothing new. A subscription with checks has
 * the listings to check in the first digest of each ISO week (London): the week is recorded in the same transaction,
 * and a digest that finds it already recorded goes without them.
 */
export async function runDueDigests(
  deps: DigestDeps,
  now: Date,
  options: { subscriptionIds?: string[] } = {},
): Promise<{ queued: QueuedDigest[]; errors: { subscription: string; reason: string }[] }> {
  const log = deps.logger.child('digests');
  const subs = (await deps.subscriptions.list({ activeOnly: true })).filter(
    (s) => !options.subscriptionIds || options.subscriptionIds.includes(s.id),
  );
  const load = candidateLoader(deps.store);
  const loadChecks = checksLoader(deps, now);
  const queued: QueuedDigest[] = [];
  const errors: { subscription: string; reason: string }[] = [];
  for (const sub of subs) {
    let due: ReturnType<typeof isDue>;
    try {
      due = isDue(
        {
          schedule: sub.schedule,
          createdAt: sub.createdAt,
          lastRunAt: sub.lastRunAt,
          lastPeriod: sub.lastPeriod,
          zone: sub.timezone,
        },
        now,
      );
    } catch (error) {
      errors.push({ subscription: sub.id, reason: (error as Error).message });
      continue;
    }
    if (!due.due) continue;
    try {
      const window = digestWindow(sub.schedule, due.slot, sub.lastRunAt, sub.timezone);
      const catalogue = await load(window);
      const built = composeDigest(sub, due.slot, due.late, window, catalogue);
      const week = sub.checks ? checksWeekOf(due.slot.at, sub.timezone) : null;
      const withChecks =
        week && (sub.checksWeek === null || sub.checksWeek < week)
          ? composeDigest(sub, due.slot, due.late, window, catalogue, await loadChecks())
          : undefined;
      const result = await deps.store.transaction(async (tx) => {
        const runId = await insertDigestRun(
          tx,
          {
            subscriptionId: sub.id,
            periodKey: due.slot.key,
            scheduledFor: due.slot.at,
            late: due.late,
            items: built.items,
          },
          now,
        );
        if (!runId) return undefined;
        await recordSubscriptionRun(tx, sub.id, due.slot.at, due.slot.key);
        const checked = withChecks && week ? await claimChecksWeek(tx, sub.id, week) : false;
        const deliveryId = await enqueueDelivery(
          tx,
          {
            dedupeKey: `digest:${runId}`,
            kind: 'digest',
            target: {
              platform: sub.platform,
              channelRef: sub.channelRef,
              ...(sub.workspace ? { workspace: sub.workspace } : {}),
            },
            reply: checked && withChecks ? withChecks.reply : built.reply,
            digestRunId: runId,
          },
          now,
        );
        return { runId, deliveryId, checks: checked };
      });
      if (!result) continue;
      queued.push({ subscription: sub.id, period: due.slot.key, items: built.items, late: due.late, ...result });
      log.info('digest queued', {
        subscription: sub.id,
        period: due.slot.key,
        items: built.items,
        late: due.late,
        checks: result.checks,
      });
    } catch (error) {
      errors.push({ subscription: sub.id, reason: (error as Error).message });
      log.error('digest could not be queued', { subscription: sub.id, error });
    }
  }
  return { queued, errors };
}
