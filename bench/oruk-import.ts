import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../src/db/open-store.ts';
import { openThrowawayDatabase } from './server-db.ts';
import { type Figure, fmt, median, table } from './stats.ts';

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
            addresses: [
              {
                address_1: `${i % 900} High Street`,
                city: 'London',
                postal_code: 'NW5 2SP',
                country: 'GB',
                address_type: 'physical',
              },
            ],
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
  return JSON.stringify({
    total_items: size,
    total_pages: 1,
    page_number: 1,
    size,
    first_page: true,
    last_page: true,
    empty: false,
    contents,
  });
}

/**
 * ORUK import end to end as a user runs it: `signpost import <file> --format hsds` in a new process (start-up, read,
 * parse, expand schedules, one transaction), into a fresh embedded store in a folder (as `npm start` uses by default),
 * and into a fresh PostgreSQL database too when `BENCH_DATABASE_URL` names a server.
 */
export async function benchOrukImport(): Promise<Figure[]> {
  console.log(
    '\n## ORUK 3.0 import (generated directory: 40% weekly, 15% monthly, 45% standing; 12-month horizon), command start-up included\n',
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-oruk-'));
  const server = process.env.BENCH_DATABASE_URL;
  type Target = { url: string; count(): Promise<number>; done(): Promise<void> };
  const countIn = async (store: Store) =>
    (await store.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM occurrence')).rows[0]!.n;
  const targets: { name: string; open: () => Promise<Target> }[] = [
    {
      name: 'embedded PGlite, folder (default)',
      open: async () => {
        const folder = fs.mkdtempSync(path.join(dir, 'store-'));
        return {
          url: `pglite:${folder}`,
          async count() {
            const store = await openStore({ kind: 'pglite', dir: folder });
            try {
              return await countIn(store);
            } finally {
              await store.close();
            }
          },
          done: async () => fs.rmSync(folder, { recursive: true, force: true }),
        };
      },
    },
    ...(server
      ? [
          {
            name: 'PostgreSQL server',
            open: async (): Promise<Target> => {
              const db = await openThrowawayDatabase(server);
              return {
                url: db.url,
                count: () => countIn(db.store),
                async done() {
                  await db.store.close();
                  await db.drop();
                },
              };
            },
          },
        ]
      : []),
  ];
  const rows: (string | number)[][] = [];
  const figures: Figure[] = [];
  try {
    for (const size of [1_000, 10_000]) {
      const file = path.join(dir, `oruk-${size}.json`);
      fs.writeFileSync(file, generateOruk(size));
      for (const target of targets) {
        const times: number[] = [];
        let occurrences = 0;
        for (let r = 0; r < (size > 1_000 ? 3 : 5); r++) {
          const t = await target.open();
          try {
            times.push(await runImportCommand(t.url, file));
            occurrences = await t.count();
          } finally {
            await t.done();
          }
        }
        const ms = median(times);
        rows.push([
          target.name,
          fmt(size),
          fmt(occurrences),
          fmt(ms),
          fmt(Math.max(...times)),
          fmt((size / ms) * 1000),
          size === 10_000 ? (ms <= 5_000 ? 'yes' : 'NO') : '',
        ]);
        if (size === 10_000)
          figures.push({
            name: `oruk ${target.name.startsWith('embedded') ? 'pglite' : 'postgres'} 10k services ms`,
            value: ms,
          });
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(table(['store', 'services', 'occurrences', 'command ms (median)', 'max', 'services/s', '≤ 5 s'], rows));
  if (!server) console.log('(Set BENCH_DATABASE_URL=postgresql://… to measure a PostgreSQL server too.)');
  return figures;
}

/** `signpost import <file> --format hsds` in its own process; its wall time in ms. */
async function runImportCommand(databaseUrl: string, file: string): Promise<number> {
  const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const start = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      cli,
      'import',
      file,
      '--format',
      'hsds',
      '--source',
      'bench',
      '--now',
      NOW.toISOString(),
      '--json',
    ],
    {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - start;
  if (code !== 0) throw new Error(`import command failed (${code}): ${stderr.slice(0, 500)}`);
  return ms;
}
