import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatasetSchema, QuestionSchema } from '../../../scripts/relevance/evaluate.ts';
import { buildDemoCatalogue } from '../../../src/catalogue/demo/seed-demo.ts';

/**
 * The third round of judged questions: one JSON array of questions per data set, beside the data set files they
 * belong to. Written as a held-out round and run once; since reported, development questions like the rest. These
 * checks read only the committed fixtures; they never run the search.
 */

const RELEVANCE = fileURLToPath(new URL('../../fixtures/relevance/', import.meta.url));
const ROUND = path.join(RELEVANCE, 'round3');
const REAL = fileURLToPath(new URL('../../fixtures/real/', import.meta.url));

const MINIMUM: Record<string, number> = {
  demo: 110,
  'real-bucks': 120,
  'real-folkestone': 120,
  'real-miami': 70,
  'real-placecal': 60,
  'real-bristol': 9,
};

const norm = (s: string) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
const round = (name: string) => z.array(QuestionSchema).parse(readJson(path.join(ROUND, `${name}.json`)));

/** Event titles of an iCalendar file, unfolded and unescaped. */
function icsTitles(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/\r?\n[ \t]/g, '');
  return [...text.matchAll(/^SUMMARY[^:\n]*:(.*)$/gm)].map((m) => (m[1] ?? '').trim().replace(/\\([,;\\])/g, '$1'));
}

describe('third round of relevance questions', () => {
  it('has a file for each data set, in the question shape, all now dev and each with an expectation', () => {
    expect(
      fs
        .readdirSync(ROUND)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(
      Object.keys(MINIMUM)
        .map((n) => `${n}.json`)
        .sort(),
    );
    for (const [name, minimum] of Object.entries(MINIMUM)) {
      const questions = round(name);
      expect(questions.length, name).toBeGreaterThanOrEqual(minimum);
      for (const q of questions) {
        expect(q.set, q.q).toBe('dev');
        expect(q.expect.length + q.expectCategory.length, q.q).toBeGreaterThan(0);
      }
    }
  });

  it('asks nothing already asked in the data set, nor the same thing twice', () => {
    for (const name of Object.keys(MINIMUM)) {
      const dataset = DatasetSchema.parse(readJson(path.join(RELEVANCE, `${name}.json`)));
      const asked = new Set(dataset.questions.map((q) => norm(q.q)));
      const mine = round(name).map((q) => norm(q.q));
      expect(
        mine.filter((q) => asked.has(q)),
        name,
      ).toEqual([]);
      expect(new Set(mine).size, name).toBe(mine.length);
    }
  });

  it('expects only listings that exist in the demo catalogue', async () => {
    const entries = await buildDemoCatalogue(new Date('2026-11-23T09:00:00Z'));
    const titles = new Set(entries.map((e) => norm(e.title)));
    const missing = round('demo').flatMap((q) => [...q.expect, ...q.forbid].filter((t) => !titles.has(norm(t))));
    expect(missing).toEqual([]);
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
    for (const [name, titles] of [
      ['real-bristol', bristol],
      ['real-placecal', placecal],
    ] as const) {
      const known = new Set(titles.map(norm));
      const missing = round(name).flatMap((q) => [...q.expect, ...q.forbid].filter((t) => !known.has(norm(t))));
      expect(missing, name).toEqual([]);
    }
  });
});
