/**
 * A session's weekday and hour in London as one number, ISO weekday × 24 + hour (Monday 09:00 is 33): what
 * `service.session_slots` holds for each entry, so that a question's day and time are an indexed condition on the
 * entry. The SQL side (`SESSION_SLOTS_SQL`) computes the same from `start AT TIME ZONE 'Europe/London'`.
 */

const HOUR = 3_600_000;
/** Per year: the UTC instants British Summer Time starts and ends (last Sundays of March and October, 01:00 UTC). */
const summerTime = new Map<number, readonly [number, number]>();

function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** London's offset from UTC at an instant, in hours (the rules in force since 1996). */
function londonOffset(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  let bst = summerTime.get(year);
  if (!bst) {
    bst = [lastSundayAt1Utc(year, 2), lastSundayAt1Utc(year, 9)];
    summerTime.set(year, bst);
  }
  return ms >= bst[0] && ms < bst[1] ? 1 : 0;
}

export function sessionSlot(start: Date): number {
  const ms = start.getTime();
  const local = new Date(ms + londonOffset(ms) * HOUR);
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
