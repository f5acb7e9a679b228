import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Platform } from '../bots/core/inbound.ts';
import { DeliveryError, type DeliveryTarget, type Notifier } from '../bots/core/ports.ts';
import { heading, literal, type Reply, type ReplyBlock, text } from '../bots/core/reply.ts';
import type { Clock } from '../clock.ts';
import type { Database, Sql } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import {
  acquireLane,
  claimItem,
  countDeliveriesByStatus,
  type DeliveryItemRow,
  insertDelivery,
  pauseLane,
  recordFailure,
  recordSent,
  releaseLane,
  selectDueItems,
  selectNextAttemptAt,
  selectWaitingLanes,
} from './delivery-queries.ts';

/**
 * The outgoing queue for proactive messages (digests, reminders, waitlist offers), kept in the database so nothing is
 * lost across restarts and several instances can share it.
 *
 * Work is drained per lane: one lane per Slack workspace or Teams tenant. The instance holding a lane's lease is the
 * only one posting to it, so the platform limits hold across instances; a 429 pauses the whole lane until its
 * Retry-After (stored, so other instances respect it too). A failing channel backs off on its own and never holds up
 * the other channels of its lane. Every item is claimed with a conditional UPDATE, so no two drains send it.
 */
export type LaneLimits = {
  /** Smallest gap between two posts in one workspace / tenant. */
  laneIntervalMs: number;
  /** Smallest gap between two posts to one channel / conversation. */
  channelIntervalMs: number;
};

/** From Slack's and Microsoft's published rate limits: Slack ~1/s per channel and 300/min per workspace; Teams 7/s per conversation, ~30 rps per tenant. */
export const PLATFORM_LIMITS: Record<Platform, LaneLimits> = {
  slack: { laneIntervalMs: 200, channelIntervalMs: 1000 },
  teams: { laneIntervalMs: 34, channelIntervalMs: 150 },
  terminal: { laneIntervalMs: 0, channelIntervalMs: 0 },
};

/** A subscription whose digests failed this many times in a row is shown as failing. */
export const FAILING_AFTER = 2;

/** Slack's answer when the bot is not a member of the channel it posts to. */
const NOT_IN_CHANNEL = /\bnot_in_channel\b/;

/** What the coordinator who set up a digest is told when it could not be posted because the bot is not in the channel. */
export function notInChannelNotice(channelRef: string): Reply {
  const body = `I could not post the digest in channel ${channelRef}: I am not a member of it. Add me to the channel (for example /invite @Signpost) and the next one will go out; until then the digest is marked failing.`;
  return { fallbackText: body, blocks: [heading('Digest not delivered'), text(literal(body))] };
}

export type Sleeper = (ms: number) => Promise<void>;
export const realSleep: Sleeper = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export type DeliveryKind = 'digest' | 'reminder' | 'offer' | 'notice' | 'follow-up';

export type NewDelivery = {
  dedupeKey: string;
  kind: DeliveryKind;
  target: DeliveryTarget;
  reply: Reply;
  digestRunId?: string;
  notBefore?: Date;
};

export type DeliveryOutcome = {
  id: string;
  dedupeKey: string;
  kind: string;
  platform: string;
  channelRef: string;
  digestRunId: string | null;
  outcome: 'sent' | 'failed' | 'retry';
  attempts: number;
  reason?: string;
};

export type DrainOptions = {
  /** Keep waiting (for a Retry-After, a back-off, spacing) while the wait ends within this long. Default 0. */
  maxWaitMs?: number;
  /** Only these items (e.g. what one `digest run` queued). */
  onlyIds?: string[];
  /** The server is stopping: the post under way is finished and recorded, nothing more is started. */
  signal?: AbortSignal;
};

export type DeliveryQueueOptions = {
  store: Database;
  clock: Clock;
  logger: Logger;
  notifiers: Partial<Record<Platform, Notifier>>;
  sleep?: Sleeper;
  limits?: Partial<Record<Platform, LaneLimits>>;
  /** After this many failed attempts an item is marked failed. Default 5. 429s do not count. */
  maxAttempts?: number;
  /** How long a claimed item or lane stays ours without progress. Default 2 minutes. */
  leaseMs?: number;
  owner?: string;
};

const ReplySchema = z.object({
  fallbackText: z.string(),
  blocks: z.array(z.object({ type: z.string() }).passthrough()),
  ephemeral: z.boolean().optional(),
});

type ItemRow = DeliveryItemRow;

/** Adds a delivery inside the caller's transaction; a second item with the same key is ignored. Returns its id, or null. */
export async function enqueueDelivery(tx: Sql, item: NewDelivery, now: Date): Promise<string | null> {
  return insertDelivery(
    tx,
    {
      dedupeKey: item.dedupeKey,
      kind: item.kind,
      platform: item.target.platform,
      channelRef: item.target.channelRef,
      workspace: item.target.workspace ?? '',
      reply: item.reply,
      nextAttemptAt: item.notBefore ?? now,
      digestRunId: item.digestRunId ?? null,
    },
    now,
  );
}

const laneKey = (platform: string, workspace: string) => `${platform}:${workspace}`;

export type DeliveryQueue = {
  enqueue(item: NewDelivery): Promise<string | null>;
  /** Sends what is due now, lane by lane in parallel; returns what happened to each item it touched. */
  drain(options?: DrainOptions): Promise<DeliveryOutcome[]>;
  /** Counts by status, for health output. */
  stats(): Promise<Record<string, number>>;
};

export function createDeliveryQueue(options: DeliveryQueueOptions): DeliveryQueue {
  const { store, clock } = options;
  const log = options.logger.child('delivery');
  const sleep = options.sleep ?? realSleep;
  const maxAttempts = options.maxAttempts ?? 5;
  const leaseMs = options.leaseMs ?? 120_000;
  const owner = options.owner ?? randomUUID();
  const limitsOf = (platform: string): LaneLimits =>
    options.limits?.[platform as Platform] ?? PLATFORM_LIMITS[platform as Platform] ?? PLATFORM_LIMITS.terminal;

  const lease = (now: Date) => new Date(now.getTime() + leaseMs);

  async function markSent(item: ItemRow, now: Date): Promise<void> {
    await store.transaction((tx) => recordSent(tx, item, now));
  }

  async function markFailure(
    item: ItemRow,
    now: Date,
    reason: string,
    final: boolean,
    retryAt: Date | null,
    countAttempt: boolean,
  ): Promise<void> {
    await store.transaction(async (tx) => {
      // Not in the channel will not mend itself: the subscription is failing at once, and whoever set it up is told.
      const notInChannel = NOT_IN_CHANNEL.test(reason);
      const failed = await recordFailure(tx, item, now, {
        reason,
        final,
        retryAt,
        countAttempt,
        minFailures: notInChannel ? FAILING_AFTER : 0,
      });
      if (!notInChannel || !failed) return;
      // created_by is "<platform>:<user id>": the notice goes to that person directly, on the same platform.
      const owner = /^([a-z]+):(.+)$/.exec(failed.subscriptionCreatedBy);
      const ownerId = owner?.[1] === item.platform ? owner[2] : undefined;
      if (!ownerId) return;
      await enqueueDelivery(
        tx,
        {
          dedupeKey: `not-in-channel:${item.digest_run_id}`,
          kind: 'notice',
          target: {
            platform: item.platform as Platform,
            channelRef: ownerId,
            ...(item.workspace ? { workspace: item.workspace } : {}),
          },
          reply: notInChannelNotice(item.channel_ref),
        },
        now,
      );
    });
  }

  async function send(item: ItemRow): Promise<void> {
    const notifier = options.notifiers[item.platform as Platform];
    if (!notifier) throw new DeliveryError(`${item.platform} is not configured on this server`, false);
    const parsed = ReplySchema.safeParse(item.reply);
    if (!parsed.success) throw new DeliveryError('the stored message is not a valid reply', false);
    const reply: Reply = { ...parsed.data, blocks: parsed.data.blocks as unknown as ReplyBlock[] };
    await notifier.post(
      {
        platform: item.platform as Platform,
        channelRef: item.channel_ref,
        ...(item.workspace ? { workspace: item.workspace } : {}),
      },
      reply,
    );
  }

  async function drainLane(
    platform: string,
    workspace: string,
    drainOptions: DrainOptions,
    deadline: number,
  ): Promise<DeliveryOutcome[]> {
    const key = laneKey(platform, workspace);
    const limits = limitsOf(platform);
    const outcomes: DeliveryOutcome[] = [];
    const lastPostAt = new Map<string, number>();
    let lastLanePost = Number.NEGATIVE_INFINITY;
    const signal = drainOptions.signal;
    // Waits end early when the server stops; the loop then ends before claiming anything else.
    const pause = async (ms: number) => {
      if (!signal) return sleep(ms);
      let onAbort = () => {};
      const aborted = new Promise<void>((resolve) => {
        onAbort = resolve;
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        await Promise.race([sleep(ms), aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    };
    const start = clock.now();
    let lane = await acquireLane(store.sql, key, owner, lease(start), start);
    if (!lane) return outcomes;
    try {
      for (;;) {
        if (signal?.aborted) break;
        let now = clock.now();
        lane = await acquireLane(store.sql, key, owner, lease(now), now);
        if (!lane) break;
        if (lane.pausedUntil && lane.pausedUntil.getTime() > now.getTime()) {
          if (lane.pausedUntil.getTime() > deadline) break;
          await pause(lane.pausedUntil.getTime() - now.getTime());
          continue;
        }
        const ready = await selectDueItems(store.sql, platform, workspace, now, drainOptions.onlyIds);
        if (ready.length === 0) {
          // Nothing due now: wait for the earliest retry if it falls within the deadline.
          const at = (await selectNextAttemptAt(store.sql, platform, workspace, drainOptions.onlyIds))?.getTime();
          if (at === undefined || at > deadline) break;
          await pause(Math.max(1, at - now.getTime()));
          continue;
        }
        // The first item whose channel may be posted to now; otherwise wait for the soonest channel.
        const t = now.getTime();
        const pick = ready.find(
          (r) => t - (lastPostAt.get(r.channel_ref) ?? Number.NEGATIVE_INFINITY) >= limits.channelIntervalMs,
        );
        const laneWait = lastLanePost + limits.laneIntervalMs - t;
        if (!pick || laneWait > 0) {
          const channelWait = pick
            ? 0
            : Math.min(...ready.map((r) => (lastPostAt.get(r.channel_ref) ?? 0) + limits.channelIntervalMs - t));
          const wait = Math.max(laneWait, channelWait, 1);
          if (t + wait > deadline && !pick) break;
          await pause(wait);
          continue;
        }
        const item = await claimItem(store.sql, pick.id, lease(now), now);
        if (!item) continue;
        lastLanePost = t;
        lastPostAt.set(item.channel_ref, t);
        const base = {
          id: item.id,
          dedupeKey: item.dedupe_key,
          kind: item.kind,
          platform,
          channelRef: item.channel_ref,
          digestRunId: item.digest_run_id,
        };
        try {
          await send(item);
          now = clock.now();
          await markSent(item, now);
          outcomes.push({ ...base, outcome: 'sent', attempts: item.attempts });
        } catch (error) {
          now = clock.now();
          const reason = error instanceof Error ? error.message : String(error);
          if (error instanceof DeliveryError && error.retryAfterMs !== undefined) {
            // Rate limited: the platform's limit, not the channel's fault. The lane waits; the attempt is not counted.
            const until = new Date(now.getTime() + Math.max(error.retryAfterMs, 1));
            await pauseLane(store.sql, key, until);
            await markFailure(item, now, reason, false, until, false);
            outcomes.push({ ...base, outcome: 'retry', attempts: item.attempts - 1, reason });
            log.warn('rate limited', { lane: key, retryAfterMs: error.retryAfterMs });
            continue;
          }
          const retryable = !(error instanceof DeliveryError) || error.retryable;
          const final = !retryable || item.attempts >= maxAttempts;
          const backoff = Math.min(30_000 * 2 ** (item.attempts - 1), 3_600_000);
          await markFailure(item, now, reason, final, final ? null : new Date(now.getTime() + backoff), true);
          outcomes.push({ ...base, outcome: final ? 'failed' : 'retry', attempts: item.attempts, reason });
          log.warn('delivery failed', { lane: key, kind: item.kind, attempts: item.attempts, final, reason });
        }
      }
    } finally {
      await releaseLane(store.sql, key, owner).catch(() => {});
    }
    return outcomes;
  }

  let running: Promise<DeliveryOutcome[]> | undefined;

  return {
    async enqueue(item) {
      return enqueueDelivery(store.sql, item, clock.now());
    },
    async drain(drainOptions = {}) {
      // One drain at a time per process; a second caller waits for the running one and then drains again.
      while (running) await running.catch(() => []);
      const work = (async () => {
        const now = clock.now();
        const deadline = now.getTime() + (drainOptions.maxWaitMs ?? 0);
        // Only lanes this process can post to: the rest wait for an instance that has that platform configured.
        const lanes = await selectWaitingLanes(store.sql, now, Object.keys(options.notifiers), drainOptions.onlyIds);
        const results = await Promise.all(lanes.map((l) => drainLane(l.platform, l.workspace, drainOptions, deadline)));
        return results.flat();
      })();
      running = work;
      try {
        return await work;
      } finally {
        running = undefined;
      }
    },
    async stats() {
      return countDeliveriesByStatus(store.sql);
    },
  };
}
