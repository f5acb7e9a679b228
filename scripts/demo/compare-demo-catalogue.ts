/**
 * One-off: checks that the demo catalogue read from demo-catalogue.json through the Open Referral importer is the one
 * the TypeScript rows built (same entries, fields and sessions), at many clocks.
 *
 *   npx tsx scripts/demo/compare-demo-catalogue.ts
 */
import { isDeepStrictEqual } from 'node:util';
import { DateTime } from 'luxon';
import { buildDemoCatalogue as fromRows } from '../../src/catalogue/demo/demo-catalogue.ts';
import { parseDemoCatalogue } from '../../src/catalogue/demo/seed-demo.ts';
import { type CatalogueEntryData, CatalogueEntryInputSchema } from '../../src/catalogue/model.ts';

const ZONE = 'Europe/London';
const DAY = 86_400_000;

/**
 * The two ways an HSDS schedule is kept differently from the rows' own: its dtstart is the London midnight of the
 * first session's day (the rows kept the session's time too), and its interval is always written (the rows left out 1).
 */
function normalise(e: CatalogueEntryData, problems: string[], side: string): CatalogueEntryData {
  const s = e.schedule;
  if (!s?.freq) return e;
  const day = DateTime.fromJSDate(s.dtstart!, { zone: ZONE });
  if (side === 'file' && !day.equals(day.startOf('day'))) problems.push(`${e.externalId}: dtstart is not a midnight`);
  const { dtstart: _d, interval, ...rest } = s;
  return { ...e, schedule: { ...rest, interval: interval ?? 1, dtstart: day.startOf('day').toJSDate() } };
}

const clocks: Date[] = [
  '2025-03-10T09:00:00Z',
  '2025-10-24T22:30:00Z',
  '2025-12-28T12:00:00Z',
  '2026-03-27T23:59:00Z',
  '2024-02-29T08:00:00Z',
  '2026-11-23T09:00:00Z',
  '2026-12-01T09:00:00Z',
  '2026-03-29T00:30:00Z',
  '2026-03-29T01:30:00Z',
  '2026-10-25T00:30:00Z',
  '2026-10-25T01:30:00Z',
].map((t) => new Date(t));
// A year and a half of days, each at another time of day (37 minutes later than the one before).
for (let i = 0; i < Number(process.env.DAYS ?? 550); i++)
  clocks.push(new Date(Date.parse('2025-06-01T00:00:00Z') + i * (DAY + 37 * 60_000)));

let entriesCompared = 0;
let sessionsCompared = 0;
const problems: string[] = [];
for (const now of clocks) {
  const rows = fromRows(now).map((e) => CatalogueEntryInputSchema.parse(e));
  const parsed = await parseDemoCatalogue(now);
  for (const r of parsed.rejected) problems.push(`${now.toISOString()} rejected ${r.ref}: ${r.reason}`);
  const file = parsed.entries.map((e) => CatalogueEntryInputSchema.parse(e));
  if (rows.length !== file.length)
    problems.push(`${now.toISOString()}: ${rows.length} rows, ${file.length} in the file`);
  rows.forEach((row, i) => {
    const f = file[i];
    const a = normalise(row, problems, 'rows');
    const b = f && normalise(f, problems, 'file');
    entriesCompared++;
    sessionsCompared += row.occurrences.length;
    if (!b || !isDeepStrictEqual(a, b)) {
      const fields = b
        ? Object.keys({ ...a, ...b }).filter(
            (k) => !isDeepStrictEqual(a[k as keyof CatalogueEntryData], b[k as keyof CatalogueEntryData]),
          )
        : ['missing'];
      problems.push(`${now.toISOString()} ${row.externalId}: ${fields.join(', ')}`);
    }
  });
}
console.log(`${clocks.length} clocks, ${entriesCompared} entries, ${sessionsCompared} sessions compared`);
for (const p of problems.slice(0, 40)) console.log(p);
console.log(problems.length === 0 ? 'identical' : `${problems.length} differences`);
process.exitCode = problems.length === 0 ? 0 : 1;
