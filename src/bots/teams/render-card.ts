import type { Activity, Attachment } from 'botbuilder';
import type { Reply, ReplyBlock, ReplyButton, ReplyForm, ReplyListItem } from '../core/reply.ts';
import { isWebUrl, parseMarkup, toPlainText } from '../core/reply.ts';
import { truncate } from '../../truncate.ts';

/** Limits Teams puts on a bot message (Microsoft's Teams bot docs: messages and Adaptive Cards under about 28 KB). */
export const TEAMS_LIMITS = {
  /** Teams rejects messages over about 28 KB; the card gets this much, the rest is the activity envelope. */
  cardBytes: 26 * 1024,
  /** Teams' host config shows at most 6 actions in one action set. */
  actionsPerSet: 6,
  /** Keep any one text block readable; longer text is cut with an ellipsis. */
  textChars: 4000,
} as const;

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export type CardElement = Record<string, unknown> & { type: string };
export type CardAction = Record<string, unknown> & { type: 'Action.Submit' | 'Action.OpenUrl'; title: string };
export type AdaptiveCard = {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  fallbackText: string;
  body: CardElement[];
  msteams: { width: 'Full' };
};

/** What an Action.Submit carries back (validated on return by `CardSubmitSchema`). */
export type SubmitData = { action: string; value: string };

/**
 * Reply → a Teams message: one Adaptive Card under the size limit, with the plain-text fallback. Schema 1.5, which
 * the features used need (`style: 'heading'` on TextBlocks, `style` on actions) and Teams supports.
 */
export function toTeamsMessage(reply: Reply): Partial<Activity> {
  const card = renderCard(reply);
  const attachment: Attachment = { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
  return { type: 'message', summary: truncate(reply.fallbackText, 250), attachments: [attachment] };
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/**
 * Renders the neutral reply as an Adaptive Card. If it is too big for Teams, list items are first shown compactly
 * (title and their first button), then dropped from the end with an "N more" line (and the reply's own "more"
 * button, which fetches the next page), so the card is never refused.
 */
export function renderCard(reply: Reply): AdaptiveCard {
  const full = build(reply, { compactFrom: Number.POSITIVE_INFINITY, keep: Number.POSITIVE_INFINITY });
  if (cardBytes(full) <= TEAMS_LIMITS.cardBytes) return full;
  const total = countItems(reply);
  const fits = (budget: Budget) => cardBytes(build(reply, budget)) <= TEAMS_LIMITS.cardBytes;
  // Both steps are monotonic in their parameter: binary-search the largest value that still fits.
  const compactFrom = largest(0, total - 1, (n) => fits({ compactFrom: n, keep: Number.POSITIVE_INFINITY }));
  if (compactFrom !== undefined) return build(reply, { compactFrom, keep: Number.POSITIVE_INFINITY });
  const keep = largest(0, total - 1, (n) => fits({ compactFrom: 0, keep: n }));
  if (keep !== undefined) return build(reply, { compactFrom: 0, keep });
  // Only pathological text gets here: show the heading and the plain fallback, cut to fit.
  const heading = reply.blocks.find((b) => b.type === 'heading');
  return card(reply.fallbackText, [
    ...(heading && heading.type === 'heading' ? [headingBlock(heading.text)] : []),
    plainBlock(truncate(toPlainText(reply.fallbackText), TEAMS_LIMITS.cardBytes / 2)),
  ]);
}

type Budget = { compactFrom: number; keep: number };

/** The largest n in [lo, hi] with ok(n), given ok is true up to some point and false after; undefined if none. */
function largest(lo: number, hi: number, ok: (n: number) => boolean): number | undefined {
  let found: number | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function build(reply: Reply, budget: Budget): AdaptiveCard {
  const body: CardElement[] = [];
  let separateNext = false;
  let itemIndex = 0;
  let dropped = 0;
  const push = (element: CardElement) => {
    body.push(separateNext ? { ...element, separator: true, spacing: 'Medium' } : element);
    separateNext = false;
  };
  for (const block of reply.blocks) {
    if (block.type === 'divider') {
      separateNext = true;
      continue;
    }
    if (block.type === 'list') {
      for (const item of block.items) {
        const i = itemIndex++;
        if (i >= budget.keep) {
          dropped += 1;
          continue;
        }
        push(listItem(item, i >= budget.compactFrom, i > 0 || body.length > 0));
      }
      continue;
    }
    if (block.type === 'more') {
      if (dropped > 0) push(notShown(dropped));
      push(moreBlock(block.remaining, block.button));
      dropped = 0;
      continue;
    }
    for (const element of renderBlock(block)) push(element);
  }
  if (dropped > 0) push(notShown(dropped));
  return card(reply.fallbackText, body);
}

function notShown(dropped: number): CardElement {
  return {
    ...plainBlock(`${dropped} more not shown here: ask a narrower question to see them.`),
    isSubtle: true,
    size: 'Small',
  };
}

function card(fallbackText: string, body: CardElement[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: truncate(toPlainText(fallbackText), 1000),
    body,
    msteams: { width: 'Full' },
  };
}

function countItems(reply: Reply): number {
  return reply.blocks.reduce((n, b) => n + (b.type === 'list' ? b.items.length : 0), 0);
}

/** One neutral block → card elements (lists and "more" are handled by the caller, which budgets them). */
export function renderBlock(block: ReplyBlock): CardElement[] {
  switch (block.type) {
    case 'heading':
      return [headingBlock(block.text)];
    case 'text':
      return [textBlock(block.text)];
    case 'context':
      return [{ ...textBlock(block.text), isSubtle: true, size: 'Small' }];
    case 'fields':
      return block.fields.length === 0
        ? []
        : [
            {
              type: 'FactSet',
              facts: block.fields.map((f) => ({
                title: truncate(escapeCardText(f.label), 200),
                value: cardText(f.value),
              })),
            },
          ];
    case 'actions':
      return block.buttons.length === 0 ? [] : [actionSet(block.buttons)];
    case 'more':
      return [moreBlock(block.remaining, block.button)];
    case 'list':
      return block.items.map((item, i) => listItem(item, false, i > 0));
    case 'divider':
      return [{ type: 'Container', separator: true, spacing: 'Medium', items: [] }];
    case 'attachment':
      // Bots cannot attach arbitrary files to Teams messages without a file-consent flow: link to it, or name it.
      if (block.url && isWebUrl(block.url)) {
        return [
          {
            type: 'ActionSet',
            actions: [
              {
                type: 'Action.OpenUrl',
                title: block.label
                  ? escapeCardText(block.label)
                  : block.mimeType === 'text/calendar'
                    ? 'Add to calendar'
                    : `Open ${escapeCardText(block.filename)}`,
                url: block.url,
              },
            ],
          },
        ];
      }
      return [
        {
          ...plainBlock(`📎 ${block.filename} is available from the Signpost terminal and Slack apps.`),
          isSubtle: true,
          size: 'Small',
        },
      ];
    case 'form':
      return formElements(block.form);
    case 'urgent':
      return [urgentContainer(block)];
  }
}

/** Card input ids are the field names with this prefix, so Teams' own keys in the submitted data never collide. */
export const FORM_INPUT_PREFIX = 'f.';

/**
 * A neutral form as Adaptive Card inputs (Input.Text, Input.ChoiceSet, Input.Date, Input.Time) and one Action.Submit.
 * Teams merges the inputs' values into the submit data (multiple choices as "a,b"); to-inbound.ts collects them.
 */
function formElements(form: ReplyForm): CardElement[] {
  const elements: CardElement[] = [];
  for (const field of form.fields) {
    const id = `${FORM_INPUT_PREFIX}${field.name}`;
    const label = field.required ? `${field.label} (required)` : field.label;
    const value = Array.isArray(field.value) ? field.value.join(',') : field.value;
    const common = {
      id,
      label,
      ...(field.required ? { isRequired: true, errorMessage: `${field.label} is needed` } : {}),
      ...(value ? { value } : {}),
    };
    if (field.input === 'choice' || field.input === 'choices') {
      elements.push({
        type: 'Input.ChoiceSet',
        ...common,
        choices: (field.options ?? []).map((o) => ({ title: truncate(o.label, 200), value: o.value })),
        ...(field.input === 'choices'
          ? { isMultiSelect: true, style: field.style === 'checkboxes' ? 'expanded' : 'compact' }
          : { style: 'compact' }),
      });
    } else if (field.input === 'date') {
      elements.push({ type: 'Input.Date', ...common });
    } else if (field.input === 'time') {
      elements.push({ type: 'Input.Time', ...common });
    } else {
      elements.push({
        type: 'Input.Text',
        ...common,
        ...(field.input === 'multiline' ? { isMultiline: true } : {}),
        ...(field.max ? { maxLength: field.max } : {}),
        ...(field.hint ? { placeholder: truncate(field.hint, 200) } : {}),
      });
    }
    if (field.problem)
      elements.push({
        type: 'TextBlock',
        text: toMarkdown(field.problem),
        color: 'attention',
        wrap: true,
        spacing: 'None',
        size: 'Small',
      });
  }
  elements.push(actionSet([form.submit]));
  return elements;
}

/** Urgent help in the card's warning style: the title in bold, each number with who answers it, then the note. */
function urgentContainer(block: Extract<ReplyBlock, { type: 'urgent' }>): CardElement {
  return {
    type: 'Container',
    style: 'attention',
    bleed: true,
    items: [
      {
        type: 'TextBlock',
        text: toMarkdown(block.title),
        weight: 'Bolder',
        size: 'Medium',
        color: 'Attention',
        wrap: true,
      },
      {
        type: 'FactSet',
        facts: block.lines.map((l) => ({ title: truncate(toPlainText(l.phone), 40), value: toMarkdown(l.name) })),
      },
      { type: 'TextBlock', text: toMarkdown(block.note), wrap: true, spacing: 'Small' },
    ],
  };
}

function headingBlock(text: string): CardElement {
  return { type: 'TextBlock', text: cardText(text), size: 'Large', weight: 'Bolder', wrap: true, style: 'heading' };
}

/** A TextBlock of neutral markup (`text` and `context` blocks). */
function textBlock(markup: string): CardElement {
  return { type: 'TextBlock', text: toMarkdown(markup), wrap: true };
}

/** A TextBlock of plain text. */
function plainBlock(text: string): CardElement {
  return { type: 'TextBlock', text: cardText(text), wrap: true };
}

function listItem(item: ReplyListItem, compact: boolean, separated: boolean): CardElement {
  const items: CardElement[] = [{ type: 'TextBlock', text: cardText(item.title), weight: 'Bolder', wrap: true }];
  if (!compact && item.lines.length > 0) {
    items.push({
      type: 'TextBlock',
      text: truncate(item.lines.map(escapeCardText).join('\n\n'), TEAMS_LIMITS.textChars),
      wrap: true,
      spacing: 'Small',
    });
  }
  const buttons = compact ? item.buttons.slice(0, 1) : item.buttons;
  if (buttons.length > 0) items.push(actionSet(buttons));
  return { type: 'Container', items, ...(separated ? { separator: true, spacing: 'Medium' } : {}) };
}

function moreBlock(remaining: number, button: ReplyButton): CardElement {
  return actionSet([{ ...button, label: button.label || `${remaining} more` }]);
}

function actionSet(buttons: ReplyButton[]): CardElement {
  const actions = buttons.map(toAction).filter((a): a is CardAction => a !== undefined);
  return { type: 'ActionSet', actions: actions.slice(0, TEAMS_LIMITS.actionsPerSet) };
}

export function toAction(button: ReplyButton): CardAction | undefined {
  const title = truncate(toPlainText(button.label), 80);
  const style =
    button.style === 'primary' ? { style: 'positive' } : button.style === 'danger' ? { style: 'destructive' } : {};
  if (button.url !== undefined) {
    // Only http(s) opens; any other link is left out rather than turned into a submit that does nothing.
    return isWebUrl(button.url) ? { type: 'Action.OpenUrl', title, url: button.url, ...style } : undefined;
  }
  const data: SubmitData = { action: button.action, value: button.value };
  return { type: 'Action.Submit', title, data, ...style };
}

/** The neutral markup as Adaptive Card markdown: bold and italic kept, every run of text escaped. */
export function toMarkdown(markup: string): string {
  const out = parseMarkup(markup)
    .map((span) => {
      const text = escapeCardText(span.text);
      if (!text.trim()) return text;
      if (span.bold && span.italic) return `***${text}***`;
      if (span.bold) return `**${text}**`;
      if (span.italic) return `_${text}_`;
      return text;
    })
    .join('');
  return truncate(out, TEAMS_LIMITS.textChars);
}

/** Plain text for a TextBlock, escaped and cut to the limit. */
function cardText(text: string): string {
  return truncate(escapeCardText(text), TEAMS_LIMITS.textChars);
}

/** Markdown's formatting characters and the look-alikes shown in their place. */
const LOOKALIKE: Readonly<Record<string, string>> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };

/**
 * The one escaping function for Adaptive Card text. TextBlocks render a markdown subset (bold, italic, lists,
 * `[label](url)` links) that hosts parse differently and without a reliable backslash escape, so text from data
 * cannot be allowed to form any of it: `*`, `~` and backticks, and `_` except inside a word, become look-alike
 * characters; `](` is split so no link can form (the address stays visible as text); a list or heading marker at
 * the start of a line is kept from being read as one; `<` and `>` become look-alikes so no host reads HTML.
 */
export function escapeCardText(text: string): string {
  return text
    .replace(/[*_~`]/g, (c, at: number, whole: string) =>
      c === '_' && /[\p{L}\p{N}]/u.test(whole[at - 1] ?? '') && /[\p{L}\p{N}]/u.test(whole[at + 1] ?? '')
        ? c
        : (LOOKALIKE[c] ?? c),
    )
    .replace(/\]\(/g, '] (')
    .replace(/\[([^\]\n]*)\]\s*\[/g, '[$1] [')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/^(\s*)([-+#]|\d+[.)]) /gm, '$1$2\u00a0');
}
