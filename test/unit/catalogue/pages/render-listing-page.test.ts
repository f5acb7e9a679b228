import { describe, expect, it } from 'vitest';
import { escapeHtml, toSafeHref } from '../../../../src/catalogue/pages/escape-html.ts';
import {
  describeSpan,
  renderGonePage,
  renderListingPage,
  renderNotFoundPage,
} from '../../../../src/catalogue/pages/render-listing-page.ts';
import { buildResult } from '../../../helpers/build-result.ts';

const NOW = new Date('2026-11-24T10:15:00Z');
const context = { now: NOW, pageUrl: 'https://signpost.example.org/l/x' };
const body = (html: string) => html.slice(html.indexOf('<body>'));

describe('escaping', () => {
  it('escapes the five characters that matter in content and in quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('lets only absolute http and https addresses become links', () => {
    expect(toSafeHref('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(toSafeHref(' http://example.org ')).toBe('http://example.org/');
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\nscript:alert(1)',
      'data:text/html,<b>',
      'vbscript:x',
      '//example.org',
      '/l/x',
      'mailto:a@b.org',
      'https://',
      '',
      null,
    ]) {
      expect(toSafeHref(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('listing page', () => {
  it('writes sessions out in London time, across the clock change', () => {
    expect(describeSpan({ start: '2026-12-01T12:00:00+00:00', end: '2026-12-01T14:30:00+00:00', allDay: false })).toBe(
      'Tuesday 1 December 2026, 12 noon to 2:30pm',
    );
    // 09:30 UTC in July is 10:30 in London (BST).
    expect(describeSpan({ start: '2027-07-06T09:30:00Z', end: '2027-07-06T11:00:00Z', allDay: false })).toBe(
      'Tuesday 6 July 2027, 10:30am to 12 noon',
    );
    expect(describeSpan({ start: '2027-03-27T00:00:00+00:00', end: '2027-03-28T00:00:00+00:00', allDay: true })).toBe(
      'Saturday 27 March 2027, all day',
    );
    expect(describeSpan({ start: '2027-03-27T00:00:00+00:00', end: '2027-03-29T00:00:00+01:00', allDay: true })).toBe(
      'Saturday 27 March 2027 to Sunday 28 March 2027',
    );
  });

  it('has the landmarks, one h1, a skip link and every section a resident needs', () => {
    const html = renderListingPage(buildResult(), { latitude: 51.5491, longitude: -0.1419 }, context);
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toMatch(/<a class="skip-link" href="#main">/);
    for (const tag of ['<header>', '<nav aria-label="On this page">', '<main id="main">', '<footer>'])
      expect(html).toContain(tag);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect([...html.matchAll(/<h2 id="[a-z]+">([^<]+)<\/h2>/g)].map((m) => m[1])).toEqual([
      'When',
      'Where',
      'Cost',
      'Access',
      'Who it is for',
      'Languages',
      'How to join',
      'Contact',
      'Last confirmed',
    ]);
    expect(html).toContain('Tuesday 1 December 2026, 12 noon to 2pm');
    expect(html).toContain('Kentish Town Community Centre<br>17 Busby Place, London<br>NW5 2SP');
    expect(html).toContain(
      'href="https://www.openstreetmap.org/?mlat=51.54910&amp;mlon=-0.14190#map=18/51.54910/-0.14190"',
    );
    expect(html).toContain('You can just turn up.');
    expect(html).toContain('Last confirmed on 1 September 2026.');
    expect(html).toContain('This page: <span class="url">https://signpost.example.org/l/x</span>');
  });

  it('leaves out a postcode the address already gives, says where an online-only listing is, and warns when details are old', () => {
    const html = body(
      renderListingPage(
        buildResult({ venue: null, address: '17 Busby Place, London NW5 2SP', postcode: 'NW5 2SP', ward: null }),
        null,
        context,
      ),
    );
    expect(html).toContain('<p>17 Busby Place, London NW5 2SP</p>');
    expect(html).not.toContain('openstreetmap');

    const online = body(
      renderListingPage(
        buildResult({
          venue: null,
          address: null,
          postcode: null,
          ward: null,
          attendingTypes: ['online', 'phone'],
          lastConfirmed: '2025-01-10',
          upcoming: [],
          next: null,
          scheduleText: null,
        }),
        null,
        context,
      ),
    );
    expect(online).toContain('<p>Online and by phone.</p>');
    expect(online).toContain('No dates are listed.');
    expect(online).toContain('That is over a year ago: check before you go.');
  });

  it('says when a listing is closed for now or carries an alert, and marks demonstration listings', () => {
    const html = body(
      renderListingPage(
        buildResult({ status: 'temporarily_closed', alert: 'No session on 8 December', isDemo: true }),
        null,
        context,
      ),
    );
    expect(html).toContain('This is closed for now.');
    expect(html).toContain('No session on 8 December');
    expect(html).toContain('demonstration listing');
  });

  it('writes gone and unknown listings as short pages with one h1', () => {
    const closed = renderGonePage({ state: 'closed', title: 'Knit & Natter' }, context);
    expect(closed).toContain('<h1>Knit &amp; Natter</h1>');
    expect(closed).toContain('This has closed: it no longer runs.');
    const removed = renderGonePage(
      { state: 'removed', title: 'Chess club', removedAt: new Date('2026-03-29T23:30:00Z') },
      context,
    );
    // 23:30 UTC on 29 March is 00:30 on 30 March in London.
    expect(removed).toContain('30 March 2026');
    const unknown = renderNotFoundPage();
    expect(unknown.match(/<h1>/g)).toHaveLength(1);
    expect(unknown).not.toContain('<nav');
  });
});
