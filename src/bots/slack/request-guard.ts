import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Sql } from '../../db/sql.ts';
import { deleteExpiredRequests, insertSeenRequests, unexpiredRequests } from './slack-request-queries.ts';

/** Slack requests are small; anything far bigger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;
/** How far a request's timestamp may be from now, either way (Slack's own rule is five minutes). */
const MAX_SKEW_MS = 5 * 60_000;
/** Slack retries an event it got no answer to for about five minutes, each time newly signed: its id is kept longer. */
const EVENT_KEPT_MS = 60 * 60_000;
/** How often the database's record of requests seen is pruned. */
const PRUNE_EVERY_MS = 60_000;

export type GuardOutcome =
  | { kind: 'pass'; rawBody: Buffer }
  | { kind: 'refuse'; status: number; error: string }
  /** Already handled once: acknowledged, not run again. */
  | { kind: 'duplicate' };

function validSignature(secret: string, timestamp: string, body: Buffer, signature: string): boolean {
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Requests already taken in, shared by every server on the database: `claim` records the keys and says whether all of
 * them are new (one INSERT … ON CONFLICT DO NOTHING, so two servers receiving the same request at once cannot both
 * win).
 */
export type SeenRequests = { claim(keys: string[], expires: Date[], now: Date): Promise<boolean> };

/** What this process has claimed on a database only it uses (key → expiry, ms), and when it was last pruned. */
type Claimed = { keys: Map<string, number>; loaded: Promise<void>; prunedAt: number };
const claimedHere = new WeakMap<Sql, Claimed>();

/**
 * @param options.exclusive this process is the only one on the database (the embedded store: one process holds its
 *   folder). Then its own memory of the keys, filled from the database on the first claim, is the whole truth, shared
 *   by every Slack app on the same `sql`: a claim is answered from it at once and written behind, so an ack never
 *   waits for the store (where it would wait behind the searches' statements). A record not yet written when the
 *   process stops is only lost for a replay after a restart, as when the database is slow to answer.
 */
export function createSeenRequests(sql: Sql, options: { exclusive?: boolean } = {}): SeenRequests {
  if (options.exclusive) return claimInMemory(sql);
  let prunedAt = 0;
  return {
    async claim(keys, expires, now) {
      if (now.getTime() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now.getTime();
        await deleteExpiredRequests(sql, now);
      }
      return (await insertSeenRequests(sql, keys, expires)) === keys.length;
    },
  };
}

function claimInMemory(sql: Sql): SeenRequests {
  return {
    async claim(keys, expires, now) {
      let claimed = claimedHere.get(sql);
      if (!claimed) {
        const keys = new Map<string, number>();
        const loaded = unexpiredRequests(sql, now).then((rows) => {
          for (const row of rows) keys.set(row.key, new Date(row.expires_at).getTime());
        });
        claimed = { keys, loaded, prunedAt: now.getTime() };
        claimedHere.set(sql, claimed);
        // A failed load is tried again by the next claim; this one reports it (the guard's memory decides alone).
        loaded.catch(() => claimedHere.delete(sql));
      }
      await claimed.loaded;
      const t = now.getTime();
      if (t - claimed.prunedAt > PRUNE_EVERY_MS) {
        claimed.prunedAt = t;
        for (const [key, until] of claimed.keys) if (until < t) claimed.keys.delete(key);
        deleteExpiredRequests(sql, now).catch(() => undefined);
      }
      if (keys.some((key) => (claimed.keys.get(key) ?? -Infinity) >= t)) return false;
      for (const [i, key] of keys.entries()) claimed.keys.set(key, expires[i]!.getTime());
      insertSeenRequests(sql, keys, expires).catch(() => undefined);
      return true;
    },
  };
}

/** An event's id (Events API envelopes), kept so Slack's retries of it run once. */
function eventIdOf(contentType: string, body: string): string | undefined {
  if (!/application\/json/i.test(contentType)) return undefined;
  try {
    const json = JSON.parse(body) as { event_id?: unknown };
    return typeof json.event_id === 'string' && json.event_id.length <= 100 ? json.event_id : undefined;
  } catch {
    return undefined;
  }
}

/** Why a signed body is not a Slack request we can run (undefined when it is one). */
function shapeProblem(contentType: string, body: string): string | undefined {
  if (/application\/json/i.test(contentType)) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return 'the body is not JSON';
    }
    if (!isRecord(json) || typeof json.type !== 'string') return 'not a Slack event envelope';
    if (json.type === 'event_callback' && !(isRecord(json.event) && typeof json.event.type === 'string'))
      return 'an event_callback without an event';
    return undefined;
  }
  const form = new URLSearchParams(body);
  const payload = form.get('payload');
  if (payload !== null) {
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      return 'the payload is not JSON';
    }
    return isRecord(json) && typeof json.type === 'string' ? undefined : 'the payload is not a Slack interaction';
  }
  if (form.get('command') || form.get('ssl_check')) return undefined;
  return 'neither a command nor an interaction';
}

/**
 * Checks what Bolt's receiver does not, before it sees the request: a signature's timestamp too far in the future
 * (Bolt only refuses old ones), the same signed request arriving twice (a replay: acknowledged, run once), and a
 * correctly signed body of the wrong shape (400 instead of a server error). Requests whose signature does not verify
 * are passed on, for Bolt to refuse. With `seen` (the database), a request or event another server has already taken
 * in is a duplicate too; should the database not answer, this server's own memory still catches its own repeats.
 */
export function createSlackRequestGuard(options: {
  signingSecret: string;
  now?: () => number;
  seen?: SeenRequests;
  /** How long the ack waits for the database's answer (default 500 ms). */
  seenWaitMs?: number;
  onSeenError?: (error: unknown) => void;
}) {
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  let sweptAt = 0;
  return async (req: http.IncomingMessage): Promise<GuardOutcome> => {
    const t = now();
    if (t - sweptAt > 10_000) {
      sweptAt = t;
      for (const [key, until] of seen) if (until <= t) seen.delete(key);
    }
    const timestamp = req.headers['x-slack-request-timestamp'];
    const signature = req.headers['x-slack-signature'];
    if (typeof timestamp === 'string' && Number(timestamp) * 1000 > t + MAX_SKEW_MS) {
      return { kind: 'refuse', status: 401, error: 'the request is timestamped in the future' };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return { kind: 'refuse', status: 413, error: 'too large' };
      chunks.push(chunk as Buffer);
    }
    const rawBody = Buffer.concat(chunks, size);
    if (
      typeof timestamp !== 'string' ||
      typeof signature !== 'string' ||
      !validSignature(options.signingSecret, timestamp, rawBody, signature)
    ) {
      return { kind: 'pass', rawBody };
    }
    if (Number(timestamp) * 1000 < t - MAX_SKEW_MS) return { kind: 'pass', rawBody };
    const problem = shapeProblem(String(req.headers['content-type'] ?? ''), rawBody.toString('utf8'));
    if (problem) return { kind: 'refuse', status: 400, error: problem };
    const eventId = eventIdOf(String(req.headers['content-type'] ?? ''), rawBody.toString('utf8'));
    const keys = [
      `sig:${createHash('sha256').update(signature).digest('base64url')}`,
      ...(eventId ? [`event:${eventId}`] : []),
    ];
    if (keys.some((k) => seen.has(k))) return { kind: 'duplicate' };
    // Kept for as long as the timestamp could still pass (an event id, for as long as Slack retries), then forgotten.
    const expires = [Number(timestamp) * 1000 + MAX_SKEW_MS, ...(eventId ? [t + EVENT_KEPT_MS] : [])];
    keys.forEach((k, i) => seen.set(k, expires[i]!));
    if (options.seen) {
      // The ack must not wait on a busy database (an import holding the embedded store): after a moment this
      // server's own memory decides alone, and the record is still written when the database gets to it.
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), options.seenWaitMs ?? 500);
      });
      const claim = options.seen.claim(
        keys,
        expires.map((ms) => new Date(ms)),
        new Date(t),
      );
      claim.catch(() => undefined);
      try {
        const fresh = await Promise.race([claim, gaveUp]);
        if (fresh === 'late') options.onSeenError?.(new Error('the database did not answer in time'));
        else if (!fresh) return { kind: 'duplicate' };
      } catch (error) {
        options.onSeenError?.(error);
      } finally {
        clearTimeout(timer);
      }
    }
    return { kind: 'pass', rawBody };
  };
}
