/** Ages in a question, and which of the audiences it names filter rather than only rank. */
import { add, cut } from './query-text.ts';
import type { Understood } from './types.ts';
import { SOFT_AUDIENCES } from './vocabulary.ts';

/** Ages ("over 60s", "a 15 year old"): the audience they name; returns the text without them. */
export function takeAges(s: string, u: Understood): string {
  const older =
    /\b(?:aged |age |over |over the age of )?([5-9]\d) ?(?:\+|plus|and over|or over|s and over)|\bover ([5-9]\d) ?s?\b|\b([5-9]\d)s\b/.exec(
      s,
    );
  if (older) {
    add(u.audiences, 'older_people');
    return cut(s, older.index, older[0].length);
  }
  // "a 15 year old", "aged 9", "my 3yo": a child or young person; up to 4, a parent with a baby or toddler; "an 82
  // year old", an older person.
  const young = /\b(?:aged |age )?(\d{1,2}) ?(?:years? old|yrs? old|yo|year old)\b|\baged (\d{1,2})\b/.exec(s);
  const age = young ? Number(young[1] ?? young[2]) : undefined;
  if (young && age !== undefined && (age < 19 || age >= 50)) {
    add(u.audiences, age >= 50 ? 'older_people' : age <= 4 ? 'parents_of_young_children' : 'young_people');
    return cut(s, young.index, young[0].length);
  }
  return s;
}

/** Audiences that filter (the rest only rank). */
export function hardAudiences(u: Understood): string[] {
  const hard = u.audiences.filter((a) => !(SOFT_AUDIENCES as readonly string[]).includes(a));
  // A baby's or toddler's parent is asking about children's activities and childcare too.
  if (hard.includes('parents_of_young_children') && !hard.includes('young_people')) hard.push('young_people');
  return hard;
}
