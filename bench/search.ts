import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Fuse from 'fuse.js';
import { DateTime } from 'luxon';
import { AREAS } from '../src/catalogue/geography/camden.ts';
import { createDatabaseSearch } from '../src/catalogue/search/database-search.ts';
import { SESSION_SLOT_SQL } from '../src/catalogue/search/search-queries.ts';
import type { CatalogueSearch, SearchResponse, Understood } from '../src/catalogue/search/types.ts';
import { mergePendingIndexEntries, SEARCHED_TABLES } from '../src/db/bulk-load.ts';
import { openStore, type Store } from '../src/db/open-store.ts';
import { fmt, median, percentile, table, timeIt } from './stats.ts';

const NOW = new Date('2026-11-23T09:00:00Z');

/** What a question tests: its shape decides which query shapes of the search it exercises. */
export type Shape = 'words' | 'synonym' | 'typo' | 'place' | 'day' | 'unmatched' | 'training';

/**
 * Fixed staff questions, each with its shape and, where one kind of listing answers it, the titles that do ("the
 * right kind"). A question that asks for a day or a time is also checked for the right day: each answer must have a
 * session then.
 */
export const BENCH_QUESTIONS: { q: string; shape: Shape; want?: RegExp }[] = [
  { q: 'lunch club in Kilburn on Tuesdays', shape: 'day', want: /Lunch|Luncheon/ },
  { q: 'free lunch club near Kentish Town on Tuesdays, step-free', shape: 'day', want: /Lunch|Luncheon/ },
  { q: 'dementa cafe this week', shape: 'typo', want: /Memory Café|Dementia/ },
  { q: 'memory cafe', shape: 'words', want: /Memory Café/ },
  { q: 'befreinding by phone', shape: 'typo', want: /Befriending|Home Visiting/ },
  { q: 'telephone befriending for an older man', shape: 'synonym', want: /Befriending/ },
  { q: 'seated excercise for over 60s', shape: 'typo', want: /Seated Exercise|Chair Yoga|Tai Chi/ },
  { q: 'chair exercise in Camden Town', shape: 'place', want: /Seated Exercise|Chair Yoga/ },
  { q: 'tai chi saturday morning', shape: 'day', want: /Tai Chi|Chinese Elders/ },
  { q: 'health walk in Hampstead', shape: 'place', want: /Health Walk/ },
  { q: 'digital skills help with the NHS app', shape: 'words', want: /Digital Skills/ },
  { q: 'carers coffee morning', shape: 'words', want: /Carers' Coffee Morning/ },
  { q: 'dementia carers support group in the evening', shape: 'day', want: /Dementia Carers/ },
  { q: 'mens shed woodwork', shape: 'words', want: /Men's Shed/ },
  { q: 'knit and natter', shape: 'words', want: /Knit and Natter/ },
  { q: 'free gardening group', shape: 'words', want: /Gardening/ },
  { q: 'bereavment group for a widow', shape: 'typo', want: /Bereavement/ },
  { q: "something for a Bengali-speaking man who's lonely", shape: 'synonym', want: /Bengali/ },
  { q: 'somali women group', shape: 'synonym', want: /Somali/ },
  { q: 'irish pensioners in kilburn', shape: 'place', want: /Irish Pensioners/ },
  { q: 'caribbean luncheon club', shape: 'synonym', want: /Caribbean/ },
  { q: 'cantonese speaking elders', shape: 'synonym', want: /Chinese Elders/ },
  { q: 'deaf social club BSL', shape: 'synonym', want: /Deaf Social/ },
  { q: 'LGBTQ over 50s', shape: 'synonym', want: /LGBTQ/ },
  { q: 'LD social club friday evening', shape: 'day', want: /Friday Friends/ },
  { q: 'parent and baby group', shape: 'words', want: /Parent and Baby/ },
  { q: 'youth club in Gospel Oak', shape: 'place', want: /Youth Club/ },
  { q: 'english conversation esol', shape: 'synonym', want: /English Conversation/ },
  { q: 'singing for wellbeing', shape: 'words', want: /Singing/ },
  { q: 'art for anxiety', shape: 'synonym', want: /Art for Wellbeing|Mental Health/ },
  { q: 'benefits advice pension credit', shape: 'words', want: /Benefits/ },
  { q: 'MH peer support in NW5', shape: 'place', want: /Mental Health Peer Support/ },
  { q: 'games afternoon with bingo', shape: 'words', want: /Games Afternoon/ },
  { q: 'film club afternoon', shape: 'day', want: /Film Club/ },
  { q: 'reading group', shape: 'words', want: /Reading Group/ },
  { q: 'cook and eat together', shape: 'words', want: /Cook and Eat/ },
  { q: 'MHFA course next week', shape: 'training', want: /Mental Health First Aid/ },
  { q: 'MECC training online', shape: 'training', want: /MECC/ },
  { q: 'loneliness toolkit', shape: 'training', want: /Loneliness/ },
  { q: 'zumba in Kilburn', shape: 'unmatched' },
  { q: 'something in NW6 2JH on Friday morning', shape: 'day' },
  { q: 'quiet bereavement support', shape: 'words', want: /Bereavement/ },
  { q: 'knitting grup', shape: 'typo', want: /Knit/ },
  { q: 'lunch clubb in kilburn', shape: 'typo', want: /Lunch|Luncheon/ },
  { q: 'zumbba on friday evening', shape: 'typo' },
  { q: 'xylophone repair', shape: 'unmatched' },
  { q: 'qwzzkx', shape: 'unmatched' },
  { q: 'aquarobics in Kilburn on Tuesday', shape: 'unmatched' },
  { q: 'flibbertigibbet club near Gospel Oak', shape: 'unmatched' },
  { q: 'origami for beginners on Wednesday afternoon', shape: 'unmatched' },
];
export const BENCH_QUERIES = BENCH_QUESTIONS.map((x) => x.q);

type Topic = { title: string; categories: string[]; audiences: string[]; kind: string; description: string };

const T = (
  title: string,
  categories: string[],
  audiences: string[],
  description: string,
  kind = 'activity',
): Topic => ({
  title,
  categories,
  audiences,
  kind,
  description,
});

const TOPICS: Topic[] = [
  T(
    'Lunch Club',
    ['lunch club', 'social', 'food'],
    ['older_people'],
    'A friendly two-course hot lunch with tea, a chat and bingo.',
  ),
  T(
    'Community Lunch',
    ['lunch club', 'food'],
    ['everyone'],
    'Home-cooked community lunch prepared by local volunteers.',
  ),
  T(
    'Telephone Befriending',
    ['befriending', 'social'],
    ['older_people'],
    'A trained volunteer rings once a week for a chat.',
  ),
  T(
    'Home Visiting',
    ['befriending'],
    ['older_people'],
    'A local volunteer visits at home each week for tea and a chat.',
  ),
  T('Health Walk', ['walking', 'exercise'], ['everyone'], 'A gentle, led walk of about an hour at an easy pace.'),
  T(
    'Seated Exercise',
    ['exercise', 'falls prevention'],
    ['older_people'],
    'Chair-based exercise to music for strength and balance.',
  ),
  T(
    'Tai Chi for Beginners',
    ['exercise', 'tai chi'],
    ['everyone'],
    'Slow, flowing tai chi movements to improve balance.',
  ),
  T('Chair Yoga', ['exercise', 'yoga', 'mental health'], ['everyone'], 'Gentle seated yoga, breathing and relaxation.'),
  T(
    'Digital Skills Drop-in',
    ['digital skills'],
    ['everyone'],
    'Help with phones, tablets, video calls and the NHS App.',
  ),
  T("Carers' Coffee Morning", ['carers', 'social'], ['carers'], 'Time out for unpaid carers with coffee and advice.'),
  T(
    "Dementia Carers' Support Group",
    ['carers', 'dementia'],
    ['carers'],
    'Peer support for people caring for someone with dementia.',
  ),
  T(
    'Memory Café',
    ['dementia', 'social'],
    ['older_people', 'carers'],
    'A relaxed café for people living with dementia and carers.',
  ),
  T("Men's Shed", ['social', 'crafts', 'men'], ['men'], 'Woodwork, bike repair and chat, shoulder to shoulder.'),
  T('Knit and Natter', ['crafts', 'social'], ['everyone'], 'Bring your knitting or learn from scratch; tea provided.'),
  T(
    'Community Gardening Group',
    ['gardening', 'outdoors'],
    ['everyone'],
    'Grow vegetables and flowers together in raised beds.',
  ),
  T(
    'Coffee Morning',
    ['social', 'warm space'],
    ['everyone'],
    'A warm space for a hot drink and a chat with neighbours.',
  ),
  T(
    'Bereavement Support Group',
    ['bereavement', 'mental health'],
    ['everyone'],
    'A small group for adults who have lost someone close.',
  ),
  T(
    "Bengali Elders' Lunch",
    ['lunch club', 'culturally specific'],
    ['older_people', 'ethnic_minorities'],
    'Lunch and conversation in Bengali and Sylheti.',
  ),
  T(
    'Somali Community Wellbeing Group',
    ['social', 'advice'],
    ['ethnic_minorities'],
    'Tea and practical help in Somali.',
  ),
  T(
    "Irish Pensioners' Social",
    ['social', 'music'],
    ['older_people'],
    'Tea, music and a sing-song for Irish pensioners.',
  ),
  T(
    "Caribbean Elders' Luncheon Club",
    ['lunch club', 'social'],
    ['older_people', 'ethnic_minorities'],
    'Caribbean food and dominoes.',
  ),
  T(
    "Chinese Elders' Social",
    ['social', 'exercise'],
    ['older_people', 'ethnic_minorities'],
    'Tai chi and mahjong, in Cantonese.',
  ),
  T('Deaf Social Club', ['social', 'deaf'], ['everyone'], 'A social evening run in British Sign Language.'),
  T(
    'LGBTQ+ Over-50s Social',
    ['social', 'lgbtq+'],
    ['lgbtq', 'older_people'],
    'A friendly social group for LGBTQ+ people over 50.',
  ),
  T(
    'Friday Friends Social Club',
    ['social', 'learning disabilities'],
    ['learning_disabilities'],
    'Music, games and friends for adults with learning disabilities.',
  ),
  T(
    'Parent and Baby Group',
    ['parents', 'children'],
    ['parents_of_young_children'],
    'Songs and play for parents of babies.',
  ),
  T('Youth Club', ['youth', 'sport'], ['young_people'], 'Open-access youth club with sport and music.'),
  T('English Conversation Club', ['esol', 'language'], ['everyone'], 'Practise spoken English with volunteers.'),
  T('Singing for Wellbeing', ['music', 'mental health'], ['everyone'], 'A no-audition community choir.'),
  T('Art for Wellbeing', ['arts', 'mental health'], ['everyone'], 'Relaxed drawing and painting sessions.'),
  T(
    'Benefits and Money Advice',
    ['advice', 'cost of living'],
    ['everyone'],
    'Help with Pension Credit, bills and forms.',
  ),
  T(
    'Mental Health Peer Support Group',
    ['mental health', 'peer support'],
    ['everyone'],
    'Peer-led support for anxiety and depression.',
  ),
  T('Games Afternoon', ['social', 'games'], ['everyone'], 'Board games, dominoes and bingo.'),
  T('Afternoon Film Club', ['social', 'film'], ['older_people'], 'Films with subtitles and tea.'),
  T('Reading Group', ['social', 'reading'], ['everyone'], 'One book a month; large print available.'),
  T(
    'Cook and Eat Together',
    ['food', 'cooking'],
    ['older_people', 'men'],
    'Learn simple, cheap meals and eat together.',
  ),
  T(
    'Mental Health First Aid',
    ['training', 'mental health'],
    ['everyone'],
    'Accredited two-day course for staff.',
    'training',
  ),
  T(
    'Making Every Contact Count (MECC)',
    ['training', 'mecc'],
    ['everyone'],
    'Brief conversations about health.',
    'training',
  ),
  T(
    'Tackling Loneliness toolkit',
    ['loneliness', 'toolkit'],
    ['everyone'],
    'Conversation prompts and a loneliness check.',
    'resource',
  ),
  T(
    'Suicide Prevention Awareness',
    ['training', 'suicide prevention'],
    ['everyone'],
    'Asking directly and safely.',
    'training',
  ),
];

const FILLER = (
  'welcome friendly local volunteers tea biscuits chat neighbours estate community hall library centre weekly ' +
  'monthly newcomers support confidence wellbeing health advice information music quiz bingo outing trip ' +
  'accessible lift ramp toilet bus route station park garden kitchen meal snack cake coffee conversation ' +
  'group session organiser coordinator booking referral drop-in free donation price concession carers family ' +
  'older younger adults residents housing benefits forms letters phone online video zoom teams course training'
).split(' ');

/** Loads a generated catalogue of `size` entries with bulk SQL (indexes built after the load, as a restore does). */
export async function generateCatalogue(store: Store, size: number): Promise<void> {
  const sql = store.sql;
  await sql.exec(`DROP INDEX IF EXISTS service_search_vector_idx; DROP INDEX IF EXISTS service_name_trgm_idx;
    DROP INDEX IF EXISTS service_session_slots_idx;
    SELECT setseed(0.42);`);
  const source = await sql.query<{ id: string }>(
    `INSERT INTO source (name, format) VALUES ('bench', 'manual') RETURNING id`,
  );
  const sourceId = source.rows[0]!.id;
  const places = AREAS.map((a) => ({ name: a.name, ward: a.wards[0], lat: a.centroid.lat, lon: a.centroid.lon }));
  const locations = Math.max(200, Math.floor(size / 10));
  await sql.query(
    `INSERT INTO organization (source_id, external_id, name, content_hash)
     SELECT $1, 'org-' || i, 'Organisation ' || i, 'x' FROM generate_series(1, 500) i`,
    [sourceId],
  );
  await sql.query(
    `INSERT INTO location (source_id, external_id, name, ward, postal_code, latitude, longitude, accessibility, content_hash)
     SELECT $1, 'loc-' || i, p.name || ' Community Room ' || i, p.ward, 'NW1 ' || (i % 9) || 'AA',
       p.lat + (random() - 0.5) * 0.01, p.lon + (random() - 0.5) * 0.01,
       CASE i % 4 WHEN 0 THEN ARRAY['step_free', 'wheelchair_accessible'] WHEN 1 THEN ARRAY['hearing_loop']
         WHEN 2 THEN ARRAY['step_free', 'hearing_loop', 'quiet_space'] ELSE ARRAY[]::text[] END, 'x'
     FROM generate_series(1, $2::int) i
     JOIN (SELECT x.*, (row_number() OVER () - 1)::int AS k
           FROM jsonb_to_recordset($3::jsonb) AS x(name text, ward text, lat float8, lon float8)) p ON p.k = i % $4::int`,
    [sourceId, locations, JSON.stringify(places), places.length],
  );
  await sql.query(
    `WITH t AS (SELECT x.*, (row_number() OVER () - 1)::int AS k
                FROM jsonb_to_recordset($3::jsonb) AS x(title text, categories text[], audiences text[], kind text,
                  description text)),
          locs AS (SELECT array_agg(id ORDER BY id) AS ids FROM location WHERE source_id = $1),
          orgs AS (SELECT array_agg(id ORDER BY id) AS ids FROM organization WHERE source_id = $1)
     INSERT INTO service (source_id, external_id, kind, name, description, status, organization_id, location_id,
       categories, audiences, languages, is_free, cost_amount, fees_description, application_process, attending_types,
       assured_date, content_hash)
     SELECT $1, 'svc-' || i, t.kind,
       t.title || ' – ' || ($5::text[])[1 + (i / $4::int) % cardinality($5::text[])] ||
         CASE WHEN i > $4::int * cardinality($5::text[]) THEN ' ' || (i / ($4::int * cardinality($5::text[])))::text ELSE '' END,
       t.description || ' ' || (SELECT string_agg(($6::text[])[1 + floor(random() * cardinality($6::text[]))::int], ' ')
                                FROM generate_series(1, 25 + i % 3)),
       CASE WHEN i % 53 = 0 THEN 'temporarily_closed' WHEN i % 97 = 0 THEN 'closed' ELSE 'active' END,
       orgs.ids[1 + i % cardinality(orgs.ids)],
       CASE WHEN i % 11 = 0 THEN NULL ELSE locs.ids[1 + (i * 7) % cardinality(locs.ids)] END,
       t.categories, t.audiences,
       CASE i % 9 WHEN 0 THEN ARRAY['bengali', 'english'] WHEN 1 THEN ARRAY['somali', 'english']
         WHEN 2 THEN ARRAY['cantonese', 'english'] ELSE ARRAY['english'] END,
       i % 3 <> 0, CASE WHEN i % 3 = 0 THEN (i % 6) + 0.5 ELSE NULL END,
       CASE WHEN i % 3 = 0 THEN '£' || ((i % 6) + 0.5) ELSE 'Free' END,
       (ARRAY['drop_in', 'self_referral', 'referral_needed', 'booking'])[1 + i % 4],
       CASE WHEN i % 11 = 0 THEN ARRAY['phone'] WHEN i % 13 = 0 THEN ARRAY['online'] ELSE ARRAY['in_person'] END,
       (DATE '2026-11-23' - (i % 500)), 'x'
     FROM generate_series(1, $2::int) i
     JOIN t ON t.k = i % $4::int
     CROSS JOIN locs CROSS JOIN orgs`,
    [sourceId, size, JSON.stringify(TOPICS), TOPICS.length, AREAS.map((a) => a.name), FILLER],
  );
  // Four weekly sessions for seven in ten activities and training courses, at varied days and times (09:00–19:00).
  await sql.query(
    `INSERT INTO occurrence (service_id, key, start, "end", status)
     SELECT s.id, k::text, start, start + interval '2 hours', CASE WHEN (s.rn + k) % 17 = 0 THEN 'cancelled' ELSE 'scheduled' END
     FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM service WHERE source_id = $1 AND kind <> 'resource') s
     CROSS JOIN generate_series(0, 3) k
     CROSS JOIN LATERAL (SELECT $2::timestamptz + make_interval(days => (s.rn % 7)::int + k * 7, hours => 1 + ((s.rn / 10) % 11)::int) AS start) x
     WHERE s.rn % 10 < 7`,
    [sourceId, new Date('2026-11-23T08:00:00Z')],
  );
  // What the importer keeps up to date after writing sessions.
  await sql.query(
    `UPDATE service s SET has_sessions = true, sessions_until = x.until, session_slots = x.slots
     FROM (SELECT service_id, max("end") FILTER (WHERE status <> 'cancelled') AS until,
             coalesce(array_agg(DISTINCT ${SESSION_SLOT_SQL('start')}) FILTER (WHERE status <> 'cancelled'), '{}') AS slots
           FROM occurrence GROUP BY service_id) x
     WHERE x.service_id = s.id`,
  );
  await sql.exec(`CREATE INDEX service_search_vector_idx ON service USING GIN (search_vector);
    CREATE INDEX service_name_trgm_idx ON service USING GIN (name gin_trgm_ops);
    CREATE INDEX IF NOT EXISTS service_session_slots_idx ON service USING GIN (session_slots);
    ANALYZE;`);
  // As an import leaves the catalogue: the indexes kept while writing have merged what they had pending.
  await mergePendingIndexEntries(sql, SEARCHED_TABLES);
}

type Figures = { p50: number; p95: number; p99: number; max: number; n: number };

const figuresOf = (times: number[]): Figures => ({
  p50: median(times),
  p95: percentile(times, 95),
  p99: percentile(times, 99),
  max: Math.max(...times),
  n: times.length,
});

/** Answer quality over the top 5 of every question: the right kind of listing, and a session on the day asked. */
type Quality = { kindOk: number; kindChecked: number; dayOk: number; dayChecked: number };

const noQuality = (): Quality => ({ kindOk: 0, kindChecked: 0, dayOk: 0, dayChecked: 0 });

/** Whether a session (ISO 8601 with the London offset) falls on the day and at the time the question asked. */
function fitsAsked(u: Understood, slot: { start: string; allDay: boolean }): boolean {
  const start = DateTime.fromISO(slot.start, { zone: 'Europe/London' });
  if (u.when && (start.toMillis() < Date.parse(u.when.from) || start.toMillis() >= Date.parse(u.when.to))) return false;
  if (u.weekdays?.length && !u.weekdays.includes(start.weekday)) return false;
  if (u.timeOfDay && !slot.allDay) {
    const [h0, h1] = { morning: [0, 12], afternoon: [12, 17], evening: [17, 24] }[u.timeOfDay];
    if (start.hour < h0! || start.hour >= h1!) return false;
  }
  return true;
}

function judge(question: (typeof BENCH_QUESTIONS)[number], response: SearchResponse, into: Quality): void {
  const u = response.understood;
  const dayAsked = Boolean(u.when || u.weekdays?.length || u.timeOfDay);
  for (const r of response.results.slice(0, 5)) {
    if (question.want) {
      into.kindChecked++;
      if (question.want.test(r.title)) into.kindOk++;
    }
    if (dayAsked) {
      into.dayChecked++;
      if (r.upcoming.some((o) => fitsAsked(u, o))) into.dayOk++;
    }
  }
}

const qualityCell = (q: Quality) =>
  `${q.kindChecked ? pct(q.kindOk / q.kindChecked) : '–'} / ${q.dayChecked ? pct(q.dayOk / q.dayChecked) : '–'}`;
const pct = (x: number) => `${fmt(100 * x, 0)}%`;
const four = (f: Figures | undefined) =>
  f ? `${fmt(f.p50, 1)} / ${fmt(f.p95, 1)} / ${fmt(f.p99, 1)} / ${fmt(f.max, 0)}` : '–';

type Impl = { name: string; search: CatalogueSearch };
type Measured = { times: Map<string, number[]>; quality: Quality };

/**
 * Every question through every implementation, alternating which goes first, after a warm-up round; the answers of
 * the last round are judged.
 */
async function measureAll(impls: Impl[], rounds: number): Promise<Measured[]> {
  const out = impls.map(() => ({ times: new Map<string, number[]>(), quality: noQuality() }));
  for (const impl of impls)
    for (const { q } of BENCH_QUESTIONS) await impl.search.search({ text: q, now: NOW, limit: 5 });
  for (let r = 0; r < rounds; r++) {
    for (const question of BENCH_QUESTIONS) {
      const order = impls.map((_, i) => i);
      if (r % 2) order.reverse();
      for (const i of order) {
        const { ms, value } = await timeIt(() => impls[i]!.search.search({ text: question.q, now: NOW, limit: 5 }));
        const list = out[i]!.times.get(question.q) ?? [];
        list.push(ms);
        out[i]!.times.set(question.q, list);
        if (r === rounds - 1) judge(question, value, out[i]!.quality);
      }
    }
  }
  return out;
}

const allTimes = (m: Map<string, number[]>, shape?: Shape) =>
  BENCH_QUESTIONS.filter((x) => !shape || x.shape === shape).flatMap((x) => m.get(x.q) ?? []);

/** The figures committed with the code (`SEARCH_BENCH_SAVE=1` rewrites them): what "last committed" shows. */
const FIGURES_FILE = new URL('./search-figures.json', import.meta.url);
type Saved = Record<string, { p50: number; p95: number; p99: number; max: number; quality: string }>;

function readSaved(): Saved {
  try {
    return JSON.parse(fs.readFileSync(FIGURES_FILE, 'utf8')) as Saved;
  } catch {
    return {};
  }
}

/**
 * Search latency on the embedded store at 5k, 50k and 200k entries (and on a PostgreSQL server at 50k when
 * BENCH_DATABASE_URL names one), per question shape, with the quality of the answers, beside fuse.js over the whole
 * catalogue (every question at every size) and the last committed figures. SEARCH_BENCH_BASELINE=<checkout> also runs
 * another checkout's search on the same catalogue and questions, interleaved, for a side-by-side in one run.
 */
export async function benchSearch(): Promise<void> {
  console.log('\n## Search (generated catalogues, top 5, end to end: parse + SQL + re-rank)\n');
  const sizes = (process.env.SEARCH_BENCH_SIZES ?? '5000,50000,200000').split(',').map(Number);
  const rounds = Number(process.env.SEARCH_BENCH_ROUNDS ?? 3);
  const server = process.env.BENCH_DATABASE_URL;
  // While iterating: SEARCH_BENCH_FUSE=0 leaves fuse.js out (minutes at 200k), SEARCH_BENCH_STORES=pglite or postgres
  // measures one store, SEARCH_BENCH_TRACE=1 prints each question's statements with their times.
  const withFuse = process.env.SEARCH_BENCH_FUSE !== '0';
  const stores = (process.env.SEARCH_BENCH_STORES ?? 'pglite,postgres').split(',');
  const trace = process.env.SEARCH_BENCH_TRACE === '1';
  const baselineDir = process.env.SEARCH_BENCH_BASELINE;
  const baseline = baselineDir
    ? ((await import(pathToFileURL(path.resolve(baselineDir, 'src/catalogue/search/database-search.ts')).href)) as {
        createDatabaseSearch: (store: Store) => CatalogueSearch;
      })
    : undefined;
  const targets: Record<string, number> = {
    'pglite 5000': 20,
    'pglite 50000': 30,
    'pglite 200000': 60,
    'postgres 50000': 15,
  };
  const runs: { kind: 'pglite' | 'postgres'; size: number }[] = [
    ...(stores.includes('pglite') ? sizes.map((size) => ({ kind: 'pglite' as const, size })) : []),
    ...(server && stores.includes('postgres') && sizes.includes(50_000)
      ? [{ kind: 'postgres' as const, size: 50_000 }]
      : []),
  ];
  const saved = readSaved();
  const toSave: Saved = { ...saved };
  const rows: (string | number)[][] = [];
  const shapeRows: (string | number)[][] = [];
  for (const { kind, size } of runs) {
    const store =
      kind === 'pglite'
        ? await openStore({ kind: 'pglite', dir: null })
        : await openStore({ kind: 'postgres', url: server! });
    if (kind === 'postgres') await store.sql.exec('TRUNCATE source CASCADE');
    const load = await timeIt(() => generateCatalogue(store, size));
    const impls: Impl[] = [{ name: 'now', search: createDatabaseSearch(store) }];
    if (baseline) impls.push({ name: 'before', search: baseline.createDatabaseSearch(store) });
    const [now, before] = await measureAll(impls, rounds);
    if (trace) await traceStatements(store, `${kind} ${size}`);
    const db = figuresOf(allTimes(now!.times));
    const was = before ? figuresOf(allTimes(before.times)) : undefined;

    // fuse.js over every entry, every question, one round after a warm-up question.
    const { rows: records } = !withFuse
      ? { rows: [] }
      : await store.sql.query<{ title: string; categories: string; description: string }>(
          `SELECT name AS title, array_to_string(categories, ' ') AS categories, description FROM service
       WHERE removed_at IS NULL AND status <> 'closed'`,
        );
    const fuse = new Fuse(records, {
      keys: [
        { name: 'title', weight: 3 },
        { name: 'categories', weight: 2 },
        { name: 'description', weight: 1 },
      ],
      threshold: 0.3,
    });
    fuse.search(BENCH_QUESTIONS[0]!.q, { limit: 5 });
    const fuseTimes: number[] = [];
    const fuseQuality = noQuality();
    for (const question of withFuse ? BENCH_QUESTIONS : []) {
      const { ms, value } = await timeIt(() => fuse.search(question.q, { limit: 5 }));
      fuseTimes.push(ms);
      if (question.want) {
        for (const hit of value) {
          fuseQuality.kindChecked++;
          if (question.want.test(hit.item.title)) fuseQuality.kindOk++;
        }
      }
    }
    const fuseFigures = figuresOf(fuseTimes);
    if (kind === 'postgres') await store.sql.exec('TRUNCATE source CASCADE');
    await store.close();

    const key = `${kind} ${size}`;
    const last = saved[key];
    toSave[key] = {
      p50: round1(db.p50),
      p95: round1(db.p95),
      p99: round1(db.p99),
      max: round1(db.max),
      quality: qualityCell(now!.quality),
    };
    rows.push([
      kind === 'pglite' ? 'PGlite' : 'PostgreSQL',
      fmt(size),
      fmt(load.ms / 1000, 1),
      four(db),
      `≤ ${targets[key] ?? '–'}`,
      qualityCell(now!.quality),
      was ? `${four(was)} (×${fmt(db.p95 / was.p95, 2)})` : '–',
      before ? qualityCell(before.quality) : '–',
      last ? `${fmt(last.p50, 1)} / ${fmt(last.p95, 1)} / ${fmt(last.p99, 1)} / ${fmt(last.max, 0)}` : '–',
      withFuse ? `${four(fuseFigures)} (${fuseFigures.n})` : '–',
      withFuse ? `${fmt(fuseFigures.p95 / db.p95, 1)}x` : '–',
      `${qualityCell(fuseQuality).split(' / ')[0]}`,
    ]);
    console.log(
      `  ${rows.at(-1)!.slice(0, 4).join('  ')}, quality ${qualityCell(now!.quality)}${was ? `; before ${four(was)}, quality ${qualityCell(before!.quality)}` : ''}; fuse.js ${withFuse ? four(fuseFigures) : 'not run'}`,
    );
    const shapes = [...new Set(BENCH_QUESTIONS.map((x) => x.shape))];
    for (const shape of shapes) {
      const f = figuresOf(allTimes(now!.times, shape));
      const b = before ? figuresOf(allTimes(before.times, shape)) : undefined;
      shapeRows.push([
        kind === 'pglite' ? 'PGlite' : 'PostgreSQL',
        fmt(size),
        shape,
        BENCH_QUESTIONS.filter((x) => x.shape === shape).length,
        four(f),
        b ? four(b) : '–',
      ]);
    }
  }
  console.log(
    table(
      [
        'store',
        'entries',
        'load s',
        'p50 / p95 / p99 / max ms',
        'target p95',
        'right kind / day',
        'before, same run (now ÷ before p95)',
        'before: kind / day',
        'last committed',
        'fuse.js p50 / p95 / p99 / max ms (queries)',
        'fuse ÷ search p95',
        'fuse: kind',
      ],
      rows,
    ),
  );
  console.log('\nPer question shape (p50 / p95 / p99 / max ms):\n');
  console.log(table(['store', 'entries', 'shape', 'questions', 'now', 'before, same run'], shapeRows));
  console.log(
    `\n${BENCH_QUESTIONS.length} questions × ${rounds} rounds after a warm-up round, top 5 judged in the last round.`,
  );
  console.log(
    '"right kind": answers whose title is a kind that answers the question; "day": answers to a question that',
  );
  console.log(
    'asks for a day or a time with a session then. fuse.js: keys title/categories/description (weights 3/2/1),',
  );
  console.log('threshold 0.3, over every entry, every question once after a warm-up (it cannot read days).');
  if (!baseline)
    console.log(
      '(Set SEARCH_BENCH_BASELINE=<another checkout> to run its search side by side on the same catalogues.)',
    );
  if (!server) console.log('(Set BENCH_DATABASE_URL=postgresql://… to measure a PostgreSQL server at 50k too.)');
  if (process.env.SEARCH_BENCH_SAVE === '1') fs.writeFileSync(FIGURES_FILE, `${JSON.stringify(toSave, null, 2)}\n`);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Every question once more through a store whose statements are timed: per question, how many round trips the
 * search makes and what each costs (the first line of each statement, to tell them apart).
 */
async function traceStatements(store: Store, label: string): Promise<void> {
  let log: { ms: number; what: string }[] = [];
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>, what: (...args: A) => string) =>
    async (...args: A): Promise<R> => {
      const start = performance.now();
      try {
        return await fn(...args);
      } finally {
        log.push({ ms: performance.now() - start, what: what(...args) });
      }
    };
  const head = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 60);
  const sql = {
    ...store.sql,
    query: timed(store.sql.query.bind(store.sql), (text: string) => head(text)),
    queryWith: timed(
      store.sql.queryWith.bind(store.sql),
      (_s: Readonly<Record<string, string>>, text: string) => `[idx] ${head(text)}`,
    ),
  } as Store['sql'];
  const search = createDatabaseSearch({ sql, transaction: store.transaction.bind(store) });
  console.log(`\nStatements per question, ${label} (ms each):`);
  for (const { q } of BENCH_QUESTIONS) {
    log = [];
    const { ms } = await timeIt(() => search.search({ text: q, now: NOW, limit: 5 }));
    const inSql = log.reduce((a, b) => a + b.ms, 0);
    console.log(`  ${fmt(ms, 1).padStart(6)} ms, ${log.length} statements (${fmt(inSql, 1)} ms)  ${q}`);
    for (const l of log) console.log(`      ${fmt(l.ms, 1).padStart(6)}  ${l.what}`);
  }
}
