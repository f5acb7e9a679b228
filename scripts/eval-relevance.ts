/**
 * Search relevance over judged question sets: `npm run eval:relevance -- --data <folder> [--set dev|heldout|all]
 * [--dataset <name>[,<name>…]] [--json] [--questions <folder>]`.
 *
 * Each data set is loaded into a fresh in-memory store with the project's own import code, every question goes
 * through the search the `search` command uses, and the figures are printed per data set and per part (dev,
 * held-out): count, top-1, top-3 and MRR, then the failing questions with their top 3.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openStore } from '../src/db/open-store.ts';
import {
  type DatasetOutcome,
  DEFAULT_FIXTURES,
  type Figures,
  evaluateDataset,
  figuresOf,
  loadDataset,
  loadDatasets,
} from './relevance/evaluate.ts';

const Args = z.object({
  data: z.string().optional(),
  set: z.enum(['dev', 'heldout', 'all']).default('all'),
  dataset: z.string().optional(),
  json: z.boolean().default(false),
  questions: z.string().optional(),
});

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run eval:relevance -- --data <folder> [--set dev|heldout|all] [--dataset <name>[,<name>…]] [--json] [--questions <folder>]\n`,
  );
  process.exit(2);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const row = (name: string, part: string, f: Figures) =>
  `${name.padEnd(18)} ${part.padEnd(8)} ${String(f.count).padStart(5)} ` +
  (f.count
    ? `${pct(f.top1).padStart(7)} ${pct(f.top3).padStart(7)} ${f.mrr.toFixed(3).padStart(6)}`
    : `${'–'.padStart(7)} ${'–'.padStart(7)} ${'–'.padStart(6)}`);
/** Figures as JSON: rates are null for a part with no questions. */
const figuresJson = (f: Figures) => (f.count ? f : { count: 0, top1: null, top3: null, mrr: null });

async function main() {
  let raw;
  try {
    raw = parseArgs({
      options: {
        data: { type: 'string' },
        set: { type: 'string' },
        dataset: { type: 'string' },
        json: { type: 'boolean' },
        questions: { type: 'string' },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    usage((error as Error).message);
  }
  const parsed = Args.safeParse(raw);
  if (!parsed.success) usage(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const args = parsed.data;
  const dataFolder = args.data ? path.resolve(args.data) : undefined;
  if (dataFolder && !fs.statSync(dataFolder, { throwIfNoEntry: false })?.isDirectory())
    usage(`No such folder: ${dataFolder}`);
  const wanted = args.dataset
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let datasets = loadDatasets(args.questions ? path.resolve(args.questions) : DEFAULT_FIXTURES);
  if (wanted) {
    const unknown = wanted.filter((w) => !datasets.some((d) => d.dataset === w));
    if (unknown.length)
      usage(`Unknown data set ${unknown.join(', ')}; known: ${datasets.map((d) => d.dataset).join(', ')}`);
    datasets = datasets.filter((d) => wanted.includes(d.dataset));
  }

  const outcomes: DatasetOutcome[] = [];
  for (const dataset of datasets) {
    const store = await openStore({ kind: 'pglite', dir: null });
    try {
      const load = await loadDataset(store, dataset, dataFolder);
      if (!load.loaded.length) {
        if (!args.json)
          process.stderr.write(
            `${dataset.dataset}: skipped, none of its files are in ${dataFolder ?? '(no --data folder)'}\n`,
          );
        continue;
      }
      outcomes.push(await evaluateDataset(store, dataset, load, { set: args.set }));
    } finally {
      await store.close();
    }
  }

  if (args.json) {
    const json = {
      set: args.set,
      datasets: outcomes.map((o) => ({
        dataset: o.dataset,
        missingFiles: o.load.missing,
        skippedQuestions: o.skipped.length,
        unknownExpectations: o.unknownExpectations,
        dev: figuresJson(o.figures.dev),
        heldout: figuresJson(o.figures.heldout),
        all: figuresJson(o.figures.all),
        failures: o.questions
          .filter((q) => !q.top3)
          .map((q) => ({
            q: q.q,
            set: q.set,
            tests: q.tests,
            rank: q.rank,
            forbidden: q.forbidden,
            top: q.top,
            expect: q.expect,
          })),
      })),
    };
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return;
  }

  const lines = [
    `${'data set'.padEnd(18)} ${'part'.padEnd(8)} ${'count'.padStart(5)} ${'top-1'.padStart(7)} ${'top-3'.padStart(7)} ${'MRR'.padStart(6)}`,
  ];
  const parts = (['dev', 'heldout'] as const).filter((p) => args.set === 'all' || args.set === p);
  const label = { dev: 'dev', heldout: 'held-out' };
  for (const o of outcomes) for (const p of parts) lines.push(row(o.dataset, label[p], o.figures[p]));
  if (outcomes.length > 1) {
    for (const p of parts)
      lines.push(
        row('all data sets', label[p], figuresOf(outcomes.flatMap((o) => o.questions.filter((q) => q.set === p)))),
      );
  }
  for (const o of outcomes) {
    const notes = [
      o.load.missing.length ? `files not in the data folder: ${o.load.missing.join(', ')}` : '',
      o.skipped.length ? `${o.skipped.length} questions skipped (their listings were not loaded)` : '',
      o.unknownExpectations.length ? `expected but not in the data: ${o.unknownExpectations.join(' | ')}` : '',
    ].filter(Boolean);
    const failing = o.questions.filter((q) => !q.top3);
    if (!notes.length && !failing.length) continue;
    lines.push('', `${o.dataset}:`);
    for (const n of notes) lines.push(`  ${n}`);
    if (failing.length) {
      const kinds = new Map<string, number>();
      for (const q of failing) for (const t of q.tests) kinds.set(t, (kinds.get(t) ?? 0) + 1);
      const byKind = [...kinds]
        .sort((a, b) => b[1] - a[1])
        .map(([t, n]) => `${t} ${n}`)
        .join(', ');
      lines.push(`  failing (${failing.length}${byKind ? `; by what they test: ${byKind}` : ''}):`);
    }
    for (const q of failing) {
      const why = q.forbidden.length
        ? `forbidden in top 3: ${q.forbidden.join(', ')}`
        : q.rank
          ? `first acceptable at ${q.rank}`
          : 'no acceptable in top 10';
      lines.push(
        `  [${q.set}] ${q.q}  (${why})`,
        `      got: ${q.top.join(' | ') || '(nothing)'}`,
        `      want: ${q.expect.slice(0, 4).join(' | ')}${q.expect.length > 4 ? ' …' : ''}`,
      );
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
