import { LONDON_VTIMEZONE } from '../src/catalogue/ical/write-ical.ts';
/**
 * A synthetic partner feed: `count` VEVENTs starting near `now`, 30% of them recurring (a third open-ended weekly,
 * half of those begun up to three years ago and some with an EXDATE; a third weekly for 12 weeks; a third fortnightly
 * until six months out), a RECURRENCE-ID override on one series in twenty, and the VTIMEZONE at the end as Outlook
 * writes it.
 */
export function generateIcal(count: number, now: Date, seed = 42): string {
  let state = seed;
  const rand = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const words = [
    'Lunch club',
    'Chair exercise',
    'Walking group',
    'Carers café',
    'Digital drop-in',
    'Knit and natter',
    'Dementia café',
    'Coffee morning',
    'Tai chi',
    'Singing for wellbeing',
    'Men’s shed',
    'Art club',
  ];
  const places = ['Kentish Town', 'Kilburn', 'Somers Town', 'Gospel Oak', 'Belsize Park', 'Holborn', 'Highgate'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = (d: Date) =>
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00`;
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Signpost bench//EN', 'X-WR-CALNAME:Bench feed'];
  const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let i = 0; i < count; i++) {
    const start = new Date(base + Math.floor(rand() * 120) * 86_400_000 + (9 + Math.floor(rand() * 9)) * 3_600_000);
    const end = new Date(start.getTime() + 90 * 60_000);
    const title = `${words[i % words.length]} ${places[Math.floor(rand() * places.length)]} #${i}`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:bench-${i}@signpost.example`,
      'DTSTAMP:20260101T000000Z',
      `SUMMARY:${title}`,
      `DTSTART;TZID=Europe/London:${local(start)}`,
      `DTEND;TZID=Europe/London:${local(end)}`,
      `LOCATION:Community centre\\, ${places[i % places.length]}\\, NW5 1AB`,
      `DESCRIPTION:<p>A friendly group. All welcome&nbsp;– no need to book.</p>`,
    );
    const recurring = i % 10 < 3;
    if (recurring) {
      const kind = i % 3;
      if (kind === 0) {
        // Open-ended series; half of them began up to three years ago, and some skip a week.
        if (i % 2 === 0) {
          const began = new Date(start.getTime() - Math.floor(rand() * 156) * 7 * 86_400_000);
          lines.splice(
            lines.length - 4,
            2,
            `DTSTART;TZID=Europe/London:${local(began)}`,
            `DTEND;TZID=Europe/London:${local(new Date(began.getTime() + 90 * 60_000))}`,
          );
        }
        lines.push('RRULE:FREQ=WEEKLY');
        if (i % 4 === 0) lines.push(`EXDATE;TZID=Europe/London:${local(new Date(start.getTime() + 14 * 86_400_000))}`);
      } else if (kind === 1) lines.push('RRULE:FREQ=WEEKLY;COUNT=12');
      else lines.push(`RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=${local(new Date(start.getTime() + 182 * 86_400_000))}Z`);
    }
    lines.push('END:VEVENT');
    if (recurring && i % 20 === 0) {
      const moved = new Date(start.getTime() + 7 * 86_400_000);
      lines.push(
        'BEGIN:VEVENT',
        `UID:bench-${i}@signpost.example`,
        'DTSTAMP:20260101T000000Z',
        `RECURRENCE-ID;TZID=Europe/London:${local(moved)}`,
        `SUMMARY:${title} (moved)`,
        `DTSTART;TZID=Europe/London:${local(new Date(moved.getTime() + 3_600_000))}`,
        `DTEND;TZID=Europe/London:${local(new Date(end.getTime() + 7 * 86_400_000 + 3_600_000))}`,
        'END:VEVENT',
      );
    }
  }
  lines.push(...LONDON_VTIMEZONE, 'END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}
