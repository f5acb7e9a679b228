/**
 * GSM 03.38 (GSM-7): the alphabet every phone reads in an SMS without switching to UCS-2 (which would cut a segment
 * from 153 characters to 67). Text for a resident's phone is first made GSM-7 (`toGsm7`), then measured in septets
 * (`measureSms`): the extension characters (€ [ ] { } ^ ~ \ |) take two, an escape and the character.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '^{}\\[~]|€\f';

const BASIC_SET = new Set(BASIC);
const EXTENSION_SET = new Set(EXTENSION);

/** A single SMS holds 160 septets; each part of a longer one 153 (7 go to the concatenation header). */
export const SINGLE_SEGMENT_SEPTETS = 160;
export const MULTIPART_SEGMENT_SEPTETS = 153;

/** Characters outside GSM-7 that have a close GSM-7 spelling; the rest lose their accents or are left out. */
const LOOKALIKES: Record<string, string> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '‛': "'",
  '′': "'",
  '`': "'",
  '´': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '‟': '"',
  '″': '"',
  '«': '"',
  '»': '"',
  '–': '-',
  '—': '-',
  '‒': '-',
  '―': '-',
  '‐': '-',
  '‑': '-',
  '−': '-',
  '…': '...',
  '•': '-',
  '·': '-',
  '×': 'x',
  '÷': '/',
  '½': '1/2',
  '¼': '1/4',
  '¾': '3/4',
  '\t': ' ',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2007': ' ',
  '\u200b': '',
  '©': '(c)',
  '®': '(R)',
  '™': '(TM)',
  '°': ' deg',
  '№': 'No.',
  '≥': '>=',
  '≤': '<=',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  œ: 'oe',
  Œ: 'OE',
  þ: 'th',
  Þ: 'Th',
  ð: 'd',
  ç: 'c', // GSM-7's Ç shows as a capital on many phones
};

export function isGsm7(char: string): boolean {
  return BASIC_SET.has(char) || EXTENSION_SET.has(char);
}

/**
 * The text in GSM-7 only: curly quotes and dashes become straight ones, accents GSM-7 lacks are dropped (á → a,
 * ş → s; é, ü, ñ and the others GSM-7 has stay), and anything without a Latin spelling (emoji, other scripts) is left
 * out. Line breaks stay; other control characters go.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const char of text.replace(/\r\n?/g, '\n').normalize('NFC')) {
    if (char === '\f' || char === '\r') continue;
    if (isGsm7(char)) {
      out += char;
      continue;
    }
    const lookalike = LOOKALIKES[char];
    if (lookalike !== undefined) {
      out += lookalike;
      continue;
    }
    const bare = char.normalize('NFD').replace(/\p{M}/gu, '');
    if (bare && [...bare].every(isGsm7)) out += bare;
  }
  return out;
}

export type SmsMeasure = {
  /** Septets, counting each extension character twice: what the three-segment limit is about. */
  characters: number;
  segments: number;
};

/**
 * How many septets a GSM-7 text takes and in how many segments it is sent. An extension character's two septets are
 * never split across two parts (a phone moves both to the next one), so parts are filled as a phone fills them.
 */
export function measureSms(gsm7: string): SmsMeasure {
  const costs = [...gsm7].map((c) => (EXTENSION_SET.has(c) ? 2 : 1));
  const characters = costs.reduce((n, c) => n + c, 0);
  if (characters === 0) return { characters, segments: 0 };
  if (characters <= SINGLE_SEGMENT_SEPTETS) return { characters, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > MULTIPART_SEGMENT_SEPTETS) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return { characters, segments };
}
