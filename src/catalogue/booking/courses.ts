import { z } from 'zod';

/**
 * Courses group training entries for counting: the three MECC entries (online, Crowndale, Kilburn) are one course
 * with one target. An entry whose title matches no course is a course of its own.
 */
export type CourseDefinition = {
  name: string;
  pattern: RegExp;
  target: number | null;
  /** How long the training stays in date, in months (`TRAINING_VALIDITY`); null: it does not lapse. */
  validityMonths?: number | null;
  /** Completing this course also renews another (a refresher renews the course it refreshes). */
  renews?: string;
};

export const DEFAULT_COURSES: CourseDefinition[] = [
  { name: 'MECC (Making Every Contact Count)', pattern: /\bMECC\b|making every contact count/i, target: 200 },
  {
    name: 'Mental Health First Aid Refresher',
    pattern: /\b(mental health first aid|mhfa)\b.*\brefresher\b/i,
    target: null,
    renews: 'Mental Health First Aid',
  },
  {
    name: 'Mental Health First Aid Champion',
    pattern: /\b(mental health first aid|mhfa)\b.*\bchampion\b/i,
    target: null,
  },
  { name: 'Mental Health First Aid', pattern: /\b(mental health first aid|mhfa)\b/i, target: null },
];

const ONLINE = /^(online|virtual|remote|on zoom|on teams|in person|face[ -]to[ -]face)$/i;

/**
 * The course a session belongs to. A course pattern wins; otherwise the title without a venue part ("Safeguarding
 * Adults (Kilburn Library)", "Safeguarding Adults – online", "Safeguarding Adults at Crowndale Centre"), so the same
 * course run at several venues is one course.
 */
export function courseOf(
  title: string,
  courses: readonly CourseDefinition[] = DEFAULT_COURSES,
  venue?: string | null,
): string {
  const known = courses.find((c) => c.pattern.test(title));
  if (known) return known.name;
  return withoutVenue(title, venue);
}

function withoutVenue(title: string, venue?: string | null): string {
  const place = venue?.trim().toLowerCase();
  const isVenue = (part: string) => {
    const p = part
      .trim()
      .replace(/[.)\]]+$/, '')
      .trim();
    if (!p) return false;
    if (ONLINE.test(p)) return true;
    return (
      !!place && (p.toLowerCase() === place || place.startsWith(p.toLowerCase()) || p.toLowerCase().startsWith(place))
    );
  };
  let t = title.trim();
  for (;;) {
    const m = /^(.+)\s*(?:\(([^()]+)\)|\[([^[\]]+)\]|\s[-–—|:]\s+(.+)|\s(?:at|@)\s+(.+))$/i.exec(t);
    const part = m && (m[2] ?? m[3] ?? m[4] ?? m[5]);
    if (!m || !part || !isVenue(part) || !m[1]!.trim()) return t;
    t = m[1]!.trim();
  }
}

/** Whether a prerequisite ("Mental Health First Aid") is met by a completed course title. */
export function satisfies(prerequisite: string, completedTitle: string, courses = DEFAULT_COURSES): boolean {
  const needed = courseOf(prerequisite, courses).toLowerCase();
  return courseOf(completedTitle, courses).toLowerCase() === needed;
}

const TargetsSchema = z.record(z.string().min(1), z.coerce.number().int().nonnegative());

/** `TRAINING_TARGETS="MECC=200;Mental Health First Aid=60"`: targets by course name (or a word of it). */
export function parseTrainingTargets(text: string | undefined): Record<string, number> {
  if (!text?.trim()) return {};
  const pairs = text
    .split(/[;\n]/)
    .map((p) => p.split('='))
    .filter((p) => p.length === 2)
    .map(([k, v]) => [k!.trim(), v!.trim()]);
  return TargetsSchema.parse(Object.fromEntries(pairs));
}

const DURATION = /^(\d{1,3})\s*(y|yr|yrs|years?|m|mo|months?)$/i;

/** `TRAINING_VALIDITY="Mental Health First Aid=3y;MECC=24m"`: how long each course stays in date, in months. */
export function parseTrainingValidity(text: string | undefined): Record<string, number> {
  if (!text?.trim()) return {};
  const out: Record<string, number> = {};
  for (const pair of text.split(/[;\n]/)) {
    if (!pair.trim()) continue;
    const [name, value] = pair.split('=').map((p) => p.trim());
    const m = value ? DURATION.exec(value) : null;
    if (!name || !m)
      throw new Error(`TRAINING_VALIDITY: "${pair.trim()}" is not "Course name=3y" or "Course name=18m"`);
    const months = Number(m[1]) * (m[2]!.toLowerCase().startsWith('y') ? 12 : 1);
    if (months < 1) throw new Error(`TRAINING_VALIDITY: "${pair.trim()}" must be at least a month`);
    out[name] = months;
  }
  return out;
}

export function withValidity(validity: Record<string, number>, courses = DEFAULT_COURSES): CourseDefinition[] {
  const list = courses.map((c) => ({ ...c }));
  for (const [name, months] of Object.entries(validity)) {
    const course = find(list, name);
    if (course) course.validityMonths = months;
    else list.push({ name, pattern: literalPattern(name), target: null, validityMonths: months });
  }
  return list;
}

/** The courses as the settings describe them: targets (`TRAINING_TARGETS`) and validity (`TRAINING_VALIDITY`). */
export function coursesFromSettings(settings: {
  trainingTargets?: string | undefined;
  trainingValidity?: string | undefined;
}): CourseDefinition[] {
  return withValidity(
    parseTrainingValidity(settings.trainingValidity),
    withTargets(parseTrainingTargets(settings.trainingTargets)),
  );
}

/** A course's validity as people write it: "3 years", "18 months". */
export function describeValidity(months: number | null | undefined): string | null {
  if (!months) return null;
  if (months % 12 === 0) return months === 12 ? '1 year' : `${months / 12} years`;
  return months === 1 ? '1 month' : `${months} months`;
}

function find(list: CourseDefinition[], name: string): CourseDefinition | undefined {
  return list.find((c) => c.name.toLowerCase() === name.toLowerCase()) ?? list.find((c) => c.pattern.test(name));
}

const literalPattern = (name: string) => new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');

export function withTargets(targets: Record<string, number>, courses = DEFAULT_COURSES): CourseDefinition[] {
  const list = courses.map((c) => ({ ...c }));
  for (const [name, target] of Object.entries(targets)) {
    const course = list.find((c) => c.pattern.test(name) || c.name.toLowerCase() === name.toLowerCase());
    if (course) course.target = target;
    else list.push({ name, pattern: literalPattern(name), target });
  }
  return list;
}
