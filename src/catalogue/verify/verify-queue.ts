import type { Database } from '../../db/sql.ts';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { ZONE } from '../../clock.ts';
import { refreshTrustMarks } from '../trust/trust.ts';
import {
  countDueListings,
  type ReportedRow,
  selectReportedListings,
  recordClosure,
  recordConfirmation,
  selectClosure,
  selectDueListings,
  selectListing,
  type VerifyRow,
} from './verify-queries.ts';

export type { ReportedRow, VerifyRow } from './verify-queries.ts';

/**
 * Who checked a listing, as a platform role only (never a person's id): a coordinator in Slack, Teams or the terminal
 * chat, or someone at the command line.
 */
export const VERIFY_ROLES = ['slack coordinator', 'teams coordinator', 'terminal coordinator', 'command line'] as const;
export type VerifyRole = (typeof VERIFY_ROLES)[number];

export function roleOf(platform: 'slack' | 'teams' | 'terminal'): VerifyRole {
  return `${platform} coordinator`;
}

/** The documented `verify list --json` item. */
export type VerifyListItem = { id: string; title: string; source: string; lastConfirmed: string | null };

export const toVerifyListItem = (r: VerifyRow): VerifyListItem => ({
  id: r.id,
  title: r.title,
  source: r.source,
  lastConfirmed: r.lastConfirmed,
});

export type VerifyOutcome = { ok: true; listing: VerifyRow } | { ok: false; reason: 'NOT_FOUND' };

export type VerifyQueue = {
  /** The date (YYYY-MM-DD, London) a listing must have been confirmed on or after to stay out of the queue. */
  dueBefore(now: Date): string;
  /** Listings due, never confirmed first, then oldest first; `limit`/`offset` page through them. */
  list(now: Date, page?: { limit?: number; offset?: number }): Promise<{ items: VerifyRow[]; total: number }>;
  /** *Still running*: records a confirmation now. */
  confirm(id: string, now: Date, role: VerifyRole): Promise<VerifyOutcome>;
  /** *Has closed*: the listing leaves search and stays closed through later imports of its source. */
  close(id: string, now: Date, role: VerifyRole): Promise<VerifyOutcome>;
  /** Listings with open staff reports ("has closed" first): coordinators see them before the rest of the queue. */
  reported(limit: number): Promise<{ items: ReportedRow[]; total: number }>;
  /** A listing a coordinator closed: its title and the date (YYYY-MM-DD, London); undefined for any other. */
  closure(id: string): Promise<{ title: string; closedOn: string } | undefined>;
};

// Any 8-4-4-4-12 hex id: bulk imports write time-ordered ids, which strict UUID checks would refuse.
const ListingIdSchema = z.guid();

/** VERIFY_AFTER_MONTHS when unset. */
export const DEFAULT_VERIFY_AFTER_MONTHS = 6;

/** The coordinators' verification queue over the store: listings not confirmed for `afterMonths` months. */
export function createVerifyQueue(store: Database, options: { afterMonths: number }): VerifyQueue {
  const dueBefore = (now: Date) =>
    DateTime.fromJSDate(now, { zone: ZONE }).startOf('day').minus({ months: options.afterMonths }).toISODate() ?? '';

  async function change(
    id: string,
    now: Date,
    role: VerifyRole,
    write: typeof recordConfirmation,
  ): Promise<VerifyOutcome> {
    if (!ListingIdSchema.safeParse(id).success) return { ok: false, reason: 'NOT_FOUND' };
    return store.transaction(async (tx) => {
      if (!(await write(tx, id, now, role))) return { ok: false, reason: 'NOT_FOUND' } as const;
      await refreshTrustMarks(tx, now, [id]);
      const listing = await selectListing(tx, id);
      return listing ? { ok: true, listing } : ({ ok: false, reason: 'NOT_FOUND' } as const);
    });
  }

  return {
    dueBefore,
    async list(now, page = {}) {
      const before = dueBefore(now);
      const items = await selectDueListings(store.sql, before, page);
      const total = page.limit === undefined ? items.length : await countDueListings(store.sql, before);
      return { items, total };
    },
    confirm: (id, now, role) => change(id, now, role, recordConfirmation),
    reported: (limit) => selectReportedListings(store.sql, limit),
    close: (id, now, role) => change(id, now, role, recordClosure),
    async closure(id) {
      return ListingIdSchema.safeParse(id).success ? selectClosure(store.sql, id) : undefined;
    },
  };
}
