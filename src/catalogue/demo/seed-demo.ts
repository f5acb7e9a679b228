import type { Store } from '../../db/open-store.ts';
import { applyImport } from '../ingest/apply-import.ts';
import type { ImportReport } from '../model.ts';
import { buildDemoCatalogue } from './demo-catalogue.ts';
import { countSources } from './demo-queries.ts';

export const DEMO_SOURCE = 'signpost-demo';

/** Loads (or refreshes) the demo catalogue, marked as demo data, into the given store. */
export async function seedDemo(store: Store, now: Date): Promise<ImportReport> {
  const entries = buildDemoCatalogue(now);
  return store.transaction((tx) =>
    applyImport(tx, { name: DEMO_SOURCE, format: 'demo', isDemo: true }, entries, [], { now }),
  );
}

/** On the first run of an empty store, load the demo catalogue so a newcomer has something to ask about. */
export async function ensureDemoCatalogue(store: Store, now: Date): Promise<ImportReport | undefined> {
  if ((await countSources(store.sql)) > 0) return undefined;
  return seedDemo(store, now);
}
