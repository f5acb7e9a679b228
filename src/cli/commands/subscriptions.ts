import { toLondonIso } from '../../catalogue/time.ts';
import { FAILING_AFTER } from '../../scheduler/delivery-queue.ts';
import { nextRunAt } from '../../scheduler/digest-schedule.ts';
import { describeFilters, describeSchedule } from '../../scheduler/subscriptions.ts';
import type { Command } from '../command.ts';

const iso = (d: Date | null) => (d ? toLondonIso(d) : null);

/** Repeated delivery failures are flagged so coordinators see a channel that stopped receiving its digest. */
export { FAILING_AFTER };

export const subscriptionsCommand: Command = {
  name: 'subscriptions',
  summary: 'Digest subscriptions with their schedule, last and next digest, and delivery health',
  usage: 'subscriptions [--all]',
  options: { all: { type: 'boolean' } },
  async run(ctx, args) {
    const subs = await (await ctx.subscriptions()).list({
      activeOnly: args.values.all !== true,
    });
    const json = subs.map((s) => ({
      id: s.id,
      platform: s.platform,
      channel: s.channelRef,
      workspace: s.workspace,
      when: s.whenText,
      cron: s.schedule,
      timezone: s.timezone,
      filters: s.filters,
      mode: s.mode,
      checks: s.checks,
      checksWeek: s.checksWeek,
      active: s.active,
      createdBy: s.createdBy,
      lastPeriod: s.lastPeriod,
      lastSent: iso(s.lastSentAt),
      next: s.active ? iso(nextRunAt(s.schedule, ctx.now, s.timezone)) : null,
      failures: s.consecutiveFailures,
      lastError: s.lastError,
      lastErrorAt: iso(s.lastErrorAt),
      health: s.consecutiveFailures >= FAILING_AFTER ? 'failing' : s.consecutiveFailures > 0 ? 'retrying' : 'ok',
    }));
    const text = subs.length
      ? json
          .map((s, i) => {
            const sub = subs[i]!;
            const what = describeFilters(sub.filters);
            const warn =
              s.health !== 'ok'
                ? `\n    ⚠ ${s.failures} failed deliveries in a row: ${s.lastError ?? 'unknown error'}`
                : '';
            return (
              `${s.id}  ${s.platform} ${s.channel}  ${describeSchedule(sub)}  ${s.mode}${s.checks ? ' +checks' : ''}${what ? `  [${what}]` : ''}${s.active ? '' : '  (unsubscribed)'}\n` +
              `    last sent ${s.lastSent ?? 'never'}, next ${s.next ?? '—'}${warn}`
            );
          })
          .join('\n')
      : 'No digest subscriptions. Add one with: subscribe --platform slack --channel C123 --when "daily 08:00"';
    return { json, text };
  },
};
