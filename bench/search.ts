import Fuse from 'fuse.js';
import { AREAS } from '../src/catalogue/geography/camden.ts';
import { createDatabaseSearch } from '../src/catalogue/search/database-search.ts';
import { openStore, type Store } from '../src/db/open-store.ts';
import { fmt, median, percentile, table, timeIt } from './stats.ts';

const NOW = new Date('2026-11-23T09:00:00Z');

/** Fixed staff questions: places, days, typos, synonyms, postcodes, training, resources and a word nothing has. */
export const BENCH_QUERIES = [
  'lunch club in Kilburn on Tuesdays',
  'free lunch club near Kentish Town on Tuesdays, step-free',
  'dementa cafe this week',
  'memory cafe',
  'befreinding by phone',
  'telephone befriending for an older man',
  'seated excercise for over 60s',
  'chair exercise in Camden Town',
  'tai chi saturday morning',
  'health walk in Hampstead',
  'digital skills help with the NHS app',
  'carers coffee morning',
  'dementia carers support group in the evening',
  'mens shed woodwork',
  'knit and natter',
  'free gardening group',
  'bereavment group for a widow',
  "something for a Bengali-speaking man who's lonely",
  'somali women group',
  'irish pensioners in kilburn',
  'caribbean luncheon club',
  'cantonese speaking elders',
  'deaf social club BSL',
  'LGBTQ over 50s',
  'LD social club friday evening',
  'parent and baby group',
  'youth club in Gospel Oak',
  'english conversation esol',
  'singing for wellbeing',
  'art for anxiety',
  'benefits advice pension credit',
  'MH peer support in NW5',
  'games afternoon with bingo',
  'film club afternoon',
  'reading group',
  'cook and eat together',
  'MHFA course next week',
  'MECC training online',
  'loneliness toolkit',
  'zumba in Kilburn',
  'something in NW6 2JH on Friday morning',
  'quiet bereavement support',
];

type Topic = { title: string; categories: string[]; audiences: string[]; kind: string; description: string };

const T = (title: string, categories: string[], audiences: string[], description: string, kind = 'activity'): Topic => ({
  title,
  categories,
  audiences,
  kind,
  description,
});

const TOPICS: Topic[] = [
  T('Lunch Club', ['lunch club', 'social', 'food'], ['older_people'], 'A friendly two-course hot lunch with tea, a chat and bingo.'),
  T('Community Lunch', ['lunch club', 'food'], ['everyone'], 'Home-cooked community lunch prepared by local volunteers.'),
  T('Telephone Befriending', ['befriending', 'social'], ['older_people'], 'A trained volunteer rings once a week for a chat.'),
  T('Home Visiting', ['befriending'], ['older_people'], 'A local volunteer visits at home each week for tea and a chat.'),
  T('Health Walk', ['walking', 'exercise'], ['everyone'], 'A gentle, led walk of about an hour at an easy pace.'),
  T('Seated Exercise', ['exercise', 'falls prevention'], ['older_people'], 'Chair-based exercise to music for strength and balance.'),
  T('Tai Chi for Beginners', ['exercise', 'tai chi'], ['everyone'], 'Slow, flowing tai chi movements to improve balance.'),
  T('Chair Yoga', ['exercise', 'yoga', 'mental health'], ['everyone'], 'Gentle seated yoga, breathing and relaxation.'),
  T('Digital Skills Drop-in', ['digital skills'], ['everyone'], 'Help with phones, tablets, video calls and the NHS App.'),
  T("Carers' Coffee Morning", ['carers', 'social'], ['carers'], 'Time out for unpaid carers with coffee and advice.'),
  T("Dementia Carers' Support Group", ['carers', 'dementia'], ['carers'], 'Peer support for people caring for someone with dementia.'),
  T('Memory Café', ['dementia', 'social'], ['older_people', 'carers'], 'A relaxed café for people living with dementia and carers.'),
  T("Men's Shed", ['social', 'crafts', 'men'], ['men'], 'Woodwork, bike repair and chat, shoulder to shoulder.'),
  T('Knit and Natter', ['crafts', 'social'], ['everyone'], 'Bring your knitting or learn from scratch; tea provided.'),
  T('Community Gardening Group', ['gardening', 'outdoors'], ['everyone'], 'Grow vegetables and flowers together in raised beds.'),
  T('Coffee Morning', ['social', 'warm space'], ['everyone'], 'A warm space for a hot drink and a chat with neighbours.'),
  T('Bereavement Support Group', ['bereavement', 'mental health'], ['everyone'], 'A small group for adults who have lost someone close.'),
  T("Bengali Elders' Lunch", ['lunch club', 'culturally specific'], ['older_people', 'ethnic_minorities'], 'Lunch and conversation in Bengali and Sylheti.'),
  T('Somali Community Wellbeing Group', ['social', 'advice'], ['ethnic_minorities'], 'Tea and practical help in Somali.'),
  T("Irish Pensioners' Social", ['social', 'music'], ['older_people'], 'Tea, music and a sing-song for Irish pensioners.'),
  T("Caribbean Elders' Luncheon Club", ['lunch club', 'social'], ['older_people', 'ethnic_minorities'], 'Caribbean food and dominoes.'),
  T("Chinese Elders' Social", ['social', 'exercise'], ['older_people', 'ethnic_minorities'], 'Tai chi and mahjong, in Cantonese.'),
  T('Deaf Social Club', ['social', 'deaf'], ['everyone'], 'A social evening run in British Sign Language.'),
  T('LGBTQ+ Over-50s Social', ['social', 'lgbtq+'], ['lgbtq', 'older_people'], 'A friendly social group for LGBTQ+ people over 50.'),
  T('Friday Friends Social Club', ['social', 'learning disabilities'], ['learning_disabilities'], 'Music, games and friends for adults with learning disabilities.'),
  T('Parent and Baby Group', ['parents', 'children'], ['parents_of_young_children'], 'Songs and play for parents of babies.'),
  T('Youth Club', ['youth', 'sport'], ['young_people'], 'Open-access youth club with sport and music.'),
  T('English Conversation Club', ['esol', 'language'], ['everyone'], 'Practise spoken English with volunteers.'),
  T('Singing for Wellbeing', ['music', 'mental health'], ['everyone'], 'A no-audition community choir.'),
  T('Art for Wellbeing', ['arts', 'mental health'], ['everyone'], 'Relaxed drawing and painting sessions.'),
  T('Benefits and Money Advice', ['advice', 'cost of living'], ['everyone'], 'Help with Pension Credit, bills and forms.'),
  T('Mental Health Peer Support Group', ['mental health', 'peer support'], ['everyone'], 'Peer-led support for anxiety and depression.'),
  T('Games Afternoon', ['social', 'games'], ['everyone'], 'Board games, dominoes and bingo.'),
  T('Afternoon Film Club', ['social', 'film'], ['older_people'], 'Films with subtitles and tea.'),
  T('Reading Group', ['social', 'reading'], ['everyone'], 'One book a month; large print available.'),
  T('Cook and Eat Together', ['food', 'cooking'], ['older_people', 'men'], 'Learn simple, cheap meals and eat together.'),
  T('Mental Health First Aid', ['training', 'mental health'], ['everyone'], 'Accredited two-day course for staff.', 'training'),
  T('Making Every Contact Count (MECC)', ['training', 'mecc'], ['everyone'], 'Brief conversations about health.', 'training'),
  T('Tackling Loneliness toolkit', ['loneliness', 'toolkit'], ['everyone'], 'Conversation prompts and a loneliness check.', 'resource'),
  T('Suicide Prevention Awareness', ['training', 'suicide prevention'], ['everyone'], 'Asking directly and safely.', 'training'),
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
    SELECT setseed(0.42);`);
  const source = await sql.query<{ id: string }>(`INSERT INTO source (name, format) VALUES ('bench', 'manual') RETURNING id`);
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
  // Four weekly sessions for seven in ten activities and training courses, at varied days and times.
  await sql.query(
    `INSERT INTO occurrence (service_id, key, start, "end", status)
     SELECT s.id, k::text, start, start + interval '2 hours', CASE WHEN (s.rn + k) % 17 = 0 THEN 'cancelled' ELSE 'scheduled' END
     FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM service WHERE source_id = $1 AND kind <> 'resource') s
     CROSS JOIN generate_series(0, 3) k
     CROSS JOIN LATERAL (SELECT $2::timestamptz + make_interval(days => (s.rn % 7)::int + k * 7, hours => 1 + (s.rn % 10)::int) AS start) x
     WHERE s.rn % 10 < 7`,
    [sourceId, new Date('2026-11-23T08:00:00Z')],
  );
  // What the importer keeps up to date after writing sessions.
  await sql.query(
    `UPDATE service s SET has_sessions = true, sessions_until = x.until
     FROM (SELECT service_id, max("end") FILTER (WHERE status <> 'cancelled') AS until FROM occurrence GROUP BY service_id) x
     WHERE x.service_id = s.id`,
  );
  await sql.exec(`CREATE INDEX service_search_vector_idx ON service USING GIN (search_vector);
    CREATE INDEX service_name_trgm_idx ON service USING GIN (name gin_trgm_ops);
    ANALYZE;`);
}

type Figures = { p50: number; p95: number; max: number; n: number };

async function measure(fn: (q: string) => Promise<unknown> | unknown, queries: string[], rounds: number): Promise<Figures> {
  for (const q of queries) await fn(q); // warm-up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) for (const q of queries) times.push((await timeIt(() => fn(q))).ms);
  return { p50: median(times), p95: percentile(times, 95), max: Math.max(...times), n: times.length };
}

/**
 * The same figures measured before words began to count on their own (thesaurus, one text configuration, field
 * matches): the README's table of November 2026, on this machine, for the side-by-side column.
 */
const BEFORE_P95: Record<number, number> = { 5_000: 20, 50_000: 32, 200_000: 64 };

/**
 * Search latency on the embedded store at 5k, 50k and 200k entries (and on a PostgreSQL server at 50k when
 * BENCH_DATABASE_URL names one), beside fuse.js over the whole catalogue and the figures from before.
 */
export async function benchSearch(): Promise<void> {
  console.log('\n## Search (generated catalogues, top 5, end to end: parse + SQL + re-rank)\n');
  const sizes = (process.env.SEARCH_BENCH_SIZES ?? '5000,50000,200000').split(',').map(Number);
  const server = process.env.BENCH_DATABASE_URL;
  const fuseQueries: Record<number, number> = { 5_000: BENCH_QUERIES.length, 50_000: 10, 200_000: 4 };
  const targets: Record<string, number> = { 'pglite 5000': 20, 'pglite 50000': 30, 'pglite 200000': 60, 'postgres 50000': 15 };
  const runs: { kind: 'pglite' | 'postgres'; size: number }[] = [
    ...sizes.map((size) => ({ kind: 'pglite' as const, size })),
    ...(server && sizes.includes(50_000) ? [{ kind: 'postgres' as const, size: 50_000 }] : []),
  ];
  const rows: (string | number)[][] = [];
  for (const { kind, size } of runs) {
    const store = kind === 'pglite' ? await openStore({ kind: 'pglite', dir: null }) : await openStore({ kind: 'postgres', url: server! });
    if (kind === 'postgres') await store.sql.exec('TRUNCATE source CASCADE');
    const load = await timeIt(() => generateCatalogue(store, size));
    const search = createDatabaseSearch(store);
    const db = await measure((q) => search.search({ text: q, now: NOW, limit: 5 }), BENCH_QUERIES, 2);

    let fuseCell = '–';
    let ratioCell = '–';
    if (kind === 'pglite') {
      const { rows: records } = await store.sql.query<{ title: string; categories: string; description: string }>(
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
      const fq = BENCH_QUERIES.slice(0, fuseQueries[size] ?? 4);
      const baseline = await measure((q) => fuse.search(q, { limit: 5 }), fq, 1);
      fuseCell = `${fmt(baseline.p50, 0)} / ${fmt(baseline.p95, 0)} (${baseline.n})`;
      ratioCell = `${fmt(baseline.p50 / db.p50, 1)}x / ${fmt(baseline.p95 / db.p95, 1)}x`;
    }
    if (kind === 'postgres') await store.sql.exec('TRUNCATE source CASCADE');
    await store.close();
    const before = kind === 'pglite' ? BEFORE_P95[size] : undefined;
    rows.push([
      kind === 'pglite' ? 'PGlite' : 'PostgreSQL',
      fmt(size),
      fmt(load.ms / 1000, 1),
      fmt(db.p50, 1),
      fmt(db.p95, 1),
      fmt(db.max, 1),
      `≤ ${targets[`${kind} ${size}`] ?? '–'}`,
      before === undefined ? '–' : `${before} (×${fmt(db.p95 / before, 2)})`,
      fuseCell,
      ratioCell,
    ]);
  }
  console.log(
    table(
      ['store', 'entries', 'load s', 'p50 ms', 'p95 ms', 'max ms', 'target p95', 'p95 before (now ÷ before)', 'fuse.js p50 / p95 ms (queries)', 'fuse ÷ search'],
      rows,
    ),
  );
  console.log(`\n${BENCH_QUERIES.length} queries (typos, synonyms, places, postcodes, days) × 2 rounds after a warm-up round.`);
  console.log('fuse.js baseline: keys title/categories/description (weights 3/2/1), threshold 0.3, over every entry;');
  console.log('it runs a subset of the queries at 50k and 200k (it scans the whole catalogue per query).');
  if (!server) console.log('(Set BENCH_DATABASE_URL=postgresql://… to measure a PostgreSQL server at 50k too.)');
}
