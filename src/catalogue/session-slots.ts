/**
 * A session's weekday and hour in London as one number, ISO weekday × 24 + hour (Monday 09:00 is 33): what
 * `service.session_slots` holds for each entry, so that a question's day and time are an indexed condition on the
 * entry. The SQL side (`SESSION_SLOTS_SQL`) computes the same from `start AT TIME ZONE 'Europe/London'`.
 */

import { DateTime } from 'luxon';

const HOUR = 3_600_000;
/** London's offset from UTC by UTC hour (it changes only on the hour): luxon's zone rules, looked up once per hour. */
const offsetByHour = new Map<number, number>();

/** London's offset from UTC at an instant, in milliseconds. */
function londonOffset(ms: number): number {
  const hour = Math.floor(ms / HOUR);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = DateTime.fromMillis(hour * HOUR, { zone: 'Europe/London' }).offset * 60_000;
    if (offsetByHour.size > 100_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

export function sessionSlot(start: Date): number {
  const ms = start.getTime();
  const local = new Date(ms + londonOffset(ms));
  const isoWeekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  return isoWeekday * 24 + local.getUTCHours();
}

/** The distinct slots of the sessions that are not cancelled, in order. */
export function sessionSlots(sessions: readonly { start: Date; status: string }[]): number[] {
  const slots = new Set<number>();
  for (const s of sessions) if (s.status !== 'cancelled') slots.add(sessionSlot(s.start));
  return [...slots].sort((a, b) => a - b);
}

/**
 * The slots a question's day and time allow (weekdays: ISO numbers; hours: [from, to)), or undefined when they
 * allow every slot. A window shorter than a week allows only the weekdays it covers.
 */
export function slotsAsked(time: {
  from: Date;
  to: Date;
  weekdays?: readonly number[];
  hours?: readonly [number, number];
}): number[] | undefined {
  const days = time.weekdays?.length ? time.weekdays : [1, 2, 3, 4, 5, 6, 7];
  const [h0, h1] = time.hours ?? [0, 24];
  let out: number[] = [];
  for (const d of new Set(days)) for (let h = h0; h < Math.min(h1, 24); h++) out.push(d * 24 + h);
  const from = time.from.getTime();
  const to = time.to.getTime();
  if (to - from < 7 * 24 * HOUR) {
    // The slots of every hour the window touches (its last one included).
    const covered = new Set<number>([sessionSlot(new Date(Math.max(from, to - 1)))]);
    for (let ms = from; ms < to; ms += HOUR) covered.add(sessionSlot(new Date(ms)));
    out = out.filter((slot) => covered.has(slot));
  } else if (out.length === 7 * 24) {
    return undefined;
  }
  return out.sort((a, b) => a - b);
}
