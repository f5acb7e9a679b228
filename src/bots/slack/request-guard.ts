import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

/** Slack requests are small; anything far bigger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;
/** How far a request's timestamp may be from now, either way (Slack's own rule is five minutes). */
const MAX_SKEW_MS = 5 * 60_000;

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
    if (json.type === 'event_callback' && !(isRecord(json.event) && typeof json.event.type === 'string')) return 'an event_callback without an event';
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
 * are passed on, for Bolt to refuse.
 */
export function createSlackRequestGuard(options: { signingSecret: string; now?: () => number }) {
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return async (req: http.IncomingMessage): Promise<GuardOutcome> => {
    const t = now();
    for (const [signature, until] of seen) {
      if (until > t) break;
      seen.delete(signature);
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
    if (typeof timestamp !== 'string' || typeof signature !== 'string' || !validSignature(options.signingSecret, timestamp, rawBody, signature)) {
      return { kind: 'pass', rawBody };
    }
    if (Number(timestamp) * 1000 < t - MAX_SKEW_MS) return { kind: 'pass', rawBody };
    const problem = shapeProblem(String(req.headers['content-type'] ?? ''), rawBody.toString('utf8'));
    if (problem) return { kind: 'refuse', status: 400, error: problem };
    if (seen.has(signature)) return { kind: 'duplicate' };
    // Kept for as long as the timestamp could still pass, then forgotten.
    seen.set(signature, Number(timestamp) * 1000 + MAX_SKEW_MS);
    return { kind: 'pass', rawBody };
  };
}
