import { describeTrust } from '../trust/describe-trust.ts';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import { ACCESS_WORDS, AUDIENCE_WORDS, FORMAT_WORDS, HOW_TO_JOIN_WORDS, sentenceCase } from '../labels.ts';
import type { SearchResult } from '../search/types.ts';
import { escapeHtml, toSafeHref } from './escape-html.ts';
import type { ListingState } from './listing-state.ts';

/** The page's one stylesheet, inlined so the page makes no request at all; the CSP allows it by its hash. */
const CSS = fs.readFileSync(new URL('./listing-page.css', import.meta.url), 'utf8').trim();
const CSS_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

/**
 * No scripts, no frames, no forms, nothing fetched from anywhere: the one inline stylesheet (by hash) and images only
 * from this server or data: URLs.
 */
export const LISTING_PAGE_CSP = `default-src 'none'; style-src '${CSS_HASH}'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** After this many months without confirmation the page says to check before going. */
const STALE_AFTER_MONTHS = 12;

export type ListingPageContext = {
  now: Date;
  /** This page's own full address (from PUBLIC_URL), printed in the footer so a paper copy leads back to it. */
  pageUrl: string;
};

type Span = { start: string; end: string; allDay: boolean };

const london = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(ZONE);

/** "10am", "10:30am", "12 noon", "12 midnight". */
function clockTime(d: DateTime): string {
  if (d.hour === 12 && d.minute === 0) return '12 noon';
  if (d.hour === 0 && d.minute === 0) return '12 midnight';
  const hour = d.hour % 12 === 0 ? 12 : d.hour % 12;
  return `${hour}${d.minute ? `:${String(d.minute).padStart(2, '0')}` : ''}${d.hour < 12 ? 'am' : 'pm'}`;
}

const longDay = (d: DateTime) => d.setLocale('en-GB').toFormat('cccc d LLLL yyyy');

/** One session in words, London time: "Tuesday 1 December 2026, 10:30am to 12 noon". */
export function describeSpan(span: Span): string {
  const start = london(span.start);
  const end = london(span.end);
  if (span.allDay) {
    const last = end.minus({ days: 1 });
    return last <= start || last.toISODate() === start.toISODate()
      ? `${longDay(start)}, all day`
      : `${longDay(start)} to ${longDay(last)}`;
  }
  if (start.toISODate() !== end.toISODate())
    return `${longDay(start)}, ${clockTime(start)} to ${longDay(end)}, ${clockTime(end)}`;
  return `${longDay(start)}, ${clockTime(start)} to ${clockTime(end)}`;
}

const word = (code: string, table: Record<string, string>) => table[code] ?? code.replace(/_/g, ' ');
const e = escapeHtml;

function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n|\r\n\s*\r\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${e(p).replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');
}

function list(items: string[]): string {
  return `<ul>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
}

/** A link when the address is http or https, otherwise the address as plain text. */
function linkOrText(address: string, label?: string): string {
  const href = toSafeHref(address);
  if (!href) return `<span class="url">${e(address)}</span>`;
  return `<a class="url" href="${e(href)}">${e(label ?? address)}</a>`;
}

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
${body}
</body>
</html>
`;
}

function header(nav: { id: string; label: string }[]): string {
  const links = nav.length
    ? `\n<nav aria-label="On this page"><ul>${nav.map((n) => `<li><a href="#${n.id}">${e(n.label)}</a></li>`).join('')}</ul></nav>`
    : '';
  return `<header>\n<p class="site">Signpost: activities and support in Camden</p>${links}\n</header>`;
}

function footer(pageUrl: string | undefined): string {
  const address = pageUrl ? `<p>This page: <span class="url">${e(pageUrl)}</span></p>` : '';
  return `<footer>\n<p>From Signpost, Camden’s directory of local activities and support. Details change: check with the organiser before you go.</p>\n${address}\n</footer>`;
}

function confirmedText(lastConfirmed: string | null, now: Date): { text: string; stale: boolean } {
  if (!lastConfirmed) return { text: 'The organiser has not confirmed these details with us yet.', stale: true };
  const then = DateTime.fromISO(lastConfirmed, { zone: ZONE });
  if (!then.isValid) return { text: 'The organiser has not confirmed these details with us yet.', stale: true };
  const months = Math.floor(DateTime.fromJSDate(now, { zone: ZONE }).diff(then, 'months').months);
  const stale = months > STALE_AFTER_MONTHS;
  return {
    text: `Last confirmed on ${then.setLocale('en-GB').toFormat('d LLLL yyyy')}.${stale ? ' That is over a year ago: check before you go.' : ''}`,
    stale,
  };
}

/** The venue, address and postcode as lines, leaving out one already written in an earlier line (a postcode in the address). */
function addressLines(parts: (string | null)[]): string[] {
  const squash = (t: string) => t.toLowerCase().replace(/[\s,.]+/g, '');
  const kept: string[] = [];
  for (const part of parts) {
    const text = part?.trim();
    if (text && !kept.some((k) => squash(k).includes(squash(text)))) kept.push(text);
  }
  return kept;
}

/** The venue on OpenStreetMap: a plain link, so nothing is fetched until the reader follows it. */
export function openStreetMapUrl(c: { latitude: number; longitude: number }): string {
  const lat = c.latitude.toFixed(5);
  const lon = c.longitude.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=18/${lat}/${lon}`;
}

/** One listing as a whole page, for a resident to read on a phone or on paper. */
export function renderListingPage(
  result: SearchResult,
  place: Extract<ListingState, { state: 'listed' }>['coordinates'],
  context: ListingPageContext,
): string {
  const sections: { id: string; label: string; html: string }[] = [];
  const add = (id: string, label: string, html: string) => {
    if (html.trim()) sections.push({ id, label, html });
  };

  const sessions = result.upcoming.length ? result.upcoming : result.next ? [result.next] : [];
  {
    const parts: string[] = [];
    if (sessions.length) {
      parts.push(`<p>${sessions.length === 1 ? 'Next session:' : 'Next sessions:'}</p>`);
      parts.push(
        `<ul>${sessions.map((s) => `<li><time datetime="${e(s.start)}">${e(describeSpan(s))}</time></li>`).join('')}</ul>`,
      );
      if (result.scheduleText) parts.push(`<p>Usually: ${e(result.scheduleText)}</p>`);
    } else if (result.scheduleText) {
      parts.push(`<p>${e(result.scheduleText)}</p>`);
    } else {
      parts.push('<p>No dates are listed. Contact the organiser to ask when it runs.</p>');
    }
    parts.push('<p class="muted">Times are London time.</p>');
    add('when', 'When', parts.join('\n'));
  }

  {
    const online = result.attendingTypes.includes('online');
    const phone = result.attendingTypes.includes('phone');
    const lines = addressLines([result.venue, result.address, result.postcode]);
    const parts: string[] = [];
    if (lines.length) parts.push(`<p>${lines.map(e).join('<br>')}</p>`);
    if (result.ward) parts.push(`<p>${e(result.ward)} ward</p>`);
    if (place) parts.push(`<p><a href="${e(openStreetMapUrl(place))}">See where it is on OpenStreetMap</a></p>`);
    const also = [online ? FORMAT_WORDS.online : '', phone ? FORMAT_WORDS.phone : ''].filter(Boolean);
    if (also.length)
      parts.push(`<p>${lines.length ? `Also ${also.join(' and ')}` : sentenceCase(also.join(' and '))}.</p>`);
    if (!parts.length) parts.push('<p>No place is listed. Contact the organiser to ask where it is.</p>');
    add('where', 'Where', parts.join('\n'));
  }

  add('cost', 'Cost', result.cost ? `<p>${e(result.cost)}</p>` : '<p>No cost is listed. Ask the organiser.</p>');

  {
    const features = result.access.map((a) => word(a, ACCESS_WORDS));
    const parts = [
      features.length ? list(features) : '',
      result.accessNote ? paragraphs(result.accessNote) : '',
    ].filter(Boolean);
    add(
      'access',
      'Access',
      parts.length
        ? parts.join('\n')
        : '<p>No access information is listed. Ask the organiser what you need to know.</p>',
    );
  }

  if (result.audiences.length)
    add(
      'who',
      'Who it is for',
      `<p>${e(sentenceCase(result.audiences.map((a) => word(a, AUDIENCE_WORDS)).join(', ')))}</p>`,
    );
  if (result.languages.length)
    add('languages', 'Languages', `<p>${e(result.languages.map(sentenceCase).join(', '))}</p>`);

  add(
    'join',
    'How to join',
    result.howToJoin
      ? `<p>${e(word(result.howToJoin, HOW_TO_JOIN_WORDS))}.</p>`
      : '<p>Contact the organiser to ask how to join.</p>',
  );

  {
    const { name, phone, email } = result.contact;
    const items: string[] = [];
    if (name) items.push(`<li>${e(name)}</li>`);
    if (phone) items.push(`<li>Phone: ${e(phone)}</li>`);
    if (email) items.push(`<li>Email: <span class="url">${e(email)}</span></li>`);
    if (result.url) items.push(`<li>Website: ${linkOrText(result.url)}</li>`);
    if (result.organisation) items.push(`<li>Run by ${e(result.organisation)}</li>`);
    add('contact', 'Contact', items.length ? `<ul>${items.join('')}</ul>` : '<p>No contact details are listed.</p>');
  }

  const confirmed = confirmedText(result.lastConfirmed, context.now);
  const trust = result.trust ? describeTrust(result.trust, context.now) : undefined;
  add(
    'confirmed',
    'Last confirmed',
    `<p>${e(confirmed.text)}</p>${trust ? `<p class="trust">${e(`${trust.line}.`)}</p>` : ''}`,
  );

  const notices = [
    result.isDemo ? 'This is a demonstration listing, not a real service.' : '',
    result.trust?.openReports.closed ? 'We have been told this may have closed. Please call before you go.' : '',
    result.trust?.feedFailing || result.trust?.openReports.wrongDetails
      ? 'Some of these details may be out of date. Please call before you go.'
      : '',
    result.status === 'temporarily_closed' ? 'This is closed for now.' : '',
    result.alert ?? '',
  ].filter(Boolean);

  const main = [
    `<h1>${e(result.title)}</h1>`,
    ...notices.map((n) => `<p class="notice"><strong>${e(n)}</strong></p>`),
    result.description ? `<div class="lede">${paragraphs(result.description)}</div>` : '',
    ...sections.map(
      (s) => `<section aria-labelledby="${s.id}">\n<h2 id="${s.id}">${e(s.label)}</h2>\n${s.html}\n</section>`,
    ),
  ]
    .filter(Boolean)
    .join('\n');

  return document(
    `${result.title}: Signpost`,
    `${header(sections.map(({ id, label }) => ({ id, label })))}\n<main id="main">\n${main}\n</main>\n${footer(context.pageUrl)}`,
  );
}

/** A listing that was here once: it has closed, or its source no longer lists it. */
export function renderGonePage(state: Exclude<ListingState, { state: 'listed' }>, context: ListingPageContext): string {
  const what =
    state.state === 'closed'
      ? `<p class="lede">This has closed: it no longer runs.</p>`
      : `<p class="lede">This is no longer listed. It was taken off the directory on ${e(
          DateTime.fromJSDate(state.removedAt, { zone: ZONE }).setLocale('en-GB').toFormat('d LLLL yyyy'),
        )}, so it may have stopped or moved.</p>`;
  return document(
    `No longer running: ${state.title}: Signpost`,
    `${header([])}\n<main id="main">\n<h1>${e(state.title)}</h1>\n${what}\n<p>Ask the person who gave you this link for something similar: they can search Signpost for other activities and support nearby.</p>\n</main>\n${footer(context.pageUrl)}`,
  );
}

/** An id that is not, and never was, a listing: a mistyped or cut-off link. */
export function renderNotFoundPage(): string {
  return document(
    'Listing not found: Signpost',
    `${header([])}\n<main id="main">\n<h1>We could not find that listing</h1>\n<p class="lede">The link may be mistyped or cut short.</p>\n<p>Check that the address is complete: a listing page address ends in a long code of letters, numbers and dashes. If it came in a message or on paper, ask the person who gave it to you for the link again.</p>\n</main>\n${footer(undefined)}`,
  );
}
