import { DateTime } from 'luxon';
import type { VerifyRow } from '../../../catalogue/verify/verify-queue.ts';
import { ZONE } from '../../../clock.ts';
import { ACTION } from '../action-ids.ts';
import { context, divider, heading, literal, type Reply, type ReplyBlock, type ReplyListItem, text } from '../reply.ts';
import { verifyListItem } from '../verify/verify-replies.ts';
import { detailsButton } from './action-values.ts';
import { truncate } from './format.ts';

/** One line-up entry of a digest, platform-neutral (the scheduler maps catalogue rows to it). */
export type DigestReplyItem = {
  id: string;
  title: string;
  kind: 'activity' | 'training' | 'resource';
  nextStart: Date | null;
  /** How many sessions fall in the week ahead. */
  sessions: number;
  venue: string | null;
  ward: string | null;
  organisation: string | null;
  cost: string | null;
  isNew: boolean;
};

export type DigestReplyInput = {
  /** "Every Monday at 09:00" and the filters in words, e.g. "Kilburn · lunch clubs · older people". */
  scheduleText: string;
  filterText: string | null;
  /** The digest's scheduled time. */
  at: Date;
  late: boolean;
  fresh: DigestReplyItem[];
  highlights: DigestReplyItem[];
  /** Everything that matched, including what was cut. */
  total: number;
  subscriptionId: string;
  demo: boolean;
  /** The coordinators' listings to check (the first digest of the week of a subscription that asks for them). */
  checks?: DigestChecks;
};

/** The listings not confirmed since `since` (YYYY-MM-DD): how many, and the oldest few. */
export type DigestChecks = { total: number; since: string; oldest: VerifyRow[]; canEdit: boolean };

/** "Listings to check": the count and the oldest, with the same buttons as the `verify` reply. */
function checksBlocks(checks: DigestChecks): ReplyBlock[] {
  if (checks.total === 0)
    return [text(`**Listings to check**: none. Every listing has been confirmed since ${checks.since}.`)];
  const rest = checks.total - checks.oldest.length;
  return [
    text(
      `**Listings to check** (${checks.total} not confirmed since ${checks.since}). Oldest first: is each one still running?`,
    ),
    { type: 'list', items: checks.oldest.map((r) => verifyListItem(r, { canEdit: checks.canEdit })) },
    ...(rest > 0
      ? [context(`…and ${rest} more. Say “verify” for the next ones, or \`signpost verify list\` for them all.`)]
      : []),
  ];
}

const when = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE });

function itemOf(item: DigestReplyItem): ReplyListItem {
  const lines: string[] = [];
  if (item.nextStart) {
    const next = when(item.nextStart).toFormat('ccc d LLL, HH:mm');
    lines.push(item.sessions > 1 ? `Next: ${next} (${item.sessions} sessions this week)` : `On ${next}`);
  }
  const where = [item.venue, item.ward].filter(Boolean).join(', ');
  if (where) lines.push(truncate(where, 160));
  const extra = [item.cost, item.organisation ? `Run by ${item.organisation}` : null].filter(Boolean).join(' · ');
  if (extra) lines.push(truncate(extra, 160));
  const label = item.kind === 'training' ? ' (training)' : item.kind === 'resource' ? ' (resource)' : '';
  return { title: truncate(`${item.title}${label}`, 150), lines, buttons: [detailsButton(item.id)] };
}

/**
 * A channel digest: what is new since the last one and the week's highlights, each as a short list with a Details
 * button (the same button as search results, so every platform handles it already), and an Unsubscribe button.
 */
export function buildDigestReply(input: DigestReplyInput): Reply {
  const date = when(input.at).toFormat('cccc d LLLL');
  const title = `Signpost digest: ${date}`;
  const blocks: ReplyBlock[] = [heading(title)];
  const intro = [
    input.filterText ? `For ${literal(input.filterText)}.` : null,
    input.late ? '_Sent late: Signpost was not running at the scheduled time._' : null,
  ]
    .filter(Boolean)
    .join(' ');
  if (intro) blocks.push(text(intro));
  if (input.fresh.length === 0 && input.highlights.length === 0) {
    blocks.push(text('Nothing new this time. Ask me any time to search the whole catalogue.'));
  }
  if (input.fresh.length) {
    blocks.push(text(`**New since the last digest** (${input.fresh.length})`));
    blocks.push({ type: 'list', items: input.fresh.map(itemOf) });
  }
  if (input.highlights.length) {
    if (input.fresh.length) blocks.push(divider());
    blocks.push(text('**Highlights of the week ahead**'));
    blocks.push({ type: 'list', items: input.highlights.map(itemOf) });
  }
  const shown = input.fresh.length + input.highlights.length;
  if (input.total > shown) blocks.push(text(`…and ${input.total - shown} more: ask me to search for them.`));
  if (input.checks) blocks.push(divider(), ...checksBlocks(input.checks));
  blocks.push({
    type: 'actions',
    buttons: [
      {
        label: 'Unsubscribe',
        action: ACTION.unsubscribe,
        value: JSON.stringify({ id: input.subscriptionId }),
        style: 'danger',
      },
    ],
  });
  blocks.push(context([`${input.scheduleText}.`, input.demo ? 'Includes demo data.' : null].filter(Boolean).join(' ')));
  const names = [...input.fresh, ...input.highlights].slice(0, 5).map((i) => i.title);
  const checksText = input.checks && input.checks.total > 0 ? ` ${input.checks.total} listings to check.` : '';
  const fallbackText =
    (shown === 0
      ? `${title}: nothing new this time.`
      : `${title}: ${input.fresh.length} new, ${input.highlights.length} highlights: ${names.join(', ')}${shown > names.length ? '…' : ''}`) +
    checksText;
  return { fallbackText, blocks };
}

/** The reply a coordinator sees in chat after subscribing a channel. */
export function buildSubscribedReply(input: {
  id: string;
  scheduleText: string;
  filterText: string | null;
  mode: string;
  checks?: boolean;
  next: Date | null;
}): Reply {
  const next = input.next ? when(input.next).toFormat("cccc d LLLL 'at' HH:mm") : 'not scheduled';
  const what =
    input.mode === 'new'
      ? 'what is new'
      : input.mode === 'highlights'
        ? 'the week’s highlights'
        : 'what is new and the week’s highlights';
  const checks = input.checks
    ? ' The first digest of each week also has the listings to check (not confirmed for a while).'
    : '';
  const body = `This channel will get ${what}${input.filterText ? ` for ${input.filterText}` : ''}, ${input.scheduleText}.${checks} First digest: ${next}.`;
  return {
    fallbackText: `Subscribed. ${body}`,
    blocks: [
      heading('Digest set up'),
      text(literal(body)),
      {
        type: 'actions',
        buttons: [
          {
            label: 'Unsubscribe',
            action: ACTION.unsubscribe,
            value: JSON.stringify({ id: input.id }),
            style: 'danger',
          },
        ],
      },
      context(
        `Subscription ${input.id.slice(0, 8)}. Say "unsubscribe" to stop, "digest status" for delivery and feed health.`,
      ),
    ],
  };
}

/** A plain notice (unsubscribed, usage help, not allowed…). */
export function buildDigestNotice(title: string, body: string): Reply {
  return { fallbackText: `${title}. ${body}`, blocks: [heading(title), text(literal(body))] };
}
