import { ACTION } from '../core/action-ids.ts';
import { isWebUrl, type Reply, type ReplyBlock, type ReplyButton, toPlainText } from '../core/reply.ts';
import { terminalText } from './terminal-text.ts';

/** A button the terminal user can press by typing its token (`b1`, `b2`…), for buttons with no typed command. */
export type PressableButton = { token: string; button: ReplyButton };

export type RenderedText = {
  text: string;
  /** Buttons reachable only by their token, in the order shown. */
  pressable: PressableButton[];
};

/** Typed commands for the actions the conversation also understands as words; `n` is the list item's number. */
const TYPED: Partial<Record<string, (n: number) => string>> = {
  [ACTION.details]: (n) => `details ${n}`,
  [ACTION.share]: (n) => `share ${n}`,
  [ACTION.book]: (n) => `book ${n}`,
  [ACTION.shortlistAdd]: (n) => `add ${n}`,
};
const TYPED_PLAIN: Partial<Record<string, string>> = {
  [ACTION.more]: 'more',
  [ACTION.help]: 'help',
  [ACTION.myBookings]: 'my bookings',
  [ACTION.shortlistShow]: 'send list',
  [ACTION.shortlistSms]: 'sms',
  [ACTION.shortlistClear]: 'clear list',
};

const WIDTH = 100;

/**
 * Renders a neutral Reply as plain terminal text: an underlined heading, numbered list items with indented lines,
 * "Label: value" fields, and buttons as hints such as `[details 1] [share 1]`. Buttons with no typed equivalent
 * get a token (`[b1: Cancel booking]`) that the chat loop turns back into the action.
 */
export function renderText(reply: Reply): RenderedText {
  const pressable: PressableButton[] = [];
  const hint = (button: ReplyButton, itemNumber?: number): string => {
    if (button.url !== undefined)
      return isWebUrl(button.url) ? `${button.label}: ${button.url}` : `${button.label}: (not a web address)`;
    const typed = itemNumber !== undefined ? TYPED[button.action]?.(itemNumber) : undefined;
    const plain = TYPED_PLAIN[button.action];
    if (typed ?? plain) return `[${typed ?? plain}]`;
    const token = `b${pressable.length + 1}`;
    pressable.push({ token, button });
    return `[${token}: ${button.label}]`;
  };
  const hints = (buttons: ReplyButton[], itemNumber?: number) => {
    const links = buttons.filter((b) => b.url).map((b) => hint(b));
    const presses = buttons.filter((b) => !b.url).map((b) => hint(b, itemNumber));
    return [...(presses.length ? [presses.join(' ')] : []), ...links];
  };

  const out: string[] = [];
  for (const block of reply.blocks) out.push(...renderBlock(block, hints));
  while (out.length && out[out.length - 1] === '') out.pop();
  const text = out.length ? out.join('\n') : toPlainText(reply.fallbackText);
  return { text: terminalText(text), pressable };
}

function renderBlock(block: ReplyBlock, hints: (buttons: ReplyButton[], itemNumber?: number) => string[]): string[] {
  switch (block.type) {
    case 'heading': {
      const line = block.text;
      return [line, '─'.repeat(Math.min(line.length, WIDTH)), ''];
    }
    case 'text':
      return [toPlainText(block.text), ''];
    case 'fields': {
      const width = Math.min(17, Math.max(...block.fields.map((f) => f.label.length)) + 1);
      const lines: string[] = [];
      for (const f of block.fields) {
        const [first = '', ...rest] = f.value.split('\n');
        lines.push(`${`${f.label}:`.padEnd(width)} ${first}`);
        for (const more of rest) lines.push(`${' '.repeat(width + 1)}${more}`);
      }
      return [...lines, ''];
    }
    case 'list': {
      const lines: string[] = [];
      for (const item of block.items) {
        const title = item.title;
        const number = /^(\d+)\.\s/.exec(title)?.[1];
        lines.push(title);
        for (const l of item.lines) lines.push(`   ${l}`);
        for (const h of hints(item.buttons, number ? Number(number) : undefined)) lines.push(`   ${h}`);
        lines.push('');
      }
      return lines;
    }
    case 'actions':
      return [...hints(block.buttons), ''];
    case 'more':
      return [
        block.button.action === ACTION.more
          ? `${block.remaining} more: type "more"`
          : `${block.remaining} more ${hints([block.button]).join(' ')}`,
        '',
      ];
    case 'context':
      return [`(${toPlainText(block.text)})`, ''];
    case 'divider':
      return ['─'.repeat(20), ''];
    case 'attachment':
      return [`Attachment: ${block.filename} (${block.mimeType})`, ''];
    case 'form': {
      const asked = block.form.fields.filter((f) => f.problem).length || block.form.fields.length;
      return [
        `${toPlainText(block.form.title)}: ${asked === 1 ? 'one question follows' : `${asked} questions follow, one at a time`}.`,
        '',
      ];
    }
    case 'urgent':
      return [
        `!! ${toPlainText(block.title)}`,
        ...block.lines.map((l) => `   ${l.phone.padEnd(14)} ${toPlainText(l.name)}`),
        `   ${toPlainText(block.note)}`,
        '═'.repeat(20),
        '',
      ];
  }
}
