import { joinCompounds, takeFuzzy } from './build-slots.ts';
import { isKnownWord, MAX_QUESTION_CHARS, normaliseQueryText, type ParseOptions, unique } from './query-text.ts';
import { takeAges } from './read-audiences.ts';
import { isConstraintSlot, takeConcepts } from './read-concepts.ts';
import { takeCost } from './read-cost.ts';
import { takePlaces, takePostcode, takeStreetAddresses, takeVenue } from './read-places.ts';
import { withSpellings } from './read-spelling.ts';
import { takeTimes } from './read-times.ts';
import type { Slot, Understood } from './types.ts';
import { STOP_WORDS, UNINDEXED_WORDS } from './vocabulary.ts';

export {
  hasSearchableText,
  isKnownWord,
  MAX_QUESTION_CHARS,
  normaliseQueryText,
  oneEditWords,
  type ParseOptions,
  typoReadings,
  unknownWords,
} from './query-text.ts';
export { hardAudiences } from './read-audiences.ts';

/**
 * Turns a staff question into what it asks for, deterministically and locally: day and time words (chrono-node, in
 * Europe/London), Camden places and postcodes, audiences, topics, cost, access needs, languages, formats and kinds.
 * Every content word is kept as a search word (`slots`, `terms`), whether or not it also names a concept: a concept
 * adds its synonyms at a lower weight and, for the constraints a question states (a day, a time, a place, free,
 * step-free, "in Bengali", a format or kind), a filter. Pure: the same text, `now` and options give the same answer.
 */
export function parseQuery(text: string, now: Date, options: ParseOptions = {}): Understood {
  const u: Understood = {
    terms: [],
    audiences: [],
    categories: [],
    access: [],
    languages: [],
    formats: [],
    kinds: [],
    slots: [],
  };
  let s = withoutFillerPhrases(normaliseQueryText(text.slice(0, MAX_QUESTION_CHARS)));
  // Misspelt words read as the words the catalogue holds, before anything else reads them.
  const typed = new Map<string, string>();
  // Beside another unknown word ("excercise clas") the pair is left to the thesaurus phrases' typo reading.
  if (options.corrections?.size) {
    const words = s.split(' ');
    const unknownAt = (i: number) => words[i] !== undefined && !isKnownWord(words[i]!, options);
    s = words
      .map((w, i) => {
        const read = options.corrections!.get(w);
        if (!read || unknownAt(i - 1) || unknownAt(i + 1)) return w;
        typed.set(read, w);
        return read;
      })
      .join(' ');
  }

  s = takePostcode(s, u, options);
  s = takeStreetAddresses(s, options.venues === false ? undefined : u);
  s = takeCost(s, u);
  s = takeAges(s, u);
  s = takeTimes(s, u, now);

  let tokens = s.split(' ').filter(Boolean);
  if (options.venues !== false) tokens = takeVenue(tokens, u);
  tokens = takePlaces(tokens, u, options);
  const pieces = takeConcepts(tokens, u);
  const slots: Slot[] = [];
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      slots.push(piece);
      continue;
    }
    if (STOP_WORDS.has(piece) || UNINDEXED_WORDS.has(piece) || /^\d+(\.\d+)?$/.test(piece) || piece.length < 2)
      continue;
    slots.push({ text: piece });
  }
  u.slots = withSpellings(takeFuzzy(joinCompounds(slots, u, options), u, options)).map((slot) => {
    const words = slot.text.split(' ');
    if (slot.corrected || !words.some((w) => typed.has(w))) return slot;
    return { ...slot, corrected: words.map((w) => typed.get(w) ?? w).join(' ') };
  });
  u.terms = unique(
    u.slots
      .filter((x) => !isConstraintSlot(x))
      .flatMap((x) => x.text.split(' '))
      .filter((w) => !STOP_WORDS.has(w)),
  );
  // "a step-free place" asks for a step-free venue; wheelchair users need both.
  if (u.access.includes('wheelchair_accessible') && !u.access.includes('step_free')) u.access.unshift('step_free');
  return u;
}

/**
 * Phrases that name no need, left out before anything else reads the question. "What's running on Tuesday", "groups
 * run by volunteers", "I run a coffee morning": "run" that says something is on or who organises it, not the
 * activity ("running for kids", "a charity run"). "In the day", "during the day": when the resident is free, not
 * a day out ("Charivari Day") or a half-day course.
 */
function withoutFillerPhrases(s: string): string {
  return s
    .replace(RUN_AFTER, '$1')
    .replace(/\b(?:run|runs|running) (by|inside|from|out of|through)\b/g, '$1')
    .replace(/\b(?:in|during|through) the day\b/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}
const RUN_AFTER =
  /\b(whats|what is|what are|anything|something|everything|things?|groups?|clubs?|activities|activity|sessions?|events?|classes|services?|is|are|it|that|thats|which|who|i|we|you|they|she|he|currently|still)\s+(?:running|runs|run)\b/g;
