import { z } from 'zod';
import { ACTION } from '../action-ids.ts';
import { actions, context, heading, literal, type Reply, type ReplyButton, text } from '../reply.ts';

export const FOLLOW_UP_OUTCOMES = ['went', 'didnt_go', 'unsuitable'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];

/** Why a listing was not suitable: one of a fixed list, so nothing about the resident can be typed in. */
export const UNSUITABLE_REASONS = [
  'cost',
  'getting_there',
  'access',
  'timing',
  'language',
  'not_welcome',
  'closed',
] as const;
export type UnsuitableReason = (typeof UNSUITABLE_REASONS)[number];

export const REASON_LABELS: Record<UnsuitableReason, string> = {
  cost: 'Cost',
  getting_there: 'Getting there',
  access: 'Access',
  timing: 'Timing',
  language: 'Language',
  not_welcome: 'Didn’t feel welcome',
  closed: 'It had closed',
};

export const OUTCOME_LABELS: Record<FollowUpOutcome, string> = {
  went: 'Went',
  didnt_go: 'Didn’t go',
  unsuitable: 'Wasn’t suitable',
};

export const FollowUpAnswerValueSchema = z.object({ id: z.guid(), o: z.enum(FOLLOW_UP_OUTCOMES) });
export const FollowUpReasonValueSchema = z.object({ id: z.guid(), r: z.enum(UNSUITABLE_REASONS) });

export const FOLLOW_UPS_OFF_HINT = 'Say “follow-ups off” to stop these questions.';

/** The one private "Did the resident go?" message, a while after a member of staff shared a listing. */
export function buildFollowUpReply(input: { id: string; title: string; sharedOn: string; platform: string }): Reply {
  const buttons: ReplyButton[] = FOLLOW_UP_OUTCOMES.map((o) => ({
    label: OUTCOME_LABELS[o],
    action: ACTION.followUpAnswer,
    value: JSON.stringify({ id: input.id, o }),
    ...(o === 'went' ? { style: 'primary' as const } : {}),
  }));
  const question = `Did the resident go to ${input.title}?`;
  return {
    fallbackText: question,
    blocks: [
      heading('Did it help?'),
      text(`Did the resident go to **${literal(input.title)}**? You shared it on ${input.sharedOn}.`),
      actions(buttons),
      context(`Your answer is counted anonymously: no names, nothing about the resident. ${FOLLOW_UPS_OFF_HINT}`),
      ...(input.platform === 'terminal'
        ? [context(`Answer with \`signpost follow-ups answer --id ${input.id} --outcome went|didnt_go|unsuitable\`.`)]
        : []),
    ],
  };
}

/** After *Wasn't suitable*: one reason from the fixed list. */
export function buildReasonReply(id: string, title: string): Reply {
  return {
    fallbackText: `Thank you. What was the main reason ${title} was not suitable?`,
    blocks: [
      text(`Thank you. What was the main reason **${literal(title)}** was not suitable?`),
      actions(
        UNSUITABLE_REASONS.map((r) => ({
          label: REASON_LABELS[r],
          action: ACTION.followUpReason,
          value: JSON.stringify({ id, r }),
        })),
      ),
    ],
  };
}
