import { DateTime } from 'luxon';
import { ZONE } from '../clock.ts';
import { type CronExpression, matchesDay, parseCron } from './cron-expression.ts';

/**
 * When digests are due: pure functions of (schedule, now, last run), in Europe/London wall-clock time.
 *
 * A period is one scheduled wall-clock time, keyed by that local time ("2027-03-28T08:00"). Keys are what make a
 * digest exactly-once, so the clock changes neither skip nor repeat one: a time that does not exist on the spring
 * change day (01:30) runs at the first instant after the gap (02:30 BST), and a time that happens twice on the autumn
 * change day runs at its first occurrence only.
 */
export type Slot = { key: string; at: Date };

export type ScheduleState = {
  /** Cron expression, read in `zone`. */
  schedule: string | CronExpression;
  /** Nothing before the subscription existed is due. */
  createdAt: Date;
  /** The scheduled time of the last recorded digest. */
  lastRunAt?: Date | null;
  lastPeriod?: string | null;
  zone?: string;
};

export type Due = { due: true; slot: Slot; late: boolean; lateByMs: number } | { due: false; next: Date | null };

/** A digest that goes out more than this after its time is marked late (missed during downtime). */
export const LATE_AFTER_MS = 15 * 60_000;

/** How far back a missed digest is looked for (older ones are not sent: the next one is). */
const LOOK_BACK_DAYS = 40;
const LOOK_AHEAD_DAYS = 400;

const cache = new Map<string, CronExpression>();
function cronOf(schedule: string | CronExpression): CronExpression {
  if (typeof schedule !== 'string') return schedule;
  let cron = cache.get(schedule);
  if (!cron) {
    cron = parseCron(schedule);
    if (cache.size > 10_000) cache.clear();
    cache.set(schedule, cron);
  }
  return cron;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A day's slots depend only on the schedule, the zone and the date, and the runner asks for the same few days every
 * minute: they are worked out once (zone arithmetic is the costly part) and kept.
 */
const daySlots = new WeakMap<CronExpression, Map<string, readonly Slot[]>>();

/** The slots of one local calendar day, in order; `day` is any DateTime on that day in the zone. */
function slotsOfDay(cron: CronExpression, day: DateTime, zone: string): readonly Slot[] {
  let byDay = daySlots.get(cron);
  if (!byDay) {
    byDay = new Map();
    daySlots.set(cron, byDay);
  }
  const key = `${zone}|${day.year}-${day.month}-${day.day}`;
  let slots = byDay.get(key);
  if (!slots) {
    slots = computeSlotsOfDay(cron, day, zone);
    if (byDay.size > 2_000) byDay.clear();
    byDay.set(key, slots);
  }
  // Copies, so a caller changing a slot's date cannot change the kept ones.
  return slots.map((s) => ({ key: s.key, at: new Date(s.at.getTime()) }));
}

function computeSlotsOfDay(cron: CronExpression, day: DateTime, zone: string): Slot[] {
  if (!matchesDay(cron, day.year, day.month, day.day)) return [];
  const out: Slot[] = [];
  const seen = new Set<number>();
  const wanted = new Set<string>();
  for (const h of cron.hours) for (const m of cron.minutes) wanted.add(`${h}:${m}`);
  for (const h of cron.hours) {
    for (const m of cron.minutes) {
      let local = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: h, minute: m }, { zone });
      // A wall time that happens twice (autumn change) is read by luxon as the second one; use the first.
      const earlier = local.minus({ hours: 1 });
      if (earlier.hour === h && earlier.minute === m && earlier.day === day.day) local = earlier;
      // A wall time inside the spring gap is moved forward by luxon; if the moved time is itself scheduled, the
      // gap time is dropped rather than run twice at one instant.
      const shifted = local.hour !== h || local.minute !== m;
      if (shifted && wanted.has(`${local.hour}:${local.minute}`)) continue;
      const at = local.toMillis();
      if (seen.has(at)) continue;
      seen.add(at);
      out.push({ key: `${day.year}-${pad(day.month)}-${pad(day.day)}T${pad(h)}:${pad(m)}`, at: new Date(at) });
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The latest scheduled slot at or before `now` (within the look-back), or null. */
export function latestSlot(schedule: string | CronExpression, now: Date, zone: string = ZONE): Slot | null {
  const cron = cronOf(schedule);
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  for (let i = 0; i <= LOOK_BACK_DAYS; i++) {
    const slots = slotsOfDay(cron, today.minus({ days: i }), zone);
    for (let j = slots.length - 1; j >= 0; j--) {
      const slot = slots[j]!;
      if (slot.at.getTime() <= now.getTime()) return slot;
    }
  }
  return null;
}

/** The first scheduled slot strictly after `after`, or null when there is none within a year. */
export function nextSlot(schedule: string | CronExpression, after: Date, zone: string = ZONE): Slot | null {
  const cron = cronOf(schedule);
  const today = DateTime.fromJSDate(after, { zone }).startOf('day');
  for (let i = 0; i <= LOOK_AHEAD_DAYS; i++) {
    for (const slot of slotsOfDay(cron, today.plus({ days: i }), zone)) {
      if (slot.at.getTime() > after.getTime()) return slot;
    }
  }
  return null;
}

export function nextRunAt(schedule: string | CronExpression, after: Date, zone: string = ZONE): Date | null {
  return nextSlot(schedule, after, zone)?.at ?? null;
}

/**
 * Whether a digest is due at `now`: the latest slot has passed and has not been recorded yet. A digest missed while
 * nothing ran is due once (only the latest missed slot, not every one), marked late.
 */
export function isDue(state: ScheduleState, now: Date): Due {
  const zone = state.zone ?? ZONE;
  const slot = latestSlot(state.schedule, now, zone);
  const notDue = (): Due => ({ due: false, next: nextRunAt(state.schedule, now, zone) });
  if (!slot) return notDue();
  if (slot.at.getTime() < state.createdAt.getTime()) return notDue();
  if (state.lastPeriod === slot.key) return notDue();
  if (state.lastRunAt && slot.at.getTime() <= state.lastRunAt.getTime()) return notDue();
  const lateByMs = now.getTime() - slot.at.getTime();
  return { due: true, slot, late: lateByMs > LATE_AFTER_MS, lateByMs };
}

export type DigestWindow = {
  /** "New since the last digest": entries added or changed in [since, until). */
  newSince: Date;
  newUntil: Date;
  /** "This week's highlights": occurrences starting in [from, to), the seven days from the digest's time. */
  highlightsFrom: Date;
  highlightsTo: Date;
};

/**
 * What a digest covers. "New" runs from the previous digest (or, for the first, the previous scheduled slot, at most
 * seven days back) to this one's scheduled time, so a late digest covers exactly what an on-time one would have.
 */
export function digestWindow(
  schedule: string | CronExpression,
  slot: Slot,
  lastRunAt: Date | null | undefined,
  zone: string = ZONE,
): DigestWindow {
  const slotTime = DateTime.fromJSDate(slot.at, { zone });
  const weekBefore = slotTime.minus({ days: 7 }).toJSDate();
  const previous = lastRunAt ?? latestSlot(schedule, new Date(slot.at.getTime() - 1), zone)?.at ?? weekBefore;
  const since = previous.getTime() < weekBefore.getTime() && !lastRunAt ? weekBefore : previous;
  return {
    newSince: since,
    newUntil: slot.at,
    highlightsFrom: slot.at,
    highlightsTo: slotTime.plus({ days: 7 }).toJSDate(),
  };
}

/** "Sunday 28 March 2027, 08:00" for headings and the CLI. */
export function describeSlot(slot: Slot, zone: string = ZONE): string {
  return DateTime.fromJSDate(slot.at, { zone }).toFormat('cccc d LLLL yyyy, HH:mm');
}
