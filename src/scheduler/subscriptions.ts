import { z } from 'zod';
import type { Platform } from '../bots/core/inbound.ts';
import { ZONE } from '../clock.ts';
import { CronSyntaxError, parseCron, scheduleFromText } from './cron-expression.ts';
import { type DigestFilters, DigestFiltersSchema, type DigestMode, DigestModeSchema } from './select-digest-items.ts';

export const PLATFORMS = ['slack', 'teams', 'terminal'] as const;
export const PlatformSchema = z.enum(PLATFORMS);

/** A channel's digest subscription as the scheduler reads it. */
export type Subscription = {
  id: string;
  platform: Platform;
  channelRef: string;
  workspace: string | null;
  schedule: string;
  whenText: string;
  timezone: string;
  filters: DigestFilters;
  mode: DigestMode;
  /** The coordinators' "Listings to check" section, in the first digest of each week. */
  checks: boolean;
  /** The ISO week (London, "2026-W49") whose digest last carried that section. */
  checksWeek: string | null;
  createdBy: string;
  active: boolean;
  createdAt: Date;
  lastRunAt: Date | null;
  lastPeriod: string | null;
  lastSentAt: Date | null;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
};

/** What a coordinator asks for, from chat or the CLI; parsed before it reaches the repository. */
export const NewSubscriptionSchema = z.object({
  platform: PlatformSchema,
  channelRef: z.string().trim().min(1).max(300),
  workspace: z.string().trim().max(300).optional(),
  when: z.string().trim().min(1).max(100),
  filters: DigestFiltersSchema.default({ wards: [], categories: [], audiences: [], kinds: [] }),
  mode: DigestModeSchema.default('both'),
  checks: z.boolean().default(false),
  createdBy: z.string().trim().min(1).max(300),
});
export type NewSubscription = z.input<typeof NewSubscriptionSchema>;

/** The port the scheduler, the CLI and the chat hooks use; implemented over the database. */
export type SubscriptionRepository = {
  create(input: NewSubscription, now: Date): Promise<Subscription>;
  get(id: string): Promise<Subscription | undefined>;
  list(options?: { activeOnly?: boolean; platform?: Platform; channelRef?: string }): Promise<Subscription[]>;
  deactivate(id: string, now: Date): Promise<boolean>;
};

export class SubscriptionInputError extends Error {
  override name = 'SubscriptionInputError';
}

/** Turns "daily 08:00", "weekly mon 09:00" or a cron expression into the stored schedule; throws a readable error. */
export function resolveSchedule(when: string): { cron: string; description: string } {
  try {
    const resolved = scheduleFromText(when);
    parseCron(resolved.cron);
    return resolved;
  } catch (error) {
    if (error instanceof CronSyntaxError) {
      throw new SubscriptionInputError(
        `"${when}" is not a schedule: ${error.message}. Try "daily 08:00", "weekly mon 09:00" or a cron expression like "0 8 * * 1-5".`,
      );
    }
    throw error;
  }
}

/** "every Monday at 09:00" from a stored subscription (for replies and listings). */
export function describeSchedule(sub: Pick<Subscription, 'schedule' | 'whenText'>): string {
  try {
    return scheduleFromText(sub.whenText).description;
  } catch {
    return `cron "${sub.schedule}" (London time)`;
  }
}

/** "Kilburn · lunch club · older people · training", or null when the digest covers everything. */
export function describeFilters(f: DigestFilters): string | null {
  const parts = [
    ...f.wards,
    ...f.categories,
    ...f.audiences.map((a) => a.replace(/_/g, ' ')),
    ...f.kinds.map((k) => `${k}`),
  ];
  return parts.length ? parts.join(' · ') : null;
}

export const DEFAULT_ZONE = ZONE;
