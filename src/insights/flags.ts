import { z } from 'zod';
import type { Store } from '../db/open-store.ts';
import { toLondonIso } from '../catalogue/time.ts';
import { sanitiseQuestion } from '../privacy/sanitise-question.ts';
import { refreshTrustMarks } from '../catalogue/trust/trust.ts';
import { FLAG_KINDS, type FlagKind } from './ports.ts';

export const FlagInputSchema = z.object({
  entryId: z.uuid(),
  kind: z.enum(FLAG_KINDS),
  note: z.string().max(1000).optional(),
  platform: z.enum(['slack', 'teams', 'terminal']),
});
export type FlagInput = z.infer<typeof FlagInputSchema>;

export type FlagView = {
  id: string;
  entryId: string;
  title: string | null;
  organisation: string | null;
  contact: string | null;
  source: string | null;
  kind: FlagKind;
  note: string | null;
  reporterPlatform: string;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
};

export const FLAG_LABELS: Record<FlagKind, string> = { closed: 'This has closed', wrong_details: 'Details are wrong' };

/**
 * Records a member of staff's report about a listing. The reporter is not kept (only the platform), and the note
 * is sanitised like a question. Reporting the same open problem again adds nothing: it returns the open flag.
 */
export async function createFlag(store: Store, input: FlagInput, now: Date): Promise<{ id: string; created: boolean } | undefined> {
  const f = FlagInputSchema.parse(input);
  const entry = await store.sql.query(`SELECT 1 FROM service WHERE id = $1`, [f.entryId]);
  if (entry.rows.length === 0) return undefined;
  const note = f.note?.trim() ? sanitiseQuestion(f.note) : null;
  const made = await store.transaction(async (tx) => {
    const open = await tx.query<{ id: string }>(
      `SELECT id FROM entry_flag WHERE entry_id = $1 AND kind = $2 AND status = 'open' ORDER BY created_at LIMIT 1 FOR UPDATE`,
      [f.entryId, f.kind],
    );
    if (open.rows[0]) {
      if (note) await tx.query(`UPDATE entry_flag SET note = coalesce(note || ' | ', '') || $2 WHERE id = $1`, [open.rows[0].id, note]);
      return { id: open.rows[0].id, created: false };
    }
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO entry_flag (entry_id, kind, note, reporter_platform, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [f.entryId, f.kind, note, f.platform, now],
    );
    return { id: rows[0]!.id, created: true };
  });
  // An open "has closed" report marks the listing and ranks it lower (catalogue/trust).
  await refreshTrustMarks(store.sql, now, [f.entryId]);
  return made;
}

export async function listFlags(store: Store, options: { status?: 'open' | 'resolved' | 'all' } = {}): Promise<FlagView[]> {
  const status = options.status ?? 'open';
  const { rows } = await store.sql.query<Record<string, unknown>>(
    `SELECT f.id, f.entry_id, f.kind, f.note, f.reporter_platform, f.status, f.created_at, f.resolved_at,
            s.name AS title, o.name AS organisation, coalesce(s.contact_email, s.contact_phone, o.email, o.phone) AS contact,
            src.name AS source
     FROM entry_flag f
     LEFT JOIN service s ON s.id = f.entry_id
     LEFT JOIN organization o ON o.id = s.organization_id
     LEFT JOIN source src ON src.id = s.source_id
     WHERE ($1 = 'all' OR f.status = $1)
     ORDER BY f.status, f.created_at DESC`,
    [status],
  );
  return rows.map((r) => ({
    id: String(r.id),
    entryId: String(r.entry_id),
    title: (r.title as string | null) ?? null,
    organisation: (r.organisation as string | null) ?? null,
    contact: (r.contact as string | null) ?? null,
    source: (r.source as string | null) ?? null,
    kind: r.kind as FlagKind,
    note: (r.note as string | null) ?? null,
    reporterPlatform: String(r.reporter_platform),
    status: r.status === 'resolved' ? 'resolved' : 'open',
    createdAt: toLondonIso(r.created_at as Date),
    resolvedAt: r.resolved_at ? toLondonIso(r.resolved_at as Date) : null,
  }));
}

export async function resolveFlag(store: Store, id: string, now: Date): Promise<boolean> {
  if (!z.uuid().safeParse(id).success) return false;
  const { rows } = await store.sql.query<{ entry_id: string }>(
    `UPDATE entry_flag SET status = 'resolved', resolved_at = $2 WHERE id = $1 AND status = 'open' RETURNING entry_id`,
    [id, now],
  );
  if (rows[0]) await refreshTrustMarks(store.sql, now, [rows[0].entry_id]);
  return rows.length > 0;
}

/** Open flags nobody has been told about yet, marked as told (for the scheduler's post to coordinators). */
export async function takeUnnotifiedFlags(store: Store, now: Date): Promise<FlagView[]> {
  const { rows } = await store.sql.query<{ id: string }>(
    `UPDATE entry_flag SET notified_at = $1 WHERE status = 'open' AND notified_at IS NULL RETURNING id`,
    [now],
  );
  if (rows.length === 0) return [];
  const ids = new Set(rows.map((r) => r.id));
  return (await listFlags(store, { status: 'open' })).filter((f) => ids.has(f.id));
}
