import { z } from 'zod';
import {
  FOLLOW_UP_OUTCOMES,
  type FollowUpOutcome,
  UNSUITABLE_REASONS,
  type UnsuitableReason,
} from '../bots/core/replies/follow-up.ts';
import { isUuid } from '../db/ids.ts';
import type { Database, Sql } from '../db/sql.ts';
import { entryExists } from './flag-queries.ts';
import { createFlag } from './flags.ts';
import {
  countAnswer,
  countClosedAnswer,
  countShare,
  deleteExpiredFollowUps,
  deleteFollowUp,
  deleteFollowUpDeliveries,
  deleteFollowUpOptOut,
  deleteFollowUpsOf,
  hasFollowUpOptOut,
  insertFollowUpOptOut,
  insertPendingFollowUp,
  lockFollowUp,
  markFollowUpAwaitingReason,
  resetClosedAnswers,
  selectUnsentFollowUp,
  takeDueFollowUpRows,
} from './outcome-queries.ts';
import { SHARE_VIAS, type ShareInput } from './ports.ts';

export { FOLLOW_UP_OUTCOMES, UNSUITABLE_REASONS };
export type { FollowUpOutcome, UnsuitableReason };

/** A pending follow-up is deleted this long after the share, sent or not, answered or not. */
export const FOLLOW_UP_KEEP_DAYS = 30;
/** This many "it had closed" answers about one listing raise a "has closed" report for coordinators. */
export const CLOSED_ANSWERS_FOR_REPORT = 3;

const PLATFORMS = ['slack', 'teams', 'terminal'] as const;

export const ShareInputSchema = z.object({
  entryId: z.guid(),
  platform: z.enum(PLATFORMS),
  userRef: z.string().trim().min(1).max(200),
  via: z.enum(SHARE_VIAS),
  /** Where to ask privately; defaults to `userRef` (a Slack user id opens a direct message). */
  channelRef: z.string().trim().min(1).max(300).optional(),
  workspace: z.string().trim().min(1).max(100).optional(),
});

export type ShareRecorded = { entryId: string; followUpId: string | null };

/**
 * Where the follow-up can be asked privately: Slack and the terminal reach the person by their id (a Slack user id
 * opens a direct message); Teams only in the bot's personal chat with them (conversation ids `a:…`). A share made in
 * a Teams channel is counted, but not followed up, rather than asked in front of the channel.
 */
function privateConversation(s: z.infer<typeof ShareInputSchema>): string | null {
  if (s.platform !== 'teams') return s.userRef;
  return s.channelRef?.startsWith('a:') ? s.channelRef : null;
}

/**
 * Records that a member of staff shared a listing with a resident (by the chat's share, an SMS or a leaflet): the
 * month's anonymous share count goes up, and unless they said `follow-ups off` a follow-up is kept to ask them,
 * `followUpDays` later, whether the resident went. One follow-up per person and listing is pending at a time.
 * Undefined when the listing is not in the catalogue.
 */
export async function recordShare(
  store: Database,
  input: ShareInput,
  now: Date,
  options: { followUpDays: number },
): Promise<ShareRecorded | undefined> {
  const s = ShareInputSchema.parse(input);
  return store.transaction(async (tx) => {
    if (!(await entryExists(tx, s.entryId))) return undefined;
    await countShare(tx, s.entryId, now);
    const off = await hasFollowUpOptOut(tx, s.platform, s.userRef);
    const where = privateConversation(s);
    if (off || !where) return { entryId: s.entryId, followUpId: null };
    const open = await selectUnsentFollowUp(tx, s.entryId, s.platform, s.userRef);
    if (open) return { entryId: s.entryId, followUpId: open };
    const followUpId = await insertPendingFollowUp(tx, {
      entryId: s.entryId,
      via: s.via,
      platform: s.platform,
      userRef: s.userRef,
      channelRef: where,
      workspace: s.workspace ?? null,
      now,
      dueDays: options.followUpDays,
      keepDays: FOLLOW_UP_KEEP_DAYS,
    });
    return { entryId: s.entryId, followUpId };
  });
}

/** `follow-ups off`: no more questions for this person, and the ones waiting for them are deleted. */
export async function turnFollowUpsOff(sql: Sql, platform: string, userRef: string, now: Date): Promise<void> {
  await insertFollowUpOptOut(sql, platform, userRef, now);
  await deleteFollowUpsOf(sql, platform, userRef);
}

/** `follow-ups on`: questions again after later shares. */
export async function turnFollowUpsOn(sql: Sql, platform: string, userRef: string): Promise<void> {
  await deleteFollowUpOptOut(sql, platform, userRef);
}

export type DueFollowUp = {
  id: string;
  entryId: string;
  title: string;
  platform: string;
  channelRef: string;
  workspace: string | null;
  sharedOn: Date;
};

/**
 * Takes the follow-ups due at `now` (inside the caller's transaction): each is returned once, with where to send it,
 * and its platform ids are cleared at once, so the row keeps only the listing, the month and that it was sent.
 */
export async function takeDueFollowUps(tx: Sql, now: Date): Promise<DueFollowUp[]> {
  const rows = await takeDueFollowUpRows(tx, now, FOLLOW_UP_KEEP_DAYS);
  return rows.map((r) => ({
    id: r.id,
    entryId: r.entry_id,
    title: r.title ?? 'the listing you shared',
    platform: r.platform,
    channelRef: r.channel_ref,
    workspace: r.workspace,
    sharedOn: new Date(r.shared_at),
  }));
}

/** Deletes follow-ups past their 30 days (sent or not), and sent follow-up messages' delivery records. */
export async function purgeFollowUps(sql: Sql, now: Date): Promise<number> {
  const purged = await deleteExpiredFollowUps(sql, now);
  await deleteFollowUpDeliveries(sql, now, FOLLOW_UP_KEEP_DAYS);
  return purged;
}

export type AnswerResult =
  | {
      ok: true;
      entryId: string;
      title: string;
      outcome: FollowUpOutcome;
      reason: UnsuitableReason | null;
      needsReason: boolean;
      reported: boolean;
    }
  | { ok: false; reason: 'NOT_FOUND' | 'ALREADY_ANSWERED' };

/**
 * Records a member of staff's answer, anonymously: the listing's count for the share's month goes up and the
 * follow-up is deleted. *Wasn't suitable* without a reason keeps it (with no platform id) so that one reason can
 * still be added. The CLOSED_ANSWERS_FOR_REPORT-th "it had closed" raises a "has closed" report.
 */
export async function answerFollowUp(
  store: Database,
  input: { id: string; outcome?: FollowUpOutcome; reason?: UnsuitableReason },
  now: Date,
): Promise<AnswerResult> {
  if (!isUuid(input.id)) return { ok: false, reason: 'NOT_FOUND' };
  const result = await store.transaction(async (tx): Promise<AnswerResult & { platform?: string }> => {
    const row = await lockFollowUp(tx, input.id, now);
    if (!row) return { ok: false, reason: 'NOT_FOUND' };
    const title = row.title ?? 'the listing';
    // A reason alone only follows *Wasn't suitable*.
    const outcome = input.outcome ?? (row.outcome === 'unsuitable' ? 'unsuitable' : undefined);
    if (!outcome) return { ok: false, reason: 'NOT_FOUND' };
    if (row.outcome && (input.outcome || !input.reason)) return { ok: false, reason: 'ALREADY_ANSWERED' };
    const reason = outcome === 'unsuitable' ? (input.reason ?? null) : null;
    // The outcome is counted once; a reason added later counts only the reason.
    await countAnswer(tx, row.entry_id, row.share_month, row.outcome ? null : outcome, reason);
    const needsReason = outcome === 'unsuitable' && !reason;
    if (needsReason) await markFollowUpAwaitingReason(tx, input.id);
    else await deleteFollowUp(tx, input.id);
    let reported = false;
    if (reason === 'closed') {
      if ((await countClosedAnswer(tx, row.entry_id)) >= CLOSED_ANSWERS_FOR_REPORT) {
        await resetClosedAnswers(tx, row.entry_id);
        reported = true;
      }
    }
    return { ok: true, entryId: row.entry_id, title, outcome, reason, needsReason, reported, platform: row.platform };
  });
  if (result.ok && result.reported) {
    const platform = z.enum(PLATFORMS).catch('terminal').parse(result.platform);
    await createFlag(
      store,
      { entryId: result.entryId, kind: 'closed', platform, note: 'several follow-up answers said it had closed' },
      now,
    );
  }
  if (!result.ok) return result;
  const { platform: _platform, ...answer } = result;
  return answer;
}
