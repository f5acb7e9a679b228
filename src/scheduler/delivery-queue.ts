import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Platform } from '../bots/core/inbound.ts';
import { DeliveryError, type DeliveryTarget, type Notifier } from '../bots/core/ports.ts';
import { heading, literal, type Reply, type ReplyBlock, text } from '../bots/core/reply.ts';
import type { Clock } from '../clock.ts';
import type { Store } from '../db/open-store.ts';
import type { Sql } from '../db/sql.ts';
import type { Logger } from '../logger.ts';

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
  store: Store;
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

type ItemRow = {
  id: string;
  dedupe_key: string;
  kind: string;
  platform: string;
  channel_ref: string;
  workspace: string;
  reply: unknown;
  attempts: number;
  digest_run_id: string | null;
};

/** Adds a delivery inside the caller's transaction; a second item with the same key is ignored. Returns its id, or null. */
export async function enqueueDelivery(tx: Sql, item: NewDelivery, now: Date): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO delivery_item (dedupe_key, kind, platform, channel_ref, workspace, reply, next_attempt_at, created_at, digest_run_id)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [
      item.dedupeKey,
      item.kind,
      item.target.platform,
      item.target.channelRef,
      item.target.workspace ?? '',
      JSON.stringify(item.reply),
      item.notBefore ?? now,
      now,
      item.digestRunId ?? null,
    ],
  );
  return rows[0]?.id ?? null;
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

  const due = (alias = '') => `((${alias}status = 'pending' AND ${alias}next_attempt_at <= $now) OR (${alias}status = 'sending' AND ${alias}lease_until < $now))`;

  async function acquireLane(key: string, now: Date): Promise<{ pausedUntil: Date | null } | null> {
    const { rows } = await store.sql.query<{ paused_until: Date | null }>(
      `INSERT INTO delivery_lane (key, owner, lease_until, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, updated_at = EXCLUDED.updated_at
       WHERE delivery_lane.owner IS NULL OR delivery_lane.owner = EXCLUDED.owner OR delivery_lane.lease_until IS NULL
          OR delivery_lane.lease_until < $4
       RETURNING paused_until`,
      [key, owner, new Date(now.getTime() + leaseMs), now],
    );
    return rows[0] ? { pausedUntil: rows[0].paused_until } : null;
  }

  async function releaseLane(key: string): Promise<void> {
    await store.sql.query(`UPDATE delivery_lane SET owner = NULL, lease_until = NULL WHERE key = $1 AND owner = $2`, [key, owner]);
  }

  async function pauseLane(key: string, until: Date): Promise<void> {
    await store.sql.query(
      `UPDATE delivery_lane SET paused_until = GREATEST(coalesce(paused_until, $2), $2) WHERE key = $1`,
      [key, until],
    );
  }

  /** Up to 50 items of a lane due now, oldest first; the claim happens one by one. */
  async function candidates(platform: string, workspace: string, now: Date, onlyIds?: string[]): Promise<ItemRow[]> {
    const params: unknown[] = [platform, workspace, now];
    let only = '';
    if (onlyIds) {
      params.push(onlyIds);
      only = 'AND id = ANY($4::uuid[])';
    }
    const { rows } = await store.sql.query<ItemRow>(
      `SELECT id, dedupe_key, kind, platform, channel_ref, workspace, reply, attempts, digest_run_id FROM delivery_item
       WHERE platform = $1 AND workspace = $2 AND ${due().replaceAll('$now', '$3')} ${only}
       ORDER BY next_attempt_at, created_at, id LIMIT 50`,
      params,
    );
    return rows;
  }

  async function claim(id: string, now: Date): Promise<ItemRow | undefined> {
    const { rows } = await store.sql.query<ItemRow>(
      `UPDATE delivery_item SET status = 'sending', lease_until = $2, attempts = attempts + 1
       WHERE id = $1 AND ${due().replaceAll('$now', '$3')}
       RETURNING id, dedupe_key, kind, platform, channel_ref, workspace, reply, attempts, digest_run_id`,
      [id, new Date(now.getTime() + leaseMs), now],
    );
    return rows[0];
  }

  async function markSent(item: ItemRow, now: Date): Promise<void> {
    await store.transaction(async (tx) => {
      await tx.query(`UPDATE delivery_item SET status = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1`, [item.id, now]);
      if (item.digest_run_id) {
        const run = await tx.query<{ subscription_id: string }>(
          `UPDATE digest_run SET status = 'sent', sent_at = $2, attempts = $3, last_error = NULL WHERE id = $1 RETURNING subscription_id`,
          [item.digest_run_id, now, item.attempts],
        );
        const sub = run.rows[0]?.subscription_id;
        if (sub) {
          await tx.query(
            `UPDATE digest_subscription SET last_sent_at = $2, consecutive_failures = 0, last_error = NULL WHERE id = $1`,
            [sub, now],
          );
        }
      }
    });
  }

  async function markFailure(item: ItemRow, now: Date, reason: string, final: boolean, retryAt: Date | null, countAttempt: boolean): Promise<void> {
    await store.transaction(async (tx) => {
      await tx.query(
        `UPDATE delivery_item SET status = $2, next_attempt_at = coalesce($3, next_attempt_at), lease_until = NULL, last_error = $4,
           attempts = attempts - $5 WHERE id = $1`,
        [item.id, final ? 'failed' : 'pending', retryAt, reason, countAttempt ? 0 : 1],
      );
      if (item.digest_run_id) {
        const run = await tx.query<{ subscription_id: string }>(
          `UPDATE digest_run SET status = $2, attempts = $3, last_error = $4 WHERE id = $1 RETURNING subscription_id`,
          [item.digest_run_id, final ? 'failed' : 'pending', item.attempts - (countAttempt ? 0 : 1), reason],
        );
        const sub = run.rows[0]?.subscription_id;
        if (sub && countAttempt) {
          // Not in the channel will not mend itself: the subscription is failing at once, and whoever set it up is told.
          const notInChannel = NOT_IN_CHANNEL.test(reason);
          const updated = await tx.query<{ created_by: string }>(
            `UPDATE digest_subscription SET consecutive_failures = GREATEST(consecutive_failures + 1, $4), last_error = $2, last_error_at = $3
             WHERE id = $1 RETURNING created_by`,
            [sub, reason, now, notInChannel ? FAILING_AFTER : 0],
          );
          // created_by is "<platform>:<user id>": the notice goes to that person directly, on the same platform.
          const owner = /^([a-z]+):(.+)$/.exec(updated.rows[0]?.created_by ?? '');
          const ownerId = owner?.[1] === item.platform ? owner[2] : undefined;
          if (notInChannel && ownerId) {
            await enqueueDelivery(
              tx,
              {
                dedupeKey: `not-in-channel:${item.digest_run_id}`,
                kind: 'notice',
                target: { platform: item.platform as Platform, channelRef: ownerId, ...(item.workspace ? { workspace: item.workspace } : {}) },
                reply: notInChannelNotice(item.channel_ref),
              },
              now,
            );
          }
        }
      }
    });
  }

  async function send(item: ItemRow): Promise<void> {
    const notifier = options.notifiers[item.platform as Platform];
    if (!notifier) throw new DeliveryError(`${item.platform} is not configured on this server`, false);
    const parsed = ReplySchema.safeParse(item.reply);
    if (!parsed.success) throw new DeliveryError('the stored message is not a valid reply', false);
    const reply: Reply = { ...parsed.data, blocks: parsed.data.blocks as unknown as ReplyBlock[] };
    await notifier.post({ platform: item.platform as Platform, channelRef: item.channel_ref, ...(item.workspace ? { workspace: item.workspace } : {}) }, reply);
  }

  async function drainLane(platform: string, workspace: string, drainOptions: DrainOptions, deadline: number): Promise<DeliveryOutcome[]> {
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
    let lane = await acquireLane(key, clock.now());
    if (!lane) return outcomes;
    try {
      for (;;) {
        if (signal?.aborted) break;
        let now = clock.now();
        lane = await acquireLane(key, now);
        if (!lane) break;
        if (lane.pausedUntil && lane.pausedUntil.getTime() > now.getTime()) {
          if (lane.pausedUntil.getTime() > deadline) break;
          await pause(lane.pausedUntil.getTime() - now.getTime());
          continue;
        }
        const ready = await candidates(platform, workspace, now, drainOptions.onlyIds);
        if (ready.length === 0) {
          // Nothing due now: wait for the earliest retry if it falls within the deadline.
          const next = await store.sql.query<{ at: Date | null }>(
            `SELECT min(next_attempt_at) AS at FROM delivery_item WHERE platform = $1 AND workspace = $2 AND status = 'pending'
             ${drainOptions.onlyIds ? 'AND id = ANY($3::uuid[])' : ''}`,
            drainOptions.onlyIds ? [platform, workspace, drainOptions.onlyIds] : [platform, workspace],
          );
          const at = next.rows[0]?.at?.getTime();
          if (at === undefined || at > deadline) break;
          await pause(Math.max(1, at - now.getTime()));
          continue;
        }
        // The first item whose channel may be posted to now; otherwise wait for the soonest channel.
        const t = now.getTime();
        const pick = ready.find((r) => t - (lastPostAt.get(r.channel_ref) ?? Number.NEGATIVE_INFINITY) >= limits.channelIntervalMs);
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
        const item = await claim(pick.id, now);
        if (!item) continue;
        lastLanePost = t;
        lastPostAt.set(item.channel_ref, t);
        const base = { id: item.id, dedupeKey: item.dedupe_key, kind: item.kind, platform, channelRef: item.channel_ref, digestRunId: item.digest_run_id };
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
            await pauseLane(key, until);
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
      await releaseLane(key).catch(() => {});
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
        const params: unknown[] = [now];
        const only = drainOptions.onlyIds ? 'AND id = ANY($2::uuid[])' : '';
        if (drainOptions.onlyIds) params.push(drainOptions.onlyIds);
        // Only lanes this process can post to: the rest wait for an instance that has that platform configured.
        params.push(Object.keys(options.notifiers));
        const lanes = await store.sql.query<{ platform: string; workspace: string }>(
          `SELECT DISTINCT platform, workspace FROM delivery_item
           WHERE (status = 'pending' OR (status = 'sending' AND lease_until < $1)) ${only}
             AND platform = ANY($${params.length}::text[])`,
          params,
        );
        const results = await Promise.all(lanes.rows.map((l) => drainLane(l.platform, l.workspace, drainOptions, deadline)));
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
      const { rows } = await store.sql.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM delivery_item GROUP BY status`,
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
  };
}
