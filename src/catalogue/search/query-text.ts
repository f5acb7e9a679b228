/** A question's text as the parser reads it: normalised words, the words it knows, typo look-ups and small helpers. */
import { readFileSync } from 'node:fs';
import Fuse from 'fuse.js';
import wordListPath from 'word-list';
import { AREAS, WARDS } from '../geography/camden.ts';
import { CONCEPTS, STOP_WORDS } from './vocabulary.ts';

/** Longer questions are cut here: nobody types more, and the parser stays fast whatever is pasted in. */
export const MAX_QUESTION_CHARS = 500;

export type ParseOptions = {
  /**
   * Words (normalised) that the catalogue's own listings contain. A word the catalogue or the English word list knows
   * is never "corrected" into another word.
   */
  catalogueWords?: ReadonlySet<string>;
  /** Read streets and venues named after a place word as `venue` (the default); false reads their words as words. */
  venues?: boolean;
  /** Read a postcode Camden's geography does not know as `postcodeElsewhere` (the default); false leaves it a word. */
  postcodes?: boolean;
  /**
   * Misspelt words and the word each is read as ("dentuers" → "dentures"): words neither known nor in the catalogue,
   * one edit from an English word that the catalogue holds (see `typoReadings`).
   */
  corrections?: ReadonlyMap<string, string>;
};

/** Lower case, accents and apostrophes dropped, punctuation (but £, digits, decimals and +) turned into spaces. */
export function normaliseQueryText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2018\u2019`]/g, '')
    .replace(/&/g, ' and ')
    .replace(/\.(?!\d)/g, ' ')
    .replace(/[^a-z0-9£.+ ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether a question has anything a search can use once normalised: letters or digits in the Latin alphabet.
 * (A question written only in another script, only emoji or only punctuation has none.)
 */
export function hasSearchableText(text: string): boolean {
  return /[a-z0-9]/.test(normaliseQueryText(text.slice(0, MAX_QUESTION_CHARS)));
}

// ---------------------------------------------------------------------------------------------------------------------
// Known words

let english: Set<string> | undefined;
/** The English word list (word-list, 274k words), loaded once on first use. */
export function englishWords(): Set<string> {
  if (!english) {
    english = new Set(readFileSync(wordListPath, 'utf8').split('\n'));
  }
  return english;
}

let wordText: string | undefined;
const inside = new Map<string, boolean>();
/**
 * Whether some English word contains this one ("rape" in "grape" and "therapy"): such a word is not looked up as a
 * place name, since venue names and addresses are matched as text. A search of the word list as one string (about
 * 2 ms for a word it lacks), remembered for the last few thousand words asked.
 */
export function insideEnglishWord(word: string): boolean {
  const known = inside.get(word);
  if (known !== undefined) return known;
  wordText ??= `\n${[...englishWords()].join('\n')}\n`;
  let found = false;
  for (let at = wordText.indexOf(word); at >= 0 && !found; at = wordText.indexOf(word, at + 1)) {
    found = wordText[at - 1] !== '\n' || wordText[at + word.length] !== '\n';
  }
  if (inside.size >= 5000) inside.clear();
  inside.set(word, found);
  return found;
}

/** Words of the thesaurus and of Camden's place names: known, never corrected. */
const VOCABULARY_WORDS: ReadonlySet<string> = new Set(
  [
    ...CONCEPTS.flatMap((c) => [...c.phrases, ...(c.search ?? [])]),
    ...WARDS.flatMap((w) => [w.name, ...w.aliases]),
    ...AREAS.flatMap((a) => [a.name, ...a.aliases]),
  ]
    .flatMap((p) => normaliseQueryText(p).split(' '))
    .filter(Boolean),
);

/** The words of a question that neither the English word list, the thesaurus nor place names know (at most 20). */
export function unknownWords(text: string): string[] {
  const words = normaliseQueryText(text.slice(0, MAX_QUESTION_CHARS)).split(' ');
  const content = (w: string | undefined): w is string => w !== undefined && /^[a-z]+$/.test(w) && !STOP_WORDS.has(w);
  const unknown = words.filter((w) => content(w) && !isKnownWord(w));
  // Two words the catalogue may hold as one ("park run" → "parkrun", "tea room" → "tearoom").
  const joined = words
    .flatMap((w, i) => (content(w) && content(words[i + 1]) ? [w + words[i + 1]] : []))
    .filter((w) => !englishWords().has(w));
  return [...new Set([...unknown, ...joined])].slice(0, 20);
}

/** A word the English word list, the thesaurus, Camden's place names or the catalogue knows. */
export function isKnownWord(word: string, options: ParseOptions = {}): boolean {
  if (word.length <= 2 || /\d/.test(word)) return true;
  if (VOCABULARY_WORDS.has(word) || options.catalogueWords?.has(word) || englishWords().has(word)) return true;
  // Plurals and possessives of known words ("mens", "clubs", "ladies").
  if (word.endsWith('s') && (englishWords().has(word.slice(0, -1)) || VOCABULARY_WORDS.has(word.slice(0, -1))))
    return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------------------
// Typos

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * English words one edit from a misspelt word (two letters swapped, one missing, one extra, one wrong), in that order
 * of likelihood; at most `max`. Only for words of five letters or more: shorter ones have too many neighbours.
 */
export function oneEditWords(word: string, max = 12): string[] {
  if (word.length < 5 || !/^[a-z]+$/.test(word)) return [];
  const known = englishWords();
  const out = new Set<string>();
  const put = (w: string) => {
    if (w !== word && w.length >= 4 && known.has(w)) out.add(w);
  };
  for (let i = 0; i + 1 < word.length; i++) put(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  for (let i = 0; i <= word.length; i++) for (const c of LETTERS) put(word.slice(0, i) + c + word.slice(i));
  for (let i = 0; i < word.length; i++) put(word.slice(0, i) + word.slice(i + 1));
  for (let i = 0; i < word.length; i++)
    for (const c of LETTERS) if (c !== word[i]) put(word.slice(0, i) + c + word.slice(i + 1));
  return [...out].slice(0, max);
}

/**
 * How to read the misspelt words of a question: each word no word list and no listing knows, as the first English
 * word one edit away that a listing contains ("accupuncture" → acupuncture, "vasectomey" → vasectomy). `inCatalogue`
 * holds which of the words and their candidates the catalogue has.
 */
export function typoReadings(unknown: readonly string[], inCatalogue: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const word of unknown) {
    if (inCatalogue.has(word) || word.length < 5) continue;
    const best = oneEditWords(word).find((w) => inCatalogue.has(w));
    if (best) out.set(word, best);
  }
  return out;
}

/**
 * fuse.js indexes over small vocabularies, one per first letter: a typo rarely hits the first letter, and searching
 * a few dozen words instead of hundreds keeps parsing well under a millisecond.
 */
export function byFirstLetter(
  words: readonly string[],
  options: { threshold: number; distance: number },
): (word: string) => string | undefined {
  const groups = new Map<string, string[]>();
  for (const w of words) groups.set(w[0]!, [...(groups.get(w[0]!) ?? []), w]);
  const indexes = new Map(
    [...groups].map(([k, list]) => [k, new Fuse(list, { includeScore: true, ignoreLocation: false, ...options })]),
  );
  return (word) => {
    const best = indexes.get(word[0] ?? '')?.search(word)[0];
    return best && (best.score ?? 1) <= options.threshold ? best.item : undefined;
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Small helpers shared by the readers

export function cut(s: string, index: number, length: number): string {
  return `${s.slice(0, index)} ${s.slice(index + length)}`.replace(/\s+/g, ' ').trim();
}

export function add<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

export function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}
