import http from 'node:http';
import os from 'node:os';
import { fixedClock } from '../src/clock.ts';
import { createFeedRoutes, FEED_PATHS } from '../src/catalogue/feeds/catalogue-feeds.ts';
import { applyImport } from '../src/catalogue/ingest/apply-import.ts';
import { parseIcal } from '../src/catalogue/ingest/parse-ical.ts';
import { openStore } from '../src/db/open-store.ts';
import { createHttpServer, listen } from '../src/http-server.ts';
import { type Logger, silentLogger } from '../src/logger.ts';
import { generateIcal } from './generate-ical.ts';
import { type Figure, fmt, median, percentile, table } from './stats.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

type Fetched = { status: number; firstByte: number; done: number; bytes: number; etag: string };

/** One GET on loopback, timed to its first body byte and to its end (the body is read and dropped). */
function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let firstByte = Number.NaN;
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          if (Number.isNaN(firstByte)) firstByte = performance.now() - start;
          bytes += chunk.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            firstByte: Number.isNaN(firstByte) ? performance.now() - start : firstByte,
            done: performance.now() - start,
            bytes,
            etag: String(res.headers.etag ?? ''),
          }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/**
 * /feeds/catalogue.ics over 20,000 entries on loopback: the first response (to its first byte and its end, with the
 * CPU it took, so a busy machine can be told from a slow render), the extra memory at its peak, repeats (304 and a
 * 200 from the gzipped copy), ten at once on a cold cache, and one ORUK page.
 */
export async function benchFeeds(): Promise<Figure[]> {
  const size = Number(process.env.BENCH_FEED_ENTRIES ?? 20_000);
  console.log(`\n## Public feeds (${fmt(size)} generated entries, embedded PGlite in memory, loopback)\n`);
  const store = await openStore({ kind: 'pglite', dir: null });
  const parsed = parseIcal(generateIcal(size, NOW), { now: NOW });
  await store.transaction((tx) =>
    applyImport(tx, { name: 'bench', format: 'ical' }, parsed.entries, parsed.rejected, { now: NOW }),
  );
  // Renders are counted from the routes' own log line.
  let renders = 0;
  const logger: Logger = {
    ...silentLogger,
    debug: (msg) => void (msg === 'feed rendered' && renders++),
    child: () => logger,
  };
  const server = createHttpServer(
    createFeedRoutes({ store, clock: fixedClock(NOW), logger, perClientPerMinute: 1_000_000 }),
    logger,
  );
  const base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  const gzip = { 'accept-encoding': 'gzip' };
  const figures: Figure[] = [];
  try {
    const rows: (string | number)[][] = [];
    for (const [name, path] of [
      ['iCalendar', FEED_PATHS.ical],
      ['ORUK page (50)', FEED_PATHS.oruk],
    ] as const) {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const cpuBefore = cpuMs();
      const first = await get(`${base}${path}`, gzip);
      const cpu = cpuMs() - cpuBefore;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      // A 304 after the stamp's two-second reuse: one aggregate query over the matching entries.
      const afterReuse: number[] = [];
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 2_100));
        afterReuse.push((await get(`${base}${path}`, { ...gzip, 'if-none-match': first.etag })).done);
      }
      const notModified: number[] = [];
      const cached: number[] = [];
      const plain: number[] = [];
      for (let i = 0; i < 20; i++) {
        notModified.push((await get(`${base}${path}`, { ...gzip, 'if-none-match': first.etag })).done);
        cached.push((await get(`${base}${path}`, gzip)).done);
        if (i < 5) plain.push((await get(`${base}${path}`)).done);
      }
      rows.push([
        name,
        fmt(first.firstByte),
        fmt(first.done),
        fmt(cpu),
        fmt((peak - rssBefore) / 1048576),
        fmt(first.bytes / 1024),
        fmt(median(afterReuse), 1),
        fmt(median(notModified), 1),
        fmt(median(cached), 1),
        fmt(median(plain), 1),
      ]);
      const key = name.startsWith('iCalendar') ? 'ical' : 'oruk';
      const repeats = [...cached, ...notModified];
      figures.push(
        { name: `feeds ${key} first ms`, value: first.done },
        { name: `feeds ${key} repeat p99 ms`, value: percentile(repeats, 99) },
        { name: `feeds ${key} repeat max ms`, value: Math.max(...repeats) },
      );
    }
    console.log(
      table(
        [
          'feed',
          'first byte ms',
          'first whole ms',
          'its CPU ms',
          'extra RSS MB (peak)',
          'gzipped KB',
          '304 (query) p50 ms',
          '304 p50 ms',
          'cached 200 p50 ms',
          'unzipped 200 p50 ms',
        ],
        rows,
      ),
    );

    // Ten at once on a cold cache (a filter not asked for yet): they share one render.
    const before = renders;
    const start = performance.now();
    const ten = await Promise.all(
      Array.from({ length: 10 }, (_, i) => get(`${base}${FEED_PATHS.ical}?kind=activity`, i % 2 ? gzip : {})),
    );
    const all = performance.now() - start;
    const statuses = new Set(ten.map((r) => r.status));
    console.log(
      `\nTen concurrent first requests (half without gzip): ${fmt(all)} ms for all ten, slowest first byte ${fmt(Math.max(...ten.map((r) => r.firstByte)))} ms, ` +
        `${renders - before} render(s), statuses ${[...statuses].join(', ')}.`,
    );
    console.log(
      'Targets: first ≤ 2,000 ms with ≤ 150 MB extra; a repeat (304 or cached 200) ≤ 50 ms; ten at once share one render.',
    );
    console.log(
      `Machine load while measuring: ${fmt(os.loadavg()[0] ?? 0, 1)} (1-minute average) on ${os.cpus().length} cores.`,
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  }
  return figures;
}
