import { DateTime } from 'luxon';
import { ZONE } from '../../../clock.ts';
import {
  ACCESS_SHORT,
  ACCESS_WORDS,
  AUDIENCE_WORDS,
  FORMAT_WORDS,
  HOW_TO_JOIN_WORDS,
  KIND_WORDS,
} from '../../../catalogue/labels.ts';
import type { SearchResult, Understood, Why } from '../../../catalogue/search/types.ts';
import { conceptByKey } from '../../../catalogue/search/vocabulary.ts';
import { truncate as truncateText } from '../../../truncate.ts';

export { ACCESS_WORDS, AUDIENCE_WORDS, FORMAT_WORDS, HOW_TO_JOIN_WORDS } from '../../../catalogue/labels.ts';

const WEEKDAYS = ['', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];

/** Any remaining snake_case code becomes words ("some_code" → "some code"). */
export function words(code: string, table: Record<string, string> = {}): string {
  return table[code] ?? code.replace(/_/g, ' ');
}

/** Words that are written in capitals wherever they appear ("mecc training" → "MECC training"). */
const ACRONYMS = /\b(mecc|mhfa|esol|bsl|lgbtq\+?|nhs|ld)\b/gi;

export function capitalise(s: string): string {
  const t = s.replace(ACRONYMS, (m) => m.toUpperCase());
  return t ? t[0]!.toUpperCase() + t.slice(1) : t;
}

/** Cuts text to `max` characters at a word boundary, with an ellipsis. */
export function truncate(s: string, max: number): string {
  const t = s
    .replace(/[^\S\n]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return truncateText(t, max, { wordBoundaryAfter: 0.6, trailing: /[\s,.;:–-]+$/ });
}

/** Venue, address and postcode without saying anything twice (addresses often repeat the venue or postcode). */
export function withoutRepeats(parts: (string | null)[]): string[] {
  const kept: string[] = [];
  for (const part of parts) {
    const p = part?.trim();
    if (!p) continue;
    const low = p.toLowerCase();
    if (kept.some((k) => k.toLowerCase().includes(low))) continue;
    const covered = kept.findIndex((k) => low.includes(k.toLowerCase()));
    if (covered >= 0) kept.splice(covered, 1, p);
    else kept.push(p);
  }
  return kept;
}

type Span = { start: string; end: string; allDay: boolean };

const london = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(ZONE);

/**
 * One occurrence in plain London time: "Tue 1 Dec, 12:00–14:00"; the year is added when it is not this year's;
 * all-day ones are dates ("Sat 3 Apr", "Sat 3 – Sun 4 Apr").
 */
export function formatSpan(span: Span, now: Date): string {
  const start = london(span.start);
  const end = london(span.end);
  const thisYear = DateTime.fromJSDate(now, { zone: ZONE }).year;
  const day = (d: DateTime) => d.toFormat(d.year === thisYear ? 'ccc d LLL' : 'ccc d LLL yyyy');
  if (span.allDay) {
    const last = end.minus({ days: 1 });
    return last.toISODate() === start.toISODate() || last < start ? day(start) : `${day(start)} – ${day(last)}`;
  }
  if (start.toISODate() !== end.toISODate())
    return `${day(start)}, ${start.toFormat('HH:mm')} – ${day(end)}, ${end.toFormat('HH:mm')}`;
  return `${day(start)}, ${start.toFormat('HH:mm')}–${end.toFormat('HH:mm')}`;
}

/** "Next: Tue 1 Dec, 12:00–14:00", or the schedule text for standing services. */
export function formatWhen(result: SearchResult, now: Date): string | undefined {
  if (result.next) {
    const next = `Next: ${formatSpan(result.next, now)}`;
    return result.scheduleText ? `${next} (${result.scheduleText})` : next;
  }
  return result.scheduleText ?? undefined;
}

export function formatWhere(result: SearchResult): string | undefined {
  const online = result.attendingTypes.includes('online');
  const phone = result.attendingTypes.includes('phone');
  const inPerson = result.attendingTypes.includes('in_person') || (!online && !phone);
  const parts: string[] = [];
  if (inPerson && (result.venue || result.ward || result.postcode)) {
    const place = [result.venue, result.ward].filter(Boolean).join(', ');
    parts.push(place || result.postcode || '');
    if (result.distanceKm !== null)
      parts.push(`${result.distanceKm < 1 ? result.distanceKm.toFixed(1) : Math.round(result.distanceKm)} km away`);
    if (result.access.includes('step_free')) parts.push('step-free');
    else if (result.access.includes('wheelchair_accessible')) parts.push('wheelchair accessible');
  }
  if (online) parts.push('online');
  if (phone) parts.push('by phone');
  return parts.length ? capitalise(parts.filter(Boolean).join(' · ')) : undefined;
}

export function formatCostAndJoin(result: SearchResult): string | undefined {
  const parts = [result.cost, result.howToJoin ? words(result.howToJoin, HOW_TO_JOIN_WORDS) : null].filter(
    (p): p is string => !!p,
  );
  return parts.length ? parts.join(' · ') : undefined;
}

export function formatContact(result: SearchResult): string | undefined {
  const { name, phone, email } = result.contact;
  const parts = [phone ? `Call ${phone}` : null, email ?? null].filter((p): p is string => !!p);
  if (parts.length === 0) return result.url ? undefined : name ? `Contact: ${name}` : undefined;
  return `${name ? `${name}: ` : ''}${parts.join(' · ')}`;
}

/** Whole months between a YYYY-MM-DD date and now (London). */
export function monthsSince(date: string, now: Date): number {
  const then = DateTime.fromISO(date, { zone: ZONE });
  if (!then.isValid) return 0;
  return Math.max(0, Math.floor(DateTime.fromJSDate(now, { zone: ZONE }).diff(then, 'months').months));
}

export const STALE_AFTER_MONTHS = 12;

/** "Last confirmed 14 months ago", flagged with ⚠ past a year; undefined when the source never said. */
export function formatConfirmed(lastConfirmed: string | null, now: Date): string | undefined {
  if (!lastConfirmed) return undefined;
  const months = monthsSince(lastConfirmed, now);
  const ago =
    months === 0
      ? 'this month'
      : months < 24
        ? `${months} month${months === 1 ? '' : 's'} ago`
        : `${Math.floor(months / 12)} years ago`;
  return months > STALE_AFTER_MONTHS
    ? `⚠ Last confirmed ${ago}: check before sending someone`
    : `Last confirmed ${ago}`;
}

export function formatAccess(codes: string[]): string[] {
  return codes.map((c) => words(c, ACCESS_WORDS));
}

/**
 * What the search understood, as a heading: "Lunch clubs · Kentish Town · Tuesdays · free · step-free".
 * Undefined when nothing was recognised beyond free words.
 */
export function describeUnderstood(u: Understood): string | undefined {
  const parts: string[] = [];
  if (u.categories.length) parts.push(capitalise(u.categories.join(', ')));
  // Free words are shown as typed (quoted), so "mecc" is not mistaken for a name we made up.
  const plain = (u.slots ?? u.terms.map((text) => ({ text, concept: undefined })))
    .filter((x) => !x.concept)
    .map((x) => x.text);
  if (plain.length && !u.categories.length) parts.push(`“${plain.join(' ')}”`);
  if (u.kinds.length) {
    const kinds = u.kinds.map((k) => words(k, KIND_WORDS)).join(' and ');
    parts.push(parts.length ? kinds : capitalise(kinds));
  }
  if (u.audiences.length) parts.push(`for ${u.audiences.map((a) => words(a, AUDIENCE_WORDS)).join(', ')}`);
  if (u.place) parts.push(u.place.label);
  if (u.weekdays?.length)
    parts.push(
      u.weekdays
        .map((d) => WEEKDAYS[d] ?? '')
        .filter(Boolean)
        .join(', '),
    );
  if (u.when) parts.push(u.when.label);
  if (u.timeOfDay) parts.push(`${u.timeOfDay}s`);
  if (u.free) parts.push('free');
  else if (u.maxCost !== undefined) parts.push(`under £${u.maxCost}`);
  for (const a of u.access) parts.push(words(a, ACCESS_SHORT));
  for (const l of u.languages) parts.push(`${capitalise(l)} speaking`);
  for (const f of u.formats) parts.push(words(f, FORMAT_WORDS));
  return parts.length ? parts.join(' · ') : undefined;
}

const FIELD_WORDS = {
  title: 'in the title',
  category: 'in its categories',
  organisation: 'in the organisation',
  description: 'in the description',
} as const;

/** Why a result matched, in one short line: "Why: “lunch club” in the title · befriending · 0.4 km away". */
export function formatWhy(why: Why | undefined): string | undefined {
  if (!why) return undefined;
  const parts: string[] = [];
  if (why.title === 'exact') parts.push('the title is what you asked for');
  for (const w of why.words)
    if (why.title !== 'exact' || w.field !== 'title') parts.push(`“${w.text}” ${FIELD_WORDS[w.field]}`);
  for (const key of why.concepts) {
    const concept = conceptByKey(key);
    const label = concept?.label ?? key;
    parts.push(
      concept?.facet === 'audience'
        ? `for ${label}`
        : concept?.facet === 'language'
          ? `in ${label}`
          : `${label} (a related word)`,
    );
  }
  for (const key of why.wider ?? [])
    parts.push(`${conceptByKey(key)?.label.toLowerCase() ?? key} (the nearest listed)`);
  for (const c of why.corrected) parts.push(`read “${c.typed}” as “${c.read}”`);
  if (why.distanceKm !== null)
    parts.push(`${why.distanceKm < 1 ? why.distanceKm.toFixed(1) : Math.round(why.distanceKm)} km away`);
  return parts.length ? `Why: ${parts.join(' · ')}` : undefined;
}
