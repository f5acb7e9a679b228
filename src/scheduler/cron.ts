import type { Database } from '../db/sql.ts';
import cron from 'node-cron';
import type { Platform } from '../bots/core/inbound.ts';
import type { Notifier } from '../bots/core/ports.ts';
import type { BookingService } from '../catalogue/booking/booking-service.ts';
import { type Clock, ZONE } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { runBookingTick } from './booking-reminders.ts';
import { queueDueFollowUps, tidyFollowUps } from './follow-ups.ts';
import { refreshTrustMarks } from '../catalogue/trust/trust.ts';
import { queueRefresherReminders } from './training-refreshers.ts';
import { createDeliveryQueue } from './delivery-queue.ts';
import type { SubscriptionRepository } from './subscriptions.ts';
import { refreshDueFeeds } from './refresh-feeds.ts';
import { runDueDigests } from './run-due-digests.ts';
import type { FeedAllowList } from '../catalogue/ingest/feed-address-policy.ts';

export type SchedulerDeps = {
  store: Database;
  /** Digest subscriptions (built in app.ts over the Prisma client). */
  subscriptions: SubscriptionRepository;
  clock: Clock;
  logger: Logger;
  notifiers: Partial<Record<Platform, Notifier>>;
  bookings: BookingService;
  horizonDays?: number;
  /** VERIFY_AFTER_MONTHS, for the digests' listings to check. */
  verifyAfterMonths?: number;
  /** Private hosts and ranges partner feeds may be fetched from (FEED_ALLOW_PRIVATE_HOSTS). */
  allowPrivateHosts?: FeedAllowList;
  /** Nightly housekeeping (e.g. deleting statistics and kept questions past their retention), at 03:15 London time. */
  nightly?: (now: Date) => Promise<unknown>;
};

export type Scheduler = {
  start(): Promise<void>;
  /** No new ticks; the jobs under way finish their current step (a post, a feed), then it resolves. */
  stop(): Promise<void>;
};

/**
 * node-cron wiring only: each job calls a use case with `clock.now()`. Whether anything is due is decided by the use
 * cases from the database (digest periods, next fetch times, reminder flags), never by the timer, so a missed tick,
 * a restart or a second instance changes nothing.
 */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const log = deps.logger.child('scheduler');
  const queue = createDeliveryQueue({
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
    notifiers: deps.notifiers,
  });
  const { subscriptions } = deps;
  const tasks: { stop(): void | Promise<void> }[] = [];
  const stopping = new AbortController();
  const signal = stopping.signal;
  const running = new Set<Promise<void>>();

  const guard = (name: string, job: () => Promise<unknown>) => () => {
    if (signal.aborted) return Promise.resolve();
    const run = (async () => {
      try {
        await job();
      } catch (error) {
        if (!signal.aborted) log.error('scheduled job failed', { job: name, error });
      }
    })();
    running.add(run);
    void run.finally(() => running.delete(run));
    return run;
  };

  const digests = guard('digests', async () => {
    const { queued } = await runDueDigests(
      {
        store: deps.store,
        subscriptions,
        logger: deps.logger,
        ...(deps.verifyAfterMonths ? { verifyAfterMonths: deps.verifyAfterMonths } : {}),
      },
      deps.clock.now(),
    );
    const outcomes = await queue.drain({ maxWaitMs: 50_000, signal });
    if (queued.length || outcomes.length)
      log.info('digest tick', {
        queued: queued.length,
        delivered: outcomes.filter((o) => o.outcome === 'sent').length,
      });
  });
  const feeds = guard('feeds', async () => {
    await refreshDueFeeds(deps.store, deps.clock.now(), deps.logger, {
      signal,
      ...(deps.horizonDays ? { horizonDays: deps.horizonDays } : {}),
      ...(deps.allowPrivateHosts ? { allowPrivateHosts: deps.allowPrivateHosts } : {}),
    });
    // A feed failing for over a week marks its listings (and ranks them lower) until it loads again.
    await refreshTrustMarks(deps.store.sql, deps.clock.now());
  });
  const bookings = guard('bookings', async () => {
    await runBookingTick(deps.store, deps.bookings, deps.clock.now(), deps.logger);
    await queueDueFollowUps(deps.store, deps.clock.now(), deps.logger);
    await queueRefresherReminders(deps.store, deps.bookings, deps.clock.now(), deps.logger);
    await queue.drain({ maxWaitMs: 50_000, signal });
    await tidyFollowUps(deps.store, deps.clock.now());
  });

  return {
    async start() {
      const options = { timezone: ZONE, noOverlap: true };
      tasks.push(cron.schedule('* * * * *', digests, { ...options, name: 'digests' }));
      tasks.push(cron.schedule('*/5 * * * *', feeds, { ...options, name: 'feed-refresh' }));
      tasks.push(cron.schedule('*/5 * * * *', bookings, { ...options, name: 'bookings' }));
      const nightly = deps.nightly;
      if (nightly)
        tasks.push(
          cron.schedule(
            '15 3 * * *',
            guard('nightly', () => nightly(deps.clock.now())),
            { ...options, name: 'nightly' },
          ),
        );
      // Resume whatever a previous run left unsent, without waiting for the first tick.
      void digests();
      log.info('scheduler started', { platforms: Object.keys(deps.notifiers) });
    },
    async stop() {
      for (const task of tasks.splice(0)) await task.stop();
      stopping.abort();
      await Promise.all([...running]);
    },
  };
}
