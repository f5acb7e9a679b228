import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { createDatabaseSearch } from '../../../src/catalogue/search/database-search.ts';
import type { SearchResponse } from '../../../src/catalogue/search/types.ts';
import { silentLogger } from '../../../src/logger.ts';
import { DEMO_SETS, FLOORS, judgedSets, loadableDatasets, REAL_SETS } from '../../helpers/judged-relevance.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';

const QuestionSchema = z.object({
  q: z.string(),
  now: z.string().optional(),
  expect: z.array(z.string()).default([]),
  expectPattern: z.string().optional(),
  expectRelaxed: z.boolean().default(false),
  expectAny: z.boolean().default(false),
  forbid: z.array(z.string()).default([]),
  /** Written after the engine was tuned on the other questions: reported on its own as a check on overfitting. */
  heldOut: z.boolean().default(false),
});
const RelevanceSetSchema = z.object({
  demoNow: z.string(),
  /** Files to import, relative to test/fixtures/relevance/. */
  imports: z.array(z.string()),
  questions: z.array(QuestionSchema).min(60),
});
type Question = z.infer<typeof QuestionSchema>;

const FIXTURES = new URL('../../fixtures/relevance/', import.meta.url);
const SET = RelevanceSetSchema.parse(JSON.parse(fs.readFileSync(new URL('questions.json', FIXTURES), 'utf8')));
const DEMO_NOW = new Date(SET.demoNow);

/** A question passes when an expected title is in the top 3 and the answer is relaxed exactly when it should be. */
function passes(question: Question, response: SearchResponse): boolean {
  const top = response.results.slice(0, 3).map((r) => r.title);
  const pattern = question.expectPattern ? new RegExp(question.expectPattern) : undefined;
  const hit =
    (question.expectAny && top.length > 0) ||
    top.some((t) => question.expect.includes(t)) ||
    (pattern !== undefined && top.some((t) => pattern.test(t)));
  const relaxedOk = !question.expectRelaxed || response.relaxed.length > 0;
  return hit && relaxedOk;
}

describe('search relevance over the demo catalogue and imports of sample data', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await seedDemo(store, DEMO_NOW);
    for (const input of SET.imports) {
      const report = await importSource(
        store,
        { input: fileURLToPath(new URL(input, FIXTURES)), now: DEMO_NOW },
        silentLogger,
      );
      expect(report.created).toBeGreaterThan(0);
    }
  });
  afterAll(async () => store?.close());

  it('puts an expected answer in the top 3 for at least 90% of the questions', async () => {
    const search = createDatabaseSearch(store);
    const misses: string[] = [];
    let passed = 0;
    let heldOutPassed = 0;
    for (const question of SET.questions) {
      const response = await search.search({
        text: question.q,
        now: question.now ? new Date(question.now) : DEMO_NOW,
        limit: 10,
      });
      // Never an empty answer, and closed or removed entries never appear.
      expect(response.results.length, question.q).toBeGreaterThan(0);
      for (const title of question.forbid)
        expect(
          response.results.map((r) => r.title),
          question.q,
        ).not.toContain(title);
      if (passes(question, response)) {
        passed++;
        if (question.heldOut) heldOutPassed++;
      } else
        misses.push(
          `${question.q} → ${response.results
            .slice(0, 3)
            .map((r) => r.title)
            .join(' | ')}${response.relaxed.length ? ` (relaxed: ${response.relaxed.join('; ')})` : ''}`,
        );
    }
    const precision = passed / SET.questions.length;
    const heldOut = SET.questions.filter((q) => q.heldOut).length;
    console.log(
      `search relevance: precision@3 = ${precision.toFixed(3)} (${passed}/${SET.questions.length}); ` +
        `held-out questions ${heldOutPassed}/${heldOut}` +
        (misses.length ? `\nmisses:\n  ${misses.join('\n  ')}` : ''),
    );
    expect(precision).toBeGreaterThanOrEqual(0.9);
  });
});

describe('judged relevance sets', () => {
  it('has a floor for every data set it can load, and each is judged by a test file', () => {
    expect(
      loadableDatasets()
        .map((d) => d.dataset)
        .sort(),
    ).toEqual(Object.keys(FLOORS).sort());
    expect([...DEMO_SETS, ...REAL_SETS].sort()).toEqual(Object.keys(FLOORS).sort());
  });
});

judgedSets(DEMO_SETS);
