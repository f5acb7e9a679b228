import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/bots/core/ports.ts';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { openStore } from '../../../src/db/open-store.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createDeliveryQueue } from '../../../src/scheduler/delivery-queue.ts';
import { createPrismaSubscriptionRepository } from '../../../src/scheduler/prisma-subscription-repository.ts';
import { runDueDigests } from '../../../src/scheduler/run-due-digests.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';
import { FakeClock, recordingNotifier } from './fake-time.ts';

const SEEDED = new Date('2027-03-20T09:00:00Z');

async function subscribeChannels(
  store: TestStore,
  platform: 'slack' | 'teams' | 'terminal',
  channels: string[],
  when = 'daily 08:00',
  workspace = 'T1',
) {
  const repo = createPrismaSubscriptionRepository(store);
  const ids: string[] = [];
  for (const channel of channels) {
    const sub = await repo.create(
      { platform, channelRef: channel, workspace, when, createdBy: 'U-coordinator' },
      SEEDED,
    );
    ids.push(sub.id);
  }
  return ids;
}

async function resetScheduler(store: TestStore) {
  await store.sql.query('DELETE FROM delivery_item');
  await store.sql.query('DELETE FROM delivery_lane');
  await store.sql.query('DELETE FROM digest_subscription');
}

describe.each(STORE_KINDS)('digests on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
    await seedDemo(store, SEEDED);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('records each (subscription, period) once: running again for the same moment sends nothing new', async () => {
    await resetScheduler(store);
    const clock = new FakeClock('2027-03-21T08:00:30Z');
    const [a, b] = await subscribeChannels(store, 'terminal', ['team-a', 'team-b']);
    const notifier = recordingNotifier('terminal', clock);
    const deps = { store, subscriptions: createPrismaSubscriptionRepository(store), logger: silentLogger };
    const queue = createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { terminal: notifier },
      sleep: clock.sleep,
    });

    const first = await runDueDigests(deps, clock.now());
    expect(first.queued.map((q) => [q.subscription, q.period, q.late]).sort()).toEqual(
      [
        [a, '2027-03-21T08:00', false],
        [b, '2027-03-21T08:00', false],
      ].sort(),
    );
    expect(first.queued.every((q) => q.items > 0)).toBe(true);
    const sent = await queue.drain();
    expect(sent.map((o) => o.outcome)).toEqual(['sent', 'sent']);
    expect(notifier.posted.map((p) => p.channelRef).sort()).toEqual(['team-a', 'team-b']);
    expect(notifier.posted[0]!.reply.fallbackText).toMatch(/Signpost digest: Sunday 21 March/);

    const again = await runDueDigests(deps, clock.now());
    expect(again.queued).toEqual([]);
    expect(await queue.drain()).toEqual([]);
    const runs = await store.sql.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM digest_run GROUP BY status`,
    );
    expect(runs.rows).toEqual([{ status: 'sent', n: 2 }]);
  });

  it('sends a digest missed during downtime once, marked late, then the next one on time', async () => {
    await resetScheduler(store);
    const clock = new FakeClock('2027-03-24T10:20:00Z');
    const [id] = await subscribeChannels(store, 'terminal', ['team-late']);
    const deps = { store, subscriptions: createPrismaSubscriptionRepository(store), logger: silentLogger };
    const late = await runDueDigests(deps, clock.now());
    expect(late.queued).toMatchObject([{ subscription: id, period: '2027-03-24T08:00', late: true }]);
    expect((await runDueDigests(deps, new Date('2027-03-24T23:00:00Z'))).queued).toEqual([]);
    const next = await runDueDigests(deps, new Date('2027-03-25T08:00:00Z'));
    expect(next.queued).toMatchObject([{ subscription: id, period: '2027-03-25T08:00', late: false }]);
  });

  it('resumes after a restart in the middle of a fan-out without losing or repeating a digest', async () => {
    await resetScheduler(store);
    const clock = new FakeClock('2027-03-21T08:00:00Z');
    const channels = Array.from({ length: 10 }, (_, i) => `C${String(i).padStart(2, '0')}`);
    await subscribeChannels(store, 'slack', channels);
    const deps = { store, subscriptions: createPrismaSubscriptionRepository(store), logger: silentLogger };
    expect((await runDueDigests(deps, clock.now())).queued).toHaveLength(10);

    // The first instance dies while posting the fifth digest (its call never returns).
    const dying = recordingNotifier('slack', clock, (_t, call) =>
      call === 5 ? new Promise<void>(() => {}) : undefined,
    );
    const first = createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { slack: dying },
      sleep: clock.sleep,
      owner: 'instance-1',
    });
    void first.drain();
    for (let i = 0; i < 500 && dying.calls < 5; i++) await new Promise((r) => setTimeout(r, 10));
    expect(dying.posted).toHaveLength(4);

    // A new instance starts after the dead one's leases have run out and finishes the fan-out.
    clock.advance(3 * 60_000);
    const restarted = recordingNotifier('slack', clock);
    const second = createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { slack: restarted },
      sleep: clock.sleep,
      owner: 'instance-2',
    });
    const outcomes = await second.drain();
    expect(outcomes.every((o) => o.outcome === 'sent')).toBe(true);
    const all = [...dying.posted, ...restarted.posted].map((p) => p.channelRef).sort();
    expect(all).toEqual(channels);
    const runs = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM digest_run WHERE status = 'sent'`,
    );
    expect(runs.rows[0]!.n).toBe(10);
  });

  it('keeps draining other workspaces while one is paused by a 429', async () => {
    await resetScheduler(store);
    const clock = new FakeClock('2027-03-21T08:00:00Z');
    await subscribeChannels(store, 'slack', ['A1', 'A2'], 'daily 08:00', 'T1');
    await subscribeChannels(store, 'slack', ['B1', 'B2'], 'daily 08:00', 'T2');
    const deps = { store, subscriptions: createPrismaSubscriptionRepository(store), logger: silentLogger };
    await runDueDigests(deps, clock.now());
    const notifier = recordingNotifier('slack', clock, (target) => {
      if (target.workspace === 'T1') throw new DeliveryError('Slack rate limit', true, 3_600_000);
    });
    const queue = createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { slack: notifier },
      sleep: clock.sleep,
    });
    const outcomes = await queue.drain({ maxWaitMs: 60_000 });
    expect(notifier.posted.map((p) => p.channelRef).sort()).toEqual(['B1', 'B2']);
    // One refused call pauses T1; its second digest is not even tried until the pause ends.
    expect(outcomes.filter((o) => o.outcome === 'retry')).toHaveLength(1);
    const pending = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM delivery_item WHERE status = 'pending'`,
    );
    expect(pending.rows[0]!.n).toBe(2);
  });

  it('honours 429 Retry-After across the workspace, keeps to 300/min, and isolates a failing channel', async () => {
    await resetScheduler(store);
    const clock = new FakeClock('2027-03-21T08:00:00Z');
    const channels = Array.from({ length: 30 }, (_, i) => `C${String(i).padStart(2, '0')}`);
    await subscribeChannels(store, 'slack', [...channels, 'C-broken']);
    const deps = { store, subscriptions: createPrismaSubscriptionRepository(store), logger: silentLogger };
    await runDueDigests(deps, clock.now());

    const pauses: { from: number; until: number }[] = [];
    // A storm: calls 6 to 12 are refused with Retry-After 20 s; C-broken always fails.
    const notifier = recordingNotifier('slack', clock, (target, call) => {
      if (target.channelRef === 'C-broken') throw new DeliveryError('Slack HTTP 500', true);
      if (target.workspace === 'T1' && call >= 6 && call <= 12) {
        const now = clock.now().getTime();
        pauses.push({ from: now, until: now + 20_000 });
        throw new DeliveryError('Slack rate limit', true, 20_000);
      }
    });
    const queue = createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { slack: notifier },
      sleep: clock.sleep,
    });
    const outcomes = await queue.drain({ maxWaitMs: 2 * 3_600_000 });

    const t1 = notifier.posted.filter((p) => p.workspace === 'T1');
    expect(t1.map((p) => p.channelRef).sort()).toEqual(channels);
    expect(new Set(notifier.posted.map((p) => p.channelRef)).size).toBe(notifier.posted.length);
    // Nothing posted to the workspace while it was paused, and never faster than one post per 200 ms.
    for (const p of t1)
      for (const pause of pauses) expect(p.at.getTime() >= pause.from && p.at.getTime() < pause.until).toBe(false);
    const times = t1.map((p) => p.at.getTime()).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(200);
    // The broken channel was retried with back-off, then given up on, and coordinators can see why.
    const broken = outcomes.filter((o) => o.channelRef === 'C-broken');
    expect(broken.map((o) => o.outcome)).toEqual(['retry', 'retry', 'retry', 'retry', 'failed']);
    const sub = await store.sql.query<{ consecutive_failures: number; last_error: string }>(
      `SELECT consecutive_failures, last_error FROM digest_subscription WHERE channel_ref = 'C-broken'`,
    );
    expect(sub.rows[0]).toEqual({ consecutive_failures: 5, last_error: 'Slack HTTP 500' });
  });
});

describe.runIf(STORE_KINDS.includes('postgres'))('two instances racing on one PostgreSQL database', () => {
  it('never sends the same digest twice', async () => {
    const base = await openTestStore('postgres');
    try {
      await seedDemo(base, SEEDED);
      const channels = Array.from({ length: 40 }, (_, i) => `C${String(i).padStart(2, '0')}`);
      await subscribeChannels(base, 'slack', channels.slice(0, 20), 'daily 08:00', 'T1');
      await subscribeChannels(base, 'slack', channels.slice(20), 'daily 08:00', 'T2');
      const instances = await Promise.all(
        [1, 2].map(() => openStore({ kind: 'postgres', url: base.url }, { migrate: false })),
      );
      try {
        const clock = new FakeClock('2027-03-21T08:00:05Z');
        const notifiers = instances.map(() => recordingNotifier('slack', clock));
        const results = await Promise.all(
          instances.map(async (store, i) => {
            const deps = { store, subscriptions: createPrismaSubscriptionRepository(store), logger: silentLogger };
            const queued = await runDueDigests(deps, clock.now());
            const queue = createDeliveryQueue({
              store,
              clock,
              logger: silentLogger,
              notifiers: { slack: notifiers[i]! },
              sleep: clock.sleep,
              owner: `instance-${i}`,
            });
            await queue.drain({ maxWaitMs: 60_000 });
            return queued.queued.length;
          }),
        );
        expect(results[0]! + results[1]!).toBe(40);
        // Whatever one instance left (a lane it could not take), either finishes.
        const leftover = createDeliveryQueue({
          store: instances[0]!,
          clock,
          logger: silentLogger,
          notifiers: { slack: notifiers[0]! },
          sleep: clock.sleep,
        });
        await leftover.drain({ maxWaitMs: 60_000 });
        const posted = notifiers.flatMap((n) => n.posted.map((p) => p.channelRef)).sort();
        expect(posted).toEqual(channels);
        const runs = await base.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM digest_run WHERE status = 'sent'`,
        );
        expect(runs.rows[0]!.n).toBe(40);
      } finally {
        await Promise.all(instances.map((s) => s.close()));
      }
    } finally {
      await base.close();
    }
  });
});
