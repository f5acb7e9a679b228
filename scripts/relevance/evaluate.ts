import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { seedDemo } from '../../src/catalogue/demo/seed-demo.ts';
import { importSource } from '../../src/catalogue/ingest/import-source.ts';
import { createDatabaseSearch } from '../../src/catalogue/search/database-search.ts';
import type { Store } from '../../src/db/open-store.ts';
import { silentLogger } from '../../src/logger.ts';
import { folkestoneToCoordinatorCsv } from './folkestone.ts';

/**
 * Judged relevance sets: staff questions over one data set, each with the listings a good answer shows. A data set
 * file names what to load (the demo catalogue, or files relative to a folder laid out like the shared real data),
 * the moment the questions are asked, and the questions. Questions are split into a development part (`dev`, used
 * while tuning) and a held-out part (`heldout`, written after tuning), reported separately.
 */

const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date-time');

export const QuestionSchema = z.object({
  q: z.string().min(1),
  /** Acceptable listings: titles (compared without case or extra spaces) or the source's own ids. */
  expect: z.array(z.string()).default([]),
  /** Also acceptable: any listing carrying one of these categories as imported (for big directories). */
  expectCategory: z.array(z.string()).default([]),
  /** Listings (titles or ids) that must not be in the top 3: a wrong audience, a wrong meaning. */
  forbid: z.array(z.string()).default([]),
  set: z.enum(['dev', 'heldout']),
  /** When the question is asked, if not the data set's `now`. */
  now: Iso.optional(),
  /** What the question tests, for reading failures (e.g. "synonym", "typo", "audience"). */
  tests: z.array(z.string()).default([]),
});
export type Question = z.infer<typeof QuestionSchema>;

const ImportSchema = z.object({
  /** Relative to the data folder. */
  path: z.string().min(1),
  /** `folkestone` is the Folkestone & Hythe directory's three CSVs in a folder; the rest are import formats. */
  format: z.enum(['hsds', 'ical', 'csv', 'folkestone']).optional(),
  /** Import time for this file (feeds are expanded from it), if not the data set's `now`. */
  now: Iso.optional(),
  horizonDays: z.number().int().positive().optional(),
});

export const DatasetSchema = z
  .object({
    dataset: z.string().regex(/^[a-z0-9-]+$/),
    about: z.string(),
    /** When questions are asked: chosen so the data set's dated events are still ahead. */
    now: Iso,
    demo: z.boolean().default(false),
    imports: z.array(ImportSchema).default([]),
    questions: z.array(QuestionSchema),
  })
  .refine((d) => d.demo || d.imports.length > 0, 'a data set loads the demo catalogue or at least one file');
export type Dataset = z.infer<typeof DatasetSchema>;

export const DEFAULT_FIXTURES = new URL('../../test/fixtures/relevance/', import.meta.url);

/** Every data set file (a JSON file with a `dataset` key) in a folder, by name. */
export function loadDatasets(folder: string | URL = DEFAULT_FIXTURES): Dataset[] {
  const dir = folder instanceof URL ? fileURLToPath(folder) : folder;
  const out: Dataset[] = [];
  for (const name of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const json: unknown = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    if (!json || typeof json !== 'object' || !('dataset' in json)) continue;
    const parsed = DatasetSchema.safeParse(json);
    if (!parsed.success)
      throw new Error(`${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    out.push({ ...parsed.data, questions: [...parsed.data.questions, ...roundQuestions(dir, name)] });
  }
  return out;
}

/**
 * Later held-out rounds live in their own folders beside the data set files (`round3/demo.json` …), each a JSON array
 * of questions for the data set file of the same name, so a round is kept whole as written.
 */
function roundQuestions(dir: string, name: string): Question[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^round\d+$/.test(d.name) && fs.existsSync(path.join(dir, d.name, name)))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => {
      const file = path.join(dir, d.name, name);
      const parsed = z.array(QuestionSchema).safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (!parsed.success)
        throw new Error(
          `${d.name}/${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      return parsed.data;
    });
}

export type LoadReport = { loaded: string[]; missing: string[]; created: number };

/**
 * A data package whose descriptor names tables that sit in a `data/` folder beside it (211 Miami's export), or that
 * names tables it does not ship: a corrected descriptor in a temporary folder, linking to the real files.
 */
function repairedDataPackage(input: string, scratch: () => string): string {
  const folder = fs.statSync(input).isDirectory() ? input : path.dirname(input);
  const descriptorFile = path.join(folder, 'datapackage.json');
  if (!fs.existsSync(descriptorFile)) return input;
  const descriptor = z
    .object({ resources: z.array(z.object({ path: z.string() }).passthrough()) })
    .passthrough()
    .parse(JSON.parse(fs.readFileSync(descriptorFile, 'utf8')));
  const where = (p: string) => [path.join(folder, p), path.join(folder, 'data', p)].find((f) => fs.existsSync(f));
  if (descriptor.resources.every((r) => fs.existsSync(path.join(folder, r.path)))) return input;
  const tmp = scratch();
  const resources = descriptor.resources.flatMap((r) => {
    const file = where(r.path);
    if (!file) return [];
    const link = path.basename(r.path);
    fs.symlinkSync(path.resolve(file), path.join(tmp, link));
    return [{ ...r, path: link }];
  });
  fs.writeFileSync(path.join(tmp, 'datapackage.json'), JSON.stringify({ ...descriptor, resources }));
  return tmp;
}

/** Loads a data set into an empty store through the project's own import code. Missing files are reported. */
export async function loadDataset(store: Store, dataset: Dataset, dataFolder: string | undefined): Promise<LoadReport> {
  const scratchFolders: string[] = [];
  const scratch = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-relevance-'));
    scratchFolders.push(dir);
    return dir;
  };
  try {
    return await loadInto(store, dataset, dataFolder, scratch);
  } finally {
    for (const dir of scratchFolders) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function loadInto(
  store: Store,
  dataset: Dataset,
  dataFolder: string | undefined,
  scratch: () => string,
): Promise<LoadReport> {
  const report: LoadReport = { loaded: [], missing: [], created: 0 };
  const now = new Date(dataset.now);
  if (dataset.demo) {
    report.created += (await seedDemo(store, now)).created;
    report.loaded.push('demo catalogue');
  }
  for (const item of dataset.imports) {
    if (!dataFolder) {
      report.missing.push(item.path);
      continue;
    }
    const file = path.join(dataFolder, item.path);
    if (!fs.existsSync(file)) {
      report.missing.push(item.path);
      continue;
    }
    const at = new Date(item.now ?? dataset.now);
    const horizon = item.horizonDays ? { horizonDays: item.horizonDays } : {};
    let imported;
    if (item.format === 'folkestone') {
      const sheet = path.join(scratch(), `${path.basename(file)}.csv`);
      fs.writeFileSync(sheet, folkestoneToCoordinatorCsv(file));
      imported = await importSource(
        store,
        { input: sheet, source: item.path, format: 'csv', now: at, ...horizon },
        silentLogger,
      );
    } else {
      const input = item.format === 'hsds' || !item.format ? repairedDataPackageIfAny(file, scratch) : file;
      imported = await importSource(
        store,
        { input, source: item.path, now: at, ...(item.format ? { format: item.format } : {}), ...horizon },
        silentLogger,
      );
    }
    report.created += imported.created;
    report.loaded.push(item.path);
  }
  return report;
}

function repairedDataPackageIfAny(file: string, scratch: () => string): string {
  const isPackage = fs.statSync(file).isDirectory() || path.basename(file) === 'datapackage.json';
  return isPackage ? repairedDataPackage(file, scratch) : file;
}

const norm = (s: string) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

type Listing = { id: string; externalId: string; title: string; categories: string[] };

async function listings(store: Store): Promise<Listing[]> {
  const { rows } = await store.sql.query<{ id: string; external_id: string; name: string; categories: string[] }>(
    'SELECT id::text AS id, external_id, name, categories FROM service WHERE removed_at IS NULL',
  );
  return rows.map((r) => ({ id: r.id, externalId: r.external_id, title: r.name, categories: r.categories.map(norm) }));
}

function matcher(refs: string[], categories: string[] = []) {
  const names = new Set(refs.map(norm));
  const ids = new Set(refs);
  const cats = new Set(categories.map(norm));
  return (l: Listing) => names.has(norm(l.title)) || ids.has(l.externalId) || l.categories.some((c) => cats.has(c));
}

export type QuestionOutcome = {
  q: string;
  set: 'dev' | 'heldout';
  tests: string[];
  /** 1-based rank of the first acceptable listing in the top 10, or null. */
  rank: number | null;
  /** A forbidden listing in the top 3. */
  forbidden: string[];
  top1: boolean;
  top3: boolean;
  top: string[];
  expect: string[];
};

export type Figures = { count: number; top1: number; top3: number; mrr: number };

export type DatasetOutcome = {
  dataset: string;
  load: LoadReport;
  questions: QuestionOutcome[];
  /** Questions whose acceptable listings are not in the loaded data (their files were missing). */
  skipped: string[];
  /** Expected titles or ids found nowhere in the loaded data: a mistake in the set when every file was loaded. */
  unknownExpectations: string[];
  figures: { dev: Figures; heldout: Figures; all: Figures };
};

export function figuresOf(outcomes: QuestionOutcome[]): Figures {
  const n = outcomes.length;
  const share = (f: (o: QuestionOutcome) => boolean) => (n ? outcomes.filter(f).length / n : 0);
  return {
    count: n,
    top1: share((o) => o.top1),
    top3: share((o) => o.top3),
    mrr: n ? outcomes.reduce((s, o) => s + (o.rank ? 1 / o.rank : 0), 0) / n : 0,
  };
}

/**
 * Runs every question through the search the `search` command uses (top 10) and judges it: top-1 and top-3 count
 * an acceptable listing at rank 1 / within 3 with no forbidden listing in the top 3; MRR is over the top 10.
 */
export async function evaluateDataset(
  store: Store,
  dataset: Dataset,
  load: LoadReport,
  options: { set?: 'dev' | 'heldout' | 'all' } = {},
): Promise<DatasetOutcome> {
  const search = createDatabaseSearch(store);
  const all = await listings(store);
  const byId = new Map(all.map((l) => [l.id, l]));
  const questions: QuestionOutcome[] = [];
  const skipped: string[] = [];
  const unknown = new Set<string>();
  for (const question of dataset.questions) {
    if (options.set && options.set !== 'all' && question.set !== options.set) continue;
    for (const ref of question.expect) if (!all.some(matcher([ref]))) unknown.add(ref);
    for (const cat of question.expectCategory) if (!all.some(matcher([], [cat]))) unknown.add(`category: ${cat}`);
    const acceptable = matcher(question.expect, question.expectCategory);
    if (!all.some(acceptable)) {
      skipped.push(question.q);
      continue;
    }
    const isForbidden = matcher(question.forbid);
    const response = await search.search({ text: question.q, now: new Date(question.now ?? dataset.now), limit: 10 });
    const ranked = response.results.map(
      (r) => byId.get(r.id) ?? { id: r.id, externalId: '', title: r.title, categories: [] as string[] },
    );
    const index = ranked.findIndex(acceptable);
    const forbidden = ranked
      .slice(0, 3)
      .filter(isForbidden)
      .map((l) => l.title);
    const rank = index >= 0 ? index + 1 : null;
    questions.push({
      q: question.q,
      set: question.set,
      tests: question.tests,
      rank,
      forbidden,
      top1: rank === 1 && forbidden.length === 0,
      top3: rank !== null && rank <= 3 && forbidden.length === 0,
      top: ranked.slice(0, 3).map((l) => l.title),
      expect: [...question.expect, ...question.expectCategory.map((c) => `category: ${c}`)],
    });
  }
  return {
    dataset: dataset.dataset,
    load,
    questions,
    skipped,
    unknownExpectations: load.missing.length ? [] : [...unknown],
    figures: {
      dev: figuresOf(questions.filter((q) => q.set === 'dev')),
      heldout: figuresOf(questions.filter((q) => q.set === 'heldout')),
      all: figuresOf(questions),
    },
  };
}
