import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatasetSchema, QuestionSchema } from '../../../scripts/relevance/evaluate.ts';
import { buildDemoCatalogue } from '../../../src/catalogue/demo/seed-demo.ts';

/**
 * The fourth held-out round of judged questions: one JSON array of questions per data set, beside the data set files
 * they belong to. The round is written in parts, so these checks cover whichever of its files are present. They read
 * only the committed fixtures; they never run the search.
 */

const RELEVANCE = fileURLToPath(new URL('../../fixtures/relevance/', import.meta.url));
const ROUND_NAME = 'round4';
const ROUND = path.join(RELEVANCE, ROUND_NAME);
const REAL = fileURLToPath(new URL('../../fixtures/real/', import.meta.url));

/** How many questions each file of the round holds: an exact count where known, otherwise at least one. */
const COUNT: Record<string, { exactly: number } | { atLeast: number }> = {
  demo: { exactly: 232 },
  'real-bucks': { exactly: 212 },
  'real-bristol': { exactly: 18 },
  'real-folkestone': { atLeast: 1 },
  'real-miami': { atLeast: 1 },
  'real-placecal': { atLeast: 1 },
};

const norm = (s: string) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
const questionsIn = (file: string) => z.array(QuestionSchema).parse(readJson(file));
const round = (name: string) => questionsIn(path.join(ROUND, `${name}.json`));
const dataset = (name: string) => DatasetSchema.parse(readJson(path.join(RELEVANCE, `${name}.json`)));

/** The data sets this round has a file for. */
const present = fs
  .readdirSync(ROUND)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

/** Questions already asked about a data set: its own file and every other round's file of the same name. */
function askedBefore(name: string): Set<string> {
  const earlier = fs
    .readdirSync(RELEVANCE, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^round\d+$/.test(d.name) && d.name !== ROUND_NAME)
    .map((d) => path.join(RELEVANCE, d.name, `${name}.json`))
    .filter((file) => fs.existsSync(file))
    .flatMap((file) => questionsIn(file));
  return new Set([...dataset(name).questions, ...earlier].map((q) => norm(q.q)));
}

/** Event titles of an iCalendar file, unfolded and unescaped. */
function icsTitles(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/\r?\n[ \t]/g, '');
  return [...text.matchAll(/^SUMMARY[^:\n]*:(.*)$/gm)].map((m) => (m[1] ?? '').trim().replace(/\\([,;\\])/g, '$1'));
}

/** Listings a round's questions name, expected or forbidden. */
const named = (name: string) => round(name).flatMap((q) => [...q.expect, ...q.forbid]);

describe('fourth held-out round of relevance questions', () => {
  it('has files only for known data sets, including the demo, Buckinghamshire and Bristol', () => {
    expect(present.filter((name) => !(name in COUNT))).toEqual([]);
    expect(present).toEqual(expect.arrayContaining(['demo', 'real-bucks', 'real-bristol']));
  });

  it('holds questions in the question shape, all held out, each with an expectation, in the known numbers', () => {
    for (const name of present) {
      const questions = round(name);
      const count = COUNT[name];
      if (count && 'exactly' in count) expect(questions.length, name).toBe(count.exactly);
      else expect(questions.length, name).toBeGreaterThanOrEqual(count?.atLeast ?? 1);
      for (const q of questions) {
        expect(q.set, q.q).toBe('heldout');
        expect(q.expect.length + q.expectCategory.length, q.q).toBeGreaterThan(0);
        expect(q.tests.length, q.q).toBeGreaterThan(0);
      }
    }
  });

  it('asks nothing already asked in the data set or an earlier round, nor the same thing twice', () => {
    for (const name of present) {
      const asked = askedBefore(name);
      const mine = round(name).map((q) => norm(q.q));
      expect(
        mine.filter((q) => asked.has(q)),
        name,
      ).toEqual([]);
      expect(new Set(mine).size, name).toBe(mine.length);
    }
  });

  it('expects only demo listings that are on offer at the data set’s time', async () => {
    const entries = await buildDemoCatalogue(new Date(dataset('demo').now));
    const titles = new Set(entries.map((e) => norm(e.title)));
    const onOffer = new Set(entries.filter((e) => e.status === 'active').map((e) => norm(e.title)));
    expect(named('demo').filter((t) => !titles.has(norm(t)))).toEqual([]);
    expect(round('demo').flatMap((q) => q.expect.filter((t) => !onOffer.has(norm(t))))).toEqual([]);
  });

  it('expects only listings that exist in the committed Bristol and PlaceCal files', () => {
    const bristol = ['bristol-services-page1.json', 'bristol-service-1625ip.json'].flatMap((f) => {
      const json = z
        .union([z.object({ contents: z.array(z.object({ name: z.string() })) }), z.object({ name: z.string() })])
        .parse(readJson(path.join(REAL, 'bristol-v3-sample', f)));
      return 'contents' in json ? json.contents.map((s) => s.name) : [json.name];
    });
    const feeds = path.join(REAL, 'ical', 'placecal-feeds');
    const placecal = fs.readdirSync(feeds).flatMap((f) => icsTitles(path.join(feeds, f)));
    const checked = [
      ['real-bristol', bristol],
      ['real-placecal', placecal],
    ] as const;
    for (const [name, titles] of checked.filter(([n]) => present.includes(n))) {
      const known = new Set(titles.map(norm));
      expect(
        named(name).filter((t) => !known.has(norm(t))),
        name,
      ).toEqual([]);
    }
  });
});
