import type { Sql } from '../db/sql.ts';
import { EntryKindSchema } from '../catalogue/model.ts';
import type { DigestCandidate } from './select-digest-items.ts';

type Row = {
  id: string;
  kind: string;
  name: string;
  created_at: Date;
  categories: string[];
  audiences: string[];
  is_free: boolean | null;
  cost_amount: string | number | null;
  fees_description: string | null;
  url: string | null;
  organisation: string | null;
  venue: string | null;
  ward: string | null;
  is_demo: boolean;
  starts: (Date | string)[] | null;
};

function costOf(r: Row): string | null {
  if (r.is_free) return 'Free';
  if (r.cost_amount !== null && r.cost_amount !== undefined)
    return `£${Number(r.cost_amount).toFixed(2).replace(/\.00$/, '')}`;
  return r.fees_description ? r.fees_description.slice(0, 60) : null;
}

/**
 * Every live catalogue entry a digest could list: added in [newSince, newUntil), or with a scheduled occurrence in
 * [from, to). One query for all the subscriptions that share a window; the per-channel choice is pure
 * (select-digest-items.ts).
 */
export async function loadDigestCandidates(
  sql: Sql,
  window: { newSince: Date; newUntil: Date; from: Date; to: Date },
): Promise<DigestCandidate[]> {
  const { rows } = await sql.query<Row>(
    `SELECT s.id, s.kind, s.name, s.created_at, s.categories, s.audiences, s.is_free, s.cost_amount, s.fees_description, s.url,
            org.name AS organisation, l.name AS venue, l.ward, src.is_demo,
            array_agg(o.start ORDER BY o.start) FILTER (WHERE o.id IS NOT NULL) AS starts
     FROM service s
     JOIN source src ON src.id = s.source_id
     LEFT JOIN organization org ON org.id = s.organization_id
     LEFT JOIN location l ON l.id = s.location_id
     LEFT JOIN occurrence o ON o.service_id = s.id AND o.status = 'scheduled' AND o.start >= $3 AND o.start < $4
     WHERE s.removed_at IS NULL AND s.status <> 'closed'
     GROUP BY s.id, org.name, l.name, l.ward, src.is_demo
     HAVING (s.created_at >= $1 AND s.created_at < $2) OR count(o.id) > 0`,
    [window.newSince, window.newUntil, window.from, window.to],
  );
  const out: DigestCandidate[] = [];
  for (const r of rows) {
    const kind = EntryKindSchema.safeParse(r.kind);
    if (!kind.success) continue;
    out.push({
      id: r.id,
      kind: kind.data,
      title: r.name,
      organisation: r.organisation,
      venue: r.venue,
      ward: r.ward,
      categories: r.categories ?? [],
      audiences: r.audiences ?? [],
      cost: costOf(r),
      url: r.url,
      createdAt: r.created_at,
      isDemo: r.is_demo,
      starts: (r.starts ?? []).map((s) => new Date(s).getTime()),
    });
  }
  return out;
}

/**
 * Records one (subscription, period) run under its unique key; returns its id, or undefined when that period was
 * already recorded (by this or another instance).
 */
export async function insertDigestRun(
  tx: Sql,
  run: { subscriptionId: string; periodKey: string; scheduledFor: Date; late: boolean; items: number },
  now: Date,
): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO digest_run (subscription_id, period_key, scheduled_for, late, items, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (subscription_id, period_key) DO NOTHING RETURNING id`,
    [run.subscriptionId, run.periodKey, run.scheduledFor, run.late, run.items, now],
  );
  return rows[0]?.id;
}

/** Moves the subscription's last run on to this period (never back). */
export async function recordSubscriptionRun(
  tx: Sql,
  subscriptionId: string,
  at: Date,
  periodKey: string,
): Promise<void> {
  await tx.query(
    `UPDATE digest_subscription SET last_run_at = $2, last_period = $3
     WHERE id = $1 AND (last_run_at IS NULL OR last_run_at < $2)`,
    [subscriptionId, at, periodKey],
  );
}

/**
 * Records that the subscription's digest for ISO week `week` ("2026-W49") carries the listings to check. False when a
 * digest of that week (or a later one) already did, so the section is shown once a week whichever digest or instance
 * gets there first.
 */
export async function claimChecksWeek(tx: Sql, subscriptionId: string, week: string): Promise<boolean> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE digest_subscription SET checks_week = $2
     WHERE id = $1 AND checks AND (checks_week IS NULL OR checks_week COLLATE "C" < $2 COLLATE "C")
     RETURNING id`,
    [subscriptionId, week],
  );
  return rows.length > 0;
}

export type DigestRunRow = {
  id: string;
  subscription_id: string;
  period_key: string;
  items: number;
  late: boolean;
  status: string;
  last_error: string | null;
};

/** The digest runs with these ids. */
export async function selectDigestRuns(sql: Sql, ids: string[]): Promise<DigestRunRow[]> {
  const { rows } = await sql.query<DigestRunRow>(
    `SELECT id, subscription_id, period_key, items, late, status, last_error FROM digest_run WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}
