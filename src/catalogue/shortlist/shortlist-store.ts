import type { Database } from '../../db/sql.ts';
import { randomUUID } from 'node:crypto';
import {
  deleteExpiredLeaflets,
  deleteExpiredShortlists,
  deleteShortlist,
  insertLeaflet,
  selectLeaflet,
  selectShortlist,
  upsertShortlist,
} from './shortlist-queries.ts';

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

export function createShortlistStore(store: Pick<Database, 'sql'>): ShortlistStore {
  return {
    async get(key, now) {
      return (await selectShortlist(store.sql, key, now)) ?? [];
    },
    async set(key, entryIds, now) {
      await deleteExpiredShortlists(store.sql, now);
      if (entryIds.length === 0) {
        await deleteShortlist(store.sql, key);
        return;
      }
      await upsertShortlist(
        store.sql,
        key,
        entryIds.slice(0, MAX_SHORTLIST),
        now,
        new Date(now.getTime() + SHORTLIST_TTL_MS),
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

export function createLeafletStore(store: Pick<Database, 'sql'>): LeafletStore {
  return {
    async create({ entryIds, largePrint, now, expiresAt }) {
      await deleteExpiredLeaflets(store.sql, now);
      const id = randomUUID();
      await insertLeaflet(store.sql, { id, entryIds, largePrint, createdAt: now, expiresAt });
      return { id, entryIds, largePrint, expiresAt };
    },
    async get(id, now) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const row = await selectLeaflet(store.sql, id, now);
      return row
        ? { id, entryIds: row.entry_ids, largePrint: row.large_print, expiresAt: new Date(row.expires_at) }
        : undefined;
    },
  };
}
