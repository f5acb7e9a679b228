import { fixedClock } from '../src/clock.ts';
import { createFeedRoutes, FEED_PATHS } from '../src/catalogue/feeds/catalogue-feeds.ts';
import { applyImport } from '../src/catalogue/ingest/apply-import.ts';
import { parseIcal } from '../src/catalogue/ingest/parse-ical.ts';
import { openStore } from '../src/db/open-store.ts';
import { createHttpServer, listen } from '../src/http-server.ts';
import { silentLogger } from '../src/logger.ts';
import { generateIcal } from './generate-ical.ts';
import { type Figure, fmt, median, percentile, table } from './stats.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

/** /feeds/catalogue.ics over 20,000 entries on loopback: first response, repeats (304 and cached 200), ten at once. */
export async function benchFeeds(): Promise<Figure[]> {
  const size = Number(process.env.BENCH_FEED_ENTRIES ?? 20_000);
  console.log(`\n## Public feeds (${fmt(size)} generated entries, embedded PGlite in memory, loopback)\n`);
  const store = await openStore({ kind: 'pglite', dir: null });
  const parsed = parseIcal(generateIcal(size, NOW), { now: NOW });
  await store.transaction((tx) => applyImport(tx, { name: 'bench', format: 'ical' }, parsed.entries, parsed.rejected, { now: NOW }));
  const server = createHttpServer(createFeedRoutes({ store, clock: fixedClock(NOW), logger: silentLogger, perClientPerMinute: 1_000_000 }), silentLogger);
  const base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  const rows: (string | number)[][] = [];
  const figures: Figure[] = [];
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  try {
    for (const [name, path] of [['iCalendar', FEED_PATHS.ical], ['ORUK page (50)', FEED_PATHS.oruk]] as const) {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      let etag = '';
      const first = await time(async () => {
        const res = await fetch(`${base}${path}`);
        etag = res.headers.get('etag') ?? '';
        await res.arrayBuffer();
      });
      clearInterval(sampler);
      const notModified: number[] = [];
      const cached: number[] = [];
      for (let i = 0; i < 20; i++) {
        notModified.push(await time(async () => (await fetch(`${base}${path}`, { headers: { 'if-none-match': etag } })).arrayBuffer()));
        cached.push(await time(async () => (await fetch(`${base}${path}`)).arrayBuffer()));
      }
      rows.push([
        name,
        fmt(first),
        fmt((peak - rssBefore) / 1048576),
        fmt(median(notModified), 1),
        fmt(percentile(notModified, 99), 1),
        fmt(median(cached), 1),
        fmt(percentile(cached, 99), 1),
        fmt(Math.max(...cached, ...notModified), 1),
      ]);
      const key = name.startsWith('iCalendar') ? 'ical' : 'oruk';
      figures.push({ name: `feeds ${key} first ms`, value: first }, { name: `feeds ${key} repeat p99 ms`, value: percentile([...cached, ...notModified], 99) });
    }
    // Ten at once on a cold cache: one render shared (a different filter, so nothing is cached yet).
    const ten = await time(() => Promise.all(Array.from({ length: 10 }, () => fetch(`${base}${FEED_PATHS.ical}?kind=activity`).then((r) => r.arrayBuffer()))));
    console.log(table(['feed', 'first ms', 'extra RSS MB (peak)', '304 p50 ms', '304 p99', 'cached 200 p50 ms', 'cached p99', 'repeat max'], rows));
    console.log(`\nTen concurrent first requests (one shared render): ${fmt(ten)} ms in all.`);
    console.log('Targets: first ≤ 2,000 ms with ≤ 150 MB extra; a repeat (304 or cached 200) ≤ 50 ms.');
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  }
  return figures;
}
