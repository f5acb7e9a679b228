import { applyImport } from '../src/catalogue/ingest/apply-import.ts';
import { parseIcal } from '../src/catalogue/ingest/parse-ical.ts';
import { openStore } from '../src/db/open-store.ts';
import { generateIcal } from './generate-ical.ts';
import { fmt, median, table, timeIt } from './stats.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

/** iCalendar import: parse + expand alone, and end to end into a fresh embedded store (one transaction). */
export async function benchIcalImport(): Promise<void> {
  console.log('\n## iCalendar import (generated feeds, 30% recurring; 12-month horizon)\n');
  const sizes = [1_000, 10_000, 50_000];
  const runs: Record<number, number> = { 1_000: 5, 10_000: 3, 50_000: 2 };
  const rows: (string | number)[][] = [];
  const parseMs: Record<number, number> = {};
  const totalMs: Record<number, number> = {};
  for (const size of sizes) {
    const text = generateIcal(size, NOW);
    const parseTimes: number[] = [];
    const importTimes: number[] = [];
    let occurrences = 0;
    for (let r = 0; r < runs[size]!; r++) {
      const parsed = await timeIt(() => parseIcal(text, { now: NOW }));
      parseTimes.push(parsed.ms);
      occurrences = parsed.value.entries.reduce((n, e) => n + (e.occurrences?.length ?? 0), 0);
      const store = await openStore({ kind: 'pglite', dir: null });
      const total = await timeIt(async () => {
        const p = parseIcal(text, { now: NOW });
        return store.transaction((tx) => applyImport(tx, { name: 'bench', format: 'ical' }, p.entries, p.rejected, { now: NOW }));
      });
      importTimes.push(total.ms);
      await store.close();
    }
    parseMs[size] = median(parseTimes);
    totalMs[size] = median(importTimes);
    rows.push([
      fmt(size),
      fmt(occurrences),
      fmt(parseMs[size]!),
      fmt((size / parseMs[size]!) * 1000),
      fmt(totalMs[size]!),
      fmt((size / totalMs[size]!) * 1000),
    ]);
  }
  console.log(
    table(['VEVENTs', 'occurrences', 'parse ms', 'parse VEVENTs/s', 'import ms', 'import VEVENTs/s'], rows),
  );
  console.log(
    `\n10k→50k time ratio: parse+expand ${fmt(parseMs[50_000]! / parseMs[10_000]!, 2)}, ` +
      `end-to-end import ${fmt(totalMs[50_000]! / totalMs[10_000]!, 2)} (target ≤ 5.5; 5x the events)`,
  );
  console.log('Target: ≥ 10,000 VEVENTs/s.');
}
