/**
 * Removes likely personal data from text before it is logged or stored: e-mail addresses, UK phone numbers, NHS
 * numbers, dates of birth, street addresses, names introduced by a cue ("called", "named", "Mr", "Mrs", "my client…")
 * and full postcodes (reduced to their district, which is kept because it says where help is needed, not who).
 * Used on every log line (src/logger.ts) and, with more, before a question is ever stored (sanitise-question.ts).
 *
 * The rules are deliberately greedy: a false positive costs a word in a log line, a false negative leaks a resident.
 */
import { MONTH_NAME } from '../catalogue/time.ts';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** NHS numbers: ten digits, often written 3-3-4 ("943 476 5919"). */
const NHS_NUMBER = /(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)/g;
/** UK phone numbers: 0… or +44…, 10–11 digits with spaces, dashes or brackets. */
const PHONE = /(?:\+\s?44\s?\(?0?\)?\s?|\(?\b0)(?:\d[\s-]?\)?\s?){8,10}\d(?!\d)/g;
/** Any other long run of digits (hospital numbers, case references, account numbers). */
const LONG_NUMBER = /(?<![\d-])\d(?: ?\d){6,}(?![\d-])/g;
const POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?)\s*\d[A-Z]{2}\b/gi;

/** A date written day first, the British way: 12/03/1948, 12-3-48, 12.03.1948. */
const NUMERIC_DATE = /(?<![\d/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/.-])/g;
/** A written date with a year before 2016 (too early for an event, so likely a birth date): "3rd March 1948". */
const WRITTEN_OLD_DATE = new RegExp(
  String.raw`\b(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH_NAME}\.?,?\s+|${MONTH_NAME}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+)(?:19\d{2}|200\d|201[0-5])\b`,
  'gi',
);
/** Whatever follows a date-of-birth cue, up to the next comma or full stop (ISO dates included). */
const DOB_CUE = new RegExp(
  String.raw`\b(d\.?\s?o\.?\s?b\b\.?|date of birth|born(?:\s+on|\s+in)?|birthday(?:\s+is)?)(\s*[:\-]?\s*)(?:\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH_NAME}\.?(?:\s+\d{2,4})?|${MONTH_NAME}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|${MONTH_NAME}\s+\d{4}|\d{4})`,
  'gi',
);

const STREET_WORDS =
  'road|rd|street|st|avenue|ave|lane|ln|close|gardens|gdns|court|ct|square|sq|place|pl|terrace|crescent|cres|way|estate|house|mews|row|hill|grove|drive|dr|walk|buildings|mansions|villas|park|rise|green|yard|parade';
/** "12 Malden Road", "Flat 3, 45 Queen's Crescent", "Flat 2 Chalcot House". */
const ADDRESS = new RegExp(
  String.raw`\b(?:(?:flat|apartment|apt|unit|room)\s*\d+[a-z]?,?\s*)?\d+[a-z]?,?\s+(?:[A-Za-z'’-]+\s+){0,3}(?:${STREET_WORDS})\b\.?`,
  'gi',
);
const FLAT = /\b(?:flat|apartment|apt)\s*\d+[a-z]?\b/gi;

/** Words that end a name after a cue ("a man called Bob who…"). */
const NOT_A_NAME = new Set(
  (
    'a an the to for in on at and or but who whom whose with from near by is was are were he she they it me him her them his hers their ' +
    'about something someone anything some up out back if that this these those what which when where how why as of into onto ' +
    'our my your because so not no yes has have had be been being lives living aged age who’s whos does do did can could would should ' +
    'will just only also then than very please thanks thank'
  ).split(' '),
);
const NAME_WORD = String.raw`[\p{L}][\p{L}'’.-]*`;
/** Cue words that introduce a name: the next one to three words ("called Bob Smith", "named 'Bob'"). */
const NAME_CUE = new RegExp(
  String.raw`\b(called|named|name is|name's|names are|known as|goes by|calls (?:himself|herself|themselves))\s*[:,]?\s*["“'‘]?(${NAME_WORD})["”]?(?:\s+(${NAME_WORD}))?(?:\s+(${NAME_WORD}))?`,
  'giu',
);
const RELATIONS = [
  'client',
  'patient',
  'resident',
  'service user',
  'tenant',
  'neighbour',
  'lady',
  'gentleman',
  'gent',
  'mum',
  'mother',
  'dad',
  'father',
  'son',
  'daughter',
  'wife',
  'husband',
  'partner',
  'carer',
  'friend',
  'brother',
  'sister',
];
const cap = (w: string) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`;
/** A relation followed by a capitalised word ("my client Dorothy", "resident Maureen O'Leary", "carer is Priya"). */
const RELATION_CUE = new RegExp(
  String.raw`\b((?:(?:${['my', 'our', 'a', 'the', 'his', 'her', 'their'].map(cap).join('|')})\s+)?(?:${RELATIONS.map(cap).join('|')})(?:\s+is)?)\s+(\p{Lu}[\p{L}'’-]*)(?:\s+(\p{Lu}[\p{L}'’-]*))?(?:\s+(\p{Lu}[\p{L}'’-]*))?`,
  'gu',
);
const TITLE_WORDS = [
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'sir',
  'dame',
  'mister',
  'madam',
  'auntie',
  'aunty',
  'uncle',
  'nan',
  'nanny',
];
const TITLE = new RegExp(
  String.raw`\b(?:${TITLE_WORDS.map((t) => `[${t[0]!.toUpperCase()}${t[0]}]${t.slice(1)}|${t.toUpperCase()}`).join('|')})\b\.?\s+(?:(?:and|&)\s+(?:${TITLE_WORDS.map((t) => `[${t[0]!.toUpperCase()}${t[0]}]${t.slice(1)}`).join('|')})\.?\s+)?(\p{Lu}[\p{L}'’-]*)(?:\s+(\p{Lu}[\p{L}'’-]*))?`,
  'gu',
);

function redactNamesAfterCues(text: string): string {
  const replace = (match: string, cue: string, ...words: (string | undefined | number)[]) => {
    const parts = words.slice(0, 3).filter((w): w is string => typeof w === 'string');
    const taken: string[] = [];
    for (const word of parts) {
      if (NOT_A_NAME.has(word.toLowerCase().replace(/[.’']+$/, ''))) break;
      // After the first word, only capitalised words continue the name ("called Bob Smith", not "called Bob today").
      if (taken.length > 0 && !/^\p{Lu}/u.test(word)) break;
      taken.push(word);
    }
    if (taken.length === 0) return match;
    const rest = parts.slice(taken.length).join(' ');
    return `${cue} [name]${rest ? ` ${rest}` : ''}`;
  };
  return text.replace(NAME_CUE, replace).replace(RELATION_CUE, replace);
}

/** Redacts personal data in one string. Idempotent: redacting twice changes nothing more. */
export function redactText(text: string): string {
  if (!text) return text;
  let out = text.replace(EMAIL, '[email]');
  out = out.replace(DOB_CUE, (_m, cue: string, gap: string) => `${cue}${gap || ' '}[date]`);
  out = out.replace(NUMERIC_DATE, '[date]').replace(WRITTEN_OLD_DATE, '[date]');
  out = out.replace(NHS_NUMBER, '[number]').replace(PHONE, '[phone]').replace(LONG_NUMBER, '[number]');
  out = out.replace(POSTCODE, (_m, district: string) => district.toUpperCase());
  out = out.replace(ADDRESS, '[address]').replace(FLAT, '[address]');
  out = out.replace(TITLE, '[name]');
  out = redactNamesAfterCues(out);
  return out;
}

/** Field names whose values are question text or free notes: never logged, whatever they contain. */
const WITHHELD_KEYS = new Set(['text', 'question', 'query', 'utterance', 'note', 'comment']);

/** Redacts every string inside a log record; values under question-like keys are withheld entirely. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      typeof v === 'string' && WITHHELD_KEYS.has(k.toLowerCase())
        ? `[withheld: ${v.length} characters]`
        : redactValue(v, depth + 1);
  }
  return out;
}
