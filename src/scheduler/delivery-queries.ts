import type { Sql } from '../db/sql.ts';

/** The SQL of the outgoing queue (`delivery_item`) and its lanes (`delivery_lane`); see delivery-queue.ts. */

/** One queued message as the queue reads and claims it. */
export type DeliveryItemRow = {
  id: string;
  dedupe_key: string;
  kind: string;
  platform: string;
  channel_ref: string;
  workspace: string;
  reply: unknown;
  attempts: number;
  digest_run_id: string | null;
};

export type NewDeliveryRow = {
  dedupeKey: string;
  kind: string;
  platform: string;
  channelRef: string;
  workspace: string;
  reply: unknown;
  nextAttemptAt: Date;
  digestRunId: string | null;
};

const ITEM_COLUMNS = 'id, dedupe_key, kind, platform, channel_ref, workspace, reply, attempts, digest_run_id';

/** An item is due when pending and its time has come, or when its claim's lease ran out (`$now` is replaced). */
const due = (now: string) =>
  `((status = 'pending' AND next_attempt_at <= ${now}) OR (status = 'sending' AND lease_until < ${now}))`;

/** Adds a delivery; a second item with the same key is ignored. Returns its id, or null. */
export async function insertDelivery(tx: Sql, item: NewDeliveryRow, now: Date): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO delivery_item (dedupe_key, kind, platform, channel_ref, workspace, reply, next_attempt_at, created_at, digest_run_id)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [
      item.dedupeKey,
      item.kind,
      item.platform,
      item.channelRef,
      item.workspace,
      JSON.stringify(item.reply),
      item.nextAttemptAt,
      now,
      item.digestRunId,
    ],
  );
  return rows[0]?.id ?? null;
}

/** Takes or renews the lane's lease for `owner` unless another owner holds it; null when it does. */
export async function acquireLane(
  sql: Sql,
  key: string,
  owner: string,
  leaseUntil: Date,
  now: Date,
): Promise<{ pausedUntil: Date | null } | null> {
  const { rows } = await sql.query<{ paused_until: Date | null }>(
    `INSERT INTO delivery_lane (key, owner, lease_until, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, updated_at = EXCLUDED.updated_at
     WHERE delivery_lane.owner IS NULL OR delivery_lane.owner = EXCLUDED.owner OR delivery_lane.lease_until IS NULL
        OR delivery_lane.lease_until < $4
     RETURNING paused_until`,
    [key, owner, leaseUntil, now],
  );
  return rows[0] ? { pausedUntil: rows[0].paused_until } : null;
}

export async function releaseLane(sql: Sql, key: string, owner: string): Promise<void> {
  await sql.query(`UPDATE delivery_lane SET owner = NULL, lease_until = NULL WHERE key = $1 AND owner = $2`, [
    key,
    owner,
  ]);
}

/** Pauses the lane until `until` (a later pause already stored stays). */
export async function pauseLane(sql: Sql, key: string, until: Date): Promise<void> {
  await sql.query(`UPDATE delivery_lane SET paused_until = GREATEST(coalesce(paused_until, $2), $2) WHERE key = $1`, [
    key,
    until,
  ]);
}

/** Up to 50 items of a lane due now, oldest first (only `onlyIds` when given). */
export async function selectDueItems(
  sql: Sql,
  platform: string,
  workspace: string,
  now: Date,
  onlyIds?: string[],
): Promise<DeliveryItemRow[]> {
  const params: unknown[] = [platform, workspace, now];
  let only = '';
  if (onlyIds) {
    params.push(onlyIds);
    only = 'AND id = ANY($4::uuid[])';
  }
  const { rows } = await sql.query<DeliveryItemRow>(
    `SELECT ${ITEM_COLUMNS} FROM delivery_item
     WHERE platform = $1 AND workspace = $2 AND ${due('$3')} ${only}
     ORDER BY next_attempt_at, created_at, id LIMIT 50`,
    params,
  );
  return rows;
}

/** Claims one item if it is still due (a conditional UPDATE, so no two drains send it); counts the attempt. */
export async function claimItem(
  sql: Sql,
  id: string,
  leaseUntil: Date,
  now: Date,
): Promise<DeliveryItemRow | undefined> {
  const { rows } = await sql.query<DeliveryItemRow>(
    `UPDATE delivery_item SET status = 'sending', lease_until = $2, attempts = attempts + 1
     WHERE id = $1 AND ${due('$3')}
     RETURNING ${ITEM_COLUMNS}`,
    [id, leaseUntil, now],
  );
  return rows[0];
}

/** Records an item sent and, for a digest, its run and subscription as sent (inside the caller's transaction). */
export async function recordSent(tx: Sql, item: DeliveryItemRow, now: Date): Promise<void> {
  await tx.query(
    `UPDATE delivery_item SET status = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1`,
    [item.id, now],
  );
  if (!item.digest_run_id) return;
  const run = await tx.query<{ subscription_id: string }>(
    `UPDATE digest_run SET status = 'sent', sent_at = $2, attempts = $3, last_error = NULL WHERE id = $1 RETURNING subscription_id`,
    [item.digest_run_id, now, item.attempts],
  );
  const sub = run.rows[0]?.subscription_id;
  if (sub) {
    await tx.query(
      `UPDATE digest_subscription SET last_sent_at = $2, consecutive_failures = 0, last_error = NULL WHERE id = $1`,
      [sub, now],
    );
  }
}

/**
 * Records a failed attempt (inside the caller's transaction): pending again from `retryAt`, or failed when `final`.
 * An attempt not counted (a rate limit) is given back, and leaves the subscription's failure count alone.
 */
export async function recordFailure(
  tx: Sql,
  item: DeliveryItemRow,
  now: Date,
  failure: { reason: string; final: boolean; retryAt: Date | null; countAttempt: boolean; minFailures?: number },
): Promise<{ subscriptionCreatedBy: string } | undefined> {
  const { reason, final, retryAt, countAttempt } = failure;
  await tx.query(
    `UPDATE delivery_item SET status = $2, next_attempt_at = coalesce($3, next_attempt_at), lease_until = NULL, last_error = $4,
       attempts = attempts - $5 WHERE id = $1`,
    [item.id, final ? 'failed' : 'pending', retryAt, reason, countAttempt ? 0 : 1],
  );
  if (!item.digest_run_id) return undefined;
  const run = await tx.query<{ subscription_id: string }>(
    `UPDATE digest_run SET status = $2, attempts = $3, last_error = $4 WHERE id = $1 RETURNING subscription_id`,
    [item.digest_run_id, final ? 'failed' : 'pending', item.attempts - (countAttempt ? 0 : 1), reason],
  );
  const sub = run.rows[0]?.subscription_id;
  if (!sub || !countAttempt) return undefined;
  // `minFailures`: a failure that will not mend itself marks the subscription failing at once.
  const updated = await tx.query<{ created_by: string }>(
    `UPDATE digest_subscription SET consecutive_failures = GREATEST(consecutive_failures + 1, $4), last_error = $2, last_error_at = $3
     WHERE id = $1 RETURNING created_by`,
    [sub, reason, now, failure.minFailures ?? 0],
  );
  const createdBy = updated.rows[0]?.created_by;
  return createdBy === undefined ? undefined : { subscriptionCreatedBy: createdBy };
}

/** When the lane's next pending item falls due (only `onlyIds` when given), or undefined. */
export async function selectNextAttemptAt(
  sql: Sql,
  platform: string,
  workspace: string,
  onlyIds?: string[],
): Promise<Date | undefined> {
  const { rows } = await sql.query<{ at: Date | null }>(
    `SELECT min(next_attempt_at) AS at FROM delivery_item WHERE platform = $1 AND workspace = $2 AND status = 'pending'
     ${onlyIds ? 'AND id = ANY($3::uuid[])' : ''}`,
    onlyIds ? [platform, workspace, onlyIds] : [platform, workspace],
  );
  return rows[0]?.at ?? undefined;
}

/** Lanes of the given platforms with work pending or a lapsed claim (only `onlyIds` when given). */
export async function selectWaitingLanes(
  sql: Sql,
  now: Date,
  platforms: string[],
  onlyIds?: string[],
): Promise<{ platform: string; workspace: string }[]> {
  const params: unknown[] = [now];
  const only = onlyIds ? 'AND id = ANY($2::uuid[])' : '';
  if (onlyIds) params.push(onlyIds);
  params.push(platforms);
  const { rows } = await sql.query<{ platform: string; workspace: string }>(
    `SELECT DISTINCT platform, workspace FROM delivery_item
     WHERE (status = 'pending' OR (status = 'sending' AND lease_until < $1)) ${only}
       AND platform = ANY($${params.length}::text[])`,
    params,
  );
  return rows;
}

/** How many items are in each status. */
export async function countDeliveriesByStatus(sql: Sql): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM delivery_item GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
