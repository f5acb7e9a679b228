import type { Database } from '../db/sql.ts';
import { DateTime } from 'luxon';
import { buildFollowUpReply } from '../bots/core/replies/follow-up.ts';
import { ZONE } from '../clock.ts';
import { purgeFollowUps, takeDueFollowUps } from '../insights/outcomes.ts';
import type { Logger } from '../logger.ts';
import { enqueueDelivery } from './delivery-queue.ts';
import { PlatformSchema } from './subscriptions.ts';

export type QueuedFollowUp = { id: string; entryId: string; dedupeKey: string };

export const followUpDedupeKey = (id: string) => `follow-up:${id}`;

/**
 * Queues every "Did the resident go?" question due at `now`, each exactly once: the follow-up gives up its platform
 * ids in the same transaction that queues the message. Then deletes follow-ups past their 30 days and the delivery
 * records of sent ones, so no platform id outlives its question.
 */
export async function queueDueFollowUps(store: Database, now: Date, logger: Logger): Promise<QueuedFollowUp[]> {
  const queued = await store.transaction(async (tx) => {
    const due = await takeDueFollowUps(tx, now);
    const out: QueuedFollowUp[] = [];
    for (const f of due) {
      const platform = PlatformSchema.safeParse(f.platform);
      if (!platform.success) continue;
      const dedupeKey = followUpDedupeKey(f.id);
      await enqueueDelivery(
        tx,
        {
          dedupeKey,
          kind: 'follow-up',
          target: {
            platform: platform.data,
            channelRef: f.channelRef,
            ...(f.workspace ? { workspace: f.workspace } : {}),
          },
          reply: buildFollowUpReply({
            id: f.id,
            title: f.title,
            sharedOn: DateTime.fromJSDate(f.sharedOn, { zone: ZONE }).setLocale('en-GB').toFormat('d LLLL'),
            platform: platform.data,
          }),
        },
        now,
      );
      out.push({ id: f.id, entryId: f.entryId, dedupeKey });
    }
    return out;
  });
  if (queued.length) logger.child('follow-ups').info('follow-ups queued', { count: queued.length });
  return queued;
}

/** After a drain: sent follow-ups' delivery records go, and so do follow-ups past their time. */
export async function tidyFollowUps(store: Database, now: Date): Promise<number> {
  return purgeFollowUps(store.sql, now);
}
