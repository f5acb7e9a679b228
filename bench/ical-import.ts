import { applyImport } from '../src/catalogue/ingest/apply-import.ts';
import { parseIcal } from '../src/catalogue/ingest/parse-ical.ts';
import { openStore, type Store } from '../src/db/open-store.ts';
import { generateIcal } from './generate-ical.ts';
import { openThrowawayDatabase } from './server-db.ts';
import { type Figure, fmt, median, table, timeIt } from './stats.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

/**
 * iCalendar import: parse + expand alone, and end to end (parse, expand, one transaction) into a fresh embedded store,
 * and into a fresh PostgreSQL database when BENCH_DATABASE_URL names a server.
 */
export async function benchIcalImport(): Promise<Figure[]> {
  console.log('\n## iCalendar import (generated feeds, 30% recurring; 12-month horizon)\n');
  const sizes = [1_000, 10_000, 50_000];
  const runs: Record<number, number> = { 1_000: 5, 10_000: 3, 50_000: 2 };
  const server = process.env.BENCH_DATABASE_URL;
  const stores: { name: string; open(): Promise<{ store: Store; drop(): Promise<void> }> }[] = [
    {
      name: 'pglite',
      open: async () => ({ store: await openStore({ kind: 'pglite', dir: null }), drop: async () => {} }),
    },
    ...(server ? [{ name: 'postgres', open: () => openThrowawayDatabase(server) }] : []),
  ];
  const rows: (string | number)[][] = [];
  const figures: Figure[] = [];
  const parseMs: Record<number, number> = {};
  const totalMs: Record<string, number> = {};
  for (const size of sizes) {
    const text = generateIcal(size, NOW);
    const parseTimes: number[] = [];
    let occurrences = 0;
    for (let r = 0; r < runs[size]!; r++) {
      const parsed = await timeIt(() => parseIcal(text, { now: NOW }));
      parseTimes.push(parsed.ms);
      occurrences = parsed.value.entries.reduce((n, e) => n + (e.occurrences?.length ?? 0), 0);
    }
    parseMs[size] = median(parseTimes);
    for (const target of stores) {
      const importTimes: number[] = [];
      for (let r = 0; r < runs[size]!; r++) {
        const { store, drop } = await target.open();
        try {
          const total = await timeIt(async () => {
            const p = parseIcal(text, { now: NOW });
            return store.transaction((tx) =>
              applyImport(tx, { name: 'bench', format: 'ical' }, p.entries, p.rejected, { now: NOW }),
            );
          });
          importTimes.push(total.ms);
        } finally {
          await store.close();
          await drop();
        }
      }
      const ms = median(importTimes);
      totalMs[`${target.name}:${size}`] = ms;
      rows.push([
        target.name,
        fmt(size),
        fmt(occurrences),
        fmt(parseMs[size]!),
        fmt((size / parseMs[size]!) * 1000),
        fmt(ms),
        fmt((size / ms) * 1000),
      ]);
      if (size >= 10_000)
        figures.push({
          name: `ical ${target.name} ${size / 1000}k VEVENTs/s`,
          value: (size / ms) * 1000,
          higherIsBetter: true,
        });
    }
  }
  console.log(
    table(['store', 'VEVENTs', 'occurrences', 'parse ms', 'parse VEVENTs/s', 'import ms', 'import VEVENTs/s'], rows),
  );
  console.log(
    `\n10k→50k time ratio (target ≤ 5.5; 5x the events): parse+expand ${fmt(parseMs[50_000]! / parseMs[10_000]!, 2)}`,
  );
  for (const target of stores) {
    const ratio = totalMs[`${target.name}:50000`]! / totalMs[`${target.name}:10000`]!;
    console.log(`  end-to-end import on ${target.name}: ${fmt(ratio, 2)}`);
    figures.push({ name: `ical ${target.name} 10k→50k time ratio`, value: ratio });
  }
  console.log('Target: ≥ 5,000 VEVENTs/s end to end on both stores.');
  return figures;
}
