import type { Sql } from '../db/sql.ts';

/**
 * The SQL of shares and their follow-ups (outcomes.ts) and of the outcome reports over them (outcomes-report.ts):
 * anonymous monthly counts per listing (`outcome_count`), pending follow-ups, opt-outs and "it had closed" tallies.
 */

/** The London month (its first day, YYYY-MM-01) of a time, in SQL. */
const MONTH_SQL = (ref: string) => `date_trunc('month', (${ref}::timestamptz AT TIME ZONE 'Europe/London'))::date`;

/** A month of a listing's outcome counts as a follow-up answer reads it. */
export type FollowUpForAnswer = {
  entry_id: string;
  /** The share's month, YYYY-MM-DD. */
  share_month: string;
  outcome: string | null;
  platform: string;
  title: string | null;
};

/** A follow-up taken to be sent: where to, and when the share was. */
export type TakenFollowUpRow = {
  id: string;
  entry_id: string;
  title: string | null;
  platform: string;
  channel_ref: string;
  workspace: string | null;
  shared_at: Date;
};

/** A listing's outcome counts summed over a range of months; `reasons` holds each month's reasons object. */
export type OutcomeCountRow = {
  entry_id: string;
  title: string | null;
  shared: number;
  went: number;
  didnt_go: number;
  unsuitable: number;
  reasons: unknown[] | null;
};

/** One group of the funnel (a category or a ward): searches asking for it, shares and "went" answers. */
export type FunnelGroupRow = { g: string; searched: number; shared: number; went: number };

/** Adds one to the listing's shares for the London month of `now`. */
export async function countShare(tx: Sql, entryId: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO outcome_count (entry_id, month, shared) VALUES ($1, ${MONTH_SQL('$2')}, 1)
     ON CONFLICT (entry_id, month) DO UPDATE SET shared = outcome_count.shared + 1`,
    [entryId, now],
  );
}

/** Whether this person said `follow-ups off`. */
export async function hasFollowUpOptOut(tx: Sql, platform: string, userRef: string): Promise<boolean> {
  const { rows } = await tx.query(`SELECT 1 FROM follow_up_opt_out WHERE platform = $1 AND user_ref = $2`, [
    platform,
    userRef,
  ]);
  return rows.length > 0;
}

/** The follow-up still to be sent to this person about this listing, if any. */
export async function selectUnsentFollowUp(
  tx: Sql,
  entryId: string,
  platform: string,
  userRef: string,
): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM pending_follow_up WHERE entry_id = $1 AND platform = $2 AND user_ref = $3 AND sent_at IS NULL LIMIT 1`,
    [entryId, platform, userRef],
  );
  return rows[0]?.id;
}

/** Keeps a follow-up, due `dueDays` after `now` and deleted `keepDays` after it; returns its id. */
export async function insertPendingFollowUp(
  tx: Sql,
  f: {
    entryId: string;
    via: string;
    platform: string;
    userRef: string;
    channelRef: string;
    workspace: string | null;
    now: Date;
    dueDays: number;
    keepDays: number;
  },
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO pending_follow_up (entry_id, via, platform, user_ref, channel_ref, workspace, share_month, due_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, ${MONTH_SQL('$7')}, $7::timestamptz + make_interval(days => $8), $7::timestamptz + make_interval(days => $9))
     RETURNING id`,
    [f.entryId, f.via, f.platform, f.userRef, f.channelRef, f.workspace, f.now, f.dueDays, f.keepDays],
  );
  return rows[0]!.id;
}

/** Records `follow-ups off` for this person (once). */
export async function insertFollowUpOptOut(sql: Sql, platform: string, userRef: string, now: Date): Promise<void> {
  await sql.query(
    `INSERT INTO follow_up_opt_out (platform, user_ref, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [platform, userRef, now],
  );
}

export async function deleteFollowUpOptOut(sql: Sql, platform: string, userRef: string): Promise<void> {
  await sql.query(`DELETE FROM follow_up_opt_out WHERE platform = $1 AND user_ref = $2`, [platform, userRef]);
}

/** Deletes every follow-up waiting for this person. */
export async function deleteFollowUpsOf(sql: Sql, platform: string, userRef: string): Promise<void> {
  await sql.query(`DELETE FROM pending_follow_up WHERE platform = $1 AND user_ref = $2`, [platform, userRef]);
}

/**
 * Marks the follow-ups due at `now` sent and clears their platform ids, skipping rows another transaction holds;
 * returns where each was to go. `keepDays` is how long after its share a follow-up is kept.
 */
export async function takeDueFollowUpRows(tx: Sql, now: Date, keepDays: number): Promise<TakenFollowUpRow[]> {
  const { rows } = await tx.query<TakenFollowUpRow>(
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
       p.expires_at - make_interval(days => ${keepDays}) AS shared_at,
       (SELECT name FROM service WHERE service.id = p.entry_id) AS title`,
    [now],
  );
  return rows;
}

/** Deletes follow-ups expired at `now`; returns how many. */
export async function deleteExpiredFollowUps(sql: Sql, now: Date): Promise<number> {
  const { rows } = await sql.query<{ id: string }>(
    `DELETE FROM pending_follow_up WHERE expires_at <= $1 RETURNING id`,
    [now],
  );
  return rows.length;
}

/** Deletes follow-up messages' delivery records once sent or failed, or older than `keepDays`. */
export async function deleteFollowUpDeliveries(sql: Sql, now: Date, keepDays: number): Promise<void> {
  await sql.query(
    `DELETE FROM delivery_item WHERE kind = 'follow-up' AND (status IN ('sent', 'failed') OR created_at <= $1::timestamptz - make_interval(days => $2))`,
    [now, keepDays],
  );
}

/** The follow-up with this id not yet expired at `now`, locked until the transaction ends. */
export async function lockFollowUp(tx: Sql, id: string, now: Date): Promise<FollowUpForAnswer | undefined> {
  const { rows } = await tx.query<FollowUpForAnswer>(
    `SELECT p.entry_id, to_char(p.share_month, 'YYYY-MM-DD') AS share_month, p.outcome, p.platform,
       (SELECT name FROM service WHERE service.id = p.entry_id) AS title
     FROM pending_follow_up p WHERE p.id = $1 AND p.expires_at > $2 FOR UPDATE`,
    [id, now],
  );
  return rows[0];
}

/**
 * Counts an answer in the listing's month (YYYY-MM-DD): one more `column` answer unless `column` is null, and one
 * more of `reason` when given.
 */
export async function countAnswer(
  tx: Sql,
  entryId: string,
  month: string,
  column: 'went' | 'didnt_go' | 'unsuitable' | null,
  reason: string | null,
): Promise<void> {
  const counts = column ? `${column} = outcome_count.${column} + 1` : '';
  const reasons = reason
    ? `reasons = jsonb_set(outcome_count.reasons, ARRAY[$3::text], to_jsonb(coalesce((outcome_count.reasons->>$3)::int, 0) + 1))`
    : '';
  const sets = [counts, reasons].filter(Boolean).join(', ');
  await tx.query(
    `INSERT INTO outcome_count (entry_id, month) VALUES ($1, $2::date) ON CONFLICT (entry_id, month) DO NOTHING`,
    [entryId, month],
  );
  if (sets) {
    await tx.query(
      `UPDATE outcome_count SET ${sets} WHERE entry_id = $1 AND month = $2::date`,
      reason ? [entryId, month, reason] : [entryId, month],
    );
  }
}

/** Keeps an answered *Wasn't suitable* follow-up, with no platform id, for its reason to be added. */
export async function markFollowUpAwaitingReason(tx: Sql, id: string): Promise<void> {
  await tx.query(`UPDATE pending_follow_up SET outcome = 'unsuitable', user_ref = NULL WHERE id = $1`, [id]);
}

export async function deleteFollowUp(tx: Sql, id: string): Promise<void> {
  await tx.query(`DELETE FROM pending_follow_up WHERE id = $1`, [id]);
}

/** One more "it had closed" answer about the listing; returns how many there are since the last report. */
export async function countClosedAnswer(tx: Sql, entryId: string): Promise<number> {
  const { rows } = await tx.query<{ answers: number }>(
    `INSERT INTO closed_answer_tally (entry_id, answers) VALUES ($1, 1)
     ON CONFLICT (entry_id) DO UPDATE SET answers = closed_answer_tally.answers + 1 RETURNING answers`,
    [entryId],
  );
  return rows[0]?.answers ?? 0;
}

export async function resetClosedAnswers(tx: Sql, entryId: string): Promise<void> {
  await tx.query(`UPDATE closed_answer_tally SET answers = 0 WHERE entry_id = $1`, [entryId]);
}

/** Outcome counts per listing over the London months of `from` to `to`: most shared first. */
export async function selectOutcomeCounts(sql: Sql, range: { from: Date; to: Date }): Promise<OutcomeCountRow[]> {
  const { rows } = await sql.query<OutcomeCountRow>(
    `SELECT c.entry_id::text AS entry_id, s.name AS title,
       sum(c.shared)::int AS shared, sum(c.went)::int AS went, sum(c.didnt_go)::int AS didnt_go, sum(c.unsuitable)::int AS unsuitable,
       array_agg(c.reasons) AS reasons
     FROM outcome_count c LEFT JOIN service s ON s.id = c.entry_id
     WHERE c.month >= ${MONTH_SQL('$1')} AND c.month <= ${MONTH_SQL('$2')}
     GROUP BY c.entry_id, s.name
     ORDER BY sum(c.shared) DESC, sum(c.went) DESC, s.name, c.entry_id`,
    [range.from, range.to],
  );
  return rows;
}

/** Searches in the hours from `from` (inclusive) to `to`. */
export async function countSearches(sql: Sql, range: { from: Date; to: Date }): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM search_stat WHERE hour >= $1 AND hour < $2`,
    [range.from, range.to],
  );
  return rows[0]?.n ?? 0;
}

/** Each listing's shares and "went" answers over the months of $1 to $2. */
const OUTCOMES = `SELECT c.entry_id, sum(c.shared)::int AS shared, sum(c.went)::int AS went FROM outcome_count c
     WHERE c.month >= ${MONTH_SQL('$1')} AND c.month <= ${MONTH_SQL('$2')} GROUP BY c.entry_id`;

/** Shares and "went" answers over the months of `from` to `to`, all listings together. */
export async function sumOutcomes(
  sql: Sql,
  range: { from: Date; to: Date },
): Promise<{ shared: number; went: number }> {
  const { rows } = await sql.query<{ shared: number; went: number }>(
    `SELECT coalesce(sum(o.shared), 0)::int AS shared, coalesce(sum(o.went), 0)::int AS went FROM (${OUTCOMES}) o`,
    [range.from, range.to],
  );
  return { shared: rows[0]?.shared ?? 0, went: rows[0]?.went ?? 0 };
}

const FUNNEL_GROUPS = {
  category: {
    searches: `SELECT c AS g, count(*) AS n FROM search_stat, unnest(categories) AS c WHERE hour >= $1 AND hour < $2 GROUP BY c`,
    outcomes: `SELECT c AS g, sum(o.shared) AS shared, sum(o.went) AS went FROM o JOIN service sv ON sv.id = o.entry_id, unnest(sv.categories) AS c GROUP BY c`,
  },
  ward: {
    searches: `SELECT w AS g, count(*) AS n FROM search_stat, unnest(wards) AS w WHERE hour >= $1 AND hour < $2 GROUP BY w`,
    outcomes: `SELECT l.ward AS g, sum(o.shared) AS shared, sum(o.went) AS went FROM o JOIN service sv ON sv.id = o.entry_id
       JOIN location l ON l.id = sv.location_id WHERE l.ward IS NOT NULL GROUP BY l.ward`,
  },
} as const;

/**
 * The funnel by the categories or wards searches asked for and shared listings have (a search naming two counts in
 * each): most searched first, then most shared.
 */
export async function selectFunnel(
  sql: Sql,
  by: keyof typeof FUNNEL_GROUPS,
  range: { from: Date; to: Date },
): Promise<FunnelGroupRow[]> {
  const { searches, outcomes } = FUNNEL_GROUPS[by];
  const { rows } = await sql.query<FunnelGroupRow>(
    `WITH o AS (${OUTCOMES}),
     s AS (${searches}),
     d AS (${outcomes})
     SELECT coalesce(s.g, d.g) AS g, coalesce(s.n, 0)::int AS searched, coalesce(d.shared, 0)::int AS shared, coalesce(d.went, 0)::int AS went
     FROM s FULL JOIN d ON d.g = s.g
     ORDER BY coalesce(s.n, 0) DESC, coalesce(d.shared, 0) DESC, 1`,
    [range.from, range.to],
  );
  return rows;
}
