/**
 * Refusal: input that is not iCalendar at all (an HTML sign-in page, a truncated download) is refused as a whole,
 * with one sentence a person can act on; a broken VTIMEZONE rejects only the events that use it.
 */
import ICAL from 'ical.js';
import { allProps, firstProp, type JComp, type JProp } from './jcal.ts';

/** The whole input was refused; `message` is one sentence a person can act on. */
export class FeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedRefusedError';
  }
}

export function refuseIfNotICalendar(text: string): string {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new FeedRefusedError('Source returned empty iCalendar data');
  }
  const body = text.replace(/^[\s\ufeff]+/, '');
  if (!/^BEGIN:VCALENDAR\s*[\r\n]/i.test(body) && !/^BEGIN:VCALENDAR\s*$/i.test(body)) {
    const head = body.slice(0, 2000);
    if (/^</.test(head) && /<(?:!doctype\s+html|html|head|body|meta|title)\b/i.test(head)) {
      throw new FeedRefusedError(
        'This is not an iCalendar feed: it looks like an HTML page (often a sign-in or error page, e.g. for a private calendar), not calendar data.',
      );
    }
    const start = head.slice(0, 40).replace(/\s+/g, ' ').trim();
    throw new FeedRefusedError(
      `This is not an iCalendar feed: it does not begin with BEGIN:VCALENDAR (it begins "${start}").`,
    );
  }
  const tail = body.slice(-200);
  if (!/END:VCALENDAR\s*$/i.test(tail) && !/^END:VCALENDAR/im.test(body)) {
    throw new FeedRefusedError(
      'The iCalendar data is truncated or malformed: it has no END:VCALENDAR line, so the download was probably cut short.',
    );
  }
  return body;
}

const VTIMEZONE_BLOCK = /^BEGIN:VTIMEZONE[^\S\r\n]*\r?\n[\s\S]*?^END:VTIMEZONE[^\S\r\n]*(?:\r?\n|$)/gim;

export function parseJcal(body: string): { calendars: JComp[]; brokenZones: Map<string, string> } {
  // RRULE/EXRULE values are read as text so that a bad rule rejects its own event, not the whole feed.
  const prepared = body.replace(/^(RRULE|EXRULE)(?=[;:])/gim, '$1;VALUE=TEXT');
  const brokenZones = new Map<string, string>();
  const why = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 160);
  let parsed: unknown;
  try {
    parsed = ICAL.parse(prepared);
  } catch (e) {
    // A VTIMEZONE whose values do not parse rejects the events that use it, not the whole feed: cut it out and
    // read the rest.
    const cut = prepared.replace(VTIMEZONE_BLOCK, (block) => {
      try {
        ICAL.parse(`BEGIN:VCALENDAR\r\n${block.replace(/\r?\n?$/, '\r\n')}END:VCALENDAR`);
        return block;
      } catch (blockError) {
        const tzid = /^TZID[^:\r\n]*:(.*)$/im.exec(block.replace(/\r?\n[ \t]/g, ''))?.[1]?.trim();
        if (tzid) brokenZones.set(tzid, why(blockError));
        return '';
      }
    });
    if (brokenZones.size === 0) throw new FeedRefusedError(`The iCalendar data is truncated or malformed: ${why(e)}.`);
    try {
      parsed = ICAL.parse(cut);
    } catch (again) {
      throw new FeedRefusedError(`The iCalendar data is truncated or malformed: ${why(again)}.`);
    }
  }
  const roots = (Array.isArray(parsed) && typeof parsed[0] === 'string' ? [parsed] : parsed) as JComp[];
  return { calendars: roots.filter((c) => Array.isArray(c) && c[0] === 'vcalendar'), brokenZones };
}

/** Why a VTIMEZONE cannot give offsets (a part without DTSTART, TZOFFSETFROM or TZOFFSETTO); undefined if it can. */
export function vtimezoneProblem(comp: JComp): string | undefined {
  const parts = comp[2].filter((c) => c[0] === 'standard' || c[0] === 'daylight');
  if (parts.length === 0) return 'it has no STANDARD or DAYLIGHT part';
  for (const part of parts) {
    for (const name of ['dtstart', 'tzoffsetfrom', 'tzoffsetto']) {
      if (!firstProp(part, name)) return `its ${part[0].toUpperCase()} part has no ${name.toUpperCase()}`;
    }
    for (const p of allProps(part, 'rrule')) {
      try {
        const recur = ICAL.Recur.fromString(String(p[3]));
        const months = (recur.parts as Record<string, unknown>).BYMONTH;
        if (Array.isArray(months) && months.some((m) => !(Number(m) >= 1 && Number(m) <= 12)))
          return `its RRULE "${String(p[3]).slice(0, 60)}" names a month that does not exist`;
      } catch (e) {
        return `its RRULE "${String(p[3]).slice(0, 60)}" cannot be read (${e instanceof Error ? e.message : String(e)})`;
      }
    }
  }
  return undefined;
}

/** Undoes the RRULE-as-text reading inside a VTIMEZONE, whose rules ical.js itself needs as recurrences. */
export function restoreRecurValues(comp: JComp): JComp {
  const props = comp[1].map((p): JProp => {
    if ((p[0] !== 'rrule' && p[0] !== 'exrule') || p[2] !== 'text' || typeof p[3] !== 'string') return p;
    return [p[0], p[1], 'recur', ICAL.Recur.fromString(p[3]).toJSON()];
  });
  return [comp[0], props, comp[2].map(restoreRecurValues)];
}
