import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importSource } from '../src/catalogue/ingest/import-source.ts';
import { openStore, type Store } from '../src/db/open-store.ts';
import { silentLogger } from '../src/logger.ts';
import { fmt, median, table, timeIt } from './stats.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** A generated ORUK 3.0 service list: 40% weekly sessions, 15% monthly, 45% standing services with no dates. */
export function generateOruk(size: number): string {
  const contents = Array.from({ length: size }, (_, i) => {
    const weekly = i % 20 < 8;
    const monthly = !weekly && i % 20 < 11;
    return {
      id: `svc-${i}`,
      name: `Community group ${i}`,
      description: `<p>Friendly&nbsp;group number ${i} for <b>older people</b> in Camden.</p>`,
      status: 'active',
      organization: { id: `org-${i % 400}`, name: `Organisation ${i % 400}`, description: 'A Camden charity' },
      service_at_locations: [
        {
          id: `sal-${i}`,
          location: {
            id: `loc-${i % 900}`,
            location_type: 'physical',
            name: `Hall ${i % 900}`,
            addresses: [{ address_1: `${i % 900} High Street`, city: 'London', postal_code: 'NW5 2SP', country: 'GB', address_type: 'physical' }],
            accessibility: [{ description: 'Step-free access and a hearing loop' }],
          },
        },
      ],
      schedules: weekly
        ? [{ freq: 'WEEKLY', byday: DAYS[i % 6], opens_at: '10:00', closes_at: '12:00', dtstart: '2026-01-05' }]
        : monthly
          ? [{ freq: 'MONTHLY', byday: `${(i % 4) + 1}${DAYS[i % 6]}`, opens_at: '14:00', closes_at: '16:00' }]
          : [],
      cost_options: [{ amount: i % 3, currency: 'GBP' }],
      languages: [{ name: 'English' }],
      attributes: [{ taxonomy_term: { name: 'Social', taxonomy: 'esd' } }],
      contacts: [{ name: 'Reception', email: `staff${i}@partner.example` }],
    };
  });
  return JSON.stringify({ total_items: size, total_pages: 1, page_number: 1, size, first_page: true, last_page: true, empty: false, contents });
}

/**
 * ORUK import end to end (read, parse, expand schedules, one transaction) into a fresh embedded store (in a folder, as
 * `npm start` uses by default, and in memory), and into a PostgreSQL server too when `BENCH_DATABASE_URL` names one
 * (its tables are emptied first).
 */
export async function benchOrukImport(): Promise<void> {
  console.log('\n## ORUK 3.0 import (generated directory: 40% weekly, 15% monthly, 45% standing; 12-month horizon)\n');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-oruk-'));
  const server = process.env.BENCH_DATABASE_URL;
  const targets: { name: string; open: () => Promise<Store> }[] = [
    {
      name: 'embedded PGlite, folder (default)',
      open: () => openStore({ kind: 'pglite', dir: fs.mkdtempSync(path.join(dir, 'store-')) }),
    },
    { name: 'embedded PGlite, in memory', open: () => openStore({ kind: 'pglite', dir: null }) },
    ...(server
      ? [
          {
            name: 'PostgreSQL server',
            open: async () => {
              const store = await openStore({ kind: 'postgres', url: server });
              await store.sql.exec('TRUNCATE source CASCADE');
              return store;
            },
          },
        ]
      : []),
  ];
  const rows: (string | number)[][] = [];
  try {
    for (const size of [1_000, 10_000]) {
      const file = path.join(dir, `oruk-${size}.json`);
      fs.writeFileSync(file, generateOruk(size));
      for (const target of targets) {
        const times: number[] = [];
        let occurrences = 0;
        for (let r = 0; r < (size > 1_000 ? 3 : 5); r++) {
          const store = await target.open();
          const run = await timeIt(() => importSource(store, { input: file, now: NOW, source: 'bench' }, silentLogger));
          times.push(run.ms);
          occurrences = (await store.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM occurrence')).rows[0]!.n;
          await store.close();
          for (const f of fs.readdirSync(dir)) if (f.startsWith('store-')) fs.rmSync(path.join(dir, f), { recursive: true });
        }
        const ms = median(times);
        rows.push([target.name, fmt(size), fmt(occurrences), fmt(ms), fmt((size / ms) * 1000), size === 10_000 ? (ms < 10_000 ? 'yes' : 'NO') : '']);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(table(['store', 'services', 'occurrences', 'end to end ms (median)', 'services/s', 'under 10 s'], rows));
  if (!server) console.log('(Set BENCH_DATABASE_URL=postgresql://… to measure a PostgreSQL server too.)');
}
