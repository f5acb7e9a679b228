/**
 * The judged relevance sets over what the repository holds, as a describe block a test file runs for some of the data
 * sets (split over files so that the test workers share them). See search-relevance.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type DatasetOutcome, evaluateDataset, loadDataset, loadDatasets } from '../../scripts/relevance/evaluate.ts';
import { openTestStore } from './test-db.ts';

const FIXTURES = new URL('../fixtures/relevance/', import.meta.url);
/**
 * The judged sets (test/fixtures/relevance/<data set>.json) over what the repository holds: the demo catalogue and
 * the openly licensed real data in test/fixtures/real/. Floors sit a little under the figures measured when they
 * were set, so that a change that loses answers fails; raise them as the engine improves. `count` is how many
 * questions must be judged: a question whose listings were not loaded is skipped, so a lower count means the
 * fixtures or the titles drifted.
 */
type Floor = { top3: number; mrr: number };
export const FLOORS: Record<string, { count: number; dev: Floor; heldout?: Floor }> = {
  // dev: the questions tuned against, every earlier held-out round included (round3/ to round8/ each became dev
  // once its one run was reported). heldout: round9/, written apart from the latest tuning, with floors just under
  // its one run.
  demo: { count: 1409, dev: { top3: 0.9, mrr: 0.88 }, heldout: { top3: 0.82, mrr: 0.79 } },
  'real-bristol': { count: 137, dev: { top3: 0.97, mrr: 0.97 }, heldout: { top3: 0.9, mrr: 0.9 } },
  // The committed Buckinghamshire page only (the rest of the directory is read from a data folder).
  'real-bucks': { count: 213, dev: { top3: 0.85, mrr: 0.81 }, heldout: { top3: 0.79, mrr: 0.83 } },
  'real-placecal': { count: 624, dev: { top3: 0.88, mrr: 0.85 }, heldout: { top3: 0.85, mrr: 0.84 } },
};
const REAL = fileURLToPath(new URL('../fixtures/real/', import.meta.url));

/** Every data set the repository can load, at least in part: the demo catalogue or a file under test/fixtures/real/. */
export function loadableDatasets() {
  return loadDatasets(FIXTURES).filter((d) => d.demo || d.imports.some((i) => fs.existsSync(path.join(REAL, i.path))));
}

/** Top-3 and MRR of these data sets (by name) stay above their floors. */
export function judgedSets(names: readonly string[]): void {
  describe(`judged relevance sets: ${names.join(', ')}`, () => {
    for (const dataset of loadableDatasets().filter((d) => names.includes(d.dataset))) {
      it(`${dataset.dataset}: top-3 and MRR stay above their floors`, async () => {
        const store = await openTestStore('pglite');
        let outcome: DatasetOutcome;
        try {
          const load = await loadDataset(store, dataset, REAL);
          expect(load.loaded.length).toBeGreaterThan(0);
          outcome = await evaluateDataset(store, dataset, load, { set: 'all' });
        } finally {
          await store.close();
        }
        const { dev, heldout } = outcome.figures;
        const line = (part: string, f: typeof dev) =>
          `${part} ${f.count}: top-1 ${f.top1.toFixed(3)}, top-3 ${f.top3.toFixed(3)}, MRR ${f.mrr.toFixed(3)}`;
        const failing = outcome.questions.filter((q) => !q.top3).map((q) => `${q.q} → ${q.top.join(' | ')}`);
        console.log(
          `${dataset.dataset}: ${line('dev', dev)}${heldout.count ? `; ${line('held-out', heldout)}` : ''}` +
            (failing.length ? `\n  ${failing.join('\n  ')}` : ''),
        );
        const floor = FLOORS[dataset.dataset]!;
        expect(outcome.unknownExpectations).toEqual([]);
        expect(outcome.figures.all.count).toBeGreaterThanOrEqual(floor.count);
        for (const part of ['dev', 'heldout'] as const) {
          // A part with no questions (every held-out question moved into dev once reported) has no figures to keep,
          // and a held-out round not yet run has no floor.
          const partFloor = floor[part];
          if (!outcome.figures[part].count || !partFloor) continue;
          expect(outcome.figures[part].top3, `${part} top-3`).toBeGreaterThanOrEqual(partFloor.top3);
          expect(outcome.figures[part].mrr, `${part} MRR`).toBeGreaterThanOrEqual(partFloor.mrr);
        }
        // Hundreds of questions per data set: a busy machine takes minutes, not the default minute.
      }, 300_000);
    }
  });
}

/** The data sets each test file judges: the demo catalogue's are as many as the committed real ones' together. */
export const DEMO_SETS = ['demo'] as const;
export const REAL_SETS = ['real-bristol', 'real-bucks', 'real-placecal'] as const;
