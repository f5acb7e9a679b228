import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import type { TrainingRow } from './booking-queries.ts';
import { courseOf, type CourseDefinition, describeValidity } from './courses.ts';

export type { TrainingRow } from './booking-queries.ts';

export type CourseReport = {
  course: string;
  target: number | null;
  /** People whose training is in date now (everyone who completed it, for a course that does not lapse). */
  trained: number;
  booked: number;
  attendanceRate: number | null;
  sessions: number;
  /** How long the course stays in date ("3 years"), or null. */
  validity: string | null;
  /** People trained whose training has lapsed and was not renewed. */
  lapsed: number;
  /** People in date whose training lapses within three months. */
  lapsingSoon: number;
};

export type DueRefresher = {
  platform: string;
  userId: string;
  course: string;
  completedAt: Date;
  lapsesAt: Date;
  /** Months before the lapse this reminder is for: 6, then 3. */
  stage: 6 | 3;
};

export const REFRESHER_STAGES = [6, 3] as const;

export function completed(row: TrainingRow, now: Date): boolean {
  if (!row.user_id || row.status !== 'confirmed') return false;
  return row.attended === true || (row.attended === null && row.end.getTime() <= now.getTime());
}

export function lapseDate(completedAt: Date, months: number): Date {
  return DateTime.fromJSDate(completedAt, { zone: ZONE }).plus({ months }).toJSDate();
}

const monthsBefore = (date: Date, months: number) =>
  DateTime.fromJSDate(date, { zone: ZONE }).minus({ months }).toJSDate();

/** Each person's latest completion per course, counting a refresher towards the course it renews. */
function latestCompletions(
  rows: TrainingRow[],
  courses: readonly CourseDefinition[],
  now: Date,
): Map<string, Map<string, Date>> {
  const byCourse = new Map<string, Map<string, Date>>();
  const note = (course: string, who: string, at: Date) => {
    const people = byCourse.get(course) ?? new Map<string, Date>();
    byCourse.set(course, people);
    const prev = people.get(who);
    if (!prev || prev.getTime() < at.getTime()) people.set(who, at);
  };
  for (const r of rows) {
    if (!completed(r, now)) continue;
    const course = courseOf(r.title, courses, r.venue);
    const who = `${r.platform}\u0000${r.user_id}`;
    const at = r.end.getTime() <= now.getTime() ? r.end : now;
    note(course, who, at);
    const renews = courses.find((c) => c.name === course)?.renews;
    if (renews) note(renews, who, at);
  }
  return byCourse;
}

export function summariseCourses(rows: TrainingRow[], courses: readonly CourseDefinition[], now: Date): CourseReport[] {
  type Agg = { booked: Set<string>; sessions: Set<string>; marked: number; present: number };
  const empty = (): Agg => ({ booked: new Set(), sessions: new Set(), marked: 0, present: 0 });
  const byCourse = new Map<string, Agg>();
  for (const c of courses) if (c.target !== null) byCourse.set(c.name, empty());
  for (const r of rows) {
    const course = courseOf(r.title, courses, r.venue);
    const agg = byCourse.get(course) ?? empty();
    byCourse.set(course, agg);
    agg.sessions.add(r.session_id);
    if (!r.user_id || r.status !== 'confirmed') continue;
    agg.booked.add(`${r.platform}\u0000${r.user_id}`);
    if (r.attended !== null) {
      agg.marked++;
      if (r.attended) agg.present++;
    }
  }
  const latest = latestCompletions(rows, courses, now);
  const soon = DateTime.fromJSDate(now, { zone: ZONE }).plus({ months: 3 }).toJSDate();
  return [...byCourse.entries()]
    .map(([course, a]) => {
      const definition = courses.find((c) => c.name === course);
      const months = definition?.validityMonths ?? null;
      let trained = 0;
      let lapsed = 0;
      let lapsingSoon = 0;
      for (const at of latest.get(course)?.values() ?? []) {
        if (!months) {
          trained++;
          continue;
        }
        const lapses = lapseDate(at, months);
        if (lapses.getTime() <= now.getTime()) lapsed++;
        else {
          trained++;
          if (lapses.getTime() <= soon.getTime()) lapsingSoon++;
        }
      }
      return {
        course,
        target: definition?.target ?? null,
        trained,
        booked: a.booked.size,
        attendanceRate: a.marked ? Math.round((a.present / a.marked) * 1000) / 1000 : null,
        sessions: a.sessions.size,
        validity: describeValidity(months),
        lapsed,
        lapsingSoon,
      };
    })
    .sort((x, y) => Number(y.target !== null) - Number(x.target !== null) || x.course.localeCompare(y.course));
}

/**
 * The refresher reminders due now: 6 and 3 months before a person's training lapses (only the 3-month one when the
 * 6-month window has passed). Nobody is reminded who already holds a place on an upcoming session of the course or
 * of its refresher.
 */
export function dueRefreshers(rows: TrainingRow[], courses: readonly CourseDefinition[], now: Date): DueRefresher[] {
  const latest = latestCompletions(rows, courses, now);
  const bookedAhead = new Set<string>();
  for (const r of rows) {
    if (!r.user_id || r.start.getTime() <= now.getTime()) continue;
    if (r.status !== 'confirmed' && r.status !== 'waitlisted' && r.status !== 'offered') continue;
    const course = courseOf(r.title, courses, r.venue);
    const who = `${r.platform}\u0000${r.user_id}`;
    bookedAhead.add(`${course}\u0000${who}`);
    const renews = courses.find((c) => c.name === course)?.renews;
    if (renews) bookedAhead.add(`${renews}\u0000${who}`);
  }
  const due: DueRefresher[] = [];
  for (const definition of courses) {
    if (!definition.validityMonths) continue;
    for (const [who, at] of latest.get(definition.name) ?? []) {
      if (bookedAhead.has(`${definition.name}\u0000${who}`)) continue;
      const lapsesAt = lapseDate(at, definition.validityMonths);
      if (lapsesAt.getTime() <= now.getTime()) continue;
      const stage = REFRESHER_STAGES.findLast((months) => monthsBefore(lapsesAt, months).getTime() <= now.getTime());
      if (!stage) continue;
      const [platform, userId] = who.split('\u0000') as [string, string];
      due.push({ platform, userId, course: definition.name, completedAt: at, lapsesAt, stage });
    }
  }
  return due.sort((a, b) => a.lapsesAt.getTime() - b.lapsesAt.getTime() || a.userId.localeCompare(b.userId));
}
