/**
 * British and American spellings of the same word: "centre" also finds "center", "behavioral" also finds
 * "behavioural", "counselling" also finds "counseling". UK directories and US ones (211 taxonomies) spell the same
 * services differently, and the English stemmer keeps the two apart ("centr" / "center").
 */
import { englishWords } from './query-text.ts';
import type { Slot } from './types.ts';

/**
 * One rule a direction: the ending (or part) that differs, and the other spelling. A rule's other spelling counts only
 * when the English word list knows it, and each rule is narrow enough that a real but unrelated word ("filter" /
 * "filtre", "dominoes" / "domines") is not produced.
 */
const RULES: readonly (readonly [RegExp, string])[] = [
  // colour / color, behaviour / behavior, neighbourhood / neighborhood (a stem of three letters or more: not "flour")
  [/^([a-z]{3,})our(s|ed|ing|al|ally|ite|ites|able|ably|hood|hoods|er|ers|less)?$/, '$1or$2'],
  [/^([a-z]{2,}[^aeou])or(s|ed|ing|al|ally|ite|ites|able|ably|hood|hoods|less)?$/, '$1our$2'],
  // centre / center, theatre / theater, fibre / fiber, litre / liter (not "filter", "letter", "outer")
  [/^([a-z]*[nabcs])tre(s|d)?$/, '$1ter$2'],
  [/^([a-z]*[nabcs])ter(s|ed)?$/, '$1tre$2'],
  // organisation / organization, immunise / immunize
  [/^([a-z]{3,})is(ation|ations|e|es|ed|ing|er|ers)$/, '$1iz$2'],
  [/^([a-z]{3,})iz(ation|ations|e|es|ed|ing|er|ers)$/, '$1is$2'],
  // counselling / counseling, travelling / traveling, counsellor / counselor
  [/^([a-z]{3,})ell(ing|ed|or|ors|er|ers)$/, '$1el$2'],
  [/^([a-z]{3,})el(ing|ed|or|ors)$/, '$1ell$2'],
  // paediatric / pediatric, anaemia / anemia, haematology / hematology, orthopaedic / orthopedic
  [/^([a-z]+)ae([a-z]{2,})$/, '$1e$2'],
  // oestrogen, foetal, coeliac, diarrhoea, manoeuvre
  [/^oe([a-z]{3,})$/, 'e$1'],
  [/^([a-z]*)(f|c|rrh|man|hom)oe([a-z]{2,})$/, '$1$2e$3'],
  // catalogue / catalog, dialogue / dialog
  [/^([a-z]{3,})ogue(s)?$/, '$1og$2'],
  [/^([a-z]{3,})og(s)?$/, '$1ogue$2'],
  // licence / license, defence / defense, offence / offense
  [/^([a-z]{2,})ence(s)?$/, '$1ense$2'],
  [/^([a-z]{2,})ense(s)?$/, '$1ence$2'],
  // programme / program
  [/^([a-z]{3,})gramme(s)?$/, '$1gram$2'],
  [/^([a-z]{3,})gram(s)?$/, '$1gramme$2'],
];

/** A few everyday pairs that no ending rule covers. */
const PAIRS: ReadonlyMap<string, string> = new Map(
  [
    ['mum', 'mom'],
    ['mums', 'moms'],
    ['jewellery', 'jewelry'],
    ['aluminium', 'aluminum'],
    ['cheque', 'check'],
    ['enrol', 'enroll'],
    ['enrolment', 'enrollment'],
    ['fulfil', 'fulfill'],
    ['grey', 'gray'],
    ['ageing', 'aging'],
    ['skilful', 'skillful'],
    ['mould', 'mold'],
    ['mouldy', 'moldy'],
    ['plough', 'plow'],
    ['tyre', 'tire'],
    ['tyres', 'tires'],
    ['kerb', 'curb'],
    ['pyjamas', 'pajamas'],
    ['nappy', 'diaper'],
    ['nappies', 'diapers'],
    ['draught', 'draft'],
    ['fayre', 'fair'],
    ['fayres', 'fairs'],
    ['xmas', 'christmas'],
  ].flatMap(([a, b]) => [
    [a!, b!],
    [b!, a!],
  ]),
);

/** The other spellings of one word, as the English word list knows them. */
export function spellingVariants(word: string): string[] {
  if (word.length < 5 && !PAIRS.has(word)) return [];
  const out = new Set<string>();
  const pair = PAIRS.get(word);
  if (pair) out.add(pair);
  const known = englishWords();
  for (const [pattern, replacement] of RULES) {
    if (!pattern.test(word)) continue;
    const other = word.replace(pattern, replacement);
    if (other !== word && known.has(other)) out.add(other);
  }
  return [...out];
}

/** Adds each slot's other spellings to its alternatives ("community centre" → "community center"). */
export function withSpellings(slots: Slot[]): Slot[] {
  return slots.map((slot) => {
    const words = slot.text.split(' ');
    const extra: string[] = [];
    words.forEach((w, i) => {
      for (const v of spellingVariants(w)) extra.push(words.map((x, j) => (j === i ? v : x)).join(' '));
    });
    if (!extra.length) return slot;
    const alternatives = [...new Set([...(slot.alternatives ?? []), ...extra])];
    return { ...slot, alternatives };
  });
}
