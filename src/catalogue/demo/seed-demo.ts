import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../db/sql.ts';
import { applyImport } from '../ingest/apply-import.ts';
import { FeedRefusedError } from '../ingest/parse-ical.ts';
import { type ParsedHsds, parseHsds } from '../ingest/parse-hsds.ts';
import type { CatalogueEntryInput, ImportReport } from '../model.ts';
import { countSources } from './demo-queries.ts';

export const DEMO_SOURCE = 'signpost-demo';

/**
 * The demo catalogue: a realistic, fictional catalogue of Camden activities, training and resources, kept as an Open
 * Referral UK service list (demo-catalogue.json) with the `signpost` extension for what HSDS has no field for
 * (src/catalogue/ingest/hsds-extension.ts). Its dates are relative to the clock it is loaded at, so it always looks
 * current, and the same clock always gives the same catalogue.
 */
export const DEMO_FILE = fileURLToPath(new URL('./demo-catalogue.json', import.meta.url));

/** Sessions from schedules are kept for the next eight weeks (the file's `upcoming_weeks`); a day's margin for DST. */
const HORIZON_DAYS = 57;

let demoText: Promise<string> | undefined;

/** The demo file read through the Open Referral importer, as a partner's service list is, at `now`. */
export async function parseDemoCatalogue(now: Date): Promise<ParsedHsds> {
  demoText ??= fs.readFile(DEMO_FILE, 'utf8');
  return parseHsds(await demoText, {
    now,
    horizonDays: HORIZON_DAYS,
    origin: DEMO_FILE,
    load: (ref) => Promise.reject(new FeedRefusedError(`The demo catalogue names no other file (${ref}).`)),
  });
}

/** The demo catalogue's entries as of `now`: deterministic for a given `now`. */
export async function buildDemoCatalogue(now: Date): Promise<CatalogueEntryInput[]> {
  return (await parseDemoCatalogue(now)).entries;
}

/** Loads (or refreshes) the demo catalogue, marked as demo data, into the given store. */
export async function seedDemo(store: Database, now: Date): Promise<ImportReport> {
  const { entries, rejected } = await parseDemoCatalogue(now);
  return store.transaction((tx) =>
    applyImport(tx, { name: DEMO_SOURCE, format: 'demo', isDemo: true }, entries, rejected, { now }),
  );
}

/** On the first run of an empty store, load the demo catalogue so a newcomer has something to ask about. */
export async function ensureDemoCatalogue(store: Database, now: Date): Promise<ImportReport | undefined> {
  if ((await countSources(store.sql)) > 0) return undefined;
  return seedDemo(store, now);
}
