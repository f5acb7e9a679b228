import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';

/** One conversation's place: (platform, user, channel). */
export type SessionRef = { platform: string; userId: string; channelRef: string };

/** The list last shown in a conversation: which query it came from and which entry each number stands for. */
export type SessionState = {
  queryKey: string;
  /** Offset of the next page ("more"). */
  nextOffset: number;
  total: number;
  /** Entry ids by their number in the list (1-based). */
  numbered: Map<number, string>;
  /** Why each listed entry matched, as a short line for its details (by entry id). */
  why: Map<string, string>;
};

/**
 * Short-lived memory of the last question per conversation, so "more" and "details 2" work without putting the
 * question in a button. A "more" button carries only an opaque key. Held in memory only (never written to disk or
 * logs) and forgotten after `ttlMs`; a second server instance does not see it, and then the user is asked again.
 */
export type SessionMemory = {
  /** Keeps a question and returns its opaque key (10 characters). */
  rememberQuery(text: string): string;
  recallQuery(key: string): string | undefined;
  /** Records a page shown in a conversation; a page at offset 0 starts a new list. */
  recordPage(
    session: SessionRef,
    page: { queryKey: string; offset: number; total: number; ids: string[]; why?: ReadonlyMap<string, string> },
  ): void;
  current(session: SessionRef): SessionState | undefined;
};

type Timed<T> = { value: T; expiresAt: number };

export const DEFAULT_SESSION_TTL_MS = 60 * 60 * 1000;

export function createSessionMemory(options: { clock: Clock; ttlMs?: number; maxEntries?: number }): SessionMemory {
  const ttl = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const max = options.maxEntries ?? 10_000;
  const queries = new Map<string, Timed<string>>();
  const sessions = new Map<string, Timed<SessionState>>();
  const now = () => options.clock.now().getTime();

  const get = <T>(map: Map<string, Timed<T>>, key: string): T | undefined => {
    const hit = map.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= now()) {
      map.delete(key);
      return undefined;
    }
    return hit.value;
  };
  // Maps keep insertion order, and every write re-inserts, so the oldest entries come first.
  const put = <T>(map: Map<string, Timed<T>>, key: string, value: T) => {
    map.delete(key);
    map.set(key, { value, expiresAt: now() + ttl });
    for (const [k, v] of map) {
      if (map.size <= max && v.expiresAt > now()) break;
      map.delete(k);
    }
  };
  const sessionKey = (s: SessionRef) => `${s.platform}\u0000${s.userId}\u0000${s.channelRef}`;

  return {
    rememberQuery(text) {
      const key = randomBytes(8).toString('base64url').slice(0, 10);
      put(queries, key, text);
      return key;
    },
    recallQuery(key) {
      return get(queries, key);
    },
    recordPage(session, page) {
      const key = sessionKey(session);
      const previous = get(sessions, key);
      const numbered =
        page.offset > 0 && previous?.queryKey === page.queryKey
          ? new Map(previous.numbered)
          : new Map<number, string>();
      page.ids.forEach((id, i) => numbered.set(page.offset + i + 1, id));
      const why =
        page.offset > 0 && previous?.queryKey === page.queryKey ? new Map(previous.why) : new Map<string, string>();
      for (const [id, line] of page.why ?? []) why.set(id, line);
      put(sessions, key, {
        queryKey: page.queryKey,
        nextOffset: page.offset + page.ids.length,
        total: page.total,
        numbered,
        why,
      });
    },
    current(session) {
      return get(sessions, sessionKey(session));
    },
  };
}
