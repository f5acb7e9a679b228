import fs from 'node:fs';
import type http from 'node:http';
import { DateTime } from 'luxon';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { listingPageUrl } from '../../../src/catalogue/pages/listing-url.ts';
import { fixedClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { silentLogger } from '../../../src/logger.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-11-24T10:15:00Z');
const PUBLIC_URL = 'https://signpost.example.org';
const AXE = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

type Listing = { id: string; name: string; latitude: number; longitude: number; next: Date };

async function pickListings(store: TestStore, count: number): Promise<Listing[]> {
  const { rows } = await store.sql.query<{
    id: string;
    name: string;
    latitude: number;
    longitude: number;
    next: Date | string;
  }>(
    `SELECT s.id, s.name, l.latitude, l.longitude,
       (SELECT min(o.start) FROM occurrence o WHERE o.service_id = s.id AND o.status <> 'cancelled' AND o."end" > $1) AS next
     FROM service s JOIN location l ON l.id = s.location_id
     WHERE s.status = 'active' AND s.removed_at IS NULL AND l.latitude IS NOT NULL AND s.url IS NOT NULL
       AND EXISTS (SELECT 1 FROM occurrence o WHERE o.service_id = s.id AND o."end" > $1)
     ORDER BY s.name LIMIT $2`,
    [NOW, count],
  );
  expect(rows.length).toBe(count);
  return rows.map((r) => ({ ...r, next: new Date(r.next) }));
}

describe.each(STORE_KINDS)('listing pages on %s', (kind) => {
  let store: TestStore;
  let server: http.Server;
  let base: string;
  let open: Listing;
  let hostile: Listing;
  let closed: Listing;
  let removed: Listing;

  beforeAll(async () => {
    store = await openTestStore(kind);
    await seedDemo(store, NOW);
    [open, hostile, closed, removed] = (await pickListings(store, 4)) as [Listing, Listing, Listing, Listing];
    // Untrusted catalogue text, as a feed could deliver it.
    await store.sql.query(
      `UPDATE service SET name = '<script>alert(1)</script>', url = 'javascript:alert(1)',
         description = 'Tea & <img src=x onerror=alert(2)> "cake" ' || $2, contact_name = '<b>Sam</b>' WHERE id = $1`,
      [hostile.id, 'Unbroken'.repeat(40)],
    );
    await store.sql.query(`UPDATE service SET status = 'closed' WHERE id = $1`, [closed.id]);
    await store.sql.query(`UPDATE service SET removed_at = $2 WHERE id = $1`, [
      removed.id,
      new Date('2026-11-03T09:00:00Z'),
    ]);
    const config = { ...loadConfig({ DATABASE_URL: 'pglite:memory', PUBLIC_URL: `${PUBLIC_URL}/` }), teams: null };
    const app = await createApp({ config, store, clock: fixedClock(NOW), logger: silentLogger });
    server = createHttpServer(app.routes, silentLogger);
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  }, 120_000);
  afterAll(async () => {
    server?.close();
    await store?.close();
  });

  const expectPageHeaders = (res: Response) => {
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline|https?:/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('set-cookie')).toBeNull();
  };

  it('builds listing page addresses from PUBLIC_URL', () => {
    expect(listingPageUrl(`${PUBLIC_URL}/`, open.id)).toBe(`${PUBLIC_URL}/l/${open.id}`);
  });

  it('serves one listing: title, next sessions in London time, the venue on OpenStreetMap, no scripts, nothing from elsewhere', async () => {
    const res = await fetch(`${base}/l/${open.id}`);
    expect(res.status).toBe(200);
    expectPageHeaders(res);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>\n<html lang="en-GB">/);
    expect(html).toContain(`<h1>${open.name.replace(/&/g, '&amp;').replace(/'/g, '&#39;')}</h1>`);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    for (const heading of ['When', 'Where', 'Cost', 'Access', 'How to join', 'Contact', 'Last confirmed'])
      expect(html).toContain(`>${heading}</h2>`);
    const next = DateTime.fromJSDate(open.next, { zone: 'Europe/London' }).setLocale('en-GB');
    expect(html).toContain(next.toFormat('cccc d LLLL yyyy'));
    expect(html).toContain(
      `https://www.openstreetmap.org/?mlat=${open.latitude.toFixed(5)}&amp;mlon=${open.longitude.toFixed(5)}`,
    );
    expect(html).toContain(`This page: <span class="url">${PUBLIC_URL}/l/${open.id}</span>`);
    expect(html).not.toMatch(/<script|<iframe|<img|<link|<form|\son[a-z]+=/i);
    // Every link goes within the page or is a plain link out; nothing is loaded from anywhere.
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(#[a-z]+|https?:\/\/)/);
    expect(html).not.toMatch(/\ssrc=/);

    const head = await fetch(`${base}/l/${open.id}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${base}/l/${open.id}`, { method: 'POST' })).status).toBe(405);
  });

  it('writes catalogue text as text: a script title, a javascript: address and markup in the description never become markup or links', async () => {
    const res = await fetch(`${base}/l/${hostile.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;: Signpost</title>');
    expect(html).toContain('Tea &amp; &lt;img src=x onerror=alert(2)&gt; &quot;cake&quot;');
    expect(html).toContain('&lt;b&gt;Sam&lt;/b&gt;');
    expect(html).toContain('<span class="url">javascript:alert(1)</span>');
    expect(html).not.toMatch(/<script|<img|<b>|href="javascript/i);
  });

  it('says plainly that a closed or removed listing has gone (410), and that an unknown id was never here (404)', async () => {
    const gone = await fetch(`${base}/l/${closed.id}`);
    expect(gone.status).toBe(410);
    expectPageHeaders(gone);
    expect(await gone.text()).toContain('This has closed: it no longer runs.');

    const taken = await fetch(`${base}/l/${removed.id}`);
    expect(taken.status).toBe(410);
    const text = await taken.text();
    expect(text).toContain('This is no longer listed.');
    expect(text).toContain('3 November 2026');

    for (const path of [
      '/l/00000000-0000-4000-8000-000000000000',
      '/l/not-an-id',
      '/l/',
      '/l',
      '/l/%E0%A4%A',
      `/l/${open.id}x`,
      '/l/%3Cscript%3E',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expectPageHeaders(res);
      const html = await res.text();
      expect(html).toContain('We could not find that listing');
      expect(html).not.toContain('<script');
    }
  });

  it.runIf(kind === 'pglite')(
    'passes axe-core in headless Chromium, at 100%, 200% and 400% zoom, and prints without its navigation',
    async () => {
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        // As served: the page's own CSP in force, so this proves the inline stylesheet is allowed and nothing else loads.
        {
          const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
          const requests: string[] = [];
          const consoleErrors: string[] = [];
          page.on('request', (r) => requests.push(r.url()));
          page.on('console', (m) => {
            if (m.type() === 'error') consoleErrors.push(m.text());
          });
          await page.goto(`${base}/l/${open.id}`);
          expect(requests).toEqual([`${base}/l/${open.id}`]);
          expect(consoleErrors).toEqual([]);
          expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('main')).maxWidth`)).toBe(
            '736px',
          );
          await page.keyboard.press('Tab');
          expect(await page.evaluate<string>(`document.activeElement.className`)).toBe('skip-link');
          expect(
            await page.evaluate<number>(`document.activeElement.getBoundingClientRect().top`),
          ).toBeGreaterThanOrEqual(0);
          expect(await page.evaluate<string>(`getComputedStyle(document.activeElement).outlineStyle`)).toBe('solid');
          await page.close();
        }

        // axe-core is injected as a script, which the page's CSP rightly refuses: these contexts bypass it.
        type Violation = { id: string; impact: string | null; help: string; nodes: unknown[] };
        const audit = async (path: string, viewport: { width: number; height: number }, deviceScaleFactor = 1) => {
          const context = await browser.newContext({ bypassCSP: true, viewport, deviceScaleFactor });
          const page = await context.newPage();
          const res = await page.goto(`${base}${path}`);
          await page.addScriptTag({ content: AXE });
          const violations = await page.evaluate<Violation[]>(
            `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target) })))`,
          );
          const overflow = await page.evaluate<number>(
            `document.documentElement.scrollWidth - document.documentElement.clientWidth`,
          );
          return { status: res?.status(), violations, overflow, page, context };
        };

        const runs = [
          { path: `/l/${open.id}`, viewport: { width: 1280, height: 900 }, scale: 1, status: 200 },
          // 200% zoom of a 1280 px window: half the CSS pixels, each drawn twice as large.
          { path: `/l/${open.id}`, viewport: { width: 640, height: 450 }, scale: 2, status: 200 },
          // 400% (WCAG reflow: 320 CSS px wide) with the hostile listing's long unbroken words.
          { path: `/l/${hostile.id}`, viewport: { width: 320, height: 256 }, scale: 4, status: 200 },
          { path: `/l/${closed.id}`, viewport: { width: 1280, height: 900 }, scale: 1, status: 410 },
          { path: '/l/not-an-id', viewport: { width: 640, height: 450 }, scale: 2, status: 404 },
        ];
        for (const run of runs) {
          const { status, violations, overflow, context } = await audit(run.path, run.viewport, run.scale);
          expect(status, run.path).toBe(run.status);
          expect(
            violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
            `${run.path} at ${run.viewport.width}px`,
          ).toEqual([]);
          expect(overflow, `horizontal scrolling at ${run.viewport.width}px`).toBeLessThanOrEqual(0);
          await context.close();
        }

        // Print: no navigation or skip link, and links written out after their text.
        {
          const page = await browser.newPage();
          await page.goto(`${base}/l/${open.id}`);
          await page.emulateMedia({ media: 'print' });
          expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('nav')).display`)).toBe('none');
          expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('.skip-link')).display`)).toBe(
            'none',
          );
          const after = await page.evaluate<string>(
            `getComputedStyle(document.querySelector('a[href^="https://www.openstreetmap.org"]'), '::after').content`,
          );
          expect(after).toContain('https://www.openstreetmap.org/?mlat=');
          // A link that shows its own address is not written out twice.
          expect(
            await page.evaluate<string>(`getComputedStyle(document.querySelector('a.url'), '::after').content`),
          ).toBe('none');
          const pdf = await page.pdf({ format: 'A4' });
          expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
          await page.emulateMedia({ media: 'screen' });
          expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('nav')).display`)).not.toBe(
            'none',
          );
          await page.close();
        }
      } finally {
        await browser.close();
      }
    },
    180_000,
  );
});
