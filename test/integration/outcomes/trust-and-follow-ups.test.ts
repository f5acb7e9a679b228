import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import type { InboundMessage } from '../../../src/bots/core/inbound.ts';
import type { Reply, ReplyButton } from '../../../src/bots/core/reply.ts';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { createListingRoutes } from '../../../src/catalogue/pages/listing-routes.ts';
import { createDatabaseSearch, TRUST_MARK_PENALTY } from '../../../src/catalogue/search/database-search.ts';
import { refreshTrustMarks } from '../../../src/catalogue/trust/trust.ts';
import { withTrust } from '../../../src/catalogue/trust/with-trust.ts';
import { createChatConversation } from '../../../src/chat-conversation.ts';
import type { Clock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { listFlags } from '../../../src/insights/flags.ts';
import { answerFollowUp, recordShare } from '../../../src/insights/outcomes.ts';
import { outcomesReport } from '../../../src/insights/outcomes-report.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createDeliveryQueue } from '../../../src/scheduler/delivery-queue.ts';
import { queueDueFollowUps, tidyFollowUps } from '../../../src/scheduler/follow-ups.ts';
import { createTerminalNotifier } from '../../../src/bots/terminal/terminal-notifier.ts';
import { type CliDatabase, cli, heldCliDatabase } from '../../helpers/run-cli.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const SHEET_AT = new Date('2027-06-01T09:00:00Z');
const NOW = new Date('2027-06-15T09:00:00Z');
const DAY = 86_400_000;

/** A clock the test moves on. */
function movableClock(start: Date): Clock & { set(d: Date): void } {
  let t = start;
  return { now: () => t, set: (d) => void (t = d) };
}

const buttonsOf = (reply: Reply): ReplyButton[] =>
  reply.blocks.flatMap((b) =>
    b.type === 'actions' ? b.buttons : b.type === 'list' ? b.items.flatMap((i) => i.buttons) : [],
  );
const allText = (reply: Reply): string =>
  reply.blocks
    .map((b) =>
      'text' in b
        ? String(b.text)
        : b.type === 'list'
          ? b.items.map((i) => [i.title, ...i.lines].join('\n')).join('\n')
          : '',
    )
    .join('\n');

describe.each(STORE_KINDS)('trust lines and "Did it help?" follow-ups on %s', (kind) => {
  let store: TestStore;
  const clock = movableClock(NOW);
  let chat: ReturnType<typeof createChatConversation>;
  const idOf = async (externalId: string) =>
    (await store.sql.query<{ id: string }>(`SELECT id::text AS id FROM service WHERE external_id = $1`, [externalId]))
      .rows[0]!.id;
  const ask = (text: string, userId = 'staff-1', isCoordinator = false): InboundMessage => ({
    platform: 'terminal',
    userId,
    channelRef: 'terminal',
    text,
    isDirect: true,
    isCoordinator,
  });

  beforeAll(async () => {
    store = await openTestStore(kind);
    await importSource(
      store,
      { input: 'test/fixtures/verify/sheet-v1.csv', source: 'sheet', format: 'csv', now: SHEET_AT },
      silentLogger,
    );
    chat = createChatConversation({
      config: loadConfig({ DATABASE_URL: store.url, FOLLOW_UP_DAYS: '14' }),
      store,
      clock,
      logger: silentLogger,
    });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('shows where a listing comes from and when it was last confirmed, on the result and its details', async () => {
    const results = await chat.conversation.handleMessage(ask('lunch club'));
    expect(allText(results)).toContain(
      'From a coordinator’s sheet (sheet) · last confirmed 17 months ago, by its source',
    );
    const details = await chat.conversation.handleMessage(ask('details 1'));
    expect(
      details.blocks.some(
        (b) => b.type === 'context' && b.text.includes('From a coordinator’s sheet (sheet) · last confirmed'),
      ),
    ).toBe(true);
    // Over a year since its sheet's last_confirmed: the details warn.
    expect(allText(details)).toContain('Last confirmed over a year ago');
  });

  it('a "has closed" report from the details card is shown, marks the listing, ranks it lower and reaches the verification queue', async () => {
    const alpha = await idOf('alpha');
    const search = withTrust(createDatabaseSearch(store), store);
    const before = (await search.search({ text: 'lunch club', now: clock.now() })).results.find((r) => r.id === alpha)!;
    expect(before.trust?.marked).toBe(false);

    await chat.conversation.handleMessage(ask('lunch club'));
    const details = await chat.conversation.handleMessage(ask('details 1'));
    const closed = buttonsOf(details).find((b) => b.action === ACTION.flag && b.value.includes('"closed"'))!;
    expect(closed.label).toBe('This has closed');
    await chat.conversation.handleAction({
      platform: 'slack',
      userId: 'U77',
      channelRef: 'D1',
      isCoordinator: false,
      action: ACTION.flag,
      value: closed.value,
    });
    const flags = await listFlags(store);
    expect(flags.map((f) => [f.entryId, f.kind, f.reporterPlatform])).toEqual([[alpha, 'closed', 'slack']]);
    expect(JSON.stringify(await store.sql.query(`SELECT * FROM entry_flag`))).not.toContain('U77');

    const after = (await search.search({ text: 'lunch club', now: clock.now() })).results.find((r) => r.id === alpha)!;
    expect(after.trust?.marked).toBe(true);
    expect(after.score).toBeCloseTo(before.score - TRUST_MARK_PENALTY, 3);
    const marked = await chat.conversation.handleMessage(ask('details 1'));
    expect(allText(marked)).toContain('Staff reported it has closed (1 open report)');

    const queue = await chat.conversation.handleMessage(ask('verify', 'coord', true));
    const text = allText(queue);
    expect(text).toContain('Reported by staff: 1 listing');
    expect(text.indexOf('Alpha Lunch Club')).toBeLessThan(text.indexOf('Listings to check'));
    expect(text).toContain('Staff reported: has closed (1)');
    const stillRunning = buttonsOf(queue).find((b) => b.action === ACTION.verifyConfirm && b.value.includes(alpha))!;
    await chat.conversation.handleAction({
      platform: 'terminal',
      userId: 'coord',
      channelRef: 'terminal',
      isCoordinator: true,
      action: ACTION.verifyConfirm,
      value: stillRunning.value,
    });
    expect(await listFlags(store)).toEqual([]);
    const { rows } = await store.sql.query<{ trust_mark: string | null }>(
      `SELECT trust_mark FROM service WHERE id = $1`,
      [alpha],
    );
    expect(rows[0]!.trust_mark).toBeNull();
    const confirmed = (await search.search({ text: 'lunch club', now: clock.now() })).results.find(
      (r) => r.id === alpha,
    )!;
    expect(confirmed.trust).toMatchObject({ confirmedBy: 'coordinator', lastConfirmed: '2027-06-15', marked: false });
  });

  it('marks the listings of a feed that has failed for more than 7 days, and says so on the listing page', async () => {
    await importSource(
      store,
      { input: 'test/fixtures/feeds/london-no-vtimezone.ics', source: 'partner-feed', now: SHEET_AT },
      silentLogger,
    );
    const { rows: entries } = await store.sql.query<{ id: string }>(
      `SELECT s.id::text AS id FROM service s JOIN source src ON src.id = s.source_id WHERE src.name = 'partner-feed' AND s.removed_at IS NULL LIMIT 1`,
    );
    const id = entries[0]!.id;
    const failFor = async (days: number) => {
      await store.sql.query(
        `UPDATE source SET url = 'https://feeds.example.org/partner.ics', last_fetch_outcome = 'failed', last_success_at = $1, last_error = 'HTTP 503' WHERE name = 'partner-feed'`,
        [new Date(clock.now().getTime() - days * DAY)],
      );
      await refreshTrustMarks(store.sql, clock.now());
      return (
        await store.sql.query<{ trust_mark: string | null }>(`SELECT trust_mark FROM service WHERE id = $1`, [id])
      ).rows[0]!.trust_mark;
    };
    expect(await failFor(3)).toBeNull();
    expect(await failFor(9)).toBe('feed_failing');

    const routes = new Map(
      createListingRoutes({
        store,
        search: withTrust(createDatabaseSearch(store), store),
        clock,
        logger: silentLogger,
        publicUrl: 'http://localhost',
      }),
    );
    const server: http.Server = createHttpServer(routes, silentLogger);
    const port = await listen(server, 0, '127.0.0.1');
    try {
      const page = await (await fetch(`http://127.0.0.1:${port}/l/${id}`)).text();
      expect(page).toContain('From a partner’s feed (partner-feed)');
      expect(page).toContain('Some of these details may be out of date. Please call before you go.');
    } finally {
      server.close();
    }
    const details = await chat.conversation.handleAction({
      platform: 'terminal',
      userId: 'staff-1',
      channelRef: 'terminal',
      isCoordinator: false,
      action: ACTION.details,
      value: JSON.stringify({ id }),
    });
    expect(allText(details)).toContain('Its feed has not loaded since 6 Jun 2027: details may be out of date');
    await store.sql.query(
      `UPDATE source SET last_fetch_outcome = 'updated', last_success_at = $1 WHERE name = 'partner-feed'`,
      [clock.now()],
    );
    await refreshTrustMarks(store.sql, clock.now());
    expect(
      (await store.sql.query<{ trust_mark: string | null }>(`SELECT trust_mark FROM service WHERE id = $1`, [id]))
        .rows[0]!.trust_mark,
    ).toBeNull();
  });

  it('a share in chat is followed up once, 14 days later, privately; the answer is counted anonymously and the platform id is gone', async () => {
    clock.set(NOW);
    await chat.conversation.handleMessage(ask('knit', 'staff-2'));
    const share = await chat.conversation.handleMessage(ask('share 1', 'staff-2'));
    expect(share.blocks[0]).toMatchObject({ type: 'heading', text: 'Share with resident' });
    const bravo = await idOf('bravo');
    const pending = await store.sql.query<{ id: string; user_ref: string | null; via: string }>(
      `SELECT id::text AS id, user_ref, via FROM pending_follow_up WHERE entry_id = $1`,
      [bravo],
    );
    expect(pending.rows).toEqual([{ id: expect.any(String), user_ref: 'staff-2', via: 'share' }]);
    const followUpId = pending.rows[0]!.id;

    let printed = '';
    const queue = createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { terminal: createTerminalNotifier({ write: (t) => void (printed += t) }) },
    });
    expect(await queueDueFollowUps(store, new Date(NOW.getTime() + 13 * DAY), silentLogger)).toEqual([]);
    const due = new Date(NOW.getTime() + 14 * DAY + 60_000);
    clock.set(due);
    const queued = await queueDueFollowUps(store, due, silentLogger);
    expect(queued.map((q) => [q.id, q.entryId])).toEqual([[followUpId, bravo]]);
    expect(await queueDueFollowUps(store, due, silentLogger)).toEqual([]);
    await queue.drain();
    await tidyFollowUps(store, due);
    expect(printed).toContain('── to staff-2 ──');
    expect(printed).toContain('Did the resident go to Bravo Knit & Natter?');
    const kept = await store.sql.query<{ user_ref: string | null; channel_ref: string | null }>(
      `SELECT user_ref, channel_ref FROM pending_follow_up WHERE id = $1`,
      [followUpId],
    );
    expect(kept.rows).toEqual([{ user_ref: null, channel_ref: null }]);
    expect((await store.sql.query(`SELECT 1 FROM delivery_item WHERE kind = 'follow-up'`)).rows).toEqual([]);

    const reply = await chat.conversation.handleAction({
      platform: 'terminal',
      userId: 'staff-2',
      channelRef: 'terminal',
      isCoordinator: false,
      action: ACTION.followUpAnswer,
      value: JSON.stringify({ id: followUpId, o: 'unsuitable' }),
    });
    const reasons = buttonsOf(reply);
    expect(reasons.map((b) => b.label)).toEqual([
      'Cost',
      'Getting there',
      'Access',
      'Timing',
      'Language',
      'Didn’t feel welcome',
      'It had closed',
    ]);
    const thanks = await chat.conversation.handleAction({
      platform: 'terminal',
      userId: 'staff-2',
      channelRef: 'terminal',
      isCoordinator: false,
      action: ACTION.followUpReason,
      value: reasons[3]!.value,
    });
    expect(thanks.fallbackText).toContain('timing');
    const again = await chat.conversation.handleAction({
      platform: 'terminal',
      userId: 'staff-2',
      channelRef: 'terminal',
      isCoordinator: false,
      action: ACTION.followUpReason,
      value: reasons[0]!.value,
    });
    expect(again.fallbackText).toContain('has closed');
    const report = await outcomesReport(store, { from: NOW, to: due });
    expect(report.find((r) => r.entryId === bravo)).toMatchObject({
      title: 'Bravo Knit & Natter',
      shared: 1,
      went: 0,
      didntGo: 0,
      unsuitable: 1,
      reasons: { timing: 1, cost: 0 },
    });
    expect((await store.sql.query(`SELECT 1 FROM pending_follow_up WHERE id = $1`, [followUpId])).rows).toEqual([]);
    const counts = JSON.stringify((await store.sql.query(`SELECT * FROM outcome_count`)).rows);
    expect(counts).not.toContain('staff-2');
  });

  it('“follow-ups off” stops them; unanswered ones are deleted after 30 days', async () => {
    clock.set(NOW);
    expect(allText(await chat.conversation.handleMessage(ask('help', 'staff-3')))).toContain('**follow-ups off**');
    const off = await chat.conversation.handleMessage(ask('follow-ups off', 'staff-3'));
    expect(off.fallbackText).toContain('Follow-ups are off');
    const charlie = await idOf('charlie');
    expect(
      await recordShare(store, { entryId: charlie, platform: 'terminal', userRef: 'staff-3', via: 'sms' }, NOW, {
        followUpDays: 14,
      }),
    ).toEqual({ entryId: charlie, followUpId: null });
    expect((await store.sql.query(`SELECT 1 FROM pending_follow_up WHERE user_ref = 'staff-3'`)).rows).toEqual([]);
    await chat.conversation.handleMessage(ask('follow-ups on', 'staff-3'));
    const made = await recordShare(
      store,
      { entryId: charlie, platform: 'terminal', userRef: 'staff-3', via: 'leaflet' },
      NOW,
      { followUpDays: 14 },
    );
    expect(made?.followUpId).toEqual(expect.any(String));
    await tidyFollowUps(store, new Date(NOW.getTime() + 29 * DAY));
    expect(
      (await store.sql.query(`SELECT 1 FROM pending_follow_up WHERE id = $1`, [made!.followUpId])).rows,
    ).toHaveLength(1);
    await tidyFollowUps(store, new Date(NOW.getTime() + 30 * DAY));
    expect((await store.sql.query(`SELECT 1 FROM pending_follow_up WHERE id = $1`, [made!.followUpId])).rows).toEqual(
      [],
    );
    expect(
      await answerFollowUp(store, { id: made!.followUpId!, outcome: 'went' }, new Date(NOW.getTime() + 30 * DAY)),
    ).toEqual({ ok: false, reason: 'NOT_FOUND' });
  });

  it('a text message or leaflet from the list for a resident is followed up like a share', async () => {
    clock.set(NOW);
    for (const line of ['choir', 'add 1', 'send list', 'sms'])
      await chat.conversation.handleMessage(ask(line, 'staff-sms'));
    const { rows } = await store.sql.query<{ via: string; entry: string }>(
      `SELECT p.via, s.external_id AS entry FROM pending_follow_up p JOIN service s ON s.id = p.entry_id WHERE p.user_ref = 'staff-sms'`,
    );
    expect(rows).toEqual([{ via: 'sms', entry: 'charlie' }]);
  });

  it('three “it had closed” answers raise a "has closed" report for coordinators', async () => {
    const delta = await idOf('delta');
    for (const [i, user] of ['a', 'b', 'c'].entries()) {
      const made = await recordShare(
        store,
        { entryId: delta, platform: 'teams', userRef: `staff-${user}`, channelRef: `a:personal-${user}`, via: 'share' },
        NOW,
        { followUpDays: 14 },
      );
      const answer = await answerFollowUp(
        store,
        { id: made!.followUpId!, outcome: 'unsuitable', reason: 'closed' },
        NOW,
      );
      expect(answer).toMatchObject({ ok: true, reported: i === 2 });
      expect((await listFlags(store)).filter((f) => f.entryId === delta)).toHaveLength(i === 2 ? 1 : 0);
    }
    // Shared in a Teams channel: counted, but never asked in front of the channel.
    const inChannel = await recordShare(
      store,
      { entryId: delta, platform: 'teams', userRef: 'staff-d', channelRef: '19:abc@thread.tacv2', via: 'share' },
      NOW,
      { followUpDays: 14 },
    );
    expect(inChannel).toEqual({ entryId: delta, followUpId: null });
    const [flag] = (await listFlags(store)).filter((f) => f.entryId === delta);
    expect(flag).toMatchObject({
      kind: 'closed',
      reporterPlatform: 'teams',
      note: 'several follow-up answers said it had closed',
    });
    expect(
      (await store.sql.query<{ trust_mark: string }>(`SELECT trust_mark FROM service WHERE id = $1`, [delta])).rows[0]!
        .trust_mark,
    ).toBe('reported_closed');
  });
});

describe('the follow-up commands', () => {
  let db: CliDatabase;
  let url: string;
  beforeAll(async () => {
    db = await heldCliDatabase('pglite', 'signpost-follow-ups-');
    url = db.url;
    expect(
      (
        await cli(
          url,
          'import',
          'test/fixtures/verify/sheet-v1.csv',
          '--source',
          'sheet',
          '--format',
          'csv',
          '--now',
          '2027-06-01T09:00:00Z',
        )
      ).code,
    ).toBe(0);
  }, 120_000);
  afterAll(() => db.cleanup());

  it('share, follow-ups run (terminal ones printed), follow-ups answer and report outcomes, in the documented shapes', async () => {
    const found = (await cli(url, 'search', 'lunch club', '--json', '--now', '2027-06-15T09:00:00Z')).json() as {
      results: { id: string; title: string }[];
    };
    const entry = found.results.find((r) => r.title === 'Alpha Lunch Club')!.id;
    const share = await cli(
      url,
      'share',
      '--entry',
      entry,
      '--user',
      'officer-1',
      '--now',
      '2027-06-15T09:00:00Z',
      '--json',
    );
    expect(share.code).toBe(0);
    const { followUpId } = share.json() as { followUpId: string };
    expect((await cli(url, 'share', '--entry', '00000000-0000-4000-8000-000000000000', '--user', 'x')).code).toBe(1);

    expect((await cli(url, 'follow-ups', 'run', '--now', '2027-06-28T09:00:00Z', '--json')).json()).toEqual({
      sent: [],
    });
    const run = await cli(url, 'follow-ups', 'run', '--now', '2027-06-29T09:01:00Z');
    expect(run.stdout).toContain('── to officer-1 ──');
    expect(run.stdout).toContain('Did the resident go to Alpha Lunch Club?');
    expect(run.stdout).toContain(`signpost follow-ups answer --id ${followUpId}`);
    expect(run.stdout).toContain('Sent 1 follow-up.');
    expect((await cli(url, 'follow-ups', 'run', '--now', '2027-06-29T09:02:00Z', '--json')).json()).toEqual({
      sent: [],
    });

    const second = (
      await cli(url, 'share', '--entry', entry, '--user', 'officer-2', '--now', '2027-06-16T09:00:00Z', '--json')
    ).json() as { followUpId: string };
    const json = await cli(url, 'follow-ups', 'run', '--now', '2027-06-30T12:00:00Z', '--json');
    expect(json.json()).toEqual({ sent: [{ id: second.followUpId, entryId: entry }] });
    expect(json.stderr).toContain('── to officer-2 ──');

    expect(
      (await cli(url, 'follow-ups', 'answer', '--id', followUpId, '--outcome', 'went', '--reason', 'cost')).code,
    ).toBe(1);
    expect(
      (await cli(url, 'follow-ups', 'answer', '--id', followUpId, '--outcome', 'went', '--now', '2027-06-30T12:00:00Z'))
        .code,
    ).toBe(0);
    expect(
      (await cli(url, 'follow-ups', 'answer', '--id', followUpId, '--outcome', 'went', '--now', '2027-06-30T12:00:00Z'))
        .code,
    ).toBe(1);
    const answered = await cli(
      url,
      'follow-ups',
      'answer',
      '--id',
      second.followUpId,
      '--outcome',
      'unsuitable',
      '--reason',
      'getting there',
      '--now',
      '2027-06-30T12:00:00Z',
      '--json',
    );
    expect(answered.json()).toMatchObject({ outcome: 'unsuitable', reason: 'getting_there' });

    const report = await cli(url, 'report', 'outcomes', '--from', '2027-06-01', '--to', '2027-07-01', '--json');
    expect(report.json()).toEqual([
      {
        entryId: entry,
        title: 'Alpha Lunch Club',
        shared: 2,
        went: 1,
        didntGo: 0,
        unsuitable: 1,
        reasons: { cost: 0, getting_there: 1, access: 0, timing: 0, language: 0, not_welcome: 0, closed: 0 },
      },
    ]);
    const csv = await cli(url, 'report', 'outcomes', '--from', '2027-06-01', '--to', '2027-07-01', '--csv');
    expect(csv.stdout.split(/\r?\n/)[0]).toBe(
      'entryId,title,shared,went,didntGo,unsuitable,reason_cost,reason_getting_there,reason_access,reason_timing,reason_language,reason_not_welcome,reason_closed',
    );
  }, 120_000);
});
