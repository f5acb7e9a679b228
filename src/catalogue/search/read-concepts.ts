/** Thesaurus phrases in a question: the topics, audiences, languages, access needs, formats and kinds they name. */
import { stemmer } from 'stemmer';
import { add, normaliseQueryText } from './query-text.ts';
import type { Slot, Understood } from './types.ts';
import { CONCEPTS, type Concept, conceptByKey, STOP_WORDS } from './vocabulary.ts';

/** Thesaurus phrases (normalised) and the concepts each names. */
export const phraseIndex = new Map<string, Concept[]>();
for (const concept of CONCEPTS) {
  for (const phrase of concept.phrases) {
    const key = normaliseQueryText(phrase);
    if (!key) continue;
    const list = phraseIndex.get(key) ?? [];
    list.push(concept);
    phraseIndex.set(key, list);
  }
}
const MAX_PHRASE = Math.min(6, Math.max(...[...phraseIndex.keys()].map((k) => k.split(' ').length)));

/** A phrase's words by their stems: "make and mend" → "make and mend", as "making and mending" is. */
const stems = (phrase: string) =>
  phrase
    .split(' ')
    .map((w) => (/^[a-z]+$/.test(w) && w.length > 3 ? stemmer(w) : w))
    .join(' ');
/**
 * The same phrases by their words' stems, for a question that words a phrase of several words another way: looked up
 * only where no phrase matches as written (see byStem).
 */
const stemIndex = new Map<string, Concept[]>();
for (const [phrase, concepts] of phraseIndex) {
  const key = stems(phrase);
  const list = stemIndex.get(key) ?? [];
  for (const c of concepts) if (!list.includes(c)) list.push(c);
  stemIndex.set(key, list);
}

/** A language asked for as a constraint: "in Somali", "Somali speaking", "speaks Somali". */
const LANGUAGE_CUE = /\b(in|speaking|speaks|speak|speaker|speakers|spoken)\b/;

/** What a recognised phrase means; returns whether its words stay search words. */
export function apply(concept: Concept, u: Understood, phrase: string): boolean {
  for (const x of concept.categories ?? []) add(u.categories, x);
  for (const x of concept.audiences ?? []) add(u.audiences, x);
  for (const x of concept.access ?? []) add(u.access, x);
  for (const x of concept.formats ?? []) add(u.formats, x);
  for (const x of concept.kinds ?? []) add(u.kinds, x);
  if (concept.facet === 'language') {
    if (LANGUAGE_CUE.test(phrase)) for (const x of concept.languages ?? []) add(u.languages, x);
    else for (const x of concept.languages ?? []) add((u.preferLanguages ??= []), x);
  }
  if (concept.facet === 'topic' || concept.facet === 'audience' || concept.facet === 'language') {
    add((u.topics ??= []), concept.key);
    return true;
  }
  // Access, format and kind words ("step-free", "online", "course") are constraints, not words to find.
  return false;
}

export const FILLER = new Set(['a', 'an', 'the', 'and', 'of', 'for', 'with', 'to', 'at', 'on']);

/** Strips the cue words of a language phrase: "in somali" → "somali". */
function contentOf(phrase: string): string {
  return (
    phrase
      .split(' ')
      .filter((w) => !FILLER.has(w) && !LANGUAGE_CUE.test(w))
      .join(' ') || phrase
  );
}

/** "childrens" → "children", "young peoples" → "young people": the last word of a possessive plural, folded. */
function possessive(phrase: string): string {
  return phrase.replace(/(children|people|men|folk)s$/, '$1');
}

/**
 * A phrase of two or more words by its words' stems ("self neglecting", "make and mend"). Never one word alone: one
 * word's stem can be another word's ("care" is not "caring", "guided" not "guides", a street's "Gardens" not
 * gardening).
 */
function byStem(phrase: string, n: number): Concept[] | undefined {
  return n >= 2 ? stemIndex.get(stems(phrase)) : undefined;
}

/**
 * Thesaurus phrases, longest first: each one's concepts applied and its words kept as a slot (a constraint's words,
 * such as an access need or a format, as a slot that only ranks: see `isConstraintSlot`).
 */
export function takeConcepts(tokens: string[], u: Understood): (string | Slot)[] {
  const out: (string | Slot)[] = [];
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    for (let n = Math.min(MAX_PHRASE, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n).join(' ');
      if (n === 1 && STOP_WORDS.has(phrase)) continue;
      // A possessive loses its apostrophe ("children's" → "childrens", "young people's"): read it as the word.
      const concepts = phraseIndex.get(phrase) ?? phraseIndex.get(possessive(phrase)) ?? byStem(phrase, n);
      if (concepts) {
        let keep = false;
        // "Cantonese speaking", "speaks Somali": the cue may sit just outside the phrase.
        const context = [tokens[i - 1] ?? '', phrase, tokens[i + n] ?? ''].join(' ');
        for (const concept of concepts)
          keep = apply(concept, u, concept.facet === 'language' ? context : phrase) || keep;
        if (keep) {
          const main = concepts.find((c) => c.facet === 'topic' || c.facet === 'audience' || c.facet === 'language')!;
          out.push({ text: contentOf(phrase), concept: main.key });
        } else {
          // A constraint's words ("wheelchair", "online", "course") still count as words, a little: "Wheelchair
          // Basketball", "Online Activities". Never through synonyms, and a listing without them is not left out.
          out.push({ text: contentOf(phrase), concept: concepts[0]!.key });
        }
        matched = n;
        break;
      }
    }
    if (matched) i += matched;
    else out.push(tokens[i++]!);
  }
  return out;
}

/** A slot whose words name a constraint (an access need, a format, a kind): its words rank a little, never filter. */
export function isConstraintSlot(slot: Slot | undefined): boolean {
  const facet = slot?.concept ? conceptByKey(slot.concept)?.facet : undefined;
  return facet === 'access' || facet === 'format' || facet === 'kind';
}
