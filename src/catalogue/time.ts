import { DateTime } from 'luxon';
import { ZONE } from '../clock.ts';

/** ISO 8601 with the Europe/London offset, e.g. 2026-03-29T10:00:00+01:00. */
export function toLondonIso(date: Date): string {
  return DateTime.fromJSDate(date, { zone: ZONE }).toISO({ suppressMilliseconds: true }) ?? date.toISOString();
}

/** The Europe/London calendar date of an instant, e.g. 2026-03-29. */
export function toLondonDate(date: Date): string {
  return DateTime.fromJSDate(date, { zone: ZONE }).toISODate() ?? date.toISOString().slice(0, 10);
}

/** A date (`2026-03-29`, meaning 00:00 in London) or a full ISO 8601 instant; undefined when unparsable. */
export function parseLondonDateTime(text: string): Date | undefined {
  const value = text.trim();
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? DateTime.fromISO(value, { zone: ZONE })
    : DateTime.fromISO(value, { zone: ZONE, setZone: true });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

/** An English month name or its usual abbreviation ("Jan", "Sept"), as regular-expression source with no capture. */
export const MONTH_NAME = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;

const MONTH_PREFIXES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The month (1–12) of a name `MONTH_NAME` matches; 0 for anything else. */
export function monthNumber(name: string): number {
  return MONTH_PREFIXES.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}
