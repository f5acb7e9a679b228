/** The search words of a question: compounds joined or split, and typos corrected to thesaurus phrases. */
import { byFirstLetter, englishWords, isKnownWord, type ParseOptions } from './query-text.ts';
import { apply, FILLER, phraseIndex } from './read-concepts.ts';
import type { Slot, Understood } from './types.ts';
import { KEEP_AS_IS } from './vocabulary.ts';

/** Single-word phrases long enough to be matched with a typo. */
const FUZZY_WORDS = [...phraseIndex.keys()].filter((k) => !k.includes(' ') && k.length >= 5);
const fuzzyWord = byFirstLetter(FUZZY_WORDS, { threshold: 0.3, distance: 10 });
/** Two-word phrases ("dementa cafe", "lunch clb"). */
const FUZZY_PAIRS = [...phraseIndex.keys()].filter((k) => k.split(' ').length === 2 && k.length >= 8);
const fuzzyPair = byFirstLetter(FUZZY_PAIRS, { threshold: 0.25, distance: 10 });

const COMPOUND_HEADS: ReadonlySet<string> = new Set(['pre', 'day', 'non', 'mid', 'off', 'out']);

/**
 * Compounds written apart or joined: "day centre" also finds "daycentre" and "lunchclub" also finds "lunch club",
 * when the other form is a known word or the two halves are.
 */
export function joinCompounds(slots: Slot[], u: Understood, options: ParseOptions): Slot[] {
  const out = slots.map((x) => ({ ...x }));
  for (let i = 0; i < out.length; i++) {
    const a = out[i]!;
    const b = out[i + 1];
    const pair = a.text.split(' ');
    if (pair.length === 2) {
      const joined = pair.join('');
      if (options.catalogueWords?.has(joined) || englishWords().has(joined)) (a.alternatives ??= []).push(joined);
    }
    if (b && !a.concept && !b.concept && !a.text.includes(' ') && !b.text.includes(' ')) {
      const joined = a.text + b.text;
      if (joined.length >= 6 && (options.catalogueWords?.has(joined) || englishWords().has(joined))) {
        (a.alternatives ??= []).push(`${a.text} ${b.text}`, joined);
        a.text = `${a.text} ${b.text}`;
        out.splice(i + 1, 1);
        continue;
      }
    }
    if (!a.concept && !a.text.includes(' ') && a.text.length >= 7) {
      // A compound written as one word ("preschool", "lunchclub"): the two words, the longer split first.
      const known = isKnownWord(a.text, options);
      let best: [string, string] | undefined;
      for (let k = 3; k <= a.text.length - 3; k++) {
        const left = a.text.slice(0, k);
        const right = a.text.slice(k);
        if (FILLER.has(left) || FILLER.has(right) || !englishWords().has(left) || !englishWords().has(right)) continue;
        // The word list has many three-letter oddities ("sta", "tion"): halves of four letters or more, or a prefix
        // that compounds often take.
        if (right.length < 4 || (left.length < 4 && !COMPOUND_HEADS.has(left))) continue;
        if (!best || Math.min(left.length, right.length) > Math.min(best[0].length, best[1].length))
          best = [left, right];
      }
      if (best) {
        const split = best.join(' ');
        const concepts = known ? undefined : phraseIndex.get(split);
        let keep = false;
        for (const c of concepts ?? []) keep = apply(c, u, split) || keep;
        if (keep) out[i] = { text: split, concept: concepts![0]!.key, alternatives: [a.text] };
        else (a.alternatives ??= []).push(split);
      }
    }
  }
  return out;
}

/**
 * Typos: only a word that is not a known word (the English word list, the thesaurus, place names, the catalogue's
 * own words) is corrected, to a thesaurus phrase within a small edit distance: "dementa cafe" → dementia cafe,
 * "befriening" → befriending; "station", "working" and "reducing" stay as they are.
 */
export function takeFuzzy(slots: Slot[], u: Understood, options: ParseOptions): Slot[] {
  const out: Slot[] = [];
  for (let i = 0; i < slots.length; ) {
    const one = slots[i]!;
    const next = slots[i + 1];
    const literal = (x: Slot | undefined) => x !== undefined && !x.concept && !x.text.includes(' ');
    if (!literal(one)) {
      out.push(one);
      i += 1;
      continue;
    }
    const unknown = (x: Slot) => !isKnownWord(x.text, options);
    if (next && literal(next) && (unknown(one) || unknown(next))) {
      const two = `${one.text} ${next.text}`;
      const best = two.length >= 8 ? fuzzyPair(two) : undefined;
      if (best && Math.abs(best.length - two.length) <= 2) {
        const concepts = phraseIndex.get(best) ?? [];
        let keep = false;
        for (const concept of concepts) keep = apply(concept, u, best) || keep;
        if (keep) out.push({ text: best, concept: concepts[0]!.key, corrected: two });
        i += 2;
        continue;
      }
    }
    if (one.text.length >= 5 && !KEEP_AS_IS.has(one.text) && unknown(one)) {
      const best = fuzzyWord(one.text);
      if (best && Math.abs(best.length - one.text.length) <= 1) {
        const concepts = phraseIndex.get(best) ?? [];
        let keep = false;
        for (const concept of concepts) keep = apply(concept, u, best) || keep;
        if (keep) out.push({ text: best, concept: concepts[0]!.key, corrected: one.text });
        i += 1;
        continue;
      }
    }
    out.push(one);
    i += 1;
  }
  return out;
}
