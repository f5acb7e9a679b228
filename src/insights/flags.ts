import type { Database } from '../db/sql.ts';
import { z } from 'zod';
import { toLondonIso } from '../catalogue/time.ts';
import { sanitiseQuestion } from '../privacy/sanitise-question.ts';
import { refreshTrustMarks } from '../catalogue/trust/trust.ts';
import {
  appendFlagNote,
  entryExists,
  insertFlag,
  lockOpenFlag,
  markFlagResolved,
  markFlagsNotified,
  selectFlags,
} from './flag-queries.ts';
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
export async function createFlag(
  store: Database,
  input: FlagInput,
  now: Date,
): Promise<{ id: string; created: boolean } | undefined> {
  const f = FlagInputSchema.parse(input);
  if (!(await entryExists(store.sql, f.entryId))) return undefined;
  const note = f.note?.trim() ? sanitiseQuestion(f.note) : null;
  const made = await store.transaction(async (tx) => {
    const open = await lockOpenFlag(tx, f.entryId, f.kind);
    if (open) {
      if (note) await appendFlagNote(tx, open, note);
      return { id: open, created: false };
    }
    const id = await insertFlag(tx, { entryId: f.entryId, kind: f.kind, note, platform: f.platform }, now);
    return { id, created: true };
  });
  // An open "has closed" report marks the listing and ranks it lower (catalogue/trust).
  await refreshTrustMarks(store.sql, now, [f.entryId]);
  return made;
}

export async function listFlags(
  store: Pick<Database, 'sql'>,
  options: { status?: 'open' | 'resolved' | 'all' } = {},
): Promise<FlagView[]> {
  const status = options.status ?? 'open';
  const rows = await selectFlags(store.sql, status);
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

export async function resolveFlag(store: Pick<Database, 'sql'>, id: string, now: Date): Promise<boolean> {
  if (!z.uuid().safeParse(id).success) return false;
  const entryId = await markFlagResolved(store.sql, id, now);
  if (entryId) await refreshTrustMarks(store.sql, now, [entryId]);
  return entryId !== undefined;
}

/** Open flags nobody has been told about yet, marked as told (for the scheduler's post to coordinators). */
export async function takeUnnotifiedFlags(store: Pick<Database, 'sql'>, now: Date): Promise<FlagView[]> {
  const notified = await markFlagsNotified(store.sql, now);
  if (notified.length === 0) return [];
  const ids = new Set(notified);
  return (await listFlags(store, { status: 'open' })).filter((f) => ids.has(f.id));
}
