import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyImport } from '../../../src/catalogue/ingest/apply-import.ts';
import { SESSION_SLOT_SQL } from '../../../src/catalogue/search/search-queries.ts';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { FeedRefusedError, parseIcal } from '../../../src/catalogue/ingest/parse-ical.ts';
import { PrismaCatalogueRepository } from '../../../src/catalogue/prisma-catalogue-repository.ts';
import { createLogger, silentLogger } from '../../../src/logger.ts';
import type { Sql } from '../../../src/db/sql.ts';
import { buildIcs, type TestEvent } from '../../helpers/ics.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

const lunch: TestEvent = {
  uid: 'lunch-1@partner.example',
  summary: 'Kentish Town lunch club',
  start: '20261201T120000',
  end: '20261201T140000',
  rrule: 'FREQ=WEEKLY;BYDAY=TU',
  extra: [
    "LOCATION:Queen's Crescent Community Centre\\, NW5 4BH",
    'ORGANIZER;CN=Jo Bloggs:mailto:jo.bloggs@partner.example',
  ],
};
const walk: TestEvent = {
  uid: 'walk-1',
  summary: 'Heath health walk',
  start: '20261205T100000',
  end: '20261205T113000',
};
const fair: TestEvent = { uid: 'fair-1', summary: 'Winter wellbeing fair', start: '20261212', end: '20261213' };

describe.each(STORE_KINDS)('importing iCalendar on %s', (kind) => {
  let store: TestStore;
  let dir: string;
  beforeEach(async () => {
    store = await openTestStore(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-import-'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  /** Each entry's has_sessions / sessions_until / session_slots match its stored occurrences. */
  const sessionSummariesAgree = async () =>
    (
      await store.sql.query<{ ok: boolean }>(
        `SELECT bool_and(s.has_sessions = EXISTS (SELECT 1 FROM occurrence o WHERE o.service_id = s.id)
           AND s.sessions_until IS NOT DISTINCT FROM
             (SELECT max(o."end") FROM occurrence o WHERE o.service_id = s.id AND o.status <> 'cancelled')
           AND s.session_slots = ARRAY(SELECT DISTINCT ${SESSION_SLOT_SQL('o.start')} FROM occurrence o
             WHERE o.service_id = s.id AND o.status <> 'cancelled' ORDER BY 1)) AS ok
         FROM service s`,
      )
    ).rows[0]!.ok;
  const snapshot = async () =>
    (
      await store.sql.query<{ row: string }>(
        `SELECT s.external_id || '|' || s.name || '|' || coalesce(s.removed_at::text, '') || '|' ||
                coalesce(string_agg(o.id::text || o.key || o.status, ',' ORDER BY o.key), '') AS row
         FROM service s LEFT JOIN occurrence o ON o.service_id = s.id GROUP BY s.id ORDER BY s.external_id`,
      )
    ).rows.map((r) => r.row);

  it('creates entries and expands occurrences, then changes nothing on a second import', async () => {
    const file = write('partner.ics', buildIcs([lunch, walk, fair]));
    const first = await importSource(store, { input: file, now: NOW }, silentLogger);
    expect(first).toEqual({
      source: 'partner',
      format: 'ical',
      created: 3,
      updated: 0,
      unchanged: 0,
      removed: 0,
      rejected: [],
    });
    const before = await snapshot();

    const second = await importSource(store, { input: file, now: NOW }, silentLogger);
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 3, removed: 0, rejected: [] });
    expect(await snapshot()).toEqual(before);

    const repo = new PrismaCatalogueRepository(store.prisma);
    const occ = await repo.listOccurrences({
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2026-12-16T00:00:00Z'),
    });
    expect(occ.map((o) => [o.title, o.start, o.end, o.allDay])).toEqual([
      ['Kentish Town lunch club', '2026-12-01T12:00:00+00:00', '2026-12-01T14:00:00+00:00', false],
      ['Heath health walk', '2026-12-05T10:00:00+00:00', '2026-12-05T11:30:00+00:00', false],
      ['Kentish Town lunch club', '2026-12-08T12:00:00+00:00', '2026-12-08T14:00:00+00:00', false],
      ['Winter wellbeing fair', '2026-12-12', '2026-12-13', true],
      ['Kentish Town lunch club', '2026-12-15T12:00:00+00:00', '2026-12-15T14:00:00+00:00', false],
    ]);
    const entries = await repo.listEntries({ source: 'partner' });
    const lunchEntry = entries.find((e) => e.externalId === lunch.uid);
    expect(lunchEntry?.venue?.postcode).toBe('NW5 4BH');
    // Roughly a year of Tuesdays, from the 12-month horizon.
    const count = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM occurrence o JOIN service s ON s.id = o.service_id WHERE s.external_id = $1`,
      [lunch.uid],
    );
    expect(count.rows[0]!.n).toBeGreaterThanOrEqual(52);
    expect(count.rows[0]!.n).toBeLessThanOrEqual(53);
    // Search reads each entry's session summary instead of probing its occurrences.
    expect(await sessionSummariesAgree()).toBe(true);
  });

  it("leaves nothing in the search indexes' pending lists on the embedded store, which has no autovacuum", async () => {
    // What gin_clean_pending_list merges (and returns: its count of pending pages) for the GIN indexes search reads.
    const pendingPages = async () =>
      (
        await store.sql.query<{ pages: number }>(
          `SELECT coalesce(sum(gin_clean_pending_list(i.indexrelid)), 0)::int AS pages
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
           WHERE a.amname = 'gin' AND i.indrelid IN ('service'::regclass, 'location'::regclass, 'organization'::regclass)`,
        )
      ).rows[0]!.pages;
    // Every such index keeps its pending list small wherever it is, so that a writer merges it soon…
    const limits = await store.sql.query<{ name: string; options: string[] | null }>(
      `SELECT c.relname AS name, c.reloptions AS options
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
       WHERE a.amname = 'gin' AND i.indrelid IN ('service'::regclass, 'location'::regclass, 'organization'::regclass)`,
    );
    expect(limits.rows.length).toBeGreaterThanOrEqual(9);
    // …or has none at all (fastupdate off).
    for (const index of limits.rows)
      expect(
        index.options?.some((o) => o === 'gin_pending_list_limit=64' || o === 'fastupdate=off'),
        index.name,
      ).toBe(true);

    // A row written outside an import goes to the pending lists: the count is real.
    await store.sql.query(`INSERT INTO source (name, format) VALUES ('scratch', 'manual')`);
    await store.sql.query(
      `INSERT INTO service (source_id, external_id, kind, name, description, status, content_hash, languages)
       SELECT id, 'scratch-1', 'activity', 'Scratch knitting circle', 'Knit and natter', 'active', 'x', ARRAY['somali']
       FROM source WHERE name = 'scratch'`,
    );
    if (kind === 'pglite') expect(await pendingPages()).toBeGreaterThan(0);
    await store.sql.query(
      `INSERT INTO service (source_id, external_id, kind, name, description, status, content_hash, languages)
       SELECT id, 'scratch-2', 'activity', 'Scratch lunch club', 'Lunch', 'active', 'x', ARRAY['bengali']
       FROM source WHERE name = 'scratch'`,
    );
    await importSource(store, { input: write('partner.ics', buildIcs([lunch, walk, fair])), now: NOW }, silentLogger);
    // The embedded store's import merged them all, its own rows and the one before; a server leaves it to autovacuum.
    if (kind === 'pglite') expect(await pendingPages()).toBe(0);
  });

  it('updates in place, keeps occurrence ids, and marks events gone from the feed as removed', async () => {
    const file = write('partner.ics', buildIcs([lunch, walk]));
    await importSource(store, { input: file, now: NOW }, silentLogger);
    const ids = await store.sql.query<{ id: string; key: string }>(
      `SELECT o.id, o.key FROM occurrence o JOIN service s ON s.id = o.service_id WHERE s.external_id = $1 ORDER BY key`,
      [lunch.uid],
    );

    write('partner.ics', buildIcs([{ ...lunch, summary: 'Kentish Town lunch club (new menu)' }, fair]));
    const report = await importSource(store, { input: file, now: NOW }, silentLogger);
    expect(report).toMatchObject({ created: 1, updated: 1, unchanged: 0, removed: 1 });

    const after = await store.sql.query<{ id: string; key: string }>(
      `SELECT o.id, o.key FROM occurrence o JOIN service s ON s.id = o.service_id WHERE s.external_id = $1 ORDER BY key`,
      [lunch.uid],
    );
    expect(after.rows).toEqual(ids.rows);
    const repo = new PrismaCatalogueRepository(store.prisma);
    const titles = (await repo.listEntries({ source: 'partner' })).map((e) => e.title).sort();
    expect(titles).toEqual(['Kentish Town lunch club (new menu)', 'Winter wellbeing fair']);
    const removed = await repo.listEntries({ source: 'partner', includeRemoved: true });
    expect(removed.map((e) => e.externalId).sort()).toEqual(['fair-1', 'lunch-1@partner.example', 'walk-1']);

    // The walk comes back: updated, not duplicated.
    write('partner.ics', buildIcs([{ ...lunch, summary: 'Kentish Town lunch club (new menu)' }, fair, walk]));
    const back = await importSource(store, { input: file, now: NOW }, silentLogger);
    expect(back).toMatchObject({ created: 0, updated: 1, unchanged: 2, removed: 0 });
    expect(await sessionSummariesAgree()).toBe(true);
  });

  it('rejects a bad record with its reason and imports the rest', async () => {
    const noStart = buildIcs([
      walk,
      { uid: 'no-start', summary: 'Mystery meeting', start: '20261206T100000' },
      fair,
    ]).replace(/DTSTART;TZID=Europe\/London:20261206T100000\r\n/, '');
    const file = write('mixed.ics', noStart);
    const report = await importSource(store, { input: file, now: NOW }, silentLogger);
    expect(report.created).toBe(2);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0]!.ref).toBe('no-start');
    expect(report.rejected[0]!.reason).toMatch(/DTSTART|start/i);
  });

  it('refuses an HTML page served as .ics and leaves the database unchanged', async () => {
    await importSource(store, { input: write('good.ics', buildIcs([walk])), now: NOW }, silentLogger);
    const before = await snapshot();
    const html = fs.readFileSync(new URL('../../fixtures/ical/html-sign-in-page-not-ics.ics', import.meta.url));
    const bad = write('good.ics', html.toString('utf8'));
    await expect(importSource(store, { input: bad, now: NOW }, silentLogger)).rejects.toBeInstanceOf(FeedRefusedError);
    const truncated = write('good.ics', buildIcs([walk, fair]).slice(0, 200));
    await expect(importSource(store, { input: truncated, now: NOW }, silentLogger)).rejects.toBeInstanceOf(
      FeedRefusedError,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('writes nothing when the database fails part-way through an import', async () => {
    const parsed = parseIcal(buildIcs([lunch, walk, fair]), { now: NOW });
    await expect(
      store.transaction(async (tx) => {
        let calls = 0;
        const failing: Sql = {
          ...tx,
          query: async <Row>(text: string, params?: unknown[]) => {
            if (/INSERT INTO occurrence/.test(text) && ++calls === 1) throw new Error('connection reset');
            return tx.query<Row>(text, params);
          },
        };
        // Where the seam writes sessions with COPY, that is where the connection goes.
        if (tx.copyFrom) {
          const copyFrom = tx.copyFrom.bind(tx);
          failing.copyFrom = async (table, columns, rows) => {
            if (table === 'occurrence' && ++calls === 1) throw new Error('connection reset');
            return copyFrom(table, columns, rows);
          };
        }
        return applyImport(failing, { name: 'partner', format: 'ical' }, parsed.entries, [], { now: NOW });
      }),
    ).rejects.toThrow('connection reset');
    const counts = await store.sql.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM source) + (SELECT count(*) FROM service) + (SELECT count(*) FROM occurrence) AS n`,
    );
    expect(Number(counts.rows[0]!.n)).toBe(0);
  });

  it('never writes a personal e-mail address from the feed to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'debug', destination: sink });
    const file = write('partner.ics', buildIcs([lunch]));
    await importSource(store, { input: file, now: NOW }, logger);
    await importSource(store, { input: write('partner.ics', 'not a calendar'), now: NOW }, logger).catch(() => {});
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toMatch(/jo\.bloggs|Jo Bloggs/);
  });
});

describe('importing from a URL', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    nock.disableNetConnect();
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await store.close();
  });

  it('fetches a feed over HTTP and names the source after it', async () => {
    nock('https://calendar.partner.example')
      .get('/camden/events.ics')
      .reply(200, buildIcs([walk, fair]), { 'content-type': 'text/calendar; charset=utf-8', etag: '"v1"' });
    const report = await importSource(
      store,
      { input: 'https://calendar.partner.example/camden/events.ics', now: NOW },
      silentLogger,
    );
    expect(report).toMatchObject({ source: 'calendar.partner.example/camden/events.ics', created: 2 });
    const src = await store.prisma.source.findUniqueOrThrow({ where: { name: report.source } });
    expect(src.etag).toBe('"v1"');
    expect(src.url).toBe('https://calendar.partner.example/camden/events.ics');
  });

  it('refuses a URL that answers with an error or HTML, or cannot be reached', async () => {
    nock('https://calendar.partner.example').get('/gone.ics').reply(404, 'Not found');
    await expect(
      importSource(store, { input: 'https://calendar.partner.example/gone.ics', now: NOW }, silentLogger),
    ).rejects.toThrow(/HTTP 404/);
    nock('https://calendar.partner.example')
      .get('/private.ics')
      .reply(200, '<!DOCTYPE html><html><body>Sign in</body></html>', {
        'content-type': 'text/html',
      });
    await expect(
      importSource(store, { input: 'https://calendar.partner.example/private.ics', now: NOW }, silentLogger),
    ).rejects.toBeInstanceOf(FeedRefusedError);
    await expect(
      importSource(store, { input: 'https://unreachable.partner.example/feed.ics', now: NOW }, silentLogger),
    ).rejects.toBeInstanceOf(FeedRefusedError);
  });
});
