import { PassThrough } from 'node:stream';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import type { InboundAction, InboundMessage } from '../../../src/bots/core/inbound.ts';
import type { Reply, ReplyButton, ReplyListItem } from '../../../src/bots/core/reply.ts';
import { renderBlocks } from '../../../src/bots/slack/render-blocks.ts';
import { renderCard } from '../../../src/bots/teams/render-card.ts';
import { renderText } from '../../../src/bots/terminal/render-text.ts';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { saveManualEntry } from '../../../src/catalogue/manual-entries.ts';
import { createDatabaseSearch } from '../../../src/catalogue/search/database-search.ts';
import { createChatConversation } from '../../../src/chat-conversation.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { fixedClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { freshnessReport } from '../../../src/insights/freshness-report.ts';
import { silentLogger } from '../../../src/logger.ts';
import { refreshDueFeeds } from '../../../src/scheduler/refresh-feeds.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

// Six months before 15 June 2027 is 15 December 2026: listings last confirmed before that day are due.
const NOW = '2027-06-15T10:00:00+01:00';
const FIXTURES = 'test/fixtures/verify';

const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VEVENT',
  'UID:games-1@partner.example.org',
  'DTSTAMP:20270501T000000Z',
  'DTSTART:20270702T130000Z',
  'DTEND:20270702T150000Z',
  'RRULE:FREQ=WEEKLY;COUNT=30',
  'SUMMARY:Golf Putting Social',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

type ListItem = { id: string; title: string; source: string; lastConfirmed: string | null };

describe.each(STORE_KINDS)('verification queue on %s', (kind) => {
  let store: TestStore;

  /** `signpost <args>` in-process against this test's store, with the given settings. */
  async function cli(args: string[], env: Record<string, string> = {}) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: { write: (t) => void (stdout += t) },
      stderr: { write: (t) => void (stderr += t) },
      stdin: new PassThrough(),
      env: { DATABASE_URL: store.url, ...env },
      logger: silentLogger,
      store,
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) as unknown };
  }
  const list = async (now = NOW, env: Record<string, string> = {}) => {
    const run = await cli(['verify', 'list', '--json', '--now', now], env);
    expect(run.code, run.stderr).toBe(0);
    return run.json() as ListItem[];
  };
  const importSheet = (file: string) =>
    importSource(
      store,
      { input: `${FIXTURES}/${file}`, source: 'sheet', format: 'csv', now: new Date('2027-06-01T09:00:00Z') },
      silentLogger,
    );
  const idOf = async (externalId: string) => {
    const { rows } = await store.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM service WHERE external_id = $1`,
      [externalId],
    );
    return rows[0]!.id;
  };
  const searchTitles = async (text: string) => {
    const response = await createDatabaseSearch(store).search({ text, now: new Date(NOW), limit: 20 });
    return response.results.map((r) => r.title);
  };

  beforeAll(async () => {
    store = await openTestStore(kind);
    nock.disableNetConnect();
    await importSheet('sheet-v1.csv');
    // A partner feed whose last good refresh (1 June 2027) still lists its one event: that counts as confirmed.
    await store.sql.query(
      `INSERT INTO source (name, format, url, refresh_minutes) VALUES ('games-feed', 'ical', 'https://partner.example.org/games.ics', 60)`,
    );
    nock('https://partner.example.org').get('/games.ics').reply(200, FEED);
    expect(await refreshDueFeeds(store, new Date('2027-06-01T08:00:00Z'), silentLogger)).toMatchObject([
      { outcome: 'updated' },
    ]);
  }, 120_000);
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await store?.close();
  });

  it('lists listings not confirmed for six months, never confirmed first, then oldest first, in the documented shape', async () => {
    const queue = await list();
    expect(queue.map((q) => [q.title, q.source, q.lastConfirmed])).toEqual([
      ['Bravo Knit & Natter', 'sheet', null],
      ['Alpha Lunch Club', 'sheet', '2026-01-10'],
      ['Delta Health Walk', 'sheet', '2026-12-14'],
    ]);
    for (const item of queue) expect(Object.keys(item).sort()).toEqual(['id', 'lastConfirmed', 'source', 'title']);
    expect(queue[0]!.id).toBe(await idOf('bravo'));

    const text = await cli(['verify', 'list', '--now', NOW]);
    expect(text.stdout.split('\n')[0]).toBe('3 listings not confirmed since 2026-12-15:');
    expect(text.stdout).toContain(`${await idOf('bravo')}  never       sheet  Bravo Knit & Natter`);
  });

  it('reads VERIFY_AFTER_MONTHS, checked at start-up', async () => {
    expect((await list(NOW, { VERIFY_AFTER_MONTHS: '12' })).map((q) => q.title)).toEqual([
      'Bravo Knit & Natter',
      'Alpha Lunch Club',
    ]);
    const bad = await cli(['verify', 'list', '--now', NOW], { VERIFY_AFTER_MONTHS: '0' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/VERIFY_AFTER_MONTHS/);
  });

  it('counts the last good refresh of a feed that still lists an entry, and only that', async () => {
    // Seven months later the feed has failed since: the refresh of 1 June is its last confirmation.
    nock('https://partner.example.org').get('/games.ics').reply(503, 'down');
    expect(await refreshDueFeeds(store, new Date('2028-01-10T09:00:00Z'), silentLogger)).toMatchObject([
      { outcome: 'failed' },
    ]);
    const later = await list('2028-01-10T10:00:00Z');
    expect(later.find((q) => q.source === 'games-feed')).toMatchObject({
      title: 'Golf Putting Social',
      lastConfirmed: '2027-06-01',
    });
    expect((await list()).some((q) => q.source === 'games-feed')).toBe(false);
  });

  it('confirm records a confirmation now and takes the listing out of the queue', async () => {
    const alpha = await idOf('alpha');
    expect((await freshnessReport(store, new Date(NOW))).staleEntries.map((e) => e.title)).toContain(
      'Alpha Lunch Club',
    );
    const run = await cli(['verify', 'confirm', alpha, '--json', '--now', NOW]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({
      id: alpha,
      title: 'Alpha Lunch Club',
      source: 'sheet',
      lastConfirmed: '2027-06-15',
      status: 'active',
    });
    expect((await list()).map((q) => q.title)).toEqual(['Bravo Knit & Natter', 'Delta Health Walk']);
    const { rows } = await store.sql.query<{ confirmed_by_role: string }>(
      `SELECT confirmed_by_role FROM service WHERE id = $1`,
      [alpha],
    );
    expect(rows[0]!.confirmed_by_role).toBe('command line');
    // The listing's details and the insights page's stale listings read the same date.
    expect((await createDatabaseSearch(store).getResult(alpha, new Date(NOW)))?.lastConfirmed).toBe('2027-06-15');
    expect((await freshnessReport(store, new Date(NOW))).staleEntries.map((e) => e.title)).not.toContain(
      'Alpha Lunch Club',
    );
  });

  it('close hides the listing from search, and it stays closed through re-imports of its source', async () => {
    const delta = await idOf('delta');
    expect(await searchTitles('health walk')).toContain('Delta Health Walk');
    const run = await cli(['verify', 'close', delta, '--json', '--now', NOW]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ id: delta, title: 'Delta Health Walk', status: 'closed' });
    expect(await searchTitles('health walk')).not.toContain('Delta Health Walk');
    expect(await createDatabaseSearch(store).getResult(delta, new Date(NOW))).toBeUndefined();
    expect((await list()).map((q) => q.title)).toEqual(['Bravo Knit & Natter']);

    // The sheet changes the listing (still "active" there): the update is applied, the closure kept.
    const changed = await importSheet('sheet-v2.csv');
    expect(changed).toMatchObject({ updated: 1 });
    // Gone from the sheet, then back in it: still closed.
    expect(await importSheet('sheet-v3-without-delta.csv')).toMatchObject({ removed: 1 });
    expect(await importSheet('sheet-v2.csv')).toMatchObject({ updated: 1 });
    const { rows } = await store.sql.query<{
      status: string;
      description: string;
      closed_by_role: string;
      removed_at: Date | null;
    }>(`SELECT status, description, closed_by_role, removed_at FROM service WHERE id = $1`, [delta]);
    expect(rows[0]).toMatchObject({ status: 'closed', closed_by_role: 'command line', removed_at: null });
    expect(rows[0]!.description).toContain('and now on Thursdays too');
    expect(await searchTitles('health walk')).not.toContain('Delta Health Walk');

    // A confirmation says it runs after all: open again, and found by search.
    expect((await cli(['verify', 'confirm', delta, '--json', '--now', NOW])).json()).toMatchObject({
      status: 'active',
      lastConfirmed: '2027-06-15',
    });
    expect(await searchTitles('health walk')).toContain('Delta Health Walk');
    // Closures from the source itself are the source's: Foxtrot stays closed and out of the queue.
    expect((await list()).some((q) => q.title.startsWith('Foxtrot'))).toBe(false);
  });

  it('refuses unknown ids and bad usage with one clear line and exit code 1', async () => {
    const unknown = await cli(['verify', 'confirm', '00000000-0000-4000-8000-000000000000', '--now', NOW]);
    expect(unknown).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'No listing with id 00000000-0000-4000-8000-000000000000 in the catalogue.\n',
    });
    const notAnId = await cli(['verify', 'close', 'delta', '--json', '--now', NOW]);
    expect(notAnId.code).toBe(1);
    expect(notAnId.stderr).toBe('No listing with id delta in the catalogue.\n');
    expect(notAnId.json()).toEqual({
      error: { code: 'VERIFY.NOT_FOUND', message: 'No listing with id delta in the catalogue.' },
    });
    for (const args of [['verify'], ['verify', 'confirm'], ['verify', 'drop', 'x'], ['verify', 'list', 'extra']]) {
      const run = await cli(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Usage: signpost verify list/);
    }
  });

  it('shows coordinators the queue in chat with Still running, Has closed and Edit, rendered by every adapter', async () => {
    // A coordinator entry last saved long ago: the queue offers the entry form's Edit for it.
    const saved = await saveManualEntry(
      store,
      { kind: 'activity', title: 'Zulu Men’s Shed' },
      new Date('2026-02-01T10:00:00Z'),
    );
    expect(saved.ok).toBe(true);
    const config = loadConfig({ DATABASE_URL: store.url });
    const { conversation } = createChatConversation({
      config,
      store,
      clock: fixedClock(new Date(NOW)),
      logger: silentLogger,
    });
    const ask = (isCoordinator: boolean, platform: InboundMessage['platform'] = 'slack'): InboundMessage => ({
      platform,
      userId: 'U1',
      channelRef: 'D1',
      text: 'verify',
      isDirect: true,
      isCoordinator,
    });

    const refused = await conversation.handleMessage(ask(false));
    expect(refused.fallbackText).toMatch(/for coordinators/);
    expect(refused.blocks.some((b) => b.type === 'list')).toBe(false);

    const reply = await conversation.handleMessage(ask(true));
    expect(reply.blocks[0]).toEqual({ type: 'heading', text: 'Listings to check: 2 not confirmed since 2026-12-15' });
    const items = listItems(reply);
    expect(items.map((i) => i.title)).toEqual(['Bravo Knit & Natter', 'Zulu Men’s Shed']);
    expect(items[0]!.lines).toEqual(['sheet · never confirmed']);
    expect(items[0]!.buttons.map((b) => b.label)).toEqual(['Still running', 'Has closed']);
    expect(items[1]!.buttons.map((b) => [b.label, b.action])).toEqual([
      ['Still running', ACTION.verifyConfirm],
      ['Has closed', ACTION.verifyClose],
      ['Edit', ACTION.editEntry],
    ]);
    expect(items[1]!.buttons[2]!.value).toBe(saved.ok ? saved.externalId : '');

    const slack = JSON.stringify(renderBlocks(reply));
    const teams = JSON.stringify(renderCard(reply));
    const terminal = renderText(reply).text;
    for (const out of [slack, teams, terminal]) {
      for (const label of ['Still running', 'Has closed', 'Edit', 'Zulu Men’s Shed', 'never confirmed'])
        expect(out).toContain(label);
    }
    expect(slack).toContain('Bravo Knit &amp; Natter');
    expect(terminal).toContain('Bravo Knit & Natter');

    // A member of staff pressing a coordinator's button changes nothing.
    const press = (
      button: ReplyButton,
      isCoordinator: boolean,
      platform: InboundAction['platform'] = 'teams',
    ): InboundAction => ({
      platform,
      userId: 'U2',
      channelRef: 'D1',
      isCoordinator,
      action: button.action,
      value: button.value,
    });
    const closeBravo = items[0]!.buttons[1]!;
    expect((await conversation.handleAction(press(closeBravo, false))).fallbackText).toMatch(/for coordinators/);
    expect(listItems(await conversation.handleMessage(ask(true))).map((i) => i.title)).toEqual([
      'Bravo Knit & Natter',
      'Zulu Men’s Shed',
    ]);

    const closed = await conversation.handleAction(press(closeBravo, true));
    expect(closed.fallbackText).toBe(
      'Marked “Bravo Knit & Natter” as closed. It no longer shows in search, and stays closed if its source sends it again.',
    );
    const { rows } = await store.sql.query<{ status: string; closed_by_role: string }>(
      `SELECT status, closed_by_role FROM service WHERE external_id = 'bravo'`,
    );
    expect(rows[0]).toEqual({ status: 'closed', closed_by_role: 'teams coordinator' });
    // Its details (from an older list's button) say it has closed.
    const details = await conversation.handleAction({
      ...press(closeBravo, false),
      action: ACTION.details,
      value: closeBravo.value,
    });
    expect(details.fallbackText).toBe(
      '“Bravo Knit & Natter” has closed: a coordinator checked on 2027-06-15, so it no longer shows in search. Please search again for something similar.',
    );

    const confirmed = await conversation.handleAction(press(items[1]!.buttons[0]!, true, 'terminal'));
    expect(confirmed.fallbackText).toBe('Thank you: “Zulu Men’s Shed” is confirmed as still running today.');
    const empty = await conversation.handleMessage(ask(true, 'terminal'));
    expect(empty.fallbackText).toBe('Every listing has been confirmed since 2026-12-15. Nothing to check.');

    const forged = await conversation.handleAction({ ...press(closeBravo, true), value: '{"id":"not-a-listing"}' });
    expect(forged.fallbackText).toMatch(/button has expired/);
  });

  it('works in the terminal chat: verify, press a listing’s Has closed, verify again', async () => {
    // Nearly six months on: Echo (2026-12-15), Charlie (2027-05-01) and the feed's event (last refreshed 2027-06-01) are due.
    const later = '2027-12-10T10:00:00Z';
    expect((await list(later)).map((q) => q.title)).toEqual([
      'Echo Tea Dance',
      'Charlie Community Choir',
      'Golf Putting Social',
    ]);
    const stdin = new PassThrough();
    stdin.end('verify\nb2\nverify\n');
    let stdout = '';
    const code = await runCli(['chat', '--now', later], {
      stdout: { write: (t) => void (stdout += t) },
      stderr: { write: () => undefined },
      stdin,
      env: { DATABASE_URL: store.url },
      logger: silentLogger,
      store,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Listings to check: 3 not confirmed since 2027-06-10');
    expect(stdout).toMatch(
      /Echo Tea Dance\s+sheet · last confirmed 2026-12-15\s+\[b1: Still running\] \[b2: Has closed\]/,
    );
    expect(stdout).toContain('Marked “Echo Tea Dance” as closed.');
    expect(stdout).toContain('Listings to check: 2 not confirmed since 2027-06-10');
    const { rows } = await store.sql.query<{ status: string; closed_by_role: string }>(
      `SELECT status, closed_by_role FROM service WHERE external_id = 'echo'`,
    );
    expect(rows[0]).toEqual({ status: 'closed', closed_by_role: 'terminal coordinator' });
  });
});

function listItems(reply: Reply): ReplyListItem[] {
  const list = reply.blocks.find((b) => b.type === 'list');
  if (list?.type !== 'list') throw new Error('no list in the reply');
  return list.items;
}
