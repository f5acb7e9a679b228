import { z } from 'zod';
import {
  FOLLOW_UP_OUTCOMES,
  type FollowUpOutcome,
  UNSUITABLE_REASONS,
  type UnsuitableReason,
} from '../bots/core/replies/follow-up.ts';
import { isUuid } from '../db/ids.ts';
import type { Store } from '../db/open-store.ts';
import type { Sql } from '../db/sql.ts';
import { createFlag } from './flags.ts';
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

/** The London month (its first day, YYYY-MM-01) of a time, in SQL. */
const MONTH_SQL = (ref: string) => `date_trunc('month', (${ref}::timestamptz AT TIME ZONE 'Europe/London'))::date`;

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
  store: Store,
  input: ShareInput,
  now: Date,
  options: { followUpDays: number },
): Promise<ShareRecorded | undefined> {
  const s = ShareInputSchema.parse(input);
  return store.transaction(async (tx) => {
    const entry = await tx.query(`SELECT 1 FROM service WHERE id = $1::uuid`, [s.entryId]);
    if (entry.rows.length === 0) return undefined;
    await tx.query(
      `INSERT INTO outcome_count (entry_id, month, shared) VALUES ($1, ${MONTH_SQL('$2')}, 1)
       ON CONFLICT (entry_id, month) DO UPDATE SET shared = outcome_count.shared + 1`,
      [s.entryId, now],
    );
    const off = await tx.query(`SELECT 1 FROM follow_up_opt_out WHERE platform = $1 AND user_ref = $2`, [
      s.platform,
      s.userRef,
    ]);
    const where = privateConversation(s);
    if (off.rows.length > 0 || !where) return { entryId: s.entryId, followUpId: null };
    const open = await tx.query<{ id: string }>(
      `SELECT id FROM pending_follow_up WHERE entry_id = $1 AND platform = $2 AND user_ref = $3 AND sent_at IS NULL LIMIT 1`,
      [s.entryId, s.platform, s.userRef],
    );
    if (open.rows[0]) return { entryId: s.entryId, followUpId: open.rows[0].id };
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO pending_follow_up (entry_id, via, platform, user_ref, channel_ref, workspace, share_month, due_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, ${MONTH_SQL('$7')}, $7::timestamptz + make_interval(days => $8), $7::timestamptz + make_interval(days => $9))
       RETURNING id`,
      [
        s.entryId,
        s.via,
        s.platform,
        s.userRef,
        where,
        s.workspace ?? null,
        now,
        options.followUpDays,
        FOLLOW_UP_KEEP_DAYS,
      ],
    );
    return { entryId: s.entryId, followUpId: rows[0]!.id };
  });
}

/** `follow-ups off`: no more questions for this person, and the ones waiting for them are deleted. */
export async function turnFollowUpsOff(sql: Sql, platform: string, userRef: string, now: Date): Promise<void> {
  await sql.query(
    `INSERT INTO follow_up_opt_out (platform, user_ref, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [platform, userRef, now],
  );
  await sql.query(`DELETE FROM pending_follow_up WHERE platform = $1 AND user_ref = $2`, [platform, userRef]);
}

/** `follow-ups on`: questions again after later shares. */
export async function turnFollowUpsOn(sql: Sql, platform: string, userRef: string): Promise<void> {
  await sql.query(`DELETE FROM follow_up_opt_out WHERE platform = $1 AND user_ref = $2`, [platform, userRef]);
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
  const { rows } = await tx.query<{
    id: string;
    entry_id: string;
    title: string | null;
    platform: string;
    channel_ref: string;
    workspace: string | null;
    shared_at: Date;
  }>(
    `WITH due AS (
       SELECT p.id, p.channel_ref, p.workspace, p.due_at FROM pending_follow_up p
       WHERE p.sent_at IS NULL AND p.due_at <= $1 AND p.expires_at > $1 AND p.channel_ref IS NOT NULL
       ORDER BY p.due_at, p.id
       FOR UPDATE SKIP LOCKED
     )
     UPDATE pending_follow_up p SET sent_at = $1, user_ref = NULL, channel_ref = NULL, workspace = NULL
     FROM due
     WHERE p.id = due.id
     RETURNING p.id, p.entry_id, p.platform, due.channel_ref, due.workspace,
       p.expires_at - make_interval(days => ${FOLLOW_UP_KEEP_DAYS}) AS shared_at,
       (SELECT name FROM service WHERE service.id = p.entry_id) AS title`,
    [now],
  );
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
  const { rows } = await sql.query<{ id: string }>(
    `DELETE FROM pending_follow_up WHERE expires_at <= $1 RETURNING id`,
    [now],
  );
  await sql.query(
    `DELETE FROM delivery_item WHERE kind = 'follow-up' AND (status IN ('sent', 'failed') OR created_at <= $1::timestamptz - make_interval(days => $2))`,
    [now, FOLLOW_UP_KEEP_DAYS],
  );
  return rows.length;
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
  store: Store,
  input: { id: string; outcome?: FollowUpOutcome; reason?: UnsuitableReason },
  now: Date,
): Promise<AnswerResult> {
  if (!isUuid(input.id)) return { ok: false, reason: 'NOT_FOUND' };
  const result = await store.transaction(async (tx): Promise<AnswerResult & { platform?: string }> => {
    const { rows } = await tx.query<{
      entry_id: string;
      share_month: string;
      outcome: string | null;
      platform: string;
      title: string | null;
    }>(
      `SELECT p.entry_id, to_char(p.share_month, 'YYYY-MM-DD') AS share_month, p.outcome, p.platform,
         (SELECT name FROM service WHERE service.id = p.entry_id) AS title
       FROM pending_follow_up p WHERE p.id = $1 AND p.expires_at > $2 FOR UPDATE`,
      [input.id, now],
    );
    const row = rows[0];
    if (!row) return { ok: false, reason: 'NOT_FOUND' };
    const title = row.title ?? 'the listing';
    // A reason alone only follows *Wasn't suitable*.
    const outcome = input.outcome ?? (row.outcome === 'unsuitable' ? 'unsuitable' : undefined);
    if (!outcome) return { ok: false, reason: 'NOT_FOUND' };
    if (row.outcome && (input.outcome || !input.reason)) return { ok: false, reason: 'ALREADY_ANSWERED' };
    const reason = outcome === 'unsuitable' ? (input.reason ?? null) : null;
    const column = { went: 'went', didnt_go: 'didnt_go', unsuitable: 'unsuitable' }[outcome];
    const counts = row.outcome ? '' : `${column} = outcome_count.${column} + 1`;
    const reasons = reason
      ? `reasons = jsonb_set(outcome_count.reasons, ARRAY[$3::text], to_jsonb(coalesce((outcome_count.reasons->>$3)::int, 0) + 1))`
      : '';
    const sets = [counts, reasons].filter(Boolean).join(', ');
    await tx.query(
      `INSERT INTO outcome_count (entry_id, month) VALUES ($1, $2::date) ON CONFLICT (entry_id, month) DO NOTHING`,
      [row.entry_id, row.share_month],
    );
    if (sets) {
      await tx.query(
        `UPDATE outcome_count SET ${sets} WHERE entry_id = $1 AND month = $2::date`,
        reason ? [row.entry_id, row.share_month, reason] : [row.entry_id, row.share_month],
      );
    }
    const needsReason = outcome === 'unsuitable' && !reason;
    if (needsReason)
      await tx.query(`UPDATE pending_follow_up SET outcome = 'unsuitable', user_ref = NULL WHERE id = $1`, [input.id]);
    else await tx.query(`DELETE FROM pending_follow_up WHERE id = $1`, [input.id]);
    let reported = false;
    if (reason === 'closed') {
      const tally = await tx.query<{ answers: number }>(
        `INSERT INTO closed_answer_tally (entry_id, answers) VALUES ($1, 1)
         ON CONFLICT (entry_id) DO UPDATE SET answers = closed_answer_tally.answers + 1 RETURNING answers`,
        [row.entry_id],
      );
      if ((tally.rows[0]?.answers ?? 0) >= CLOSED_ANSWERS_FOR_REPORT) {
        await tx.query(`UPDATE closed_answer_tally SET answers = 0 WHERE entry_id = $1`, [row.entry_id]);
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
