import { randomUUID } from 'node:crypto';
import type { Store } from '../../db/open-store.ts';

/** Whose list: one staff member in one conversation (Slack channel or DM, Teams conversation, the terminal). */
export type ShortlistKey = { platform: string; channelRef: string; userId: string };

/** A list is small: enough for one leaflet or text message, and a mistake is easy to undo. */
export const MAX_SHORTLIST = 8;
/** A list is for one conversation with a resident: it is forgotten a day after its last change. */
export const SHORTLIST_TTL_MS = 24 * 60 * 60 * 1000;

/** The lists in the database (`shortlist`): entry ids only, never anything about the resident. */
export type ShortlistStore = {
  get(key: ShortlistKey, now: Date): Promise<string[]>;
  /** Replaces the list (at most MAX_SHORTLIST ids); an empty list removes the row. */
  set(key: ShortlistKey, entryIds: string[], now: Date): Promise<void>;
};

export function createShortlistStore(store: Store): ShortlistStore {
  return {
    async get(key, now) {
      const { rows } = await store.sql.query<{ entry_ids: string[] }>(
        `SELECT entry_ids FROM shortlist WHERE platform = $1 AND channel_ref = $2 AND user_id = $3 AND expires_at > $4`,
        [key.platform, key.channelRef, key.userId, now],
      );
      return rows[0]?.entry_ids ?? [];
    },
    async set(key, entryIds, now) {
      await store.sql.query(`DELETE FROM shortlist WHERE expires_at <= $1`, [now]);
      if (entryIds.length === 0) {
        await store.sql.query(`DELETE FROM shortlist WHERE platform = $1 AND channel_ref = $2 AND user_id = $3`, [key.platform, key.channelRef, key.userId]);
        return;
      }
      await store.sql.query(
        `INSERT INTO shortlist (platform, channel_ref, user_id, entry_ids, updated_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (platform, channel_ref, user_id) DO UPDATE SET entry_ids = EXCLUDED.entry_ids, updated_at = EXCLUDED.updated_at, expires_at = EXCLUDED.expires_at`,
        [key.platform, key.channelRef, key.userId, entryIds.slice(0, MAX_SHORTLIST), now, new Date(now.getTime() + SHORTLIST_TTL_MS)],
      );
    },
  };
}

export type LeafletRecord = { id: string; entryIds: string[]; largePrint: boolean; expiresAt: Date };

/** Leaflets behind signed links (`leaflet`): which listings and which print, until the link expires. */
export type LeafletStore = {
  create(entry: { entryIds: string[]; largePrint: boolean; now: Date; expiresAt: Date }): Promise<LeafletRecord>;
  get(id: string, now: Date): Promise<LeafletRecord | undefined>;
};

export function createLeafletStore(store: Store): LeafletStore {
  return {
    async create({ entryIds, largePrint, now, expiresAt }) {
      await store.sql.query(`DELETE FROM leaflet WHERE expires_at <= $1`, [now]);
      const id = randomUUID();
      await store.sql.query(`INSERT INTO leaflet (id, entry_ids, large_print, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        entryIds,
        largePrint,
        now,
        expiresAt,
      ]);
      return { id, entryIds, largePrint, expiresAt };
    },
    async get(id, now) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const { rows } = await store.sql.query<{ entry_ids: string[]; large_print: boolean; expires_at: Date }>(
        `SELECT entry_ids, large_print, expires_at FROM leaflet WHERE id = $1 AND expires_at > $2`,
        [id, now],
      );
      const row = rows[0];
      return row ? { id, entryIds: row.entry_ids, largePrint: row.large_print, expiresAt: new Date(row.expires_at) } : undefined;
    },
  };
}
