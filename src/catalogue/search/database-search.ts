import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import type { Store } from '../../db/open-store.ts';
import { isUuid } from '../../db/ids.ts';
import type { Sql } from '../../db/sql.ts';
import { distanceKm, findWard, WARDS } from '../geography/camden.ts';
import { toLondonIso } from '../time.ts';
import { accessLabel, audienceLabel, describeDays, describePlace, describeTimeOfDay, listWords } from './describe-query.ts';
import { hardAudiences, parseQuery } from './parse-query.ts';
import type { CatalogueSearch, SearchRequest, SearchResponse, SearchResult, Understood } from './types.ts';
import { CONCEPTS, STOP_WORDS } from './vocabulary.ts';

/** How many candidates the database hands over for re-ranking. */
const CANDIDATES = 120;
/** How many matching rows each branch of the candidate query looks at before ranking them: all parts, any part. */
const POOL_ALL = 500;
const POOL_ANY = 300;
/** A day of the week without a date looks this far ahead (covers monthly groups). */
const WEEKDAY_HORIZON_DAYS = 35;
/** "Nearby wards": ward centroids within this distance of the place asked for. */
const NEARBY_KM = 2.5;

const TIME_OF_DAY_HOURS = { morning: [0, 12], afternoon: [12, 17], evening: [17, 24] } as const;

/** The filters one database query applies; relaxing the search removes them one at a time. */
type Filters = {
  groups: string[];
  trigramTerms: string[];
  wards?: string[];
  kinds: string[];
  audiences: string[];
  excludeOnlyFor?: string;
  free?: boolean;
  maxCost?: number;
  access: string[];
  languages: string[];
  formats: string[];
  time?: { from: Date; to: Date; weekdays?: number[]; hours?: readonly [number, number] };
};

type CandidateRow = {
  id: string;
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
  next_start: Date | string | null;
  has_occurrences: boolean;
  fits_time?: boolean | null;
  local?: boolean;
};

/**
 * Search over the catalogue database: the full-text (`search_vector`, GIN) and trigram (`pg_trgm` on names) indexes
 * find candidates, SQL applies what was understood as filters, and the few hundred candidates are re-ranked here by
 * text match, filter matches, distance from the place asked about, how soon the next session is and how recently the
 * listing was confirmed. When nothing matches, the least important filter is relaxed and the answer says which.
 */
export function createDatabaseSearch(store: Store): CatalogueSearch {
  return {
    async search(request: SearchRequest): Promise<SearchResponse> {
      const understood = parseQuery(request.text, request.now);
      const limit = Math.max(1, Math.min(request.limit ?? 5, 50));
      const offset = Math.max(0, request.offset ?? 0);
      const { ranked, relaxed } = await findRanked(store.sql, understood, request.now);
      const page = ranked.slice(offset, offset + limit);
      const results = await withUpcoming(store.sql, page, request.now, understood);
      return { understood, relaxed, results, total: ranked.length };
    },
    async getResult(id: string, now: Date): Promise<SearchResult | undefined> {
      if (!isUuid(id)) return undefined;
      const { rows } = await store.sql.query<CandidateRow>(
        `${selectDetails('$2', '0::float8 AS text_rank, 0::float8 AS trigram, NULL::boolean[] AS group_hits, NULL::boolean[] AS title_hits')}
         FROM service s ${JOINS}
         WHERE s.id = $1 AND s.removed_at IS NULL AND s.status <> 'closed'`,
        [id, now],
      );
      const row = rows[0];
      if (!row) return undefined;
      const [result] = await withUpcoming(store.sql, [{ row, score: 0, distanceKm: null }], now, undefined);
      return result;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Relaxation

type Ranked = { row: CandidateRow; score: number; distanceKm: number | null };

async function findRanked(sql: Sql, u: Understood, now: Date): Promise<{ ranked: Ranked[]; relaxed: string[] }> {
  const filters = toFilters(u, now);
  const relaxed: string[] = [];
  const view: Understood = structuredClone(u);
  const hasText = filters.groups.length > 0 || filters.trigramTerms.length > 0;

  // Words that match nothing anywhere go first: no filter can make them match.
  if (hasText && filters.trigramTerms.length > 0 && filters.groups.length === filters.trigramTerms.length) {
    const any = await candidates(sql, { ...emptyFilters(), groups: filters.groups, trigramTerms: filters.trigramTerms }, now, 1, undefined, true);
    if (any.length === 0) {
      relaxed.push(`nothing matches "${u.terms.join(' ')}"; showing other things${suffix(view)}`);
      filters.groups = [];
      filters.trigramTerms = [];
    }
  }

  const prefer = filters.time;
  /**
   * Whether anything fits, by a light existence probe: with a place or a day asked for, a venue in that place with a
   * session on that day (phone and online services, and standing ones without dates, don't count as finding it).
   */
  const fits = async (f: Filters) => (await candidates(sql, f, now, 1, undefined, true)).length > 0;
  const steps = relaxationSteps(u);
  // Without a place or a day, the full query itself says whether anything fits: one round trip when it does.
  let rows: CandidateRow[] | undefined;
  let ok: boolean;
  if (filters.wards?.length || filters.time) ok = await fits(filters);
  else {
    rows = await candidates(sql, filters, now, CANDIDATES, prefer);
    ok = rows.length > 0;
  }
  const relaxedBefore = relaxed.length;
  // First look for the single least important filter whose removal finds something; failing that, drop filters in
  // order of importance until something turns up.
  for (let round = 0; !ok && round < 2; round++) {
    for (const step of steps) {
      if (step.dropsText) continue;
      const trialFilters = structuredClone(filters);
      const change = step.apply(trialFilters, structuredClone(view));
      if (!change || !(await fits(trialFilters))) continue;
      relaxed.push(`nothing ${summary(view) || 'matching'}; ${change}`);
      step.apply(filters, view);
      ok = true;
      break;
    }
    if (ok) break;
    for (const step of steps) {
      const before = summary(view);
      const change = step.apply(filters, view);
      if (!change) continue;
      relaxed.push(`nothing ${before || 'matching'}; ${change}`);
      break;
    }
    ok = await fits(filters);
  }
  for (const step of steps) {
    if (ok) break;
    const before = summary(view);
    const change = step.apply(filters, view);
    if (!change) continue;
    relaxed.push(`nothing ${before || 'matching'}; ${change}`);
    ok = await fits(filters);
  }
  if (!rows || relaxed.length > relaxedBefore) rows = await candidates(sql, filters, now, CANDIDATES, prefer);
  if (rows.length === 0) {
    // Last resort for a non-empty catalogue: what is on soonest near the place asked about.
    relaxed.push('nothing matched; showing what is coming up');
    rows = await candidates(sql, emptyFilters(), now, CANDIDATES, prefer);
  }
  return { ranked: rank(rows, u, filters, now), relaxed };
}

/** One relaxation; steps that drop the words asked for are never taken just because they find something. */
type Step = { dropsText?: boolean; apply(f: Filters, view: Understood): string | undefined };

function relaxationSteps(u: Understood): Step[] {
  const place = u.place;
  return [
    {
      apply(f, v) {
        if (!f.time?.hours) return undefined;
        delete f.time.hours;
        delete v.timeOfDay;
        return `showing any time of day${suffix(v)}`;
      },
    },
    {
      apply(f, v) {
        if (!f.time) return undefined;
        delete f.time;
        delete v.when;
        delete v.weekdays;
        return `showing any day${suffix(v)}`;
      },
    },
    {
      apply(f, v) {
        if (!f.wards || !place || place.latitude === undefined || place.longitude === undefined) return undefined;
        const centre = { lat: place.latitude, lon: place.longitude };
        const nearby = WARDS.filter((w) => distanceKm(centre, w.centroid) <= NEARBY_KM).map((w) => w.name);
        const wider = [...new Set([...f.wards, ...nearby])];
        if (wider.length === f.wards.length) return undefined;
        f.wards = wider;
        v.place = { ...place, label: `or near ${place.label}`, wards: wider };
        return `showing${describeDaysOnly(v)} in nearby wards`;
      },
    },
    {
      apply(f, v) {
        if (!f.wards) return undefined;
        delete f.wards;
        delete v.place;
        return `showing${describeDaysOnly(v)} anywhere in Camden, nearest first`;
      },
    },
    {
      apply(f, v) {
        if (!f.access.length) return undefined;
        const what = listWords(f.access.map(accessLabel));
        f.access = [];
        v.access = [];
        return `showing places that may not be ${what} (check with the organiser)`;
      },
    },
    {
      apply(f, v) {
        if (!f.free && f.maxCost === undefined) return undefined;
        delete f.free;
        delete f.maxCost;
        delete v.free;
        delete v.maxCost;
        return 'showing things that may cost something';
      },
    },
    {
      apply(f, v) {
        if (!f.formats.length) return undefined;
        f.formats = [];
        v.formats = [];
        return 'showing other ways of taking part';
      },
    },
    {
      apply(f, v) {
        if (!f.languages.length) return undefined;
        f.languages = [];
        v.languages = [];
        return 'showing groups in other languages';
      },
    },
    {
      apply(f, v) {
        if (!f.audiences.length && !f.excludeOnlyFor) return undefined;
        f.audiences = [];
        delete f.excludeOnlyFor;
        v.audiences = [];
        return 'showing groups for everyone';
      },
    },
    {
      apply(f, v) {
        if (!f.kinds.length) return undefined;
        f.kinds = [];
        v.kinds = [];
        return 'showing activities, training and resources';
      },
    },
    {
      dropsText: true,
      apply(f, v) {
        if (!v.terms.length || !f.trigramTerms.length) return undefined;
        const words = v.terms.join(' ');
        const keep = textGroups({ ...v, terms: [] });
        f.groups = keep.groups;
        f.trigramTerms = [];
        v.terms = [];
        return `showing results without the words "${words}"`;
      },
    },
    {
      dropsText: true,
      apply(f, v) {
        if (!f.groups.length && !f.trigramTerms.length) return undefined;
        f.groups = [];
        f.trigramTerms = [];
        v.terms = [];
        v.categories = [];
        v.topics = [];
        return 'showing the closest other things';
      },
    },
  ];
}

function describeDaysOnly(v: Understood): string {
  const d = [describeDays(v), describeTimeOfDay(v)].filter(Boolean).join(' ');
  return d ? ` ${d}` : '';
}

/** " in Kilburn on Tuesdays", used after "showing …". */
function suffix(v: Understood): string {
  const parts = [describePlace(v), describeDays(v), describeTimeOfDay(v)].filter(Boolean);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/** The constraints in force, in plain words: "on Tuesdays in Kilburn, step-free". */
function summary(v: Understood): string {
  const parts = [describeDays(v), describeTimeOfDay(v), describePlace(v)].filter(Boolean);
  const extra: string[] = [];
  if (v.access.length) extra.push(listWords(v.access.map(accessLabel)));
  if (v.free) extra.push('free');
  else if (v.maxCost !== undefined) extra.push(`under £${v.maxCost}`);
  if (v.languages.length) extra.push(`in ${v.languages[0]}`);
  if (v.audiences.length) extra.push(`for ${listWords(v.audiences.map(audienceLabel))}`);
  return [parts.join(' '), ...extra].filter(Boolean).join(', ');
}

// ---------------------------------------------------------------------------------------------------------------------
// Filters and the candidate query

function emptyFilters(): Filters {
  return { groups: [], trigramTerms: [], kinds: [], audiences: [], access: [], languages: [], formats: [] };
}

/** tsquery text for one word or phrase: letters and digits only, phrases joined with <->. */
function tsPhrase(words: string): string | undefined {
  const parts = words
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `(${parts.join(' <-> ')})`;
}

/** One tsquery per thing asked for: a topic with its synonyms, or one leftover word (with a prefix match). */
export function textGroups(u: Understood): { groups: string[]; trigramTerms: string[] } {
  const groups: string[] = [];
  for (const key of u.topics ?? []) {
    const concept = CONCEPTS.find((c) => c.key === key);
    const words = [...(concept?.search ?? []), ...(concept?.categories ?? [])];
    const parts = [...new Set(words.map(tsPhrase).filter((p): p is string => p !== undefined))];
    if (parts.length) groups.push(parts.join(' | '));
  }
  for (const phrase of u.phrases ?? []) {
    const words = phrase.split(' ').filter((w) => !STOP_WORDS.has(w) && /^[a-z0-9]+$/.test(w));
    if (words.length > 1) groups.push(words.join(' & '));
  }
  const trigramTerms: string[] = [];
  for (const term of u.terms) {
    const p = tsPhrase(term);
    if (!p) continue;
    groups.push(p.includes('<->') ? p : `${p}:*`);
    if (term.length >= 4) trigramTerms.push(term);
  }
  return { groups, trigramTerms };
}

function toFilters(u: Understood, now: Date): Filters {
  const { groups, trigramTerms } = textGroups(u);
  const f: Filters = {
    groups,
    trigramTerms,
    kinds: [...u.kinds],
    audiences: hardAudiences(u),
    access: [...u.access],
    languages: [...u.languages],
    formats: [...u.formats],
  };
  if (u.audiences.includes('men') && !u.audiences.includes('women')) f.excludeOnlyFor = 'women';
  if (u.audiences.includes('women') && !u.audiences.includes('men')) f.excludeOnlyFor = 'men';
  if (u.free) f.free = true;
  if (u.maxCost !== undefined) f.maxCost = u.maxCost;
  if (u.place) f.wards = [...u.place.wards];
  if (u.when || u.weekdays?.length || u.timeOfDay) {
    const from = u.when ? new Date(u.when.from) : now;
    const to = u.when ? new Date(u.when.to) : new Date(now.getTime() + WEEKDAY_HORIZON_DAYS * 86_400_000);
    f.time = {
      from: from < now ? now : from,
      to,
      ...(u.weekdays?.length ? { weekdays: u.weekdays } : {}),
      ...(u.timeOfDay ? { hours: TIME_OF_DAY_HOURS[u.timeOfDay] } : {}),
    };
  }
  return f;
}

const selectDetails = (nowRef: string, rankSql: string) => `
  SELECT s.id, s.kind, s.name, s.description, s.url, s.status, s.alert, s.categories, s.audiences, s.languages,
    s.attending_types, s.is_free, s.cost_amount::float8 AS cost_amount, s.fees_description, s.application_process,
    s.contact_name, s.contact_email, s.contact_phone, to_char(s.assured_date, 'YYYY-MM-DD') AS assured,
    s.schedule->>'description' AS schedule_text,
    o.name AS org_name, o.phone AS org_phone, o.email AS org_email,
    l.name AS venue, l.address_1, l.address_2, l.city, l.postal_code, l.ward, l.latitude, l.longitude, l.accessibility,
    l.accessibility_note, l.url AS location_url, src.is_demo,
    ${rankSql},
    (SELECT min(oc.start) FROM occurrence oc
      WHERE oc.service_id = s.id AND oc.status <> 'cancelled' AND oc."end" > ${nowRef}) AS next_start,
    (SELECT 1 FROM occurrence oc WHERE oc.service_id = s.id LIMIT 1) IS NOT NULL AS has_occurrences`;

// LATERAL lookups by primary key (OFFSET 0 keeps the planner from turning them back into hash joins over whole
// tables): a few hundred index probes whatever the size of the catalogue.
const JOINS = `
  LEFT JOIN LATERAL (SELECT * FROM location WHERE location.id = s.location_id OFFSET 0) l ON true
  LEFT JOIN LATERAL (SELECT * FROM organization WHERE organization.id = s.organization_id OFFSET 0) o ON true
  JOIN LATERAL (SELECT is_demo FROM source WHERE source.id = s.source_id OFFSET 0) src ON true`;

/** The database query: indexes find the candidates, SQL filters them, and the best `limit` come back with details. */
async function candidates(
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
  const tsquery = f.groups.length ? f.groups.map((g) => `(${g})`).join(' | ') : null;
  const tsRef = tsquery ? p(tsquery) : undefined;
  let trigramExpr = '0::float8';
  let textAny: string | undefined;
  let allQuery: string | undefined;
  if (tsRef || f.trigramTerms.length) {
    const text: string[] = [];
    if (tsRef) text.push(`s.search_vector @@ to_tsquery('english', ${tsRef})`);
    const sims: string[] = [];
    for (const term of f.trigramTerms) {
      const ref = p(term);
      text.push(`${ref} <% s.name`);
      sims.push(`word_similarity(${ref}, s.name)`);
    }
    if (sims.length) trigramExpr = sims.length === 1 ? sims[0]! : `GREATEST(${sims.join(', ')})`;
    textAny = `(${text.join(' OR ')})`;
    if (f.groups.length > 1) allQuery = f.groups.map((g) => `(${g})`).join(' & ');
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
    const cond = `s.location_id IN (SELECT id FROM location WHERE ward = ANY(${wardsRef}::text[]))`;
    where.push(strict ? cond : `(${cond} OR NOT ${inPerson})`);
  }
  if (f.access.length) {
    where.push(`(s.location_id IN (SELECT id FROM location WHERE accessibility @> ${p(f.access)}::text[]) OR NOT ${inPerson})`);
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
  else if (f.maxCost !== undefined) where.push(`(s.is_free = true OR s.cost_amount <= ${p(f.maxCost)})`);
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
  if (f.time) {
    const cond = timeCondition(f.time);
    const probe = `(SELECT 1 FROM occurrence oc WHERE oc.service_id = s.id AND ${cond} LIMIT 1) IS NOT NULL`;
    // With words or a place to match, those bound the candidates and each probes its own sessions (the branch stops
    // after its pool is full); with only a time, the sessions in the window bound them.
    // A strict existence probe asks the indexed local hour and weekday of sessions first: when nothing fits it
    // answers from a few index pages instead of probing every matching entry.
    const inSet = `s.id IN (SELECT oc.service_id FROM occurrence oc WHERE ${cond})`;
    const inWindow = strict && limit === 1 ? inSet : hasText || f.wards?.length ? probe : inSet;
    // Standing services without dated sessions (befriending, phone lines) are there any day, but only dated
    // sessions in the window count as having found something on the day asked for.
    where.push(strict ? inWindow : `(${noSessions} OR ${inWindow})`);
    local.push(probe);
  } else {
    where.push(live);
  }
  const rankExpr = tsRef ? `ts_rank('{0.1, 0.2, 0.4, 1.0}', s.search_vector, to_tsquery('english', ${tsRef}))` : '0::float8';
  if (strict && limit === 1) {
    // A relaxation probe: does anything fit at all? No ranking, no details, stop at the first row.
    const { rows } = await sql.query<CandidateRow>(
      `SELECT s.id FROM service s LEFT JOIN location l ON l.id = s.location_id
       WHERE ${[...where, ...(textAny ? [textAny] : []), ...(f.time ? [live] : [])].join('\n AND ')} LIMIT 1`,
      params,
    );
    return rows;
  }
  const textAll = allQuery ? `s.search_vector @@ to_tsquery('english', ${p(allQuery)})` : undefined;
  const groupsRef = p(f.groups);
  // After relaxing the day or time, entries that still fit what was asked rank first.
  const fitsTime = prefer
    ? `(SELECT 1 FROM occurrence oc WHERE oc.service_id = s.id AND ${timeCondition(prefer)} LIMIT 1) IS NOT NULL`
    : 'NULL::boolean';
  // Each branch stops after POOL matching rows, so a broad word ("social") costs the same in a catalogue of 5k or
  // 200k; entries matching every part of the question come first through their own branch.
  const branch = (text: string | undefined, pool: number) => `(SELECT s.id, ${rankExpr} AS text_rank, ${trigramExpr} AS trigram, s.assured_date
       FROM service s LEFT JOIN location l ON l.id = s.location_id
       WHERE ${[...where, ...(text ? [text] : [])].join('\n AND ')}
       LIMIT ${pool})`;
  const branches: string[] = [];
  if (textAll) branches.push(branch(textAll, POOL_ALL));
  if (textAny) branches.push(branch(textAny, POOL_ANY));
  if (branches.length === 0) branches.push(branch(undefined, limit));
  const order = hasText ? 'max(m.text_rank) + max(m.trigram) DESC, m.id' : 'max(m.assured_date) DESC NULLS LAST, m.id';
  const { rows } = await sql.query<CandidateRow>(
    `WITH q AS MATERIALIZED (
       SELECT coalesce(array_agg(to_tsquery('english', g) ORDER BY n), ARRAY[]::tsquery[]) AS qs
       FROM unnest(${groupsRef}::text[]) WITH ORDINALITY AS t(g, n)
     ),
     m AS (${branches.join(' UNION ALL ')}),
     c AS (
       SELECT m.id, max(m.text_rank) AS text_rank, max(m.trigram) AS trigram FROM m GROUP BY m.id
       ORDER BY ${order}
       LIMIT ${Math.floor(limit)}
     )
     ${selectDetails(
       nowRef,
       `c.text_rank, c.trigram,
        ARRAY(SELECT s.search_vector @@ x FROM unnest(q.qs) WITH ORDINALITY AS t(x, n) ORDER BY n) AS group_hits,
        ARRAY(SELECT tv.a @@ x FROM unnest(q.qs) WITH ORDINALITY AS t(x, n) ORDER BY n) AS title_hits,
        ARRAY(SELECT tv.b @@ x FROM unnest(q.qs) WITH ORDINALITY AS t(x, n) ORDER BY n) AS category_hits,
        ${fitsTime} AS fits_time,
        ${local.length ? `coalesce(${local.join(' AND ')}, false)` : 'true'} AS local`,
     )}
     FROM c JOIN LATERAL (SELECT * FROM service WHERE service.id = c.id OFFSET 0) s ON true ${JOINS}
     CROSS JOIN q
     CROSS JOIN LATERAL (SELECT ts_filter(s.search_vector, '{a}') AS a, ts_filter(s.search_vector, '{b}') AS b) tv`,
    params,
  );
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------------
// Ranking

function rank(rows: CandidateRow[], u: Understood, f: Filters, now: Date): Ranked[] {
  const maxRank = Math.max(1e-9, ...rows.map((r) => r.text_rank));
  const centre =
    u.place?.latitude !== undefined && u.place.longitude !== undefined
      ? { lat: u.place.latitude, lon: u.place.longitude }
      : undefined;
  const timeAsked = Boolean(u.when || u.weekdays?.length || u.timeOfDay);
  const ranked = rows.map((row) => {
    let score = 0;
    const groups = row.group_hits ?? [];
    if (groups.length) {
      const hits = groups.filter(Boolean).length;
      const titleHits = (row.title_hits ?? []).filter(Boolean).length;
      const categoryHits = (row.category_hits ?? []).filter(Boolean).length;
      score += (5 * hits) / groups.length + (1.2 * titleHits + 0.5 * categoryHits) / groups.length + row.text_rank / maxRank;
    }
    score += Number(row.trigram) || 0;
    const cats = row.categories ?? [];
    score += 0.3 * u.categories.filter((c) => cats.includes(c)).length;
    const audiences = row.audiences ?? [];
    for (const a of u.audiences) if (audiences.includes(a)) score += 0.8;
    for (const l of u.languages) if ((row.languages ?? []).includes(l)) score += 0.3;
    let km: number | null = null;
    if (row.latitude !== null && row.longitude !== null) {
      const here = { lat: Number(row.latitude), lon: Number(row.longitude) };
      if (centre) km = distanceKm(centre, here);
    }
    if (centre) {
      if (km !== null) score += 1.5 * Math.max(0, 1 - km / 3);
      else score += 0.4;
      if (u.place && row.ward && u.place.wards.includes(row.ward)) score += 0.3;
    }
    if (row.next_start) {
      const days = (new Date(row.next_start).getTime() - now.getTime()) / 86_400_000;
      score += 0.5 * Math.max(0, 1 - days / 28);
    } else if (timeAsked) {
      score -= 0.7;
    }
    if (row.assured) {
      const age = (now.getTime() - Date.parse(row.assured)) / 86_400_000;
      score += age <= 365 ? 0.3 : 0;
    }
    // What was asked for but relaxed away still counts when an entry happens to fit it.
    if (row.fits_time === true) score += 1;
    if (u.access.length && u.access.every((a) => (row.accessibility ?? []).includes(a))) score += 0.5;
    if (u.free && row.is_free) score += 0.5;
    else if (u.maxCost !== undefined && (row.is_free || (row.cost_amount !== null && Number(row.cost_amount) <= u.maxCost))) score += 0.5;
    if (row.status === 'temporarily_closed') score -= 2.5;
    if (!f.kinds.length && !u.kinds.length) {
      if (row.kind === 'training') score -= 1;
      if (row.kind === 'resource') score -= 0.4;
    }
    if (u.formats.length && (row.attending_types ?? []).some((t) => u.formats.includes(t))) score += 0.3;
    return { row, score: Math.round(score * 1000) / 1000, distanceKm: km === null ? null : Math.round(km * 100) / 100 };
  });
  ranked.sort((a, b) => b.score - a.score || a.row.name.localeCompare(b.row.name) || a.row.id.localeCompare(b.row.id));
  return ranked;
}

// ---------------------------------------------------------------------------------------------------------------------
// Results

type OccurrenceRow = { service_id: string; start: Date | string; end: Date | string; all_day: boolean; fits: boolean };

async function withUpcoming(sql: Sql, page: Ranked[], now: Date, u: Understood | undefined): Promise<SearchResult[]> {
  if (page.length === 0) return [];
  const ids = page.map((r) => r.row.id);
  const params: unknown[] = [ids, now];
  let fits = 'true';
  if (u && (u.when || u.weekdays?.length || u.timeOfDay)) {
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
    fits = cond.join(' AND ');
  }
  const { rows } = await sql.query<OccurrenceRow>(
    `SELECT service_id, start, "end", all_day, fits FROM (
       SELECT o.service_id, o.start, o."end", o.all_day, (${fits}) AS fits,
         row_number() OVER (PARTITION BY o.service_id ORDER BY (${fits}) DESC, o.start) AS n
       FROM occurrence o
       WHERE o.service_id = ANY($1::uuid[]) AND o.status <> 'cancelled' AND o."end" > $2
     ) x WHERE n <= 3 ORDER BY service_id, fits DESC, start`,
    params,
  );
  const byService = new Map<string, OccurrenceRow[]>();
  for (const r of rows) byService.set(r.service_id, [...(byService.get(r.service_id) ?? []), r]);
  return page.map(({ row, score, distanceKm }) => {
    const occ = (byService.get(row.id) ?? []).map((o) => toSlot(o));
    return toResult(row, occ, score, distanceKm);
  });
}

function toSlot(o: OccurrenceRow): { start: string; end: string; allDay: boolean } {
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

function toResult(
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
