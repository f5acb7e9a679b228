import type { Store } from '../db/open-store.ts';
import { redactText } from '../privacy/redact.ts';
import { toLondonIso } from '../catalogue/time.ts';
import { LAST_CONFIRMED_SQL } from '../catalogue/verify/verify-queries.ts';

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
export async function freshnessReport(store: Store, now: Date, options: { staleMonths?: number } = {}): Promise<FreshnessReport> {
  const staleBefore = monthsBefore(now, options.staleMonths ?? 12);
  const stale = await store.sql.query<Record<string, unknown>>(
    `SELECT s.id, s.name, s.kind, o.name AS organisation, src.name AS source, l.ward, to_char(${LAST_CONFIRMED_SQL}, 'YYYY-MM-DD') AS assured, src.is_demo
     FROM service s JOIN source src ON src.id = s.source_id
     LEFT JOIN organization o ON o.id = s.organization_id
     LEFT JOIN location l ON l.id = s.location_id
     WHERE s.removed_at IS NULL AND s.status <> 'closed' AND (${LAST_CONFIRMED_SQL} IS NULL OR ${LAST_CONFIRMED_SQL} < $1::date)
     ORDER BY ${LAST_CONFIRMED_SQL} NULLS FIRST, s.name`,
    [staleBefore],
  );
  const feeds = await store.sql.query<Record<string, unknown>>(
    `SELECT name, format, url, last_error, last_error_at, last_success_at FROM source
     WHERE last_error IS NOT NULL AND (last_success_at IS NULL OR last_error_at IS NULL OR last_error_at >= last_success_at)
     ORDER BY last_error_at DESC NULLS LAST, name`,
  );
  const iso = (v: unknown) => (v instanceof Date ? toLondonIso(v) : typeof v === 'string' ? v : null);
  return {
    staleBefore,
    staleEntries: stale.rows.map((r) => ({
      id: String(r.id),
      title: String(r.name),
      kind: String(r.kind),
      organisation: (r.organisation as string | null) ?? null,
      source: String(r.source),
      ward: (r.ward as string | null) ?? null,
      lastConfirmed: (r.assured as string | null) ?? null,
      isDemo: r.is_demo === true,
    })),
    failingFeeds: feeds.rows.map((r) => ({
      name: String(r.name),
      format: String(r.format),
      url: (r.url as string | null) ?? null,
      lastError: redactText(String(r.last_error)),
      lastErrorAt: iso(r.last_error_at),
      lastSuccessAt: iso(r.last_success_at),
    })),
  };
}
