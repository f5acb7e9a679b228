/** Every SQL statement search runs: candidates, probes, the details and sessions of the page shown. */
import type { Sql } from '../../db/sql.ts';
import { LAST_CONFIRMED_SQL } from '../verify/verify-queries.ts';
import { slotsAsked } from '../session-slots.ts';
import { type Filters, lostWords, type NamedListing, TIME_OF_DAY_HOURS, trigramFor } from './filters.ts';
import type { Ranked } from './ranking.ts';
import { isConstraintSlot } from './read-concepts.ts';
import type { Understood } from './types.ts';

/** How many candidates the database hands over for re-ranking. */
export const CANDIDATES = 120;
/** How many matching rows each branch of the candidate query looks at before ranking them: all parts, any part. */
const POOL_ALL = 200;
const POOL_ANY = 150;
const POOL_TRIGRAM = 100;
/** And each part of the question on its own, at least (with several parts, they share POOL_ANY). */
const POOL_SLOT = 40;
/** Listings at the place named that meet the need: ranked before the rest's best, so fewer than CANDIDATES. */
const POOL_AT_VENUE = 60;
/** Up to this many weekday-and-hour slots asked for (half the week's), the candidates are found through their index. */
const SLOTS_BY_INDEX = 84;

/**
 * Runs an existence probe planned from indexes only, in one request to the store (Sql.queryWith). Left to itself the
 * planner reads the table in order when it expects a word to be common and the first match to come early, which
 * costs the whole catalogue when the word is rare, misspelt or matches nothing.
 */
export function indexOnly<T>(sql: Sql, run: (probe: Pick<Sql, 'query'>) => Promise<T>): Promise<T> {
  return run({ query: (text, params) => sql.queryWith(INDEX_ONLY, text, params) });
}
const INDEX_ONLY = { enable_seqscan: 'off' } as const;

/** A session's London weekday and hour as one number (ISO weekday × 24 + hour), as `sessionSlot` reckons it. */
export const SESSION_SLOT_SQL = (start: string) =>
  `(extract(isodow FROM (${start} AT TIME ZONE 'Europe/London')) * 24 + extract(hour FROM (${start} AT TIME ZONE 'Europe/London')))::int`;

export type CandidateRow = {
  id: string;
  location_id?: string | null;
  kind: string;
  name: string;
  description: string;
  url: string | null;
  status: string;
  alert: string | null;
  categories: string[] | null;
  audiences: string[] | null;
  languages: string[] | null;
  attending_types: string[] | null;
  is_free: boolean | null;
  cost_amount: number | null;
  fees_description: string | null;
  application_process: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  assured: string | null;
  schedule_text: string | null;
  org_name: string | null;
  org_phone: string | null;
  org_email: string | null;
  venue: string | null;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  postal_code: string | null;
  ward: string | null;
  latitude: number | null;
  longitude: number | null;
  accessibility: string[] | null;
  accessibility_note: string | null;
  location_url: string | null;
  is_demo: boolean;
  text_rank: number;
  trigram: number;
  group_hits: boolean[] | null;
  title_hits: boolean[] | null;
  category_hits?: boolean[] | null;
  lit_title?: boolean[] | null;
  lit_category?: boolean[] | null;
  lit_description?: boolean[] | null;
  lit_organisation?: boolean[] | null;
  syn_title?: boolean[] | null;
  syn_category?: boolean[] | null;
  syn_description?: boolean[] | null;
  next_start: Date | string | null;
  has_occurrences: boolean;
  fits_time?: boolean | null;
  local?: boolean;
  trust_mark?: string | null;
  /** The next three sessions, when the details were read with them (withDetails, resultRow). */
  sessions?: SessionRow[] | null;
};

/** A venue's name and address, apostrophes aside: the expression `location_place_text_trgm_idx` indexes. */
const PLACE_TEXT_SQL = `translate(coalesce(name, '') || ' ' || coalesce(address_1, '') || ' ' || coalesce(address_2, '') || ' ' || coalesce(city, ''), '''’', '')`;

export type VenuePoint = { id: string; ward: string | null; lat: number | null; lon: number | null };

/** The place asked about, from the venue's words and the catalogue's venues found for them (and any wards known). */
export function placeOfVenues(
  venue: string,
  points: readonly VenuePoint[],
  wards: readonly string[] = [],
): NonNullable<Understood['place']> {
  const at = points.find((v) => v.lat !== null && v.lon !== null);
  return {
    label: venue.replace(/\b[a-z]/g, (c) => c.toUpperCase()),
    wards: [...new Set([...wards, ...points.map((v) => v.ward).filter((w): w is string => Boolean(w))])],
    ...(at ? { latitude: at.lat!, longitude: at.lon! } : {}),
  };
}

/**
 * Venues whose name or address has the words of a street or venue asked about ("fortess road", "holborn library"),
 * apostrophes aside: at most 50, with their ward and point (through the trigram index on that text). Planned from
 * the index only: the planner costs a read of the whole table as cheap, but the pattern match costs tens of
 * microseconds a venue on the embedded store (0.4 s at 5,000 venues for a word that names none), and the index
 * finds the same venues in the same order (table order, either way) from a few pages.
 */
export async function venuePoints(
  sql: Sql,
  venue: string,
  town: 'city' | 'townless' | 'any' = 'any',
): Promise<VenuePoint[]> {
  const cityOnly = town === 'city';
  const words = venue.split(' ').filter(Boolean);
  const pattern = `%${words.join('%')}%`;
  // Each word from the start of a word of the venue's text: "ickford" is not "Rickfords Hill" (the trigram index
  // finds the rows, the pattern checks them).
  const starts = words.map((w) => `\\m${w.replace(/[^\p{L}\p{N}]/gu, '')}`).join('.*');
  // A town named in everyday words: venues in it by their city.
  const city = cityOnly ? ` AND lower(city) = $3` : town === 'townless' ? ' AND city IS NULL' : '';
  const { rows } = await indexOnly(sql, (probe) =>
    probe.query<{
      id: string;
      ward: string | null;
      latitude: number | null;
      longitude: number | null;
    }>(
      `SELECT id, ward, latitude, longitude FROM location
      WHERE location_type = 'physical'
        AND ${PLACE_TEXT_SQL} ILIKE $1 AND ${PLACE_TEXT_SQL} ~* $2${city}
      LIMIT ${cityOnly ? 500 : 50}`,
      cityOnly ? [pattern, starts, venue] : [pattern, starts],
    ),
  );
  return rows.map((r) => ({
    id: r.id,
    ward: r.ward,
    lat: r.latitude === null ? null : Number(r.latitude),
    lon: r.longitude === null ? null : Number(r.longitude),
  }));
}

/**
 * Listings whose title's or organisation's initials are one of `words` ("lwkm": Live Well Kent & Medway; "abic":
 * Ageing Better in Camden, its small words counted), through the indexes on `name_initials`: at most 100.
 */
export async function listingsByInitials(sql: Sql, words: string[]): Promise<NamedListing[]> {
  const live = `s.removed_at IS NULL AND s.status <> 'closed'`;
  const byTitle = (all: boolean) =>
    `SELECT s.id, t.w AS text, 'title' AS field FROM unnest($1::text[]) AS t(w)
       JOIN service s ON name_initials(s.name, ${all}) = t.w WHERE ${live}`;
  const byOrganisation = (all: boolean) =>
    `SELECT s.id, t.w AS text, 'organisation' AS field FROM unnest($1::text[]) AS t(w)
       JOIN organization o ON name_initials(o.name, ${all}) = t.w JOIN service s ON s.organization_id = o.id
      WHERE ${live}`;
  const { rows } = await indexOnly(sql, (probe) =>
    probe.query<NamedListing>(
      `${[byTitle(false), byTitle(true), byOrganisation(false), byOrganisation(true)].join(' UNION ')} LIMIT 100`,
      [words],
    ),
  );
  return rows;
}

/**
 * Venues with a postcode, or in a postcode district, that Camden's geography does not know ("CT20 1SQ", "HP27"),
 * through the index on each venue's outward code.
 */
export async function postcodePoints(sql: Sql, postcode: string): Promise<VenuePoint[]> {
  const [outward, inward] = postcode.toUpperCase().split(' ');
  const { rows } = await indexOnly(sql, (probe) =>
    probe.query<{ id: string; ward: string | null; latitude: number | null; longitude: number | null }>(
      `SELECT id, ward, latitude, longitude FROM location
      WHERE location_type = 'physical' AND upper(split_part(postal_code, ' ', 1)) = $1
        AND ($2::text IS NULL OR upper(postal_code) = $1 || ' ' || $2)
      LIMIT 50`,
      [outward, inward ?? null],
    ),
  );
  return rows.map((r) => ({
    id: r.id,
    ward: r.ward,
    lat: r.latitude === null ? null : Number(r.latitude),
    lon: r.longitude === null ? null : Number(r.longitude),
  }));
}

/** Which of these words (letters only) some listing contains: such a word is never corrected into another. */
export async function wordsInCatalogue(sql: Sql, words: string[]): Promise<Set<string>> {
  const { rows } = await indexOnly(sql, (probe) =>
    probe.query<{ w: string }>(
      `SELECT t.w FROM unnest($1::text[]) AS t(w)
     WHERE EXISTS (SELECT 1 FROM service s WHERE s.search_vector @@ to_tsquery('signpost', t.w) AND s.removed_at IS NULL)`,
      [words],
    ),
  );
  return new Set(rows.map((r) => r.w));
}

/**
 * Per slot: whether anything in the catalogue has its words or synonyms (or, for a word no concept knows, a title
 * close to it). One index probe each: a word nothing contains answers from the index, never a scan.
 */
export async function slotsFound(sql: Sql, f: Filters, only?: ReadonlySet<number>): Promise<boolean[]> {
  if (!f.groups.length) return [];
  if (only) {
    const indices = [...only].filter((i) => i < f.groups.length);
    const sub = await slotsFound(sql, {
      ...f,
      groups: indices.map((i) => f.groups[i]!),
      literal: indices.map((i) => f.literal[i]!),
    });
    return f.groups.map((_, i) => (only.has(i) ? sub[indices.indexOf(i)]! : true));
  }
  const { rows } = await indexOnly(sql, (probe) =>
    probe.query<{ n: number | string; found: boolean }>(
      `SELECT t.n, (
        EXISTS (SELECT 1 FROM service s WHERE s.search_vector @@ to_tsquery('signpost', t.g)
                  AND s.removed_at IS NULL AND s.status <> 'closed')
        OR (t.w IS NOT NULL AND EXISTS (SELECT 1 FROM service s WHERE t.w <% s.name AND s.removed_at IS NULL AND s.status <> 'closed'))
      ) AS found
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(g, w, n) ORDER BY t.n`,
      [f.groups, f.groups.map((_, i) => trigramFor(f, i))],
    ),
  );
  return rows.map((r) => r.found);
}

const selectDetails = (nowRef: string, rankSql: string) => `
  SELECT s.id, s.kind, s.name, s.description, s.url, s.status, s.alert, s.categories, s.audiences, s.languages,
    s.attending_types, s.is_free, s.cost_amount::float8 AS cost_amount, s.fees_description, s.application_process,
    s.contact_name, s.contact_email, s.contact_phone, to_char(${LAST_CONFIRMED_SQL}, 'YYYY-MM-DD') AS assured,
    s.schedule->>'description' AS schedule_text,
    o.name AS org_name, o.phone AS org_phone, o.email AS org_email,
    l.name AS venue, l.address_1, l.address_2, l.city, l.postal_code, l.ward, l.latitude, l.longitude, l.accessibility,
    l.accessibility_note, l.url AS location_url, src.is_demo,
    ${rankSql},
    (SELECT min(oc.start) FROM occurrence oc
      WHERE oc.service_id = s.id AND oc.status <> 'cancelled' AND oc."end" > ${nowRef}) AS next_start,
    (SELECT 1 FROM occurrence oc WHERE oc.service_id = s.id LIMIT 1) IS NOT NULL AS has_occurrences`;

/** What ranking needs of a candidate; the rest of the details are read for the page shown only. */
const selectRanking = (nowRef: string, rankSql: string) => `
  SELECT s.id, s.location_id, s.kind, s.name, ''::text AS description, s.status, s.categories, s.audiences, s.languages,
    s.attending_types, s.is_free, s.cost_amount::float8 AS cost_amount, to_char(s.assured_date, 'YYYY-MM-DD') AS assured,
    s.trust_mark, l.ward, l.latitude, l.longitude, l.accessibility,
    ${rankSql},
    (SELECT min(oc.start) FROM occurrence oc
      WHERE oc.service_id = s.id AND oc.status <> 'cancelled' AND oc."end" > ${nowRef}) AS next_start`;

/**
 * The full details of the ranked rows on the page shown, merged into them, each with its next three sessions (those
 * that fit the day and time asked for first): one statement for the whole page.
 */
export async function withDetails(sql: Sql, page: Ranked[], now: Date, u?: Understood): Promise<Ranked[]> {
  if (page.length === 0) return page;
  const params: unknown[] = [page.map((r) => r.row.id), now];
  const fits = fitsAskedSql(u, params);
  const { rows } = await sql.query<CandidateRow>(
    `${selectDetails('$2', '0::float8 AS text_rank, 0::float8 AS trigram')}, ${nextSessions('s.id', '$2', fits)} AS sessions
     FROM service s ${JOINS}
     WHERE s.id = ANY($1::uuid[])`,
    params,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return page.map((r) => {
    const full = byId.get(r.row.id);
    return full ? { ...r, row: { ...full, text_rank: r.row.text_rank, trigram: r.row.trigram } } : r;
  });
}

// LATERAL lookups by primary key (OFFSET 0 keeps the planner from turning them back into hash joins over whole
// tables): a few hundred index probes whatever the size of the catalogue.
const JOINS = `
  LEFT JOIN LATERAL (SELECT * FROM location WHERE location.id = s.location_id OFFSET 0) l ON true
  LEFT JOIN LATERAL (SELECT * FROM organization WHERE organization.id = s.organization_id OFFSET 0) o ON true
  JOIN LATERAL (SELECT is_demo, url, last_success_at FROM source WHERE source.id = s.source_id OFFSET 0) src ON true`;

/** The database query: indexes find the candidates, SQL filters them, and the best `limit` come back with details. */
export async function candidates(
  sql: Sql,
  f: Filters,
  now: Date,
  limit: number,
  prefer?: Filters['time'],
  strict = false,
): Promise<CandidateRow[]> {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const nowRef = p(now);
  const where: string[] = ['s.removed_at IS NULL', "s.status <> 'closed'"];
  // A constraint's words ("online", "wheelchair") only rank: the candidates are found by the rest of the question.
  const finding = f.groups.filter((_, i) => !isConstraintSlot(f.slots[i]));
  const tsquery = finding.length ? finding.map((g) => `(${g})`).join(' | ') : null;
  const tsRef = tsquery ? p(tsquery) : undefined;
  let trigramExpr = '0::float8';
  // The words find candidates through two indexes, each in its own branch so that each can use its index (an OR of
  // the two would make the planner scan the table): full text, and trigrams on titles for unknown words.
  let textFts: string | undefined;
  let textTrigram: string | undefined;
  let allQuery: string | undefined;
  if (tsRef || f.trigramTerms.length) {
    if (tsRef) textFts = `s.search_vector @@ to_tsquery('signpost', ${tsRef})`;
    const near: string[] = [];
    const sims: string[] = [];
    for (const term of f.trigramTerms) {
      const ref = p(term);
      near.push(`${ref} <% s.name`);
      sims.push(`word_similarity(${ref}, s.name)`);
    }
    if (near.length) textTrigram = `(${near.join(' OR ')})`;
    if (sims.length) trigramExpr = sims.length === 1 ? sims[0]! : `GREATEST(${sims.join(', ')})`;
    if (finding.length > 1) allQuery = finding.map((g) => `(${g})`).join(' & ');
  }
  // Phone and online services reach every ward and need no step-free venue, so they pass those filters; `strict`
  // (and the `local` column) ask for a venue that fits.
  const inPerson = `'in_person' = ANY(s.attending_types)`;
  const local: string[] = [];
  // Venue conditions are written as a (hashed) lookup on the service row, so they are checked before the costlier
  // session probes below rather than after the location join.
  if (f.wards?.length) {
    const wardsRef = p(f.wards);
    local.push(`l.ward = ANY(${wardsRef}::text[])`);
    // At a venue of the place asked (its postcode's, its street's) is in it, whatever ward the venue has on record.
    const inWards = `s.location_id IN (SELECT id FROM location WHERE ward = ANY(${wardsRef}::text[]))`;
    const cond = f.venueIds?.length ? `(${inWards} OR s.location_id = ANY(${p(f.venueIds)}::uuid[]))` : inWards;
    // An entry whose ward is unknown is never hidden by a place: it ranks after those known to be near.
    const unknown = `(s.location_id IS NULL OR s.location_id IN (SELECT id FROM location WHERE ward IS NULL))`;
    where.push(strict ? cond : `(${cond} OR NOT ${inPerson} OR ${unknown})`);
  }
  if (f.access.length) {
    where.push(
      `(s.location_id IN (SELECT id FROM location WHERE accessibility @> ${p(f.access)}::text[]) OR NOT ${inPerson})`,
    );
  }
  if (f.kinds.length) where.push(`s.kind = ANY(${p(f.kinds)}::text[])`);
  if (f.audiences.length) {
    where.push(
      `(s.audiences && ${p(f.audiences)}::text[] OR 'everyone' = ANY(s.audiences) OR cardinality(s.audiences) = 0)`,
    );
  }
  if (f.excludeOnlyFor) {
    const other = p(f.excludeOnlyFor);
    where.push(`NOT (${other} = ANY(s.audiences) AND cardinality(s.audiences) <= 2 AND NOT 'everyone' = ANY(s.audiences) AND
      NOT (CASE WHEN ${other} = 'women' THEN 'men' ELSE 'women' END) = ANY(s.audiences))`);
  }
  if (f.free) where.push('s.is_free = true');
  // A price limit leaves out only what is known to cost more: a feed's event with no price is kept, and ranked after
  // those known to fit (ranking).
  else if (f.maxCost !== undefined)
    where.push(`(s.is_free = true OR s.cost_amount IS NULL OR s.cost_amount <= ${p(f.maxCost)})`);
  if (f.languages.length) where.push(`s.languages && ${p(f.languages)}::text[]`);
  if (f.formats.length) where.push(`s.attending_types && ${p(f.formats)}::text[]`);
  // Entries whose dated sessions are all over are finished; standing services without sessions stay. The importer
  // keeps `has_sessions` and `sessions_until` (the end of the last session still on), so this needs no probe.
  const noSessions = `NOT s.has_sessions`;
  const live = `(${noSessions} OR s.sessions_until > ${nowRef})`;
  const hasText = Boolean(tsRef || f.trigramTerms.length);
  const timeCondition = (t: NonNullable<Filters['time']>) => {
    const cond = [`oc.status <> 'cancelled'`, `oc.start >= ${p(t.from)}`, `oc.start < ${p(t.to)}`];
    const local = `(oc.start AT TIME ZONE 'Europe/London')`;
    if (t.weekdays?.length) cond.push(`extract(isodow FROM ${local}) = ANY(${p(t.weekdays)}::numeric[])`);
    if (t.hours) {
      cond.push(`extract(hour FROM ${local}) >= ${p(t.hours[0])}`);
      cond.push(`extract(hour FROM ${local}) < ${p(t.hours[1])}`);
    }
    return cond.join(' AND ');
  };
  let timeSplit: { dated: string; standing: string } | undefined;
  if (f.time) {
    const cond = timeCondition(f.time);
    const probe = `(SELECT 1 FROM occurrence oc WHERE oc.service_id = s.id AND ${cond} LIMIT 1) IS NOT NULL`;
    // With words or a place to match, those bound the candidates and each probes its own sessions (the branch stops
    // after its pool is full); with only a time, the sessions in the window bound them.
    // A strict existence probe asks the entries' indexed session slots first (below): when nothing fits it answers
    // from a few index pages instead of probing every matching entry.
    const inSet = `s.id IN (SELECT oc.service_id FROM occurrence oc WHERE ${cond})`;
    // The weekdays and hours asked for, against the summary of each entry's sessions (indexed): only the entries
    // with a session at such a time have their sessions probed for the dates.
    // Up to half the week's slots (a weekday, every evening) go through the index; more (a whole week) are only
    // checked on the rows the words found, as reading that much of the index would cost more than it saves.
    const slots = slotsAsked(f.time);
    const overlap = slots ? `s.session_slots && ${p(slots)}::int[]` : undefined;
    const slotted = !overlap
      ? ''
      : slots!.length <= SLOTS_BY_INDEX
        ? `${overlap} AND `
        : `coalesce(${overlap}, false) AND `;
    const inWindow = slotted + (strict && limit === 1 ? inSet : hasText || f.wards?.length ? probe : inSet);
    // Standing services without dated sessions (befriending, phone lines) are there any day, but only dated
    // sessions in the window count as having found something on the day asked for.
    // A search (not a probe) takes entries with a session then and standing services through separate branches, so
    // that standing ones, which pass any day, never fill the pool before the entries that are on that day.
    if (strict) where.push(inWindow);
    else timeSplit = { dated: `s.has_sessions AND ${inWindow}`, standing: noSessions };
    local.push(probe);
  } else {
    where.push(live);
  }
  if (strict && limit === 1) {
    // A relaxation probe: does anything fit at all? No ranking, no details, stop at the first row.
    const probe = (
      text: string | undefined,
    ) => `(SELECT s.id FROM service s LEFT JOIN location l ON l.id = s.location_id
       WHERE ${[...where, ...(text ? [text] : []), ...(f.time ? [live] : [])].join('\n AND ')} LIMIT 1)`;
    const atVenue =
      (textFts || textTrigram) && f.venueIds?.length ? `s.location_id = ANY(${p(f.venueIds)}::uuid[])` : undefined;
    const parts =
      textFts || textTrigram
        ? [textFts, textTrigram, atVenue].filter((t): t is string => Boolean(t)).map(probe)
        : [probe(undefined)];
    const { rows } = await indexOnly(sql, (probe) =>
      probe.query<CandidateRow>(`SELECT id FROM (${parts.join(' UNION ALL ')}) x LIMIT 1`, params),
    );
    return rows;
  }
  // Which candidates reach ranking: text rank, plus one for each part of the question whose own words a listing has,
  // so "Telephone Befriending" (both parts' words) is not cut for listings with many synonyms of one part.
  const ownParts = f.literal.filter(Boolean);
  const rankExpr = tsRef
    ? `ts_rank('{0.1, 0.2, 0.4, 1.0}', s.search_vector, to_tsquery('signpost', ${tsRef}))` +
      ownParts.map((g) => ` + (s.search_vector @@ to_tsquery('signpost', ${p(g)}))::int`).join('')
    : '0::float8';
  const textAll = allQuery ? `s.search_vector @@ to_tsquery('signpost', ${p(allQuery)})` : undefined;
  // Per slot and field, as weight-restricted queries ("lunch:A" matches titles only): no per-row vector copies.
  const weighted = (list: string[], w: string) => list.map((g) => g.replace(/[a-z0-9]+/g, (word) => `${word}:${w}`));
  // Each slot's query as its own constant (to_tsquery of a parameter is folded when the statement is planned): one
  // match per slot and field in the select list, no per-row subqueries.
  const matches = (target: string, list: string[]) =>
    list.length
      ? `ARRAY[${list.map((g) => `${target} @@ to_tsquery('signpost', ${p(g)})`).join(', ')}]`
      : 'ARRAY[]::boolean[]';
  // After relaxing the day or time, entries that still fit what was asked rank first.
  const fitsTime = prefer
    ? `(SELECT 1 FROM occurrence oc WHERE oc.service_id = s.id AND ${timeCondition(prefer)} LIMIT 1) IS NOT NULL`
    : 'NULL::boolean';
  // Each branch stops after POOL matching rows, so a broad word ("social") costs the same in a catalogue of 5k or
  // 200k; entries matching every part of the question come first through their own branch.
  const one = (
    text: string | undefined,
    pool: number,
    extra?: string,
    first = false,
  ) => `(SELECT s.id, ${rankExpr} AS text_rank, ${trigramExpr} AS trigram, s.assured_date, ${first ? 1 : 0} AS first
       FROM service s LEFT JOIN location l ON l.id = s.location_id
       WHERE ${[...where, ...(extra ? [extra] : []), ...(text ? [text] : [])].join('\n AND ')}
       LIMIT ${Math.floor(pool)})`;
  // `first`: rows that go to ranking before the best-ranked of the rest (the need met at the place named).
  const branch = (text: string | undefined, pool: number, first = false) =>
    timeSplit
      ? `${one(text, pool / 2, timeSplit.dated, first)} UNION ALL ${one(text, pool / 4, timeSplit.standing, first)}`
      : one(text, pool, undefined, first);
  const branches: string[] = [];
  if (textAll) branches.push(branch(textAll, POOL_ALL));
  // With more than one part, the parts' own branches below cover the whole question's matches between them, so the
  // broadest bitmap (every listing matching any part) is not built once more for a branch of its own.
  if (textFts && finding.length <= 1) branches.push(branch(textFts, POOL_ANY));
  // The question's own words, without synonyms: a listing that has them is a candidate however many listings share
  // only a synonym (a 211 term "colposcopy" among everything about cervical screening).
  const ownWords = f.literal
    .filter((g, i) => g && !isConstraintSlot(f.slots[i]))
    .map((g) => `(${g})`)
    .join(' | ');
  if (textFts && ownWords && ownWords !== tsquery)
    branches.push(branch(`s.search_vector @@ to_tsquery('signpost', ${p(ownWords)})`, POOL_ANY));
  // …and, for a thesaurus phrase that text search keeps only part of, its synonyms alone: a listing under the
  // concept's own name is a candidate however many listings have the part left ("advance medical directives" for
  // "living will", whose "living" is everywhere).
  const synonymsOnly = f.synonyms
    .filter((g, i) => g && g !== f.literal[i] && !isConstraintSlot(f.slots[i]) && lostWords(f.slots[i]?.text ?? ''))
    .map((g) => `(${g})`)
    .join(' | ');
  if (textFts && synonymsOnly && synonymsOnly !== tsquery)
    branches.push(branch(`s.search_vector @@ to_tsquery('signpost', ${p(synonymsOnly)})`, POOL_ANY));
  // Each part of the question also brings its own matches, so that a rare need word among broad ones ("self defence
  // class for women") is not crowded out of the pool by listings with only the broad words.
  // Between them they take as many as the any-part branch would have.
  if (finding.length > 1) {
    const pool = Math.max(POOL_SLOT, Math.ceil(POOL_ANY / finding.length));
    for (const g of finding) branches.push(branch(`s.search_vector @@ to_tsquery('signpost', ${p(g)})`, pool));
  }
  if (textTrigram) branches.push(branch(textTrigram, POOL_TRIGRAM));
  // Listings at the venues named, whatever their words (through the index on location_id).
  if (hasText && f.venueIds?.length) {
    const at = `s.location_id = ANY(${p(f.venueIds)}::uuid[])`;
    branches.push(branch(at, POOL_ANY));
    // …and those there that meet the need, however many elsewhere share it (through either index).
    if (f.needAtVenue)
      branches.push(
        branch(`${at} AND s.search_vector @@ to_tsquery('signpost', ${p(f.needAtVenue)})`, POOL_AT_VENUE, true),
      );
  }
  // Listings named by their initials, whatever else the question asks.
  if (f.named?.length) branches.push(branch(`s.id = ANY(${p(f.named.map((n) => n.id))}::uuid[])`, POOL_ANY, true));
  // Only a place asked for, by a postcode or venue the catalogue has ("CT21 6HG", "the lazy shack"): the listings
  // there first, then the rest as without it.
  if (!hasText && f.venueIds?.length)
    branches.push(branch(`s.location_id = ANY(${p(f.venueIds)}::uuid[])`, POOL_ANY, true));
  if (!hasText) branches.push(branch(undefined, limit));
  const order = hasText
    ? 'max(m.first) DESC, max(m.text_rank) + max(m.trigram) DESC, m.id'
    : 'max(m.first) DESC, max(m.assured_date) DESC NULLS LAST, m.id';
  const query = `WITH
     m AS (${branches.join(' UNION ALL ')}),
     c AS (
       SELECT m.id, max(m.text_rank) AS text_rank, max(m.trigram) AS trigram FROM m GROUP BY m.id
       ORDER BY ${order}
       LIMIT ${Math.floor(limit)}
     )
     ${selectRanking(
       nowRef,
       `c.text_rank, c.trigram,
        ${matches('s.search_vector', weighted(f.literal, 'A'))} AS lit_title,
        ${matches('s.search_vector', weighted(f.literal, 'B'))} AS lit_category,
        ${matches('s.search_vector', weighted(f.literal, 'CD'))} AS lit_description,
        ${matches('tv.org', f.literal)} AS lit_organisation,
        ${matches('s.search_vector', weighted(f.synonyms, 'A'))} AS syn_title,
        ${matches('s.search_vector', weighted(f.synonyms, 'B'))} AS syn_category,
        ${matches('s.search_vector', weighted(f.synonyms, 'CD'))} AS syn_description,
        ${fitsTime} AS fits_time,
        ${local.length ? `coalesce(${local.join(' AND ')}, false)` : 'true'} AS local`,
     )}
     FROM c JOIN LATERAL (SELECT * FROM service WHERE service.id = c.id OFFSET 0) s ON true
     LEFT JOIN LATERAL (SELECT ward, latitude, longitude, accessibility FROM location WHERE location.id = s.location_id OFFSET 0) l ON true
     LEFT JOIN LATERAL (SELECT name FROM organization WHERE organization.id = s.organization_id OFFSET 0) o ON true
     CROSS JOIN LATERAL (SELECT to_tsvector('signpost', coalesce(o.name, '')) AS org) tv`;
  const { rows } = await sql.query<CandidateRow>(query, params);
  return rows;
}

/** One of a listing's next sessions, as nextSessions gives it. */
export type SessionRow = { start: string; end: string; all_day: boolean; fits: boolean };

/**
 * Whether a session (alias `o`) fits the day and time asked for, as SQL with its parameters added to `params`
 * (`true` when nothing was asked).
 */
function fitsAskedSql(u: Understood | undefined, params: unknown[]): string {
  if (!u || !(u.when || u.weekdays?.length || u.timeOfDay)) return 'true';
  const local = `(o.start AT TIME ZONE 'Europe/London')`;
  const cond: string[] = [];
  if (u.when) {
    params.push(new Date(u.when.from), new Date(u.when.to));
    cond.push(`o.start >= $${params.length - 1} AND o.start < $${params.length}`);
  }
  if (u.weekdays?.length) {
    params.push(u.weekdays);
    cond.push(`extract(isodow FROM ${local}) = ANY($${params.length}::numeric[])`);
  }
  if (u.timeOfDay) {
    const [h0, h1] = TIME_OF_DAY_HOURS[u.timeOfDay];
    cond.push(`extract(hour FROM ${local}) >= ${h0} AND extract(hour FROM ${local}) < ${h1}`);
  }
  return cond.join(' AND ');
}

/**
 * A listing's next three sessions still to come, those that fit the day and time asked for first, as a JSON array
 * of SessionRow: a column of the statement that reads `serviceId`.
 */
const nextSessions = (serviceId: string, nowRef: string, fits: string) => `
  (SELECT coalesce(json_agg(json_build_object('start', x.start, 'end', x."end", 'all_day', x.all_day, 'fits', x.fits)
                            ORDER BY x.fits DESC, x.start), '[]'::json)
   FROM (SELECT o.start, o."end", o.all_day, (${fits}) AS fits FROM occurrence o
         WHERE o.service_id = ${serviceId} AND o.status <> 'cancelled' AND o."end" > ${nowRef}
         ORDER BY 4 DESC, 1 LIMIT 3) x)`;

/** The next sessions of listings whose details were read without them, by listing id. */
export async function upcomingSessions(
  sql: Sql,
  ids: string[],
  now: Date,
  u: Understood | undefined,
): Promise<Map<string, SessionRow[]>> {
  const params: unknown[] = [ids, now];
  const fits = fitsAskedSql(u, params);
  const { rows } = await sql.query<{ id: string; sessions: SessionRow[] }>(
    `SELECT t.id, ${nextSessions('t.id', '$2', fits)} AS sessions FROM unnest($1::uuid[]) AS t(id)`,
    params,
  );
  return new Map(rows.map((r) => [r.id, r.sessions]));
}

/** One listing's full details by id, with its next sessions (a closed or removed one is not found). */
export async function resultRow(sql: Sql, id: string, now: Date): Promise<CandidateRow | undefined> {
  const { rows } = await sql.query<CandidateRow>(
    `${selectDetails('$2', '0::float8 AS text_rank, 0::float8 AS trigram')}, ${nextSessions('s.id', '$2', 'true')} AS sessions
     FROM service s ${JOINS}
     WHERE s.id = $1 AND s.removed_at IS NULL AND s.status <> 'closed'`,
    [id, now],
  );
  return rows[0];
}
