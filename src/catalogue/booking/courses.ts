import { z } from 'zod';

/**
 * Courses group training entries for counting: the three MECC entries (online, Crowndale, Kilburn) are one course
 * with one target. An entry whose title matches no course is a course of its own.
 */
export type CourseDefinition = { name: string; pattern: RegExp; target: number | null };

export const DEFAULT_COURSES: CourseDefinition[] = [
  { name: 'MECC (Making Every Contact Count)', pattern: /\bMECC\b|making every contact count/i, target: 200 },
  { name: 'Mental Health First Aid Refresher', pattern: /\b(mental health first aid|mhfa)\b.*\brefresher\b/i, target: null },
  { name: 'Mental Health First Aid Champion', pattern: /\b(mental health first aid|mhfa)\b.*\bchampion\b/i, target: null },
  { name: 'Mental Health First Aid', pattern: /\b(mental health first aid|mhfa)\b/i, target: null },
];

export function courseOf(title: string, courses: readonly CourseDefinition[] = DEFAULT_COURSES): string {
  return courses.find((c) => c.pattern.test(title))?.name ?? title;
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

export function withTargets(targets: Record<string, number>, courses = DEFAULT_COURSES): CourseDefinition[] {
  const list = courses.map((c) => ({ ...c }));
  for (const [name, target] of Object.entries(targets)) {
    const course = list.find((c) => c.pattern.test(name) || c.name.toLowerCase() === name.toLowerCase());
    if (course) course.target = target;
    else list.push({ name, pattern: new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), target });
  }
  return list;
}
