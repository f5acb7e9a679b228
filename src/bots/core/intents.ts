/**
 * What a staff member's message asks for. Numbers refer to the last list shown in that conversation (1-based,
 * continuing across "more": the second page is 6–10).
 */
export type Intent =
  | { kind: 'search'; text: string }
  | { kind: 'details'; number: number }
  | { kind: 'more' }
  | { kind: 'help' }
  | { kind: 'share'; number: number }
  | { kind: 'book'; number: number }
  | { kind: 'my-bookings' }
  /** `text` is what follows the word ("weekly", "lunch clubs in NW5"); the digests hook decides what it means. */
  | { kind: 'subscribe'; text: string }
  | { kind: 'unsubscribe'; text: string };

export type IntentKind = Intent['kind'];

const HELP = new Set([
  '',
  'help',
  '?',
  'hi',
  'hello',
  'hey',
  'hiya',
  'start',
  'menu',
  'examples',
  'what can you do',
  'how does this work',
  'good morning',
  'good afternoon',
]);

const MORE = new Set(['more', 'next', 'more please', 'show more', 'next page', 'more results', 'see more']);

const MY_BOOKINGS = new Set(['my bookings', 'my booking', 'bookings', 'show my bookings', 'my training', 'my places']);

/** `#2`, `2`, `no. 2`, `number 2`, `item 2`. */
const NUMBER = String.raw`(?:no\.?\s*|number\s+|item\s+|result\s+|#)?(\d{1,3})`;

const DETAILS = [
  new RegExp(`^${NUMBER}$`),
  new RegExp(`^(?:details?|info|show|open|view|see)\\s+(?:of\\s+|for\\s+|on\\s+)?${NUMBER}$`),
  new RegExp(`^(?:tell me |say )?more (?:about|on) ${NUMBER}$`),
  new RegExp(`^what about ${NUMBER}$`),
];
const SHARE = new RegExp(`^(?:share|send|copy|text)\\s+${NUMBER}(?:\\s+(?:with|to|for)\\s+(?:the\\s+)?(?:resident|client|patient|them))?$`);
const BOOK = new RegExp(`^book\\s+(?:me\\s+)?(?:(?:a\\s+)?(?:place|space|seat)\\s+)?(?:on|onto|in|into|for)?\\s*${NUMBER}$`);
const SUBSCRIBE = /^(?:subscribe|sign up for (?:the )?digest|digest)(?:\s+(?:to\s+)?(.*))?$/;
const UNSUBSCRIBE = /^(?:unsubscribe|stop (?:the )?digest|cancel (?:the )?digest)(?:\s+(?:from\s+)?(.*))?$/;

/** Turns a message (already stripped of its @mention) into an intent. Pure and total: anything else is a search. */
export function parseIntent(text: string): Intent {
  const original = text.replace(/\s+/g, ' ').trim();
  const t = original
    .toLowerCase()
    .replace(/^[/]/, '')
    .replace(/[.!?,;:]+$/g, '')
    .replace(/\s*please$/, '')
    .trim();
  if (HELP.has(t) || original === '?') return { kind: 'help' };
  if (MORE.has(t)) return { kind: 'more' };
  if (MY_BOOKINGS.has(t)) return { kind: 'my-bookings' };
  for (const re of DETAILS) {
    const m = re.exec(t);
    if (m?.[1]) return { kind: 'details', number: Number(m[1]) };
  }
  const share = SHARE.exec(t);
  if (share?.[1]) return { kind: 'share', number: Number(share[1]) };
  const book = BOOK.exec(t);
  if (book?.[1]) return { kind: 'book', number: Number(book[1]) };
  const unsubscribe = UNSUBSCRIBE.exec(t);
  if (unsubscribe) return { kind: 'unsubscribe', text: (unsubscribe[1] ?? '').trim() };
  const subscribe = SUBSCRIBE.exec(t);
  if (subscribe) return { kind: 'subscribe', text: (subscribe[1] ?? '').trim() };
  return { kind: 'search', text: original };
}
