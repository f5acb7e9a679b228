import type { DeliveryTarget, Notifier } from '../src/bots/core/ports.ts';
import { DeliveryError } from '../src/bots/core/ports.ts';
import { openStore } from '../src/db/open-store.ts';
import { silentLogger } from '../src/logger.ts';
import { createDeliveryQueue } from '../src/scheduler/delivery-queue.ts';
import { digestWindow, latestSlot } from '../src/scheduler/digest-schedule.ts';
import { composeDigest } from '../src/scheduler/run-due-digests.ts';
import { type DigestCandidate, prepareCandidates } from '../src/scheduler/select-digest-items.ts';
import type { Subscription } from '../src/scheduler/subscriptions.ts';
import { loadDigestCandidates } from '../src/scheduler/digest-queries.ts';
import { generateCatalogue } from './search.ts';
import { type Figure, fmt, table } from './stats.ts';

const NOW = new Date('2027-03-22T09:00:00Z');
/** The generated store catalogue's sessions start the week of this Monday. */
const CATALOGUE_NOW = new Date('2026-11-23T09:00:00Z');
const WARDS = [
  'Kilburn',
  'Kentish Town North',
  'Camden Town',
  'Highgate',
  'Holborn & Covent Garden',
  'Hampstead Town',
  'Gospel Oak',
  'Regent’s Park',
];
const CATEGORIES = [
  'lunch club',
  'walking group',
  'arts',
  'digital skills',
  'befriending',
  'exercise',
  'advice',
  'carers',
];
const AUDIENCES = ['older_people', 'carers', 'men', 'women', 'everyone', 'young_people'];

/** A deterministic 50k-entry catalogue: weekly regulars, one-off events and new listings. */
function catalogue(size: number): DigestCandidate[] {
  const out: DigestCandidate[] = [];
  const day = 86_400_000;
  for (let i = 0; i < size; i++) {
    const weekly = i % 3 !== 0;
    const first = NOW.getTime() + ((i * 7919) % (7 * day));
    out.push({
      id: `e${i}`,
      kind: i % 10 === 0 ? 'training' : i % 17 === 0 ? 'resource' : 'activity',
      title: `Entry ${i} ${CATEGORIES[i % CATEGORIES.length]}`,
      organisation: `Org ${i % 400}`,
      venue: `Venue ${i % 900}`,
      ward: WARDS[i % WARDS.length]!,
      categories: [CATEGORIES[i % CATEGORIES.length]!, CATEGORIES[(i * 3) % CATEGORIES.length]!],
      audiences: [AUDIENCES[i % AUDIENCES.length]!],
      cost: i % 2 ? 'Free' : '£3',
      url: null,
      createdAt: new Date(NOW.getTime() - ((i * 104729) % (30 * day))),
      isDemo: false,
      starts: weekly ? [first] : i % 5 === 0 ? [first, first + day] : [],
    });
  }
  return out;
}

function subscription(i: number): Subscription {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    platform: 'slack',
    channelRef: `C${i}`,
    workspace: 'T1',
    schedule: '0 9 * * 1',
    whenText: 'weekly mon 09:00',
    timezone: 'Europe/London',
    filters: {
      wards: i % 2 ? [WARDS[i % WARDS.length]!] : [],
      categories: i % 3 === 0 ? [CATEGORIES[i % CATEGORIES.length]!] : [],
      audiences: i % 5 === 0 ? [AUDIENCES[i % AUDIENCES.length]!] : [],
      kinds: i % 7 === 0 ? ['training'] : [],
    },
    mode: (['new', 'highlights', 'both'] as const)[i % 3]!,
    checks: false,
    checksWeek: null,
    createdBy: 'bench',
    active: true,
    createdAt: new Date('2027-01-01T00:00:00Z'),
    lastRunAt: null,
    lastPeriod: null,
    lastSentAt: null,
    consecutiveFailures: 0,
    lastError: null,
    lastErrorAt: null,
  };
}

/** Digests: building 1,000 channel digests from a 50k catalogue (CPU), and delivering 1,000 under Slack's 300/min. */
export async function benchDigests(): Promise<Figure[]> {
  console.log('\n## Digests\n');
  const candidates = catalogue(50_000);
  const subs = Array.from({ length: 1_000 }, (_, i) => subscription(i));
  const slot = latestSlot('0 9 * * 1', NOW)!;
  const window = digestWindow('0 9 * * 1', slot, null);
  const cpuRuns: number[] = [];
  let items = 0;
  for (let r = 0; r < 3; r++) {
    const before = process.cpuUsage();
    items = 0;
    // Preparing the shared catalogue is part of the cost: it happens once per window and run.
    const prepared = prepareCandidates(candidates, window);
    for (const sub of subs) items += composeDigest(sub, slot, false, window, prepared).items;
    const used = process.cpuUsage(before);
    cpuRuns.push((used.user + used.system) / 1000);
  }
  const cpuMs = [...cpuRuns].sort((a, b) => a - b)[1]!;

  // The same 1,000 digests as the scheduler builds them: loading the candidates from a 50,000-entry embedded store
  // (one query per window), then composing. Wall time, so the query counts as it does in production.
  const loaded = await openStore({ kind: 'pglite', dir: null });
  await generateCatalogue(loaded, 50_000);
  const storeSlot = latestSlot('0 9 * * 1', CATALOGUE_NOW)!;
  const storeWindow = digestWindow('0 9 * * 1', storeSlot, null);
  const loadRuns: number[] = [];
  let loadedItems = 0;
  let loadedCandidates = 0;
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    const found = await loadDigestCandidates(loaded.sql, {
      newSince: storeWindow.newSince,
      newUntil: storeWindow.newUntil,
      from: storeWindow.highlightsFrom,
      to: storeWindow.highlightsTo,
    });
    const prepared = prepareCandidates(found, storeWindow);
    loadedItems = 0;
    for (const sub of subs) loadedItems += composeDigest(sub, storeSlot, false, storeWindow, prepared).items;
    loadRuns.push(performance.now() - start);
    loadedCandidates = found.length;
  }
  await loaded.close();
  const loadMs = [...loadRuns].sort((a, b) => a - b)[1]!;

  // Delivery: 1,000 digests queued in the database for one Slack workspace; the fake Slack answers 429 (Retry-After
  // 30 s) whenever more than 300 posts land in a rolling minute. Time is simulated: sleeps move a fake clock.
  const store = await openStore({ kind: 'pglite', dir: null });
  let t = NOW.getTime();
  const clock = { now: () => new Date(t) };
  const sleep = async (ms: number) => {
    t += ms;
  };
  for (let i = 0; i < 1_000; i += 250) {
    await store.transaction(async (tx) => {
      for (let j = i; j < i + 250; j++) {
        await tx.query(
          `INSERT INTO delivery_item (dedupe_key, kind, platform, channel_ref, workspace, reply, next_attempt_at, created_at)
           VALUES ($1, 'digest', 'slack', $2, 'T1', $3::jsonb, $4, $4)`,
          [`bench:${j}`, `C${j}`, JSON.stringify({ fallbackText: `digest ${j}`, blocks: [] }), new Date(t)],
        );
      }
    });
  }
  const accepted: number[] = [];
  const received = new Map<string, number>();
  let refused = 0;
  const slack: Notifier = {
    platform: 'slack',
    async post(target: DeliveryTarget) {
      const recent = accepted.filter((a) => a > t - 60_000).length;
      if (recent >= 300) {
        refused += 1;
        throw new DeliveryError('Slack rate limit', true, 30_000);
      }
      accepted.push(t);
      received.set(target.channelRef, (received.get(target.channelRef) ?? 0) + 1);
    },
  };
  const queue = createDeliveryQueue({ store, clock, logger: silentLogger, notifiers: { slack }, sleep });
  const started = t;
  const wall = performance.now();
  await queue.drain({ maxWaitMs: 3_600_000 });
  const wallMs = performance.now() - wall;
  const simulatedMin = (t - started) / 60_000;
  const duplicates = [...received.values()].filter((n) => n > 1).length;
  const lost = 1_000 - received.size;
  let maxPerMinute = 0;
  for (const a of accepted)
    maxPerMinute = Math.max(maxPerMinute, accepted.filter((b) => b >= a && b < a + 60_000).length);
  await store.close();

  console.log(
    table(
      ['what', 'figure', 'target'],
      [
        ['build 1,000 digests from 50,000 entries (CPU, median of 3)', `${fmt(cpuMs)} ms`, '≤ 1,000 ms'],
        [
          `load ${fmt(loadedCandidates)} candidates from a 50,000-entry store and build 1,000 digests (median / max of 3)`,
          `${fmt(loadMs)} / ${fmt(Math.max(...loadRuns))} ms`,
          '',
        ],
        ['  items listed across those digests', fmt(loadedItems), ''],
        ['items listed across the 1,000 digests', fmt(items), ''],
        [
          'deliver 1,000 Slack digests, one workspace: simulated time',
          `${fmt(simulatedMin, 1)} min`,
          '≈ 3.3 min at 300/min',
        ],
        ['  most posts in any 60 s', fmt(maxPerMinute), '≤ 300'],
        ['  429s received (fake Slack)', fmt(refused), ''],
        ['  lost / duplicated', `${lost} / ${duplicates}`, '0 / 0'],
        ['  real time for the drain (PGlite)', `${fmt(wallMs / 1000, 1)} s`, ''],
      ],
    ),
  );
  return [
    { name: 'digests build 1,000 (CPU) ms', value: cpuMs },
    { name: 'digests load candidates + build 1,000 ms', value: loadMs },
    { name: 'digests load candidates + build 1,000 max ms', value: Math.max(...loadRuns) },
    { name: 'digests drain 1,000 wall s', value: wallMs / 1000 },
  ];
}
