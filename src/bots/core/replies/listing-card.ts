import type { SearchResult } from '../../../catalogue/search/types.ts';
import {
  actions,
  context,
  fields,
  heading,
  isWebUrl,
  literal,
  type Reply,
  type ReplyBlock,
  type ReplyField,
  text,
} from '../reply.ts';
import { linkButton } from './action-values.ts';
import { formatConfirmed, formatCostAndJoin, formatWhen, formatWhere, truncate } from './format.ts';

/** The facts of a listing card: when, where, cost and how to join (plain text), those the listing has. */
export function listingCardFacts(result: SearchResult, now: Date): ReplyField[] {
  const facts: [string, string | undefined][] = [
    ['When', formatWhen(result, now)],
    ['Where', formatWhere(result)],
    ['Cost', formatCostAndJoin(result)],
  ];
  return facts.flatMap(([label, value]) => (value ? [{ label, value: truncate(value, 200) }] : []));
}

/**
 * One listing as a compact card for a conversation it was shared into (a Teams message extension or link preview,
 * a Slack unfurl or `/signpost share`): the title, when, where, cost, a notice when it is paused, and a link to its
 * public page. Nothing about who shared it or why. Public by design (`ephemeral: false`).
 */
export function buildListingCard(result: SearchResult, now: Date, pageUrl: string): Reply {
  const facts = listingCardFacts(result, now);
  const notice =
    result.status === 'temporarily_closed'
      ? '⚠ Temporarily closed.'
      : result.alert
        ? `⚠ ${truncate(result.alert, 200)}`
        : '';
  const blocks: ReplyBlock[] = [heading(truncate(result.title, 150))];
  if (notice) blocks.push(text(`**${literal(notice)}**`));
  if (facts.length) blocks.push(fields(facts));
  if (isWebUrl(pageUrl)) blocks.push(actions([linkButton('Open the listing page', pageUrl)]));
  const small = [
    result.organisation ? `Run by ${truncate(result.organisation, 100)}` : '',
    formatConfirmed(result.lastConfirmed, now) ?? '',
  ].filter(Boolean);
  if (small.length) blocks.push(context(literal(small.join(' · '))));
  const fallbackText = [
    result.title,
    notice,
    ...facts.map((f) => `${f.label}: ${f.value}`),
    isWebUrl(pageUrl) ? pageUrl : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { fallbackText, blocks, ephemeral: false };
}
