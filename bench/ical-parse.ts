/**
 * iCalendar parse + expand throughput on generated feeds (target: ≥ 10k VEVENTs/s, doubling the feed at most
 * 2.5x the time). Run: npx tsx bench/ical-parse.ts [sizes…]
 */
import { parseIcal } from '../src/catalogue/ingest/parse-ical.ts';

const NOW = new Date('2025-03-01T12:00:00Z');

const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/London',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'DTSTART:19810329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'DTSTART:19961027T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00`;

/** n VEVENTs: 30% weekly series (begun up to 3 years ago, some with EXDATE and a moved date), the rest one-offs. */
export function generateFeed(n: number): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Signpost//bench//EN', 'X-WR-CALNAME:Bench', ...VTIMEZONE];
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let made = 0;
  for (let i = 0; made < n; i++) {
    const recurring = rand() < 0.3;
    const start = new Date(NOW.getTime() + Math.floor((rand() * (recurring ? -1100 : 400) + (recurring ? 0 : -30)) * 86_400_000));
    start.setUTCHours(9 + Math.floor(rand() * 10), rand() < 0.5 ? 0 : 30);
    const end = new Date(start.getTime() + 90 * 60_000);
    const uid = `bench-${i}@signpost.test`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20250101T000000Z',
      `DTSTART;TZID=Europe/London:${stamp(start)}`,
      `DTEND;TZID=Europe/London:${stamp(end)}`,
      `SUMMARY:Community activity ${i}`,
      `DESCRIPTION:<p>Join us for activity ${i}.<br>All welcome &amp; free.</p>`,
      `LOCATION:Community Hall ${i % 50}\\, 1 High Street\\, London NW1 ${i % 9}AB`,
      'CATEGORIES:Social,Wellbeing',
    );
    made++;
    if (recurring) {
      lines.push('RRULE:FREQ=WEEKLY;BYDAY=' + ['MO', 'TU', 'WE', 'TH', 'FR'][i % 5]!);
      if (i % 3 === 0) {
        const ex = new Date(start.getTime() + 7 * 86_400_000 * 60);
        lines.push(`EXDATE;TZID=Europe/London:${stamp(ex)}`);
      }
    }
    lines.push('END:VEVENT');
    if (recurring && i % 4 === 0 && made < n) {
      const rid = new Date(start.getTime() + 7 * 86_400_000 * 100);
      const moved = new Date(rid.getTime() + 3_600_000);
      lines.push(
        'BEGIN:VEVENT',
        `UID:${uid}`,
        'DTSTAMP:20250101T000000Z',
        `RECURRENCE-ID;TZID=Europe/London:${stamp(rid)}`,
        `DTSTART;TZID=Europe/London:${stamp(moved)}`,
        `DTEND;TZID=Europe/London:${stamp(new Date(moved.getTime() + 90 * 60_000))}`,
        `SUMMARY:Community activity ${i} (moved)`,
        'END:VEVENT',
      );
      made++;
    }
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const n of sizes.length ? sizes : [1_000, 10_000, 50_000]) {
  const feed = generateFeed(n);
  parseIcal(generateFeed(200), { now: NOW }); // warm-up
  const t0 = performance.now();
  const result = parseIcal(feed, { now: NOW });
  const ms = performance.now() - t0;
  const occurrences = result.entries.reduce((sum, e) => sum + (e.occurrences?.length ?? 0), 0);
  console.log(
    `${String(n).padStart(6)} VEVENTs (${(feed.length / 1e6).toFixed(1)} MB): ${ms.toFixed(0).padStart(5)} ms, ` +
      `${Math.round((n / ms) * 1000).toLocaleString('en-GB')} VEVENTs/s, ${result.entries.length} entries, ` +
      `${occurrences.toLocaleString('en-GB')} occurrences, ${result.rejected.length} rejected`,
  );
}
