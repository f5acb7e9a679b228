import type { Reply } from '../bots/core/reply.ts';
import { buildDigestReply, type DigestReplyItem } from '../bots/core/replies/digest.ts';
import type { Store } from '../db/open-store.ts';
import type { Logger } from '../logger.ts';
import { enqueueDelivery } from './delivery-queue.ts';
import { insertDigestRun, loadDigestCandidates, recordSubscriptionRun } from './digest-queries.ts';
import { type DigestWindow, digestWindow, isDue, type Slot } from './digest-schedule.ts';
import { type DigestItem, type PreparedCatalogue, prepareCandidates, prepareFilters, selectFromPrepared } from './select-digest-items.ts';
import { describeFilters, describeSchedule, type Subscription, type SubscriptionRepository } from './subscriptions.ts';

/** What the digests use of the store: reads for candidates, and one transaction per queued digest. */
export type DigestStore = Pick<Store, 'sql' | 'transaction'>;

export type DigestDeps = { store: DigestStore; subscriptions: SubscriptionRepository; logger: Logger };

export type QueuedDigest = { subscription: string; period: string; items: number; late: boolean; runId: string; deliveryId: string | null };

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
export function composeDigest(sub: Subscription, slot: Slot, late: boolean, window: DigestWindow, catalogue: PreparedCatalogue): BuiltDigest {
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
  });
  return { reply, items: fresh.length + highlights.length, window };
}

/** Caches candidate lists per window, so a thousand channels on the same schedule cost one query. */
export function candidateLoader(store: Pick<Store, 'sql'>): (w: DigestWindow) => Promise<PreparedCatalogue> {
  const cache = new Map<string, Promise<PreparedCatalogue>>();
  return (w) => {
    const key = [w.newSince, w.newUntil, w.highlightsFrom, w.highlightsTo].map((d) => d.getTime()).join(':');
    let found = cache.get(key);
    if (!found) {
      found = loadDigestCandidates(store.sql, { newSince: w.newSince, newUntil: w.newUntil, from: w.highlightsFrom, to: w.highlightsTo }).then(
        (candidates) => prepareCandidates(candidates, w),
      );
      cache.set(key, found);
    }
    return found;
  };
}

/**
 * What a subscription's digest would say at `now` (the latest scheduled time, or `now` itself when none has passed),
 * without recording anything.
 */
export async function previewDigest(deps: DigestDeps, sub: Subscription, now: Date): Promise<BuiltDigest & { slot: Slot }> {
  const due = isDue({ schedule: sub.schedule, createdAt: new Date(0), lastRunAt: null, lastPeriod: null, zone: sub.timezone }, now);
  const slot: Slot = due.due ? due.slot : { key: 'preview', at: now };
  const window = digestWindow(sub.schedule, slot, sub.lastRunAt, sub.timezone);
  const candidates = await candidateLoader(deps.store)(window);
  return { ...composeDigest(sub, slot, false, window, candidates), slot };
}

/**
 * Records and queues every digest due at `now`. Each (subscription, period) is inserted into `digest_run` under its
 * unique key in the same transaction that queues its delivery, so whichever instance inserts it first owns it and no
 * other ever queues it again; running twice for the same moment queues nothing new.
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
  const queued: QueuedDigest[] = [];
  const errors: { subscription: string; reason: string }[] = [];
  for (const sub of subs) {
    let due: ReturnType<typeof isDue>;
    try {
      due = isDue({ schedule: sub.schedule, createdAt: sub.createdAt, lastRunAt: sub.lastRunAt, lastPeriod: sub.lastPeriod, zone: sub.timezone }, now);
    } catch (error) {
      errors.push({ subscription: sub.id, reason: (error as Error).message });
      continue;
    }
    if (!due.due) continue;
    try {
      const window = digestWindow(sub.schedule, due.slot, sub.lastRunAt, sub.timezone);
      const built = composeDigest(sub, due.slot, due.late, window, await load(window));
      const result = await deps.store.transaction(async (tx) => {
        const runId = await insertDigestRun(
          tx,
          { subscriptionId: sub.id, periodKey: due.slot.key, scheduledFor: due.slot.at, late: due.late, items: built.items },
          now,
        );
        if (!runId) return undefined;
        await recordSubscriptionRun(tx, sub.id, due.slot.at, due.slot.key);
        const deliveryId = await enqueueDelivery(
          tx,
          {
            dedupeKey: `digest:${runId}`,
            kind: 'digest',
            target: { platform: sub.platform, channelRef: sub.channelRef, ...(sub.workspace ? { workspace: sub.workspace } : {}) },
            reply: built.reply,
            digestRunId: runId,
          },
          now,
        );
        return { runId, deliveryId };
      });
      if (!result) continue;
      queued.push({ subscription: sub.id, period: due.slot.key, items: built.items, late: due.late, ...result });
      log.info('digest queued', { subscription: sub.id, period: due.slot.key, items: built.items, late: due.late });
    } catch (error) {
      errors.push({ subscription: sub.id, reason: (error as Error).message });
      log.error('digest could not be queued', { subscription: sub.id, error });
    }
  }
  return { queued, errors };
}
