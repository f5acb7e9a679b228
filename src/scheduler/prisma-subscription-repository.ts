import type { Platform } from '../bots/core/inbound.ts';
import { ZONE } from '../clock.ts';
import { isUuid } from '../db/ids.ts';
import type { PrismaClient } from '../db/prisma-client.ts';
import { DigestFiltersSchema, DigestModeSchema } from './select-digest-items.ts';
import {
  NewSubscriptionSchema,
  PlatformSchema,
  resolveSchedule,
  type NewSubscription,
  type Subscription,
  type SubscriptionRepository,
} from './subscriptions.ts';

/** A stored row: the subscription before its platform, filters and mode are checked. */
type Row = Omit<Subscription, 'platform' | 'filters' | 'mode'> & { platform: string; filters: unknown; mode: string };

function toSubscription(row: Row): Subscription {
  const filters = DigestFiltersSchema.safeParse(row.filters);
  const mode = DigestModeSchema.safeParse(row.mode);
  return {
    ...row,
    platform: PlatformSchema.parse(row.platform) as Platform,
    filters: filters.success ? filters.data : { wards: [], categories: [], audiences: [], kinds: [] },
    mode: mode.success ? mode.data : 'both',
  };
}

/** Digest subscriptions in the `digest_subscription` table, through the Prisma client. */
export function createPrismaSubscriptionRepository(store: { prisma: PrismaClient }): SubscriptionRepository {
  const db = store.prisma;
  return {
    async create(input: NewSubscription, now: Date) {
      const data = NewSubscriptionSchema.parse(input);
      const schedule = resolveSchedule(data.when);
      const row = await db.digestSubscription.create({
        data: {
          platform: data.platform,
          channelRef: data.channelRef,
          workspace: data.workspace ?? null,
          schedule: schedule.cron,
          whenText: data.when,
          timezone: ZONE,
          filters: data.filters,
          mode: data.mode,
          checks: data.checks,
          createdBy: data.createdBy,
          createdAt: now,
          updatedAt: now,
        },
      });
      return toSubscription(row);
    },
    async get(id) {
      if (!isUuid(id)) return undefined;
      const row = await db.digestSubscription.findUnique({ where: { id } });
      return row ? toSubscription(row) : undefined;
    },
    async list(options = {}) {
      const rows = await db.digestSubscription.findMany({
        where: {
          ...(options.activeOnly ? { active: true } : {}),
          ...(options.platform ? { platform: options.platform } : {}),
          ...(options.channelRef ? { channelRef: options.channelRef } : {}),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toSubscription);
    },
    async deactivate(id, now) {
      if (!isUuid(id)) return false;
      const result = await db.digestSubscription.updateMany({
        where: { id, active: true },
        data: { active: false, updatedAt: now },
      });
      return result.count > 0;
    },
  };
}
