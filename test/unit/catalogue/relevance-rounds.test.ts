import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatasetSchema, QuestionSchema } from '../../../scripts/relevance/evaluate.ts';
import { buildDemoCatalogue } from '../../../src/catalogue/demo/seed-demo.ts';

/**
 * The held-out rounds of judged questions: each `round<N>/` folder holds one JSON array of questions per data set,
 * beside the data set files they belong to. A round is written held out, run once and reported, and then becomes
 * development questions like the rest; a round may be written in parts, so a file not yet written is allowed where
 * the table says `atLeast`. These checks read only the committed fixtures; they never run the search.
 */

const RELEVANCE = fileURLToPath(new URL('../../fixtures/relevance/', import.meta.url));
const REAL = fileURLToPath(new URL('../../fixtures/real/', import.meta.url));

/** How many questions a round's file holds: an exact count where known (the file must be there), else at least. */
type Count = { exactly: number } | { atLeast: number };
/**
 * `demoOnOffer`: whether expected demo listings must be on offer at the data set's time, not merely exist. The third
 * round was written before the demo catalogue paused some listings, and a few of its expectations name them.
 */
type Round = { name: string; set: 'dev' | 'heldout'; demoOnOffer: boolean; count: Record<string, Count> };

const ROUNDS: Round[] = [
  {
    name: 'round3',
    set: 'dev',
    demoOnOffer: false,
    count: {
      demo: { exactly: 155 },
      'real-bucks': { exactly: 132 },
      'real-bristol': { exactly: 12 },
      'real-folkestone': { exactly: 123 },
      'real-miami': { exactly: 105 },
      'real-placecal': { exactly: 63 },
    },
  },
  {
    name: 'round4',
    set: 'dev',
    demoOnOffer: true,
    count: {
      demo: { exactly: 232 },
      'real-bucks': { exactly: 212 },
      'real-bristol': { exactly: 18 },
      'real-folkestone': { exactly: 187 },
      'real-miami': { exactly: 253 },
      'real-placecal': { exactly: 96 },
    },
  },
  {
    name: 'round5',
    set: 'dev',
    demoOnOffer: true,
    count: {
      demo: { exactly: 167 },
      'real-bristol': { exactly: 15 },
      'real-placecal': { exactly: 75 },
      'real-bucks': { exactly: 171 },
      'real-folkestone': { exactly: 148 },
      'real-miami': { exactly: 174 },
    },
  },
  {
    name: 'round6',
    set: 'dev',
    demoOnOffer: true,
    count: {
      demo: { exactly: 188 },
      'real-bristol': { exactly: 20 },
      'real-placecal': { exactly: 83 },
      'real-bucks': { exactly: 216 },
      'real-folkestone': { exactly: 206 },
      'real-miami': { exactly: 213 },
    },
  },
  {
    name: 'round7',
    set: 'dev',
    demoOnOffer: true,
    count: {
      demo: { exactly: 156 },
      'real-bristol': { exactly: 20 },
      'real-placecal': { exactly: 63 },
      'real-bucks': { exactly: 156 },
      'real-folkestone': { exactly: 150 },
      'real-miami': { exactly: 152 },
    },
  },
  {
    name: 'round8',
    set: 'dev',
    demoOnOffer: true,
    count: {
      demo: { exactly: 158 },
      'real-bristol': { exactly: 20 },
      'real-placecal': { exactly: 63 },
      'real-bucks': { exactly: 153 },
      'real-folkestone': { exactly: 147 },
      'real-miami': { exactly: 147 },
    },
  },
  {
    name: 'round9',
    set: 'heldout',
    demoOnOffer: true,
    count: {
      demo: { exactly: 100 },
      'real-bristol': { exactly: 12 },
      'real-placecal': { exactly: 42 },
      'real-bucks': { exactly: 92 },
      'real-folkestone': { exactly: 93 },
      'real-miami': { exactly: 93 },
    },
  },
];

const norm = (s: string) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
const questionsIn = (file: string) => z.array(QuestionSchema).parse(readJson(file));
const roundFile = (round: string, name: string) => path.join(RELEVANCE, round, `${name}.json`);
const dataset = (name: string) => DatasetSchema.parse(readJson(path.join(RELEVANCE, `${name}.json`)));

/** The data sets a round has a file for. */
const present = (round: Round) =>
  fs
    .readdirSync(path.join(RELEVANCE, round.name))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();

/** Questions already asked about a data set: its own file and every other round's file of the same name. */
function askedElsewhere(round: string, name: string): Set<string> {
  const others = fs
    .readdirSync(RELEVANCE, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^round\d+$/.test(d.name) && d.name !== round)
    .map((d) => roundFile(d.name, name))
    .filter((file) => fs.existsSync(file))
    .flatMap((file) => questionsIn(file));
  return new Set([...dataset(name).questions, ...others].map((q) => norm(q.q)));
}

/** Event titles of an iCalendar file, unfolded and unescaped. */
function icsTitles(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/\r?\n[ \t]/g, '');
  return [...text.matchAll(/^SUMMARY[^:\n]*:(.*)$/gm)].map((m) => (m[1] ?? '').trim().replace(/\\([,;\\])/g, '$1'));
}

/** Service names in the committed Bristol files, and event titles in the committed PlaceCal feeds. */
function committedTitles(): Record<'real-bristol' | 'real-placecal', string[]> {
  const bristol = ['bristol-services-page1.json', 'bristol-service-1625ip.json'].flatMap((f) => {
    const json = z
      .union([z.object({ contents: z.array(z.object({ name: z.string() })) }), z.object({ name: z.string() })])
      .parse(readJson(path.join(REAL, 'bristol-v3-sample', f)));
    return 'contents' in json ? json.contents.map((s) => s.name) : [json.name];
  });
  const feeds = path.join(REAL, 'ical', 'placecal-feeds');
  const placecal = fs.readdirSync(feeds).flatMap((f) => icsTitles(path.join(feeds, f)));
  return { 'real-bristol': bristol, 'real-placecal': placecal };
}

it('has a folder for every round in the table and no round folder missing from it', () => {
  const folders = fs
    .readdirSync(RELEVANCE, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^round\d+$/.test(d.name))
    .map((d) => d.name)
    .sort();
  expect(folders).toEqual(ROUNDS.map((r) => r.name).sort());
});

for (const round of ROUNDS) {
  const names = present(round);
  const questions = (name: string) => questionsIn(roundFile(round.name, name));
  /** Listings a round's file names, expected or forbidden. */
  const named = (name: string) => questions(name).flatMap((q) => [...q.expect, ...q.forbid]);

  describe(`${round.name} of relevance questions (${round.set})`, () => {
    it('has files only for known data sets, and every file whose count is known', () => {
      expect(names.filter((name) => !(name in round.count))).toEqual([]);
      const required = Object.entries(round.count)
        .filter(([, count]) => 'exactly' in count)
        .map(([name]) => name);
      expect(names).toEqual(expect.arrayContaining(required));
    });

    it(`holds questions in the question shape, all ${round.set}, each with an expectation, in the known numbers`, () => {
      for (const name of names) {
        const mine = questions(name);
        const count = round.count[name];
        if (count && 'exactly' in count) expect(mine.length, name).toBe(count.exactly);
        else expect(mine.length, name).toBeGreaterThanOrEqual(count?.atLeast ?? 1);
        for (const q of mine) {
          expect(q.set, q.q).toBe(round.set);
          expect(q.expect.length + q.expectCategory.length, q.q).toBeGreaterThan(0);
          expect(q.tests.length, q.q).toBeGreaterThan(0);
        }
      }
    });

    it('asks nothing already asked in the data set or another round, nor the same thing twice', () => {
      for (const name of names) {
        const asked = askedElsewhere(round.name, name);
        const mine = questions(name).map((q) => norm(q.q));
        expect(
          mine.filter((q) => asked.has(q)),
          name,
        ).toEqual([]);
        expect(new Set(mine).size, name).toBe(mine.length);
      }
    });

    it(`expects only demo listings that exist${round.demoOnOffer ? ' and are on offer' : ''} at the data set’s time`, async () => {
      if (!names.includes('demo')) return;
      const entries = await buildDemoCatalogue(new Date(dataset('demo').now));
      const titles = new Set(entries.map((e) => norm(e.title)));
      const onOffer = new Set(entries.filter((e) => e.status === 'active').map((e) => norm(e.title)));
      expect(named('demo').filter((t) => !titles.has(norm(t)))).toEqual([]);
      if (round.demoOnOffer)
        expect(questions('demo').flatMap((q) => q.expect.filter((t) => !onOffer.has(norm(t))))).toEqual([]);
    });

    it('expects only listings that exist in the committed Bristol and PlaceCal files', () => {
      const committed = committedTitles();
      for (const name of ['real-bristol', 'real-placecal'] as const) {
        if (!names.includes(name)) continue;
        const known = new Set(committed[name].map(norm));
        expect(
          named(name).filter((t) => !known.has(norm(t))),
          name,
        ).toEqual([]);
      }
    });
  });
}
