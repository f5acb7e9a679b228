import { z } from 'zod';
import { REASON_LABELS, UNSUITABLE_REASONS } from '../../bots/core/replies/follow-up.ts';
import type { Clock } from '../../clock.ts';
import { answerFollowUp, FOLLOW_UP_OUTCOMES, recordShare } from '../../insights/outcomes.ts';
import { createDeliveryQueue } from '../../scheduler/delivery-queue.ts';
import { queueDueFollowUps, tidyFollowUps } from '../../scheduler/follow-ups.ts';
import { createTerminalNotifier } from '../../bots/terminal/terminal-notifier.ts';
import { type Command, CommandError, stringOption, UsageError } from '../command.ts';

const PLATFORMS = ['slack', 'teams', 'terminal'] as const;

/** `signpost share`: records a share exactly as the chat's *Share with resident* does (for scripts). */
export const shareCommand: Command = {
  name: 'share',
  summary: 'Records that a member of staff shared a listing with a resident (its follow-up comes FOLLOW_UP_DAYS later)',
  usage: 'share --entry <id> --user <id> [--platform slack|teams|terminal] [--via share|sms|leaflet] [--channel <id>]',
  options: {
    entry: { type: 'string' },
    user: { type: 'string' },
    platform: { type: 'string' },
    via: { type: 'string' },
    channel: { type: 'string' },
  },
  async run(ctx, args) {
    const entryId = stringOption(args, 'entry');
    const userRef = stringOption(args, 'user');
    if (!entryId || !userRef) throw new UsageError('--entry <id> and --user <id> are required');
    const platform = z.enum(PLATFORMS).safeParse(stringOption(args, 'platform') ?? 'terminal');
    if (!platform.success) throw new UsageError('--platform is slack, teams or terminal');
    const via = z.enum(['share', 'sms', 'leaflet']).safeParse(stringOption(args, 'via') ?? 'share');
    if (!via.success) throw new UsageError('--via is share, sms or leaflet');
    if (!z.guid().safeParse(entryId).success)
      throw new CommandError('SHARE.NOT_FOUND', `No listing with id ${entryId} in the catalogue.`);
    const channel = stringOption(args, 'channel');
    const made = await recordShare(
      await ctx.database(),
      { entryId, platform: platform.data, userRef, via: via.data, ...(channel ? { channelRef: channel } : {}) },
      ctx.now,
      { followUpDays: ctx.config.followUpDays },
    );
    if (!made) throw new CommandError('SHARE.NOT_FOUND', `No listing with id ${entryId} in the catalogue.`);
    return {
      json: made,
      text: made.followUpId
        ? `Share recorded; follow-up ${made.followUpId} is due in ${ctx.config.followUpDays} days.`
        : 'Share recorded; no follow-up (follow-ups are off for this person, or a Teams share was not in a personal chat).',
    };
  },
};

/** `--now` fixes where the clock starts; waits still move it on in real time. */
function clockFrom(start: Date): Clock {
  const t0 = Date.now();
  return { now: () => new Date(start.getTime() + (Date.now() - t0)) };
}

const REASON_ALIASES: Record<string, (typeof UNSUITABLE_REASONS)[number]> = {
  didnt_feel_welcome: 'not_welcome',
  it_had_closed: 'closed',
  had_closed: 'closed',
  travel: 'getting_there',
};

function parseReason(text: string): (typeof UNSUITABLE_REASONS)[number] | undefined {
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[\s-]+/g, '_');
  const known = (UNSUITABLE_REASONS as readonly string[]).includes(key)
    ? (key as (typeof UNSUITABLE_REASONS)[number])
    : undefined;
  return known ?? REASON_ALIASES[key];
}

const ANSWER_USAGE = `follow-ups answer --id <id> --outcome ${FOLLOW_UP_OUTCOMES.join('|')} [--reason ${UNSUITABLE_REASONS.join('|')}]`;

export const followUpsCommand: Command = {
  name: 'follow-ups',
  summary: 'Sends the "Did the resident go?" questions due now (terminal ones are printed), or records an answer',
  usage: `follow-ups run [--now <ISO>] [--json] | ${ANSWER_USAGE}`,
  options: { id: { type: 'string' }, outcome: { type: 'string' }, reason: { type: 'string' } },
  async run(ctx, args) {
    const sub = args.positionals[0];
    const db = await ctx.database();
    if (sub === 'run' && args.positionals.length === 1) {
      const queued = await queueDueFollowUps(db, ctx.now, ctx.logger);
      // Terminal follow-ups print here; Slack and Teams ones stay queued for the server that has those platforms.
      const queue = createDeliveryQueue({
        store: db,
        clock: clockFrom(ctx.now),
        logger: ctx.logger,
        notifiers: { terminal: createTerminalNotifier(ctx.json ? ctx.stderr : ctx.stdout) },
      });
      const outcomes = await queue.drain({ maxWaitMs: 0 });
      const sentKeys = new Set(
        outcomes.filter((o) => o.outcome === 'sent' && o.kind === 'follow-up').map((o) => o.dedupeKey),
      );
      const sent = queued.filter((q) => sentKeys.has(q.dedupeKey)).map((q) => ({ id: q.id, entryId: q.entryId }));
      const waiting = queued.filter((q) => !sentKeys.has(q.dedupeKey)).map((q) => ({ id: q.id, entryId: q.entryId }));
      await tidyFollowUps(db, ctx.now);
      const lines = [
        sent.length ? `Sent ${sent.length} follow-up${sent.length === 1 ? '' : 's'}.` : 'No follow-ups were due.',
        ...(waiting.length
          ? [`Queued ${waiting.length} for Slack or Teams (sent by the server that has them configured).`]
          : []),
      ];
      return { json: { sent, ...(waiting.length ? { queued: waiting } : {}) }, text: lines.join('\n') };
    }
    if (sub === 'answer' && args.positionals.length === 1) {
      const id = stringOption(args, 'id');
      const outcome = z.enum(FOLLOW_UP_OUTCOMES).safeParse(stringOption(args, 'outcome'));
      if (!id || !outcome.success) throw new UsageError(ANSWER_USAGE);
      const reasonText = stringOption(args, 'reason');
      const reason = reasonText === undefined ? undefined : parseReason(reasonText);
      if (reasonText !== undefined && !reason)
        throw new UsageError(`--reason is one of ${UNSUITABLE_REASONS.join(', ')}`);
      if (reason && outcome.data !== 'unsuitable') throw new UsageError('--reason goes with --outcome unsuitable');
      const answer = await answerFollowUp(db, { id, outcome: outcome.data, ...(reason ? { reason } : {}) }, ctx.now);
      if (!answer.ok) {
        throw new CommandError(
          answer.reason === 'ALREADY_ANSWERED' ? 'FOLLOWUP.ANSWERED' : 'FOLLOWUP.NOT_FOUND',
          answer.reason === 'ALREADY_ANSWERED'
            ? `Follow-up ${id} was answered already.`
            : `No open follow-up with id ${id} (answered, or more than 30 days old).`,
        );
      }
      return {
        json: {
          id,
          entryId: answer.entryId,
          outcome: answer.outcome,
          reason: answer.reason,
          reported: answer.reported,
        },
        text: `Recorded “${answer.outcome}”${answer.reason ? ` (${REASON_LABELS[answer.reason].toLowerCase()})` : ''} for “${answer.title}”.${answer.reported ? ' Coordinators have been asked to check whether it has closed.' : ''}`,
      };
    }
    throw new UsageError(`follow-ups run | ${ANSWER_USAGE}`);
  },
};
