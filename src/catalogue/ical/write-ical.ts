import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';

/**
 * Small helpers for writing iCalendar text (RFC 5545): escaping, line folding at 75 octets, Europe/London local
 * times and its VTIMEZONE, so calendar apps (Outlook, Google) show the right local time all year.
 */
export const LONDON_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/London',
  'X-LIC-LOCATION:Europe/London',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19700329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19701025T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const NEEDS_ESCAPE = /[\u0000-\u001f\u007f\\,;]/;

/**
 * A TEXT value (RFC 5545 3.3.11): backslash, `;` and `,` escaped, line breaks (CRLF, CR or LF) written as `\n`, and
 * the other control characters, which TEXT may not hold, left out.
 */
export function escapeText(value: string): string {
  // Most values hold none of these: answered without five passes over the text.
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/([,;])/g, '\\$1');
}

/**
 * A parameter value such as `CN` (RFC 5545 3.1), always quoted. A quoted value cannot hold `"` or control
 * characters and has no escape for them, so line breaks and tabs become spaces and `"` becomes `'`.
 */
export function paramValue(value: string): string {
  const clean = value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/"/g, "'")
    .trim();
  return `"${clean}"`;
}

/** Folds one content line at 75 octets without splitting a UTF-8 character. */
export function foldLine(line: string): string {
  // A line of at most 25 characters is at most 75 octets; a longer one is measured without being copied.
  if (line.length <= 25 || Buffer.byteLength(line, 'utf8') <= 75) return line;
  const parts: string[] = [];
  let from = 0;
  let size = 0;
  for (let i = 0; i < line.length; ) {
    const code = line.charCodeAt(i);
    // UTF-8 octets of the character here: a surrogate pair is one character of 4; a lone surrogate is written as
    // U+FFFD, 3.
    const pair = code >= 0xd800 && code <= 0xdbff && (line.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const len = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (size + len > (parts.length === 0 ? 75 : 74)) {
      parts.push(line.slice(from, i));
      from = i;
      size = 0;
    }
    size += len;
    i += pair ? 2 : 1;
  }
  parts.push(line.slice(from));
  return parts.join('\r\n ');
}

/** `DTSTART;TZID=Europe/London:20261201T120000` */
export function londonDateTime(name: string, at: Date): string {
  return `${name};TZID=${ZONE}:${DateTime.fromJSDate(at, { zone: ZONE }).toFormat("yyyyMMdd'T'HHmmss")}`;
}

/** `DTSTART;VALUE=DATE:20261201` for all-day events (the London calendar date). */
export function londonDate(name: string, at: Date): string {
  return `${name};VALUE=DATE:${DateTime.fromJSDate(at, { zone: ZONE }).toFormat('yyyyMMdd')}`;
}

export function utcStamp(name: string, at: Date): string {
  return `${name}:${DateTime.fromJSDate(at, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'")}`;
}

/** Joins content lines into a calendar with CRLF endings and folding. */
export function toIcsText(lines: string[]): string {
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
