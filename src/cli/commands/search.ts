import { createDatabaseSearch } from '../../catalogue/search/database-search.ts';
import { accessLabel, describeUnderstood } from '../../catalogue/search/describe-query.ts';
import type { SearchResponse, SearchResult } from '../../catalogue/search/types.ts';
import { withUrgentHelp } from '../../catalogue/search/urgent-help.ts';
import { type Command, stringOption, UsageError } from '../command.ts';
import { formatWhy } from '../../bots/core/replies/format.ts';

const HOW_TO_JOIN: Record<string, string> = {
  drop_in: 'Just turn up',
  self_referral: 'Get in touch to join',
  referral_needed: 'Needs a referral',
  booking: 'Book a place',
};

/** The `--json` shape of one result: a stable subset of SearchResult. */
export function toSearchJson(r: SearchResult) {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    organisation: r.organisation,
    next: r.next ? { start: r.next.start, end: r.next.end, allDay: r.next.allDay } : null,
    venue: r.venue,
    ward: r.ward,
    postcode: r.postcode,
    cost: r.cost,
    access: r.access,
    howToJoin: r.howToJoin,
    contact: r.contact,
    url: r.url,
    lastConfirmed: r.lastConfirmed,
    why: r.why ?? null,
  };
}

function describeResult(r: SearchResult, n: number): string {
  const lines = [`${n}. ${r.title}${r.status === 'temporarily_closed' ? ' (paused)' : ''}`];
  const when = r.next
    ? r.next.allDay
      ? `${r.next.start} (all day)`
      : `${r.next.start} – ${r.next.end.slice(11, 16)}`
    : r.scheduleText;
  if (when) lines.push(`   When: ${r.next && r.scheduleText ? `${when} (${r.scheduleText})` : when}`);
  const where = [r.venue, r.ward, r.postcode].filter(Boolean).join(', ');
  if (where) lines.push(`   Where: ${where}${r.distanceKm !== null ? ` (${r.distanceKm} km)` : ''}`);
  else if (r.attendingTypes.length)
    lines.push(`   Where: ${r.attendingTypes.map((t) => t.replace('_', ' ')).join(', ')}`);
  if (r.access.length) lines.push(`   Access: ${r.access.map(accessLabel).join(', ')}`);
  if (r.cost) lines.push(`   Cost: ${r.cost}`);
  if (r.howToJoin) lines.push(`   How to join: ${HOW_TO_JOIN[r.howToJoin] ?? r.howToJoin}`);
  const contact = [r.contact.name, r.contact.phone, r.contact.email].filter(Boolean).join(', ');
  if (contact) lines.push(`   Contact: ${contact}`);
  const why = formatWhy(r.why);
  if (why) lines.push(`   ${why}`);
  if (r.alert) lines.push(`   Note: ${r.alert}`);
  if (r.lastConfirmed) lines.push(`   Last confirmed: ${r.lastConfirmed}`);
  return lines.join('\n');
}

/** Urgent help, before anything else: the numbers to call, in plain words. */
function urgentLines(response: SearchResponse): string[] {
  if (!response.urgent) return [];
  return [
    'If someone is at risk right now, get help first:',
    ...response.urgent.lines.map((l) => `  ${l.phone.padEnd(14)} ${l.name}`),
    '',
  ];
}

export const searchCommand: Command = {
  name: 'search',
  summary: 'Search the catalogue in plain words',
  usage: 'search "<text>" [--limit N] [--offset N]',
  options: { limit: { type: 'string' }, offset: { type: 'string' } },
  async run(ctx, args) {
    const text = args.positionals.join(' ').trim();
    if (!text) throw new UsageError('search needs some words, e.g. search "lunch club in Kentish Town on Tuesdays"');
    const limitText = stringOption(args, 'limit');
    const offsetText = stringOption(args, 'offset');
    const limit = limitText === undefined ? 5 : Number(limitText);
    const offset = offsetText === undefined ? 0 : Number(offsetText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50)
      throw new UsageError('--limit must be a whole number from 1 to 50');
    if (!Number.isInteger(offset) || offset < 0) throw new UsageError('--offset must be a whole number, 0 or more');
    const search = withUrgentHelp(createDatabaseSearch(await ctx.database()));
    const response = await search.search({ text, now: ctx.now, limit, offset });
    const json = {
      understood: response.understood,
      relaxed: response.relaxed,
      results: response.results.map(toSearchJson),
      total: response.total,
      ...(response.urgent ? { urgent: response.urgent } : {}),
    };
    const head = [...urgentLines(response), `Looking for: ${describeUnderstood(response.understood) || 'anything'}`];
    for (const r of response.relaxed) head.push(`(${r})`);
    const body = response.results.map((r, i) => describeResult(r, offset + i + 1));
    const more = response.total - offset - response.results.length;
    const tail = more > 0 ? [`${more} more: add --offset ${offset + response.results.length}`] : [];
    return { json, text: [...head, '', ...body.flatMap((b) => [b, '']), ...tail].join('\n').trimEnd() };
  },
};
