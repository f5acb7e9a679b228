import type { ActionId } from './action-ids.ts';

export { isWebUrl } from '../../catalogue/web-url.ts';

/**
 * The neutral reply every platform renders: Slack Block Kit, a Teams Adaptive Card or terminal text.
 *
 * `text` and `context` blocks use one small markup that all three can show: `**bold**`, `_italic_` and `` `code` ``,
 * with `\` escaping a markup character. Catalogue text (titles, descriptions, names from partners' feeds) enters
 * markup only through `literal()`, so it is always shown as written. There is no link markup: links are built only
 * from URL fields (`ReplyButton.url`). Headings, list titles and lines, fields and button labels are plain text.
 * Each renderer escapes plain text for its platform (Slack mrkdwn, Adaptive Card markdown, the terminal).
 */
export type Reply = {
  /** Plain text for notifications, screen readers and clients that show no cards. Always set. */
  fallbackText: string;
  blocks: ReplyBlock[];
  /** Slack: show only to the asker (default for slash commands, since questions may describe a resident). */
  ephemeral?: boolean;
};

export type ReplyButton = {
  label: string;
  action: ActionId;
  /** Opaque to renderers; parsed with zod by the core when the button comes back. At most 2,000 characters. */
  value: string;
  style?: 'primary' | 'danger';
  /** A link button instead of an action. */
  url?: string;
};

export type ReplyField = { label: string; value: string };

export type FormOption = { value: string; label: string };

/** One input of a form. `value` is what it holds now (editing, or typed before a problem was found). */
export type FormField = {
  /** The key its value comes back under, on every platform. */
  name: string;
  label: string;
  input: 'text' | 'multiline' | 'choice' | 'choices' | 'date' | 'time';
  required?: boolean;
  max?: number;
  hint?: string;
  options?: FormOption[];
  /** For 'choices': tick boxes rather than a multi-select list. */
  style?: 'checkboxes';
  value?: string | string[];
  /** Why the last submission was refused, shown beside the field. */
  problem?: string;
};

/**
 * A form to fill in and submit (the coordinators' entry form). Submitting sends `submit.action` with a value the
 * core parses: `{"ctx": submit.value, "fields": {name: value…}}` as JSON.
 */
export type ReplyForm = {
  title: string;
  fields: FormField[];
  submit: ReplyButton;
};
/** A number to call and who answers it, e.g. `{phone: '116 123', name: 'Samaritans, any time, free'}`. */
export type UrgentLine = { name: string; phone: string };

/** One item of a result list: a title line, a few short lines, and its buttons. */
export type ReplyListItem = {
  title: string;
  lines: string[];
  buttons: ReplyButton[];
};

export type ReplyBlock =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: ReplyField[] }
  | { type: 'list'; items: ReplyListItem[] }
  | { type: 'actions'; buttons: ReplyButton[] }
  /** "N more" with a button that fetches them. */
  | { type: 'more'; remaining: number; button: ReplyButton }
  /** Small print: sources, freshness, "demo data". */
  | { type: 'context'; text: string }
  | { type: 'divider' }
  /**
   * Urgent help, first in a reply to a question that shows a risk of harm: the numbers to call, in plain words.
   * Every renderer gives it its most prominent style and never cuts it.
   */
  | { type: 'urgent'; title: string; lines: UrgentLine[]; note: string }
  /**
   * A file to offer (a calendar invite, a leaflet): Slack uploads it, the terminal writes it out, and Teams (which
   * cannot take a file from a bot without a consent step) links to `url` when there is one, under `label`.
   * `content` is text (an invite) or bytes (a PDF).
   */
  | {
      type: 'attachment';
      filename: string;
      mimeType: string;
      content: string | Uint8Array;
      url?: string;
      label?: string;
    }
  /** A form: Teams shows its inputs in the card, the terminal asks field by field, Slack opens it in a modal. */
  | { type: 'form'; form: ReplyForm };

export function heading(text: string): ReplyBlock {
  return { type: 'heading', text };
}
export function text(body: string): ReplyBlock {
  return { type: 'text', text: body };
}
export function fields(items: ReplyField[]): ReplyBlock {
  return { type: 'fields', fields: items };
}
export function actions(buttons: ReplyButton[]): ReplyBlock {
  return { type: 'actions', buttons };
}
export function context(body: string): ReplyBlock {
  return { type: 'context', text: body };
}
export function divider(): ReplyBlock {
  return { type: 'divider' };
}

/** Text shown exactly as written inside markup: its markup characters are escaped. */
export function literal(plain: string): string {
  return plain.replace(/[\\*_`]/g, '\\$&');
}

/** A run of markup text with one style; `text` is plain (escapes undone). */
export type MarkupSpan = { text: string; bold?: boolean; italic?: boolean; code?: boolean };

const ESCAPABLE = '\\*_`';
const OPENS_ITALIC = /[\s(“‘"'\-–—]/;
const CLOSES_ITALIC = /[\s.,;:!?)”’"'\-–—]/;

/** Where `token` next occurs unescaped on the same line, from `from`; -1 if it does not. */
function findOnLine(markup: string, token: string, from: number): number {
  for (let i = from; i < markup.length; i++) {
    const c = markup[i];
    if (c === '\n') return -1;
    if (c === '\\' && ESCAPABLE.includes(markup[i + 1] ?? '')) {
      i++;
      continue;
    }
    if (markup.startsWith(token, i)) return i;
  }
  return -1;
}

/** The `_` that would close an italic run opened before `from`; -1 if none does. */
function italicCloser(markup: string, from: number): number {
  let j = findOnLine(markup, '_', from);
  while (j >= 0 && j + 1 < markup.length && !CLOSES_ITALIC.test(markup[j + 1]!)) j = findOnLine(markup, '_', j + 1);
  return j;
}

/** Reads the neutral markup into styled runs. Anything that is not a complete markup pair is text. */
export function parseMarkup(markup: string): MarkupSpan[] {
  const spans: MarkupSpan[] = [];
  let buffer = '';
  let bold = false;
  let italic = false;
  const flush = () => {
    if (buffer) spans.push({ text: buffer, ...(bold ? { bold } : {}), ...(italic ? { italic } : {}) });
    buffer = '';
  };
  for (let i = 0; i < markup.length; i++) {
    const c = markup[i]!;
    const next = markup[i + 1] ?? '';
    if (c === '\\' && ESCAPABLE.includes(next)) {
      buffer += next;
      i++;
      continue;
    }
    if (c === '`') {
      const close = findOnLine(markup, '`', i + 1);
      if (close > i + 1) {
        flush();
        spans.push({ text: markup.slice(i + 1, close).replace(/\\([\\*_`])/g, '$1'), code: true });
        i = close;
        continue;
      }
    }
    if (c === '*' && next === '*') {
      if (bold || findOnLine(markup, '**', i + 2) > i + 2) {
        flush();
        bold = !bold;
        i++;
        continue;
      }
    }
    if (c === '_') {
      const before = markup[i - 1];
      if (italic && (next === '' || CLOSES_ITALIC.test(next))) {
        flush();
        italic = false;
        continue;
      }
      if (
        !italic &&
        (before === undefined || OPENS_ITALIC.test(before)) &&
        next &&
        !/\s/.test(next) &&
        italicCloser(markup, i + 1) > i + 1
      ) {
        flush();
        italic = true;
        continue;
      }
    }
    buffer += c;
  }
  flush();
  return spans;
}

/** The markup as plain text (fallbacks, terminal, SMS). */
export function toPlainText(markup: string): string {
  return parseMarkup(markup)
    .map((s) => s.text)
    .join('');
}
