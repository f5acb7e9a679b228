import type { types as SlackTypes } from '@slack/bolt';
import type { Reply, ReplyBlock, ReplyButton, ReplyListItem } from '../core/reply.ts';
import { ACTION } from '../core/action-ids.ts';
import { isWebUrl, toPlainText } from '../core/reply.ts';
import { escapeMrkdwn, splitMrkdwn, toMrkdwn, truncate } from './mrkdwn.ts';
import { SLACK_ACTION } from './slack-action-ids.ts';
import { SLACK_LIMITS } from './slack-limits.ts';

export type SlackBlock = SlackTypes.KnownBlock;
type Button = SlackTypes.Button;

/** A file the reply offers (calendar invite, leaflet); listeners upload it with files.uploadV2. */
export type SlackFile = { filename: string; mimeType: string; content: string | Uint8Array };

/** files.uploadV2's arguments for a file: text as `content`, bytes (a PDF) as `file`. */
export function slackUploadOf(
  file: SlackFile,
): { filename: string; title: string } & ({ content: string } | { file: Buffer }) {
  const named = { filename: file.filename, title: file.filename };
  return typeof file.content === 'string'
    ? { ...named, content: file.content }
    : { ...named, file: Buffer.from(file.content) };
}

export type RenderOptions = {
  /** 50 for messages (default), 100 for the App Home tab and modals. */
  maxBlocks?: number;
  /**
   * Keeps what did not fit and returns a short token for a "Show N more" button. Without it the rest is counted
   * and the asker is told to narrow the question.
   */
  stashOverflow?: (rest: Reply) => string;
  /**
   * For ephemeral answers: adds "Post to channel" to each result (and, through `stashOverflow`, to a single entry's
   * details), so a result can be shared without the question that found it.
   */
  offerPostToChannel?: boolean;
};

export type RenderedMessage = {
  /** Notification and screen-reader text; Slack shows it where blocks cannot be shown. */
  text: string;
  blocks: SlackBlock[];
  files: SlackFile[];
  /** Buttons whose value was too long to send (the core keeps values short; this is a guard). */
  droppedButtons: number;
};

/** Slack blocks that belong together (a result and its buttons), with what they came from. */
type Unit = { blocks: SlackBlock[]; source: ReplyBlock; item?: ReplyListItem };

/**
 * Renders a neutral Reply as Block Kit within SLACK_LIMITS. Content that does not fit becomes a "N more" line with
 * a button (never a rejected call). Pure apart from `stashOverflow`.
 */
export function renderBlocks(reply: Reply, options: RenderOptions = {}): RenderedMessage {
  const maxBlocks = options.maxBlocks ?? SLACK_LIMITS.messageBlocks;
  const state = { dropped: 0 };
  const files: SlackFile[] = [];
  const units: Unit[] = [];
  // A single entry's details (no list, a Share button, no Post button yet): offer to post it too.
  const entryButton =
    options.offerPostToChannel &&
    !reply.blocks.some(
      (b) => b.type === 'list' || (b.type === 'actions' && b.buttons.some((x) => x.action === ACTION.postToChannel)),
    )
      ? reply.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : [])).find((x) => x.action === ACTION.share)
      : undefined;

  for (const block of reply.blocks) {
    if (block.type === 'attachment') {
      files.push({ filename: block.filename, mimeType: block.mimeType, content: block.content });
      units.push({ source: block, blocks: [contextBlock(`📎 ${block.filename}`)] });
      continue;
    }
    if (block.type === 'list') {
      for (const item of block.items) {
        units.push({ source: block, item, blocks: renderItem(item, options.offerPostToChannel === true, state) });
      }
      continue;
    }
    for (const blocks of renderBlock(block, state)) units.push({ source: block, blocks });
  }

  if (entryButton) {
    const post: ReplyButton = { label: 'Post to channel', action: ACTION.postToChannel, value: entryButton.value };
    units.push({ source: { type: 'actions', buttons: [post] }, blocks: actionsBlocks([post], state) });
  }

  const blocks: SlackBlock[] = [];
  let chars = 0;
  let index = 0;
  const sizeOf = (u: Unit) => u.blocks.reduce((n, b) => n + JSON.stringify(b).length, 0);
  const total = units.reduce((n, u) => n + u.blocks.length, 0);
  const totalChars = units.reduce((n, u) => n + sizeOf(u), 0);
  const fitsWhole = total <= maxBlocks && totalChars <= SLACK_LIMITS.messageBlocksChars;
  // Room for the "N more" section when something must be left out.
  const blockBudget = fitsWhole ? maxBlocks : maxBlocks - 1;
  const charBudget = fitsWhole ? SLACK_LIMITS.messageBlocksChars : SLACK_LIMITS.messageBlocksChars - 600;
  for (; index < units.length; index++) {
    const unit = units[index]!;
    const size = sizeOf(unit);
    // The first unit always goes in, so an oversized one cannot hold everything back.
    if (blocks.length > 0 && (blocks.length + unit.blocks.length > blockBudget || chars + size > charBudget)) break;
    blocks.push(...unit.blocks);
    chars += size;
  }

  if (index < units.length) {
    const rest = units.slice(index);
    const restItems = rest.filter((u) => u.item).length;
    const count = restItems > 0 ? restItems : rest.length;
    const noun = restItems > 0 ? (count === 1 ? 'result' : 'results') : count === 1 ? 'part' : 'parts';
    const label = `*${count} more ${noun}*`;
    if (options.stashOverflow) {
      const token = options.stashOverflow({
        fallbackText: reply.fallbackText,
        blocks: toReplyBlocks(rest),
        ephemeral: reply.ephemeral,
      });
      const more = button(
        { label: `Show ${count} more`, action: ACTION.more, value: token },
        SLACK_ACTION.overflow,
        0,
        state,
      );
      blocks.push(
        more ? { type: 'section', text: { type: 'mrkdwn', text: label }, accessory: more } : contextBlock(label),
      );
    } else {
      blocks.push(contextBlock(`${label} not shown: ask a narrower question to see them.`));
    }
  }

  return {
    text: escapeMrkdwn(truncate(toPlainText(reply.fallbackText) || 'Signpost', SLACK_LIMITS.messageText)),
    blocks,
    files,
    droppedButtons: state.dropped,
  };
}

function renderBlock(
  block: Exclude<ReplyBlock, { type: 'list' | 'attachment' }>,
  state: { dropped: number },
): SlackBlock[][] {
  switch (block.type) {
    case 'heading':
      return [
        [
          {
            type: 'header',
            text: { type: 'plain_text', text: truncate(block.text, SLACK_LIMITS.headerText) || ' ', emoji: true },
          },
        ],
      ];
    case 'text':
      return splitMrkdwn(toMrkdwn(block.text), SLACK_LIMITS.sectionText)
        .filter((piece) => piece.trim())
        .map((piece) => [{ type: 'section', text: { type: 'mrkdwn', text: piece } }]);
    case 'fields': {
      const sections: SlackBlock[][] = [];
      for (let i = 0; i < block.fields.length; i += SLACK_LIMITS.sectionFields) {
        const fields = block.fields.slice(i, i + SLACK_LIMITS.sectionFields).map((f) => ({
          type: 'mrkdwn' as const,
          text: truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value) || '–'}`, SLACK_LIMITS.fieldText),
        }));
        sections.push([{ type: 'section', fields }]);
      }
      return sections;
    }
    case 'actions':
      return [actionsBlocks(block.buttons, state)].filter((b) => b.length > 0);
    case 'more': {
      const more = button(block.button, block.button.action, 0, state);
      const label = `*${block.remaining} more*`;
      return [
        [more ? { type: 'section', text: { type: 'mrkdwn', text: label }, accessory: more } : contextBlock(label)],
      ];
    }
    case 'context':
      return [[contextBlock(toMrkdwn(block.text))]];
    case 'divider':
      return [[{ type: 'divider' }]];
    case 'form': {
      // Slack fills in forms in a modal, which only a click can open (it needs the click's trigger id).
      const edit = block.form.submit.value !== '';
      const opener = {
        label: 'Open the form',
        action: block.form.submit.action,
        value: block.form.submit.value,
        style: 'primary' as const,
      };
      const open = button(opener, edit ? SLACK_ACTION.editEntry : SLACK_ACTION.addEntry, 0, state);
      const label = `*${toMrkdwn(block.form.title)}*`;
      return [
        [open ? { type: 'section', text: { type: 'mrkdwn', text: label }, accessory: open } : contextBlock(label)],
      ];
    }
    case 'urgent':
      return [urgentBlocks(block)];
  }
}

/** Urgent help: a warning line, each number in bold on its own line, then the note; set apart by a divider. */
function urgentBlocks(block: Extract<ReplyBlock, { type: 'urgent' }>): SlackBlock[] {
  const lines = [
    `:rotating_light: *${toMrkdwn(block.title)}*`,
    ...block.lines.map((l) => `*${toMrkdwn(l.phone)}*  ${toMrkdwn(l.name)}`),
  ];
  return [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), SLACK_LIMITS.sectionText) } },
    contextBlock(toMrkdwn(block.note)),
    { type: 'divider' },
  ];
}

function renderItem(item: ReplyListItem, offerPost: boolean, state: { dropped: number }): SlackBlock[] {
  const title = `*${escapeMrkdwn(item.title)}*`;
  const body = [title, ...item.lines.map(escapeMrkdwn)].join('\n');
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(body, SLACK_LIMITS.sectionText) } },
  ];
  const buttons = [...item.buttons];
  const details = item.buttons.find((b) => b.action === ACTION.details);
  if (offerPost && details && !item.buttons.some((b) => b.action === ACTION.postToChannel)) {
    // The core answers postToChannel with the entry's details, made public; its value is the same as details'.
    buttons.push({ label: 'Post to channel', action: ACTION.postToChannel, value: details.value });
  }
  blocks.push(...actionsBlocks(buttons, state));
  return blocks;
}

function actionsBlocks(buttons: ReplyButton[], state: { dropped: number }): SlackBlock[] {
  const elements = buttons.map((b, i) => button(b, actionIdFor(b), i, state)).filter(isButton);
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.actionsElements) {
    blocks.push({ type: 'actions', elements: elements.slice(i, i + SLACK_LIMITS.actionsElements) });
  }
  return blocks;
}

function actionIdFor(b: ReplyButton): string {
  return b.url !== undefined ? SLACK_ACTION.link : b.action;
}

function button(b: ReplyButton, actionId: string, index: number, state: { dropped: number }): Button | undefined {
  const value = b.value;
  const id = truncate(`${actionId}~${index}`, SLACK_LIMITS.id);
  const text = { type: 'plain_text' as const, text: truncate(b.label, SLACK_LIMITS.buttonText) || '…', emoji: true };
  if (b.url !== undefined) {
    // Only http(s): a `javascript:`, `data:` or `file:` link never reaches a button.
    if (b.url.length > SLACK_LIMITS.buttonUrl || !isWebUrl(b.url)) {
      state.dropped++;
      return undefined;
    }
    return { type: 'button', text, action_id: id, url: b.url, ...(b.style ? { style: b.style } : {}) };
  }
  if (value.length > SLACK_LIMITS.buttonValue) {
    state.dropped++;
    return undefined;
  }
  return { type: 'button', text, action_id: id, value, ...(b.style ? { style: b.style } : {}) };
}

function isButton(b: Button | undefined): b is Button {
  return b !== undefined;
}

function contextBlock(mrkdwn: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, SLACK_LIMITS.contextText) }] };
}

/** The units left out, as neutral blocks again (consecutive results regrouped into lists). */
function toReplyBlocks(units: Unit[]): ReplyBlock[] {
  const out: ReplyBlock[] = [];
  let lastSource: ReplyBlock | undefined;
  for (const unit of units) {
    if (unit.item) {
      const previous = out.at(-1);
      if (previous?.type === 'list' && lastSource === unit.source) previous.items.push(unit.item);
      else out.push({ type: 'list', items: [unit.item] });
    } else if (unit.source !== lastSource) {
      out.push(unit.source);
    }
    lastSource = unit.source;
  }
  return out;
}
