import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { Reply } from '../core/reply.ts';

/**
 * Replies kept in memory for a short while behind a token: the part of an answer that did not fit in one message,
 * or an ephemeral answer a user may post to the channel. Slack lets a response_url be used for 30 minutes, so tokens
 * live as long. Bounded; nothing is written anywhere (answers can echo what was asked).
 */
export class ReplyStash {
  private readonly entries = new Map<string, { reply: Reply; expires: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 30 * 60_000,
    private readonly capacity = 2000,
  ) {}

  put(reply: Reply): string {
    const now = this.clock.now().getTime();
    for (const [token, entry] of this.entries) {
      if (this.entries.size < this.capacity && entry.expires > now) break;
      this.entries.delete(token);
    }
    const token = randomBytes(9).toString('base64url');
    this.entries.set(token, { reply, expires: now + this.ttlMs });
    return token;
  }

  take(token: string): Reply | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expires <= this.clock.now().getTime()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.reply;
  }
}
