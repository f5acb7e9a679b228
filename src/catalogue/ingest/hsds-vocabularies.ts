/** Partners' words for accessibility, audiences, how to join, languages and status, read into the catalogue's. */
import { type AccessibilityFeature, AUDIENCES, type Audience, type EntryStatus, type HowToJoin } from '../model.ts';
import { cleanLine, type JsonRecord, textOf } from './hsds-fields.ts';

/** Our own taxonomies, used by the ORUK export so that a round trip keeps kinds, audiences and categories exact. */
export const SIGNPOST_TAXONOMY = {
  kind: 'signpost:kind',
  audience: 'signpost:audience',
  category: 'signpost:category',
  accessibility: 'signpost:accessibility',
  howToJoin: 'signpost:how-to-join',
  attendingType: 'signpost:attending-type',
  cost: 'signpost:cost',
} as const;

const ACCESSIBILITY_PATTERNS: readonly [AccessibilityFeature, RegExp][] = [
  ['wheelchair_accessible', /wheelchair|disabled[_ ]access/i],
  ['step_free', /step[- ]?free|level access|no steps|ramp|lift\b|elevator/i],
  ['accessible_toilet', /accessible (?:toilet|wc|loo)|disabled (?:toilet|wc)|changing places/i],
  ['hearing_loop', /hearing loop|induction loop|t-?coil/i],
  ['quiet_space', /quiet (?:space|room|area)|sensory room/i],
  ['large_print', /large print/i],
  ['easy_read', /easy[- ]read/i],
  ['carer_free', /carers? (?:go|attend|come) free|free for carers/i],
  ['parking', /parking/i],
];

/** The values HSDS 1.1 / ORUK v1 give `accessibility_for_disabilities.accessibility`, in words. */
export const HSDS_ACCESSIBILITY_LABELS: Readonly<Record<string, string>> = {
  cd: 'Information on CD',
  deaf_interpreter: 'Deaf interpreter',
  disabled_parking: 'Disabled parking',
  elevator: 'Lift',
  ramp: 'Ramp',
  restroom: 'Accessible toilet',
  tape_braille: 'Tape or Braille',
  tty: 'Text phone (TTY)',
  wheelchair: 'Wheelchair accessible',
  wheelchair_van: 'Wheelchair-accessible transport',
};

export function accessibilityFeatures(text: string): AccessibilityFeature[] {
  return ACCESSIBILITY_PATTERNS.filter(([, re]) => re.test(text)).map(([f]) => f);
}

const AUDIENCE_PATTERNS: readonly [Audience, RegExp][] = [
  [
    'older_people',
    /older (?:people|adults|residents)|over[- ]?(?:50|55|60|65)s?|elderly|seniors?|later life|pensioners?|age(?:ing)? (?:well|better)/i,
  ],
  ['learning_disabilities', /learning disabilit|learning difficult|autis/i],
  [
    'ethnic_minorities',
    /ethnic minorit|\b(?:bame|black|asian|bangladeshi|somali|african|caribbean|chinese|turkish|kurdish|irish|arabic|refugees?)\b/i,
  ],
  ['carers', /\bcarers?\b|caring for/i],
  ['lgbtq', /lgbt|lesbian|\bgay\b|bisexual|trans(?:gender)?\b|queer/i],
  ['young_people', /young (?:people|adults)|youth|teenagers?|children and young/i],
  ['parents_of_young_children', /\b(?:parents?|toddlers?|under[- ]?5s?|babies|new mums)\b/i],
  ['men', /^men$|\bmen(?:'?s| only)\b|\bfor men\b|\bmale\b/i],
  ['women', /^women$|\bwomen(?:'?s| only)\b|\bfor women\b|\bfemale\b/i],
  ['everyone', /^(?:everyone|all|all ages|anyone|general public)$/i],
];

export function audiencesIn(text: string): Audience[] {
  const exact = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if ((AUDIENCES as readonly string[]).includes(exact)) return [exact as Audience];
  return AUDIENCE_PATTERNS.filter(([, re]) => re.test(text)).map(([a]) => a);
}

export function howToJoinOf(text: string | undefined): HowToJoin | undefined {
  if (!text) return undefined;
  const t = text.toLowerCase();
  if (/^(drop_in|self_referral|referral_needed|booking)$/.test(t)) return t as HowToJoin;
  if (/referral (?:is )?(?:needed|required)|(?:gp|professional|by) referral|must be referred|referred by/.test(t))
    return 'referral_needed';
  if (/self[- ]?refer/.test(t)) return 'self_referral';
  if (/drop[- ]?in|just (?:turn|come) (?:up|along)|no need to book/.test(t)) return 'drop_in';
  if (/\bbook|reserve|register|sign up/.test(t)) return 'booking';
  return undefined;
}

const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  en: 'english',
  eng: 'english',
  bn: 'bengali',
  ben: 'bengali',
  so: 'somali',
  som: 'somali',
  ar: 'arabic',
  ara: 'arabic',
  tr: 'turkish',
  tur: 'turkish',
  ku: 'kurdish',
  kur: 'kurdish',
  zh: 'chinese',
  zho: 'chinese',
  chi: 'chinese',
  yue: 'cantonese',
  cmn: 'mandarin',
  pt: 'portuguese',
  por: 'portuguese',
  es: 'spanish',
  spa: 'spanish',
  fr: 'french',
  fra: 'french',
  fre: 'french',
  pl: 'polish',
  pol: 'polish',
  ur: 'urdu',
  urd: 'urdu',
  hi: 'hindi',
  hin: 'hindi',
  pa: 'punjabi',
  pan: 'punjabi',
  gu: 'gujarati',
  guj: 'gujarati',
  ti: 'tigrinya',
  tir: 'tigrinya',
  am: 'amharic',
  amh: 'amharic',
  fa: 'farsi',
  fas: 'farsi',
  per: 'farsi',
  ro: 'romanian',
  ron: 'romanian',
  it: 'italian',
  ita: 'italian',
  el: 'greek',
  ell: 'greek',
  bsl: 'british sign language',
  sgn: 'sign language',
  sq: 'albanian',
  sqi: 'albanian',
  ru: 'russian',
  rus: 'russian',
  uk: 'ukrainian',
  ukr: 'ukrainian',
};

export function languageName(v: JsonRecord | string): string | undefined {
  if (typeof v === 'string') return cleanLine(v, 100)?.toLowerCase();
  const name = cleanLine(v.name ?? v.language, 100)?.toLowerCase();
  if (name) return name;
  const code = textOf(v.code)?.toLowerCase();
  return code ? LANGUAGE_CODES[code] : undefined;
}

export function statusOf(v: unknown): EntryStatus {
  const t = textOf(v)
    ?.toLowerCase()
    .replace(/[\s_-]+/g, ' ');
  if (!t) return 'active';
  if (t === 'temporarily closed' || t === 'paused' || t === 'suspended') return 'temporarily_closed';
  if (t === 'inactive' || t === 'defunct' || t === 'closed') return 'closed';
  return 'active';
}
