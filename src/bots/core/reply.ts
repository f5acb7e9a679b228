import type { ActionId } from './action-ids.ts';

/**
 * The neutral reply every platform renders: Slack Block Kit, a Teams Adaptive Card or terminal text.
 *
 * Text uses one small markup that all three can show: `**bold**`, `_italic_` and `[label](https://…)` links.
 * Renderers translate it (Slack mrkdwn `*bold*` / `<url|label>`, Adaptive Card markdown, plain text).
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
   * A file to offer (e.g. a calendar invite): Slack uploads it, the terminal writes it out, and Teams (which cannot
   * take a file from a bot without a consent step) links to `url` when there is one.
   */
  | { type: 'attachment'; filename: string; mimeType: string; content: string; url?: string }
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

/** Strips the markup to plain text (fallbacks, terminal, SMS). */
export function toPlainText(markup: string): string {
  return markup
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|\s)_([^_]+)_(?=\s|$|[.,;:!?])/g, '$1$2');
}
