import type { Database } from '../db/sql.ts';
import { redactText } from '../privacy/redact.ts';
import { toLondonIso } from '../catalogue/time.ts';
import { selectFailingFeeds, selectStaleEntries } from './insights-queries.ts';

export type StaleEntry = {
  id: string;
  title: string;
  kind: string;
  organisation: string | null;
  source: string;
  ward: string | null;
  /** YYYY-MM-DD, or null when the source never said. */
  lastConfirmed: string | null;
  isDemo: boolean;
};

export type FailingFeed = {
  name: string;
  format: string;
  url: string | null;
  lastError: string;
  lastErrorAt: string | null;
  lastSuccessAt: string | null;
};

export type FreshnessReport = { staleBefore: string; staleEntries: StaleEntry[]; failingFeeds: FailingFeed[] };

/** The date `months` before `now`, as YYYY-MM-DD in London. */
export function monthsBefore(now: Date, months: number): string {
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return toLondonIso(d).slice(0, 10);
}

/**
 * Listings nobody has confirmed for `staleMonths` (12 by default) or never confirmed (the verification queue's
 * last-confirmed date), still shown to staff, and
 * feeds whose last refresh failed (their error, with any personal details removed).
 */
export async function freshnessReport(
  store: Pick<Database, 'sql'>,
  now: Date,
  options: { staleMonths?: number } = {},
): Promise<FreshnessReport> {
  const staleBefore = monthsBefore(now, options.staleMonths ?? 12);
  const stale = await selectStaleEntries(store.sql, staleBefore);
  const feeds = await selectFailingFeeds(store.sql);
  const iso = (v: unknown) => (v instanceof Date ? toLondonIso(v) : typeof v === 'string' ? v : null);
  return {
    staleBefore,
    staleEntries: stale.map((r) => ({
      id: String(r.id),
      title: String(r.name),
      kind: String(r.kind),
      organisation: (r.organisation as string | null) ?? null,
      source: String(r.source),
      ward: (r.ward as string | null) ?? null,
      lastConfirmed: (r.assured as string | null) ?? null,
      isDemo: r.is_demo === true,
    })),
    failingFeeds: feeds.map((r) => ({
      name: String(r.name),
      format: String(r.format),
      url: (r.url as string | null) ?? null,
      lastError: redactText(String(r.last_error)),
      lastErrorAt: iso(r.last_error_at),
      lastSuccessAt: iso(r.last_success_at),
    })),
  };
}
