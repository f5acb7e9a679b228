import { UNSUITABLE_REASONS, type UnsuitableReason } from '../bots/core/replies/follow-up.ts';
import type { Store } from '../db/open-store.ts';

export type OutcomeRow = {
  entryId: string;
  title: string;
  shared: number;
  went: number;
  didntGo: number;
  unsuitable: number;
  reasons: Record<UnsuitableReason, number>;
};

const MONTH_OF = (ref: string) => `date_trunc('month', (${ref}::timestamptz AT TIME ZONE 'Europe/London'))::date`;

const emptyReasons = (): Record<UnsuitableReason, number> =>
  Object.fromEntries(UNSUITABLE_REASONS.map((r) => [r, 0])) as Record<UnsuitableReason, number>;

function reasonsOf(json: unknown): Record<UnsuitableReason, number> {
  const out = emptyReasons();
  if (json && typeof json === 'object') {
    for (const r of UNSUITABLE_REASONS) {
      const n = Number((json as Record<string, unknown>)[r] ?? 0);
      out[r] = Number.isFinite(n) ? n : 0;
    }
  }
  return out;
}

/**
 * Outcomes per listing over the months from `from` to `to` (whole months, London): shares and what staff answered,
 * most shared first. Months are the shares' months, so a share and its answer count in the same one.
 */
export async function outcomesReport(store: Store, range: { from: Date; to: Date }): Promise<OutcomeRow[]> {
  const { rows } = await store.sql.query<{
    entry_id: string;
    title: string | null;
    shared: number;
    went: number;
    didnt_go: number;
    unsuitable: number;
    reasons: unknown[] | null;
  }>(
    `SELECT c.entry_id::text AS entry_id, s.name AS title,
       sum(c.shared)::int AS shared, sum(c.went)::int AS went, sum(c.didnt_go)::int AS didnt_go, sum(c.unsuitable)::int AS unsuitable,
       array_agg(c.reasons) AS reasons
     FROM outcome_count c LEFT JOIN service s ON s.id = c.entry_id
     WHERE c.month >= ${MONTH_OF('$1')} AND c.month <= ${MONTH_OF('$2')}
     GROUP BY c.entry_id, s.name
     ORDER BY sum(c.shared) DESC, sum(c.went) DESC, s.name, c.entry_id`,
    [range.from, range.to],
  );
  return rows.map((r) => {
    const reasons = emptyReasons();
    for (const month of r.reasons ?? []) {
      const m = reasonsOf(month);
      for (const k of UNSUITABLE_REASONS) reasons[k] += m[k];
    }
    return {
      entryId: r.entry_id,
      title: r.title ?? 'A removed listing',
      shared: r.shared,
      went: r.went,
      didntGo: r.didnt_go,
      unsuitable: r.unsuitable,
      reasons,
    };
  });
}

/** The rows flattened for a CSV file: one column per reason. */
export function outcomeCsvRows(rows: OutcomeRow[]): { rows: Record<string, unknown>[]; columns: string[] } {
  const columns = [
    'entryId',
    'title',
    'shared',
    'went',
    'didntGo',
    'unsuitable',
    ...UNSUITABLE_REASONS.map((r) => `reason_${r}`),
  ];
  return {
    columns,
    rows: rows.map((r) => ({
      entryId: r.entryId,
      title: r.title,
      shared: r.shared,
      went: r.went,
      didntGo: r.didntGo,
      unsuitable: r.unsuitable,
      ...Object.fromEntries(UNSUITABLE_REASONS.map((k) => [`reason_${k}`, r.reasons[k]])),
    })),
  };
}

export type FunnelRow = { group: string; searched: number; shared: number; went: number };
export type OutcomeFunnel = {
  totals: { searched: number; shared: number; went: number };
  byCategory: FunnelRow[];
  byWard: FunnelRow[];
  /** Listings found unsuitable most often, with the reasons given. */
  unsuitable: (OutcomeRow & { topReason: UnsuitableReason | null })[];
};

/**
 * The funnel from searched to shared to went: searches by what they asked for (a search naming two categories or
 * an area counts in each), shares and "went" answers by the listing's categories and ward.
 */
export async function outcomeFunnel(store: Store, range: { from: Date; to: Date }): Promise<OutcomeFunnel> {
  const searched = await store.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM search_stat WHERE hour >= $1 AND hour < $2`,
    [range.from, range.to],
  );
  const outcomes = `SELECT c.entry_id, sum(c.shared)::int AS shared, sum(c.went)::int AS went FROM outcome_count c
     WHERE c.month >= ${MONTH_OF('$1')} AND c.month <= ${MONTH_OF('$2')} GROUP BY c.entry_id`;
  const totals = await store.sql.query<{ shared: number; went: number }>(
    `SELECT coalesce(sum(o.shared), 0)::int AS shared, coalesce(sum(o.went), 0)::int AS went FROM (${outcomes}) o`,
    [range.from, range.to],
  );
  const grouped = async (searchSql: string, outcomeSql: string): Promise<FunnelRow[]> => {
    const { rows } = await store.sql.query<{ g: string; searched: number; shared: number; went: number }>(
      `WITH o AS (${outcomes}),
       s AS (${searchSql}),
       d AS (${outcomeSql})
       SELECT coalesce(s.g, d.g) AS g, coalesce(s.n, 0)::int AS searched, coalesce(d.shared, 0)::int AS shared, coalesce(d.went, 0)::int AS went
       FROM s FULL JOIN d ON d.g = s.g
       ORDER BY coalesce(s.n, 0) DESC, coalesce(d.shared, 0) DESC, 1`,
      [range.from, range.to],
    );
    return rows.map((r) => ({ group: r.g, searched: r.searched, shared: r.shared, went: r.went }));
  };
  const byCategory = await grouped(
    `SELECT c AS g, count(*) AS n FROM search_stat, unnest(categories) AS c WHERE hour >= $1 AND hour < $2 GROUP BY c`,
    `SELECT c AS g, sum(o.shared) AS shared, sum(o.went) AS went FROM o JOIN service sv ON sv.id = o.entry_id, unnest(sv.categories) AS c GROUP BY c`,
  );
  const byWard = await grouped(
    `SELECT w AS g, count(*) AS n FROM search_stat, unnest(wards) AS w WHERE hour >= $1 AND hour < $2 GROUP BY w`,
    `SELECT l.ward AS g, sum(o.shared) AS shared, sum(o.went) AS went FROM o JOIN service sv ON sv.id = o.entry_id
       JOIN location l ON l.id = sv.location_id WHERE l.ward IS NOT NULL GROUP BY l.ward`,
  );
  const unsuitable = (await outcomesReport(store, range))
    .filter((r) => r.unsuitable > 0)
    .sort((a, b) => b.unsuitable - a.unsuitable || b.shared - a.shared || a.title.localeCompare(b.title))
    .slice(0, 20)
    .map((r) => {
      const top =
        UNSUITABLE_REASONS.filter((k) => r.reasons[k] > 0).sort((a, b) => r.reasons[b] - r.reasons[a])[0] ?? null;
      return { ...r, topReason: top };
    });
  return {
    totals: {
      searched: searched.rows[0]?.n ?? 0,
      shared: totals.rows[0]?.shared ?? 0,
      went: totals.rows[0]?.went ?? 0,
    },
    byCategory,
    byWard,
    unsuitable,
  };
}
