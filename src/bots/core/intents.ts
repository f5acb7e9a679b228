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
  | { kind: 'unsubscribe'; text: string }
  /** The list for a resident: add result N, show it (to send), send it as a text message or a leaflet, empty it. */
  | { kind: 'list-add'; number: number }
  | { kind: 'list-show' }
  | { kind: 'list-sms' }
  | { kind: 'list-leaflet'; large: boolean }
  | { kind: 'list-clear' };

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
const SHARE = new RegExp(
  `^(?:share|send|copy|text)\\s+${NUMBER}(?:\\s+(?:with|to|for)\\s+(?:the\\s+)?(?:resident|client|patient|them))?$`,
);
const BOOK = new RegExp(
  `^book\\s+(?:me\\s+)?(?:(?:a\\s+)?(?:place|space|seat)\\s+)?(?:on|onto|in|into|for)?\\s*${NUMBER}$`,
);
const LIST_ADD = new RegExp(`^(?:add|save|keep)\\s+${NUMBER}(?:\\s+to\\s+(?:the\\s+|my\\s+)?(?:list|shortlist))?$`);
const LIST_SHOW = new Set([
  'list',
  'my list',
  'the list',
  'shortlist',
  'my shortlist',
  'show list',
  'show my list',
  'send list',
  'send my list',
  'send the list',
]);
const LIST_SMS = new Set([
  'sms',
  'sms list',
  'text list',
  'text the list',
  'send list by sms',
  'send list by text',
  'list as sms',
  'list as text',
]);
const LIST_LEAFLET =
  /^(?:(large[- ]print)\s+)?(?:leaflet|print list|print the list|list as (?:a\s+)?leaflet)(?:\s+(?:in\s+)?(large[- ]print))?$/;
const LIST_CLEAR = new Set([
  'clear list',
  'clear my list',
  'clear the list',
  'empty list',
  'empty my list',
  'empty the list',
]);
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
  const add = LIST_ADD.exec(t);
  if (add?.[1]) return { kind: 'list-add', number: Number(add[1]) };
  if (LIST_SHOW.has(t)) return { kind: 'list-show' };
  if (LIST_SMS.has(t)) return { kind: 'list-sms' };
  if (LIST_CLEAR.has(t)) return { kind: 'list-clear' };
  const leaflet = LIST_LEAFLET.exec(t);
  if (leaflet) return { kind: 'list-leaflet', large: !!(leaflet[1] ?? leaflet[2]) };
  const book = BOOK.exec(t);
  if (book?.[1]) return { kind: 'book', number: Number(book[1]) };
  const unsubscribe = UNSUBSCRIBE.exec(t);
  if (unsubscribe) return { kind: 'unsubscribe', text: (unsubscribe[1] ?? '').trim() };
  const subscribe = SUBSCRIBE.exec(t);
  if (subscribe) return { kind: 'subscribe', text: (subscribe[1] ?? '').trim() };
  return { kind: 'search', text: original };
}
