/** Builds small iCalendar texts for tests; real-world files live in test/fixtures/ical and test/fixtures/feeds. */
export type TestEvent = {
  uid: string;
  summary?: string;
  start: string;
  end?: string;
  rrule?: string;
  extra?: string[];
};

export function buildIcs(events: TestEvent[], options: { lineEnding?: string; calendarName?: string } = {}): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Signpost tests//EN'];
  if (options.calendarName) lines.push(`X-WR-CALNAME:${options.calendarName}`);
  for (const e of events) {
    lines.push('BEGIN:VEVENT', `UID:${e.uid}`, 'DTSTAMP:20261101T000000Z');
    if (e.summary !== undefined) lines.push(`SUMMARY:${e.summary}`);
    lines.push(e.start.length === 8 ? `DTSTART;VALUE=DATE:${e.start}` : `DTSTART;TZID=Europe/London:${e.start}`);
    if (e.end) lines.push(e.end.length === 8 ? `DTEND;VALUE=DATE:${e.end}` : `DTEND;TZID=Europe/London:${e.end}`);
    if (e.rrule) lines.push(`RRULE:${e.rrule}`);
    lines.push(...(e.extra ?? []), 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.join(options.lineEnding ?? '\r\n') + (options.lineEnding ?? '\r\n');
}
