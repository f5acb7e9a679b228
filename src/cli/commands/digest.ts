import { renderText } from '../../bots/terminal/render-text.ts';
import type { Clock } from '../../clock.ts';
import { createDeliveryQueue } from '../../scheduler/delivery-queue.ts';
import { selectDigestRuns } from '../../scheduler/digest-queries.ts';
import { describeSlot } from '../../scheduler/digest-schedule.ts';
import { previewDigest, runDueDigests } from '../../scheduler/run-due-digests.ts';
import { createTerminalNotifier } from '../../bots/terminal/terminal-notifier.ts';
import { type Command, stringOption, UsageError } from '../command.ts';

/** `--now` fixes where the clock starts; waits (Retry-After, spacing) still move it on in real time. */
function clockFrom(start: Date): Clock {
  const t0 = Date.now();
  return { now: () => new Date(start.getTime() + (Date.now() - t0)) };
}

export const digestCommand: Command = {
  name: 'digest',
  summary: 'Preview a subscription’s digest, or send every digest due now',
  usage: 'digest preview --subscription <id> [--now <ISO>] | digest run [--now <ISO>] [--wait <seconds>]',
  options: { subscription: { type: 'string' }, wait: { type: 'string' } },
  async run(ctx, args) {
    const action = args.positionals[0];
    const db = await ctx.database();
    const subscriptions = await ctx.subscriptions();
    const deps = { store: db, subscriptions, logger: ctx.logger, verifyAfterMonths: ctx.config.verifyAfterMonths };

    if (action === 'preview') {
      const id = stringOption(args, 'subscription');
      if (!id) throw new UsageError('--subscription <id> is required');
      const sub = await subscriptions.get(id);
      if (!sub) throw new UsageError(`No subscription with id ${id}`);
      const built = await previewDigest(deps, sub, ctx.now);
      return {
        json: { subscription: sub.id, period: built.slot.key, items: built.items, reply: built.reply },
        text: `${renderText(built.reply).text.trimEnd()}\n\n(${built.items} items; as it would be posted ${built.slot.key === 'preview' ? 'now' : `for ${describeSlot(built.slot)}`} to ${sub.platform} ${sub.channelRef})`,
      };
    }

    if (action === 'run') {
      const waitText = stringOption(args, 'wait');
      const wait = waitText === undefined ? 60 : Number(waitText);
      if (!Number.isFinite(wait) || wait < 0) throw new UsageError('--wait is a number of seconds');
      const { queued, errors } = await runDueDigests(deps, ctx.now);
      // Terminal subscriptions print here; Slack and Teams ones are left queued for the server that has them configured.
      const queue = createDeliveryQueue({
        store: db,
        clock: clockFrom(ctx.now),
        logger: ctx.logger,
        notifiers: { terminal: createTerminalNotifier(ctx.json ? ctx.stderr : ctx.stdout) },
      });
      const outcomes = await queue.drain({ maxWaitMs: wait * 1000 });
      const runIds = [
        ...new Set(
          outcomes
            .map((o) => o.digestRunId)
            .concat(queued.map((q) => q.runId))
            .filter((id): id is string => !!id),
        ),
      ];
      const runs = new Map((await selectDigestRuns(db.sql, runIds)).map((r) => [r.id, r]));
      const sent = [];
      const failed: { subscription: string; reason: string }[] = errors.map((e) => ({ ...e }));
      const pending = [];
      for (const id of runIds) {
        const run = runs.get(id);
        if (!run) continue;
        if (run.status === 'sent' && outcomes.some((o) => o.digestRunId === id && o.outcome === 'sent')) {
          sent.push({ subscription: run.subscription_id, period: run.period_key, items: run.items, late: run.late });
        } else if (run.status === 'failed') {
          failed.push({ subscription: run.subscription_id, reason: run.last_error ?? 'delivery failed' });
        } else if (run.status === 'pending') {
          pending.push({
            subscription: run.subscription_id,
            period: run.period_key,
            reason: run.last_error ?? 'waiting for a server with this platform configured',
          });
        }
      }
      const json = { sent, failed, ...(pending.length ? { queued: pending } : {}) };
      const lines = [
        sent.length ? `Sent ${sent.length} digest${sent.length === 1 ? '' : 's'}.` : 'No digests were due.',
        ...sent.map((s) => `  ${s.subscription}  ${s.period}  ${s.items} items${s.late ? '  (late)' : ''}`),
        ...(failed.length
          ? [`Failed ${failed.length}:`, ...failed.map((f) => `  ${f.subscription}  ${f.reason}`)]
          : []),
        ...(pending.length ? [`Queued ${pending.length} (${pending[0]!.reason}).`] : []),
      ];
      return { json, text: lines.join('\n') };
    }

    throw new UsageError('say "digest preview --subscription <id>" or "digest run"');
  },
};
