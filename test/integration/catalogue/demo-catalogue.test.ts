import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SOURCE, ensureDemoCatalogue, seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { PrismaCatalogueRepository } from '../../../src/catalogue/prisma-catalogue-repository.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-11-23T09:00:00Z');

describe.each(STORE_KINDS)('demo catalogue on %s', (kind) => {
  let store: TestStore;
  afterEach(async () => store.close());

  it('loads once, marked as demo data, with training sessions that have places', async () => {
    store = await openTestStore(kind);
    const first = await ensureDemoCatalogue(store, NOW);
    expect(first?.created).toBeGreaterThanOrEqual(150);
    expect(first?.rejected).toEqual([]);
    expect(await ensureDemoCatalogue(store, NOW)).toBeUndefined();
    const again = await seedDemo(store, NOW);
    expect(again).toMatchObject({ created: 0, updated: 0, removed: 0, unchanged: first!.created });

    const repo = new PrismaCatalogueRepository(store.prisma);
    const entries = await repo.listEntries({ source: DEMO_SOURCE });
    expect(entries.every((e) => e.isDemo)).toBe(true);
    const training = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM occurrence o JOIN service s ON s.id = o.service_id
       WHERE s.kind = 'training' AND o.capacity > 0 AND o.start > $1`,
      [NOW],
    );
    expect(training.rows[0]!.n).toBeGreaterThan(10);
    const week = await repo.listOccurrences({ from: NOW, to: new Date(NOW.getTime() + 7 * 86_400_000) });
    expect(week.length).toBeGreaterThan(50);
  });
});
