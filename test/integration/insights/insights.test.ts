import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import { PassThrough } from 'node:stream';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation } from '../../../src/bots/core/conversation.ts';
import type { InboundMessage } from '../../../src/bots/core/inbound.ts';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { createDatabaseSearch } from '../../../src/catalogue/search/database-search.ts';
import { fixedClock } from '../../../src/clock.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { createChatInsights } from '../../../src/insights/chat-insights.ts';
import { gapsReport } from '../../../src/insights/gaps-report.ts';
import { createInsightsRoutes } from '../../../src/insights/http/insights-routes.ts';
import { createSqlInsightsRecorder, purgeInsights } from '../../../src/insights/sql-insights-recorder.ts';
import { createLogger } from '../../../src/logger.ts';
import { createFollowUpHooks, createShareRecorder } from '../../../src/insights/chat-follow-ups.ts';
import { createDeliveryQueue } from '../../../src/scheduler/delivery-queue.ts';
import { queueDueFollowUps, tidyFollowUps } from '../../../src/scheduler/follow-ups.ts';
import { createTerminalNotifier } from '../../../src/bots/terminal/terminal-notifier.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

type CorpusItem = { q: string; personal: string[] };
const corpus = JSON.parse(fs.readFileSync('test/fixtures/privacy/questions.json', 'utf8')) as CorpusItem[];
const NOW = new Date('2026-11-24T10:15:00Z');
const TOKEN = 'coordinator-token-for-tests';

/** Every text-like column of every table, concatenated (to look for personal details anywhere in the database). */
async function everyText(store: TestStore): Promise<string> {
  const { rows } = await store.sql.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'ARRAY', 'jsonb', 'json')`,
  );
  const parts: string[] = [];
  for (const r of rows) {
    const { rows: v } = await store.sql.query<{ t: string | null }>(
      `SELECT string_agg("${r.column_name}"::text, ' ') AS t FROM "${r.table_name}"`,
    );
    parts.push(v[0]?.t ?? '');
  }
  return parts.join('\n').toLowerCase();
}

/** Occurrences of `needle` as a whole word (so "Ali" is not found inside "quality"). */
const count = (haystack: string, needle: string) =>
  (
    haystack.match(
      new RegExp(
        `(?<![\\p{L}\\p{N}])${needle.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
        'gu',
      ),
    ) ?? []
  ).length;

describe.each(STORE_KINDS)('insights on %s', (kind) => {
  let store: TestStore;
  let logOutput = '';
  let conversation: ReturnType<typeof createConversation>;
  let before = '';
  let logger: ReturnType<typeof createLogger>;

  beforeAll(async () => {
    store = await openTestStore(kind);
    await seedDemo(store, NOW);
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => (logOutput += chunk.toString()));
    logger = createLogger({ level: 'debug', destination: sink });
    const clock = fixedClock(NOW);
    const shares = createShareRecorder({ store, clock, logger, followUpDays: 14 });
    // Opted in to keeping sanitised questions, so the test also proves the sanitiser on the way into the database.
    const recorder = createSqlInsightsRecorder(store, { logger, keepQuestionsDays: 7 });
    conversation = createConversation({
      search: createDatabaseSearch(store),
      clock,
      logger,
      hooks: {
        insights: createChatInsights({ store, clock, logger, recorder }),
        followUps: createFollowUpHooks({ store, clock, logger, shares }),
      },
    });
    before = await everyText(store);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  const ask = (text: string, isCoordinator = false): InboundMessage => ({
    platform: 'slack',
    userId: 'U123',
    channelRef: 'D1',
    text,
    isDirect: true,
    isCoordinator,
  });

  it('records every question of the corpus anonymously: no personal detail reaches the database or the logs', async () => {
    for (const item of corpus) {
      await conversation.handleMessage(ask(item.q));
      await conversation.handleMessage(ask('details 1'));
      await conversation.handleMessage(ask('share 1'));
      logOutput += '';
    }
    // Through the follow-ups too: each share is asked about 14 days later, and answered.
    const later = new Date(NOW.getTime() + 15 * 86_400_000);
    let printed = '';
    const queued = await queueDueFollowUps(store, later, logger);
    expect(queued.length).toBeGreaterThan(0);
    // The corpus is asked as a Slack user: a printing notifier stands in for Slack's API (what would be posted).
    const printing = createTerminalNotifier({ write: (t) => void (printed += t) });
    await createDeliveryQueue({
      store,
      clock: fixedClock(later),
      logger,
      notifiers: { slack: { ...printing, platform: 'slack' } },
    }).drain();
    await tidyFollowUps(store, later);
    expect(printed).toContain('Did the resident go to');
    for (const [i, f] of queued.entries()) {
      const o = (['went', 'didnt_go', 'unsuitable'] as const)[i % 3]!;
      await conversation.handleAction({
        ...ask(''),
        action: ACTION.followUpAnswer,
        value: JSON.stringify({ id: f.id, o }),
      });
      if (o === 'unsuitable')
        await conversation.handleAction({
          ...ask(''),
          action: ACTION.followUpReason,
          value: JSON.stringify({ id: f.id, r: 'timing' }),
        });
    }
    const outcomes = await store.sql.query<{ shared: number; answered: number }>(
      `SELECT sum(shared)::int AS shared, sum(went + didnt_go + unsuitable)::int AS answered FROM outcome_count`,
    );
    expect(outcomes.rows[0]).toEqual({ shared: corpus.length, answered: queued.length });
    expect((await store.sql.query(`SELECT 1 FROM pending_follow_up`)).rows).toEqual([]);

    const stats = await store.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_stat`);
    expect(stats.rows[0]?.n).toBe(corpus.length);
    const events = await store.sql.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM result_event GROUP BY kind ORDER BY kind`,
    );
    expect(events.rows.map((r) => r.kind)).toEqual(['opened', 'shared']);

    const after = await everyText(store);
    const logs = logOutput.toLowerCase();
    expect(logs.length).toBeGreaterThan(0);
    for (const item of corpus) {
      for (const detail of item.personal) {
        expect(count(after, detail), `"${detail}" in the database`).toBe(count(before, detail));
        expect(count(logs, detail), `"${detail}" in the logs`).toBe(0);
      }
    }
    // The kept questions are sanitised and expire.
    const kept = await store.sql.query<{ text: string }>(`SELECT text FROM redacted_question`);
    expect(kept.rows.length).toBe(corpus.length);
    expect(kept.rows.some((r) => r.text.includes('[name]'))).toBe(true);
    const purged = await purgeInsights(store, new Date(NOW.getTime() + 8 * 86_400_000), {
      keepQuestionsDays: 7,
      keepStatsDays: 1095,
    });
    expect(purged.redactedQuestions).toBe(corpus.length);
  }, 240_000);

  it('ranks unmet needs and answers the coordinators’ gaps command; others are told it is for coordinators', async () => {
    await conversation.handleMessage(ask('Somali speaking lunch club in Kilburn on Sunday evenings'));
    const gaps = await gapsReport(store, { from: new Date('2026-11-01'), to: new Date('2026-12-01') });
    expect(gaps.length).toBeGreaterThan(0);
    for (let i = 1; i < gaps.length; i++) {
      const a = gaps[i - 1]!;
      const b = gaps[i]!;
      expect(
        a.noResults > b.noResults ||
          (a.noResults === b.noResults &&
            (a.relaxed > b.relaxed || (a.relaxed === b.relaxed && a.searches >= b.searches))),
      ).toBe(true);
    }
    const reply = await conversation.handleMessage(ask('gaps', true));
    expect(reply.fallbackText).not.toBe('');
    expect(reply.blocks[0]).toMatchObject({ type: 'heading', text: 'Unmet needs, last 30 days' });
    const refused = await conversation.handleMessage(ask('gaps', false));
    expect(refused.fallbackText).toMatch(/for coordinators/);
  });

  it('lets staff flag a listing from its details, and the flag reaches coordinators', async () => {
    await conversation.handleMessage(ask('lunch club'));
    const details = await conversation.handleMessage(ask('details 1'));
    const flagButton = details.blocks
      .flatMap((b) => (b.type === 'actions' ? b.buttons : []))
      .find((b) => b.action === ACTION.flag);
    expect(flagButton).toBeDefined();
    const thanks = await conversation.handleAction({
      platform: 'teams',
      userId: 'A1',
      channelRef: 'c',
      isCoordinator: false,
      action: ACTION.flag,
      value: flagButton!.value,
    });
    expect(thanks.fallbackText).toMatch(/Coordinators will check/);
    const listed = await conversation.handleMessage(ask('flags', true));
    expect(listed.blocks[0]).toMatchObject({ type: 'heading', text: 'Reported problems with listings: 1 open' });
  });

  it('serves /insights behind the token, and its charts render in headless Chromium', async () => {
    const routes = new Map(
      createInsightsRoutes({
        store,
        clock: fixedClock(NOW),
        logger: createLogger({ level: 'silent' }),
        token: TOKEN,
        settings: {},
      }),
    );
    const server: http.Server = createHttpServer(routes, createLogger({ level: 'silent' }));
    const port = await listen(server, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${port}`;
    try {
      expect((await fetch(`${base}/insights`)).status).toBe(401);
      expect((await fetch(`${base}/insights/data.json`)).status).toBe(401);
      const csv = await fetch(`${base}/insights/gaps.csv?from=2026-11-01&to=2026-11-30`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(csv.status).toBe(200);
      expect((await csv.text()).split('\r\n')[0]).toBe(
        'ward,audience,category,day,timeOfDay,searches,noResults,relaxed',
      );
      const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
      const range = 'from=2026-11-01&to=2026-12-31';
      expect(
        (await (await fetch(`${base}/insights/outcomes-by-category.csv?${range}`, auth)).text()).split('\r\n')[0],
      ).toBe('category,searched,shared,went');
      expect(
        (await (await fetch(`${base}/insights/outcomes-by-ward.csv?${range}`, auth)).text()).split('\r\n')[0],
      ).toBe('ward,searched,shared,went');
      const unsuitableCsv = (await (await fetch(`${base}/insights/unsuitable.csv?${range}`, auth)).text()).split(
        '\r\n',
      );
      expect(unsuitableCsv[0]).toBe(
        'entryId,title,shared,went,didntGo,unsuitable,reason_cost,reason_getting_there,reason_access,reason_timing,reason_language,reason_not_welcome,reason_closed',
      );
      expect(unsuitableCsv.length).toBeGreaterThan(2);

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
        const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
        const outside: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith(base)) outside.push(r.url());
        });
        await page.goto(`${base}/insights`);
        await page.fill('#token', 'wrong-token-here');
        await page.click('button[type=submit]');
        await page.waitForSelector('.error');
        await page.fill('#token', TOKEN);
        await page.click('button[type=submit]');
        await page.waitForSelector('#insights[data-ready="true"]', { timeout: 30_000 });
        const cookies = await page.context().cookies();
        expect(cookies.find((c) => c.name === 'signpost_insights')?.httpOnly).toBe(true);
        // Counts the painted pixels of each chart's canvas (a string, so this file needs no DOM types).
        const painted = await page.evaluate<
          number[]
        >(`['chart-days', 'chart-wards', 'chart-training', 'chart-outcomes'].map((id) => {
          const canvas = document.getElementById(id);
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let inked = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
          return inked;
        })`);
        for (const inked of painted) expect(inked).toBeGreaterThan(500);
        const png = await page.screenshot({ fullPage: true });
        fs.writeFileSync(path.join(os.tmpdir(), 'signpost-insights-page.png'), png);
        expect(png.length).toBeGreaterThan(20_000);
        expect(await page.locator('#gaps table tbody tr').count()).toBeGreaterThan(0);
        expect(await page.locator('#outcomes-category table tbody tr').count()).toBeGreaterThan(0);
        expect(await page.locator('#outcomes-ward table tbody tr').count()).toBeGreaterThan(0);
        const unsuitable = await page.locator('#outcomes-unsuitable table tbody tr').allTextContents();
        expect(unsuitable.length).toBeGreaterThan(0);
        expect(unsuitable.join(' ')).toContain('timing');

        // The outcomes section passes axe-core (injected as a script, so this context bypasses the page's CSP).
        const audited = await browser.newContext({
          bypassCSP: true,
          extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` },
        });
        const auditPage = await audited.newPage();
        await auditPage.goto(`${base}/insights`);
        await auditPage.waitForSelector('#insights[data-ready="true"]', { timeout: 30_000 });
        await auditPage.addScriptTag({ content: fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8') });
        const violations = await auditPage.evaluate<{ id: string; nodes: unknown[] }[]>(
          `axe.run({ include: [['#outcomes-section']] }, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target) })))`,
        );
        expect(violations).toEqual([]);
        await audited.close();
        expect(outside).toEqual([]);
      } finally {
        await browser.close();
      }
    } finally {
      server.close();
    }
  }, 120_000);
});
