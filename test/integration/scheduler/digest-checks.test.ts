import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import type { Reply, ReplyListItem } from '../../../src/bots/core/reply.ts';
import { renderBlocks } from '../../../src/bots/slack/render-blocks.ts';
import { renderText } from '../../../src/bots/terminal/render-text.ts';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { COORDINATOR_SOURCE, saveManualEntry } from '../../../src/catalogue/manual-entries.ts';
import { createChatConversation } from '../../../src/chat-conversation.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { fixedClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createDeliveryQueue } from '../../../src/scheduler/delivery-queue.ts';
import { parseSubscribeText } from '../../../src/scheduler/digest-hooks.ts';
import { createPrismaSubscriptionRepository } from '../../../src/scheduler/prisma-subscription-repository.ts';
import { runDueDigests } from '../../../src/scheduler/run-due-digests.ts';
import type { SubscriptionRepository } from '../../../src/scheduler/subscriptions.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';
import { FakeClock, recordingNotifier } from './fake-time.ts';

const CREATED = new Date('2027-06-14T12:00:00Z');
// Daily at 08:00 London (07:00 UTC in summer). Tue 15 and Wed 16 June 2027 are in ISO week 24, Mon 21 June in week 25.
const TUESDAY = new Date('2027-06-15T07:00:10Z');
const WEDNESDAY = new Date('2027-06-16T07:00:10Z');
const NEXT_MONDAY = new Date('2027-06-21T07:00:10Z');
// Typed by a coordinator: shown exactly as written by every renderer, never as markup or a Slack mention.
const MARKED_UP = 'Zulu *Men’s* Shed <!here>';

/** The "Listings to check" part of a digest: the list after its bold heading, or undefined. */
function checksOf(reply: Reply): { heading: string; items: ReplyListItem[]; more: string | undefined } | undefined {
  const at = reply.blocks.findIndex((b) => b.type === 'text' && b.text.startsWith('**Listings to check**'));
  if (at < 0) return undefined;
  const heading = reply.blocks[at]!;
  const list = reply.blocks[at + 1];
  const more = reply.blocks[at + 2];
  return {
    heading: heading.type === 'text' ? heading.text : '',
    items: list?.type === 'list' ? list.items : [],
    more: more?.type === 'context' ? more.text : undefined,
  };
}

describe.each(STORE_KINDS)('the digest’s listings to check on %s', (kind) => {
  let store: TestStore;
  let ids: Record<string, string>;

  async function cli(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: { write: (t) => void (stdout += t) },
      stderr: { write: (t) => void (stderr += t) },
      stdin: new PassThrough(),
      env: { DATABASE_URL: store.url },
      logger: silentLogger,
      store,
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) as unknown };
  }

  async function subscribe(channel: string, checks: boolean) {
    const repo = createPrismaSubscriptionRepository(store);
    return (
      await repo.create(
        { platform: 'terminal', channelRef: channel, when: 'daily 08:00', checks, createdBy: 'U-coordinator' },
        CREATED,
      )
    ).id;
  }

  /** Runs the digests due at `at` for `subs` and returns what each channel was sent. */
  async function digestsAt(
    at: Date,
    subscriptions: SubscriptionRepository = createPrismaSubscriptionRepository(store),
  ) {
    const clock = new FakeClock(at);
    const notifier = recordingNotifier('terminal', clock);
    const run = await runDueDigests({ store, subscriptions, logger: silentLogger }, at);
    expect(run.errors).toEqual([]);
    await createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { terminal: notifier },
      sleep: clock.sleep,
    }).drain();
    return { run, posted: new Map(notifier.posted.map((p) => [p.channelRef, p.reply])) };
  }

  beforeAll(async () => {
    store = await openTestStore(kind);
    await importSource(
      store,
      {
        input: 'test/fixtures/verify/sheet-v1.csv',
        source: 'sheet',
        format: 'csv',
        now: new Date('2027-06-01T09:00:00Z'),
      },
      silentLogger,
    );
    // Coordinator entries last saved long ago, between the sheet's old confirmations.
    for (const [title, saved] of [
      [MARKED_UP, '2026-02-01T10:00:00Z'],
      ['Yankee Chair Yoga', '2026-03-01T10:00:00Z'],
      ['X-Ray Art Club', '2026-04-01T10:00:00Z'],
    ] as const) {
      expect((await saveManualEntry(store, { kind: 'activity', title }, new Date(saved))).ok).toBe(true);
    }
    const { rows } = await store.sql.query<{ id: string; name: string }>(`SELECT id::text AS id, name FROM service`);
    ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('puts them in the first digest of each week only, oldest first, with the verify buttons on each listing', async () => {
    await store.sql.query('DELETE FROM digest_subscription');
    const withChecks = await subscribe('coordinators', true);
    const without = await subscribe('staff', false);

    const tuesday = await digestsAt(TUESDAY);
    expect(tuesday.run.queued.map((q) => [q.subscription, q.checks]).sort()).toEqual(
      [
        [withChecks, true],
        [without, false],
      ].sort(),
    );
    const reply = tuesday.posted.get('coordinators')!;
    const checks = checksOf(reply)!;
    // Six months before 15 June 2027: listings last confirmed before 15 December 2026, never confirmed first.
    expect(checks.heading).toBe(
      '**Listings to check** (6 not confirmed since 2026-12-15). Oldest first: is each one still running?',
    );
    expect(checks.items.map((i) => [i.title, i.lines])).toEqual([
      ['Bravo Knit & Natter', ['sheet · never confirmed']],
      ['Alpha Lunch Club', ['sheet · last confirmed 2026-01-10']],
      [MARKED_UP, [`${COORDINATOR_SOURCE} · last confirmed 2026-02-01`]],
      ['Yankee Chair Yoga', [`${COORDINATOR_SOURCE} · last confirmed 2026-03-01`]],
      ['X-Ray Art Club', [`${COORDINATOR_SOURCE} · last confirmed 2026-04-01`]],
    ]);
    expect(checks.more).toMatch(/^…and 1 more\./);
    for (const item of checks.items) {
      const value = JSON.stringify({ id: ids[item.title] });
      expect(item.buttons.slice(0, 2)).toEqual([
        { label: 'Still running', action: ACTION.verifyConfirm, value, style: 'primary' },
        { label: 'Has closed', action: ACTION.verifyClose, value, style: 'danger' },
      ]);
    }
    // Edit opens the entry form, so only coordinator entries have it (with the entry's own reference).
    expect(checks.items.map((i) => i.buttons.some((b) => b.action === ACTION.editEntry))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(reply.fallbackText).toMatch(/ 6 listings to check\.$/);
    expect(checksOf(tuesday.posted.get('staff')!)).toBeUndefined();

    const wednesday = await digestsAt(WEDNESDAY);
    expect(wednesday.run.queued.map((q) => q.checks)).toEqual([false, false]);
    expect(checksOf(wednesday.posted.get('coordinators')!)).toBeUndefined();

    const monday = await digestsAt(NEXT_MONDAY);
    expect(checksOf(monday.posted.get('coordinators')!)?.items).toHaveLength(5);
    expect(checksOf(monday.posted.get('staff')!)).toBeUndefined();
    const { rows } = await store.sql.query<{ channel_ref: string; checks_week: string | null }>(
      `SELECT channel_ref, checks_week FROM digest_subscription ORDER BY channel_ref`,
    );
    expect(rows).toEqual([
      { channel_ref: 'coordinators', checks_week: '2027-W25' },
      { channel_ref: 'staff', checks_week: null },
    ]);
  });

  it('shows them once a week even to an instance that read the subscription before the week was recorded', async () => {
    await store.sql.query('DELETE FROM digest_subscription');
    await subscribe('coordinators', true);
    const repo = createPrismaSubscriptionRepository(store);
    const before = await repo.list({ activeOnly: true });
    // A second instance still holding the subscription as it was before Tuesday's digest.
    const stale: SubscriptionRepository = { ...repo, list: async () => before };

    expect(checksOf((await digestsAt(TUESDAY)).posted.get('coordinators')!)).toBeDefined();
    const second = await digestsAt(WEDNESDAY, stale);
    expect(second.run.queued).toMatchObject([{ checks: false }]);
    expect(checksOf(second.posted.get('coordinators')!)).toBeUndefined();
  });

  it('renders the section for Slack and the terminal with catalogue text shown as written', async () => {
    await store.sql.query('DELETE FROM digest_subscription');
    await subscribe('coordinators', true);
    const reply = (await digestsAt(TUESDAY)).posted.get('coordinators')!;

    const terminal = renderText(reply).text;
    expect(terminal).toContain('Listings to check (6 not confirmed since 2026-12-15)');
    expect(terminal).toContain(MARKED_UP);
    expect(terminal).toMatch(
      /Bravo Knit & Natter\s+sheet · never confirmed\s+\[b\d+: Still running\] \[b\d+: Has closed\]/,
    );

    const slack = JSON.stringify(renderBlocks(reply));
    for (const label of ['Listings to check', 'Still running', 'Has closed', 'Edit', 'never confirmed'])
      expect(slack).toContain(label);
    expect(slack).toContain('Bravo Knit &amp; Natter');
    expect(slack).toContain('&lt;!here&gt;');
    expect(slack).not.toContain('<!here>');
    expect(slack).not.toContain('*Men’s*');
    expect(slack).toContain(`"value":${JSON.stringify(JSON.stringify({ id: ids['Bravo Knit & Natter'] }))}`);
  });

  it('sends a digest with nothing new when it has listings to check, as it does without them', async () => {
    await store.sql.query('DELETE FROM digest_subscription');
    await subscribe('coordinators', true);
    await subscribe('staff', false);
    // The catalogue has no sessions this week: both digests say nothing is new; the coordinators' still has the checks.
    const { posted } = await digestsAt(TUESDAY);
    for (const channel of ['coordinators', 'staff'])
      expect(posted.get(channel)!.fallbackText).toMatch(/nothing new this time/);
    expect(checksOf(posted.get('coordinators')!)?.items).toHaveLength(5);
    expect(checksOf(posted.get('staff')!)).toBeUndefined();
  });

  it('subscribe --verify and subscriptions in the CLI, and digest preview', async () => {
    await store.sql.query('DELETE FROM digest_subscription');
    const made = await cli([
      'subscribe',
      '--platform',
      'terminal',
      '--channel',
      'team-c',
      '--when',
      'daily 08:00',
      '--verify',
      '--json',
      '--now',
      CREATED.toISOString(),
    ]);
    expect(made.code, made.stderr).toBe(0);
    const { id, checks } = made.json() as { id: string; checks: boolean };
    expect(checks).toBe(true);
    const plain = await cli([
      'subscribe',
      '--platform',
      'terminal',
      '--channel',
      'team-d',
      '--when',
      'daily 08:00',
      '--json',
      '--now',
      CREATED.toISOString(),
    ]);
    expect(plain.json()).toMatchObject({ checks: false });

    const listed = await cli(['subscriptions', '--json', '--now', CREATED.toISOString()]);
    expect(
      (listed.json() as { channel: string; checks: boolean; checksWeek: string | null }[])
        .map((s) => [s.channel, s.checks, s.checksWeek])
        .sort(),
    ).toEqual([
      ['team-c', true, null],
      ['team-d', false, null],
    ]);
    expect((await cli(['subscriptions', '--now', CREATED.toISOString()])).stdout).toMatch(
      /team-c {2}every day at 08:00 {2}both \+checks/,
    );

    const preview = await cli(['digest', 'preview', '--subscription', id, '--now', TUESDAY.toISOString()]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('Listings to check (6 not confirmed since 2026-12-15)');
    expect(preview.stdout).toContain('Bravo Knit & Natter');
    // A preview records nothing: the week is still to be shown.
    const { rows } = await store.sql.query<{ checks_week: string | null }>(
      `SELECT checks_week FROM digest_subscription WHERE id = $1`,
      [id],
    );
    expect(rows[0]!.checks_week).toBeNull();
  });

  it('"with checks" in chat subscribes the channel with them, and says so', async () => {
    expect(parseSubscribeText('weekly mon 09:00 lunch clubs with checks', CREATED)).toMatchObject({
      when: 'weekly mon 09:00',
      checks: true,
      filters: { categories: ['lunch club'] },
    });
    expect(parseSubscribeText('daily 08:00 and listings to check', CREATED)).toMatchObject({
      when: 'daily 08:00',
      checks: true,
      filterText: null,
    });
    expect(parseSubscribeText('weekly mon 09:00 lunch clubs', CREATED)).toMatchObject({ checks: false });

    await store.sql.query('DELETE FROM digest_subscription');
    const config = loadConfig({ DATABASE_URL: store.url });
    const { conversation } = createChatConversation({
      config,
      store,
      clock: fixedClock(CREATED),
      logger: silentLogger,
    });
    const reply = await conversation.handleMessage({
      platform: 'slack',
      userId: 'U1',
      channelRef: 'C-team',
      text: 'subscribe weekly mon 09:00 with checks',
      isDirect: false,
      isCoordinator: true,
    });
    expect(reply.fallbackText).toMatch(/The first digest of each week also has the listings to check/);
    const subs = await createPrismaSubscriptionRepository(store).list({ activeOnly: true });
    expect(subs.map((s) => [s.channelRef, s.whenText, s.checks])).toEqual([['C-team', 'weekly mon 09:00', true]]);
  });
});
