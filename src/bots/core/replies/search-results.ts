import type { SearchResponse, SearchResult } from '../../../catalogue/search/types.ts';
import { describeTrust } from '../../../catalogue/trust/describe-trust.ts';
import { context, heading, type Reply, type ReplyBlock, type ReplyListItem, toPlainText } from '../reply.ts';
import { addToListButton, bookButton, detailsButton, moreButton, shareButton } from './action-values.ts';
import {
  capitalise,
  describeUnderstood,
  formatConfirmed,
  formatContact,
  formatCostAndJoin,
  formatWhen,
  formatWhere,
  truncate,
} from './format.ts';

/** Results per page: keeps every platform's message within its limits by construction. */
export const PAGE_SIZE = 5;
/** Longest line in a list item. */
export const MAX_LINE = 160;

export const DEMO_NOTE = 'Demo data: these listings are invented for trying Signpost out.';

/** The title of a numbered list item: "3. Tuesday Lunch Club". Renderers and typed commands rely on the number. */
export function numberedTitle(number: number, title: string): string {
  return `${number}. ${truncate(title, 120)}`;
}

/** The short lines that tell a signposter whether a result fits: when, where, cost, how to join, contact, freshness. */
export function resultLines(result: SearchResult, now: Date): string[] {
  const trust = result.trust ? describeTrust(result.trust, now) : undefined;
  const lines = [
    result.status === 'temporarily_closed' ? '⚠ Temporarily closed' : undefined,
    // The most serious warning only: a list item stays short; the details show them all.
    trust?.warnings[0],
    result.alert ? `⚠ ${result.alert}` : undefined,
    formatWhen(result, now),
    formatWhere(result),
    formatCostAndJoin(result),
    formatContact(result),
    result.organisation ? `Run by ${result.organisation}` : undefined,
    trust ? trust.line : formatConfirmed(result.lastConfirmed, now),
  ];
  return lines.filter((l): l is string => !!l).map((l) => truncate(l, MAX_LINE));
}

export type SearchResultsInput = {
  response: SearchResponse;
  now: Date;
  /** Offset of this page within all results (0 for the first page). */
  offset: number;
  /** Session-memory key of the question, for the "more" button. */
  queryKey: string;
  /** Offer *Add to list* (the list for a resident) on each result. */
  shortlist?: boolean;
};

/** A page of search results: what was understood, up to five numbered results with buttons, "N more", small print. */
export function buildSearchResultsReply({ response, now, offset, queryKey, shortlist }: SearchResultsInput): Reply {
  const results = response.results.slice(0, PAGE_SIZE);
  const understood = describeUnderstood(response.understood);
  const title = understood ?? 'Activities and services';
  const items: ReplyListItem[] = results.map((r, i) => ({
    title: numberedTitle(offset + i + 1, r.title),
    lines: resultLines(r, now),
    buttons: [
      detailsButton(r.id),
      shareButton(r.id),
      ...(shortlist ? [addToListButton(r.id)] : []),
      ...(r.kind === 'training' ? [bookButton(r.id, r.next?.start)] : []),
    ],
  }));
  const shownTo = offset + results.length;
  const remaining = Math.max(0, response.total - shownTo);

  const blocks: ReplyBlock[] = [heading(offset > 0 ? `${title} (${offset + 1}–${shownTo})` : title)];
  blocks.push({ type: 'list', items });
  if (remaining > 0) blocks.push({ type: 'more', remaining, button: moreButton(queryKey, shownTo) });
  const small = smallPrint(response, results);
  if (small) blocks.push(context(small));

  const fallback = [
    `${title}: ${response.total} result${response.total === 1 ? '' : 's'}${offset > 0 ? `, showing ${offset + 1}–${shownTo}` : ''}`,
    ...items.map((item) => `${item.title}${item.lines[0] ? ` (${item.lines[0]})` : ''}`),
    ...(remaining > 0 ? [`${remaining} more: type "more".`] : []),
    ...(small ? [small] : []),
  ];
  return { fallbackText: toPlainText(fallback.join('\n')), blocks };
}

function smallPrint(response: SearchResponse, shown: SearchResult[]): string | undefined {
  const parts: string[] = [];
  if (response.relaxed.length) parts.push(`${response.relaxed.map(capitalise).join('. ')}.`);
  if (shown.some((r) => r.isDemo)) parts.push(DEMO_NOTE);
  return parts.length ? parts.join(' ') : undefined;
}
