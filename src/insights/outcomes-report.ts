import type { Database } from '../db/sql.ts';
import { UNSUITABLE_REASONS, type UnsuitableReason } from '../bots/core/replies/follow-up.ts';
import { countSearches, selectFunnel, selectOutcomeCounts, sumOutcomes } from './outcome-queries.ts';

export type OutcomeRow = {
  entryId: string;
  title: string;
  shared: number;
  went: number;
  didntGo: number;
  unsuitable: number;
  reasons: Record<UnsuitableReason, number>;
};

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
export async function outcomesReport(store: Database, range: { from: Date; to: Date }): Promise<OutcomeRow[]> {
  const rows = await selectOutcomeCounts(store.sql, range);
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
export async function outcomeFunnel(store: Database, range: { from: Date; to: Date }): Promise<OutcomeFunnel> {
  const searched = await countSearches(store.sql, range);
  const totals = await sumOutcomes(store.sql, range);
  const grouped = async (by: 'category' | 'ward'): Promise<FunnelRow[]> =>
    (await selectFunnel(store.sql, by, range)).map((r) => ({
      group: r.g,
      searched: r.searched,
      shared: r.shared,
      went: r.went,
    }));
  const byCategory = await grouped('category');
  const byWard = await grouped('ward');
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
    totals: { searched, shared: totals.shared, went: totals.went },
    byCategory,
    byWard,
    unsuitable,
  };
}
