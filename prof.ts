import { generateCatalogue, BENCH_QUERIES } from './bench/search.ts';
import { createDatabaseSearch } from './src/catalogue/search/database-search.ts';
import { openStore } from './src/db/open-store.ts';
const size = Number(process.argv[2] ?? 5000);
const store = await openStore({ kind: 'pglite', dir: null });
await generateCatalogue(store, size);
const times = new Map<string, number[]>();
const orig = store.sql.query.bind(store.sql);
(store.sql as any).query = async (text: string, params?: unknown[]) => {
  const t = performance.now();
  const r = await orig(text, params);
  const key = text.replace(/\s+/g, ' ').slice(0, 50);
  const list = times.get(key) ?? []; list.push(performance.now() - t); times.set(key, list);
  return r;
};
const search = createDatabaseSearch(store);
const NOW = new Date('2026-11-23T09:00:00Z');
for (const q of BENCH_QUERIES) await search.search({ text: q, now: NOW, limit: 5 });
times.clear();
const per: [string, number][] = [];
for (const q of BENCH_QUERIES) { const t = performance.now(); await search.search({ text: q, now: NOW, limit: 5 }); per.push([q, performance.now() - t]); }
per.sort((a, b) => b[1] - a[1]);
console.log(per.slice(0, 12).map(([q, t]) => `${t.toFixed(1)} ${q}`).join('\n'));
for (const [k, v] of times) console.log(k, v.length, (v.reduce((a, b) => a + b, 0)).toFixed(0), Math.max(...v).toFixed(1));
await store.close();
