/** Search results as the platforms show them, from ranked rows and their next sessions. */
import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import type { Sql } from '../../db/sql.ts';
import { findWard } from '../geography/camden.ts';
import { toLondonIso } from '../time.ts';
import type { Ranked } from './ranking.ts';
import { type CandidateRow, type SessionRow, upcomingSessions } from './search-queries.ts';
import type { SearchResult, Understood } from './types.ts';

export async function withUpcoming(
  sql: Sql,
  page: Ranked[],
  now: Date,
  u: Understood | undefined,
): Promise<SearchResult[]> {
  if (page.length === 0) return [];
  // Rows read with their sessions (withDetails, resultRow) need no second statement; others (gone from the catalogue
  // between the two statements) have theirs read here.
  const missing = page.filter((r) => !Array.isArray(r.row.sessions)).map((r) => r.row.id);
  const read = missing.length ? await upcomingSessions(sql, missing, now, u) : new Map<string, SessionRow[]>();
  return page.map(({ row, score, distanceKm, why }) => {
    const occ = (row.sessions ?? read.get(row.id) ?? []).map((o) => toSlot(o));
    const result = toResult(row, occ, score, distanceKm);
    return why ? { ...result, why } : result;
  });
}

function toSlot(o: SessionRow): { start: string; end: string; allDay: boolean } {
  const start = new Date(o.start);
  const end = new Date(o.end);
  if (o.all_day) {
    const d = (x: Date) => DateTime.fromJSDate(x, { zone: ZONE }).toISODate() ?? x.toISOString().slice(0, 10);
    return { start: d(start), end: d(end), allDay: true };
  }
  return { start: toLondonIso(start), end: toLondonIso(end), allDay: false };
}

function costText(row: CandidateRow): string | null {
  if (row.fees_description) return row.fees_description;
  if (row.is_free) return 'Free';
  if (row.cost_amount !== null && row.cost_amount !== undefined) {
    const amount = Number(row.cost_amount);
    return amount === 0 ? 'Pay what you can' : `£${amount.toFixed(2).replace(/\.00$/, '')}`;
  }
  return null;
}

export function toResult(
  row: CandidateRow,
  upcoming: { start: string; end: string; allDay: boolean }[],
  score: number,
  distance: number | null,
): SearchResult {
  const contact: SearchResult['contact'] = {};
  if (row.contact_name) contact.name = row.contact_name;
  const email = row.contact_email ?? row.org_email;
  const phone = row.contact_phone ?? row.org_phone;
  if (email) contact.email = email;
  if (phone) contact.phone = phone;
  const address = [row.address_1, row.address_2, row.city, row.postal_code].filter(Boolean).join(', ');
  const ward = row.ward && findWard(row.ward) ? findWard(row.ward)!.name : row.ward;
  return {
    id: row.id,
    kind: row.kind as SearchResult['kind'],
    title: row.name,
    description: row.description,
    organisation: row.org_name,
    next: upcoming[0] ?? null,
    upcoming,
    scheduleText: row.schedule_text,
    venue: row.venue,
    address: address || null,
    ward: ward ?? null,
    postcode: row.postal_code,
    distanceKm: distance,
    cost: costText(row),
    access: row.accessibility ?? [],
    accessNote: row.accessibility_note,
    howToJoin: row.application_process,
    attendingTypes: row.attending_types ?? [],
    audiences: row.audiences ?? [],
    languages: row.languages ?? [],
    contact,
    url: row.url ?? row.location_url,
    lastConfirmed: row.assured,
    status: row.status,
    alert: row.alert,
    isDemo: row.is_demo,
    score,
  };
}
