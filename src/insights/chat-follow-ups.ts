import type { Database } from '../db/sql.ts';
import type { FollowUpHooks } from '../bots/core/conversation.ts';
import { ACTION } from '../bots/core/action-ids.ts';
import type { InboundAction } from '../bots/core/inbound.ts';
import { parseActionValue } from '../bots/core/replies/action-values.ts';
import {
  buildReasonReply,
  FollowUpAnswerValueSchema,
  FollowUpReasonValueSchema,
  REASON_LABELS,
} from '../bots/core/replies/follow-up.ts';
import { text, type Reply } from '../bots/core/reply.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { answerFollowUp, recordShare, turnFollowUpsOff, turnFollowUpsOn } from './outcomes.ts';
import type { ShareInput, ShareRecorder } from './ports.ts';

const say = (body: string): Reply => ({ fallbackText: body, blocks: [text(body)], ephemeral: true });

const OFF = /^\/?(?:follow[- ]?ups?|did it help)\s+(off|stop|on|start)[.!?]?$/i;

/**
 * The share recorder every sharing feature calls (chat, SMS, leaflets): counts the share and keeps the follow-up.
 * Failures are logged and swallowed, so recording never costs anyone the share itself.
 */
export function createShareRecorder(deps: {
  store: Database;
  clock: Clock;
  logger: Logger;
  followUpDays: number;
}): ShareRecorder {
  const log = deps.logger.child('follow-ups');
  return {
    async recordShare(share: ShareInput) {
      try {
        const made = await recordShare(deps.store, share, deps.clock.now(), { followUpDays: deps.followUpDays });
        if (made)
          log.info('share recorded', { platform: share.platform, via: share.via, followUp: made.followUpId !== null });
      } catch (error) {
        log.warn('share not recorded', { platform: share.platform, via: share.via, error });
      }
    },
  };
}

/** The chat's part of "Did it help?": shares from the share button, `follow-ups off|on`, and the answers' buttons. */
export function createFollowUpHooks(deps: {
  store: Database;
  clock: Clock;
  logger: Logger;
  shares: ShareRecorder;
}): FollowUpHooks {
  const log = deps.logger.child('follow-ups');
  return {
    async shared(ctx, entryId) {
      await deps.shares.recordShare({
        entryId,
        platform: ctx.platform,
        userRef: ctx.userId,
        via: 'share',
        // Slack: a user id opens a direct message. Teams: the conversation it was shared in, if it is the personal chat.
        ...(ctx.platform === 'teams' ? { channelRef: ctx.channelRef } : {}),
        ...(ctx.workspace ? { workspace: ctx.workspace } : {}),
      });
    },
    async command(message) {
      const m = OFF.exec(message.text.trim());
      if (!m) return undefined;
      const off = /^(off|stop)$/i.test(m[1]!);
      if (off) {
        await turnFollowUpsOff(deps.store.sql, message.platform, message.userId, deps.clock.now());
        return say(
          'Follow-ups are off: you will not be asked whether residents went to what you share. Say “follow-ups on” to have them again.',
        );
      }
      await turnFollowUpsOn(deps.store.sql, message.platform, message.userId);
      return say(
        'Follow-ups are on: a while after you share a listing, you will be asked once whether the resident went.',
      );
    },
    async handleAction(action: InboundAction) {
      const now = deps.clock.now();
      if (action.action === ACTION.followUpAnswer) {
        const value = parseActionValue(FollowUpAnswerValueSchema, action.value);
        if (!value) return say('That button has expired.');
        const answer = await answerFollowUp(deps.store, { id: value.id, outcome: value.o }, now);
        if (!answer.ok)
          return say(
            answer.reason === 'ALREADY_ANSWERED'
              ? 'You have answered this one already. Thank you.'
              : 'This question has closed (answered, or more than 30 days old). Thank you.',
          );
        log.info('follow-up answered', { platform: action.platform, outcome: answer.outcome });
        if (answer.needsReason) return { ...buildReasonReply(value.id, answer.title), ephemeral: true };
        return say(
          answer.outcome === 'went'
            ? 'Thank you: glad it helped. Counted anonymously.'
            : 'Thank you. Counted anonymously.',
        );
      }
      const value = parseActionValue(FollowUpReasonValueSchema, action.value);
      if (!value) return say('That button has expired.');
      const answer = await answerFollowUp(deps.store, { id: value.id, reason: value.r }, now);
      if (!answer.ok)
        return say(
          answer.reason === 'ALREADY_ANSWERED'
            ? 'You have answered this one already. Thank you.'
            : 'This question has closed (answered, or more than 30 days old). Thank you.',
        );
      log.info('follow-up reason given', { platform: action.platform, reason: value.r, reported: answer.reported });
      return say(
        answer.reported
          ? `Thank you. Several people have now said “${REASON_LABELS[value.r].toLowerCase()}”, so the coordinators have been asked to check it.`
          : `Thank you (“${REASON_LABELS[value.r].toLowerCase()}”). Counted anonymously.`,
      );
    },
  };
}
