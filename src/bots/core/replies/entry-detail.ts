import type { SearchResult } from '../../../catalogue/search/types.ts';
import { describeTrust } from '../../../catalogue/trust/describe-trust.ts';
import {
  actions,
  context,
  fields,
  heading,
  isWebUrl,
  literal,
  type Reply,
  type ReplyBlock,
  type ReplyButton,
  type ReplyField,
  text,
} from '../reply.ts';
import { bookButton, linkButton, shareButton } from './action-values.ts';
import {
  AUDIENCE_WORDS,
  capitalise,
  formatAccess,
  formatConfirmed,
  formatContact,
  formatSpan,
  FORMAT_WORDS,
  HOW_TO_JOIN_WORDS,
  truncate,
  withoutRepeats,
  words,
} from './format.ts';
import { DEMO_NOTE } from './search-results.ts';

/** Slack allows 10 fields per section; we stay below it. */
export const MAX_DETAIL_FIELDS = 10;
export const MAX_DESCRIPTION = 700;

/** Everything about one entry: description, next three dates, where, access, who it is for, cost, contact, links. */
export function buildEntryDetailReply(
  result: SearchResult,
  now: Date,
  options: {
    ephemeral?: boolean;
    why?: string /** The listing's public page (`/l/<id>`), linked from the card. */;
    pageUrl?: string;
  } = {},
): Reply {
  const f: ReplyField[] = [];
  const add = (label: string, value: string | null | undefined, max = 300) => {
    if (value && f.length < MAX_DETAIL_FIELDS) f.push({ label, value: truncate(value, max) });
  };

  const dates = result.upcoming.length ? result.upcoming : result.next ? [result.next] : [];
  add(
    'When',
    dates.length
      ? dates
          .slice(0, 3)
          .map((d) => formatSpan(d, now))
          .join('\n')
      : result.scheduleText,
    400,
  );
  if (dates.length && result.scheduleText) add('Usually', result.scheduleText);
  const place = withoutRepeats([result.venue, result.address, result.postcode]).join(', ');
  add('Where', [place, result.ward ? `(${result.ward} ward)` : ''].filter(Boolean).join(' '));
  const formats = result.attendingTypes.filter((t) => t !== 'in_person').map((t) => words(t, FORMAT_WORDS));
  if (formats.length) add('Also', capitalise(formats.join(', ')));
  add('Cost', result.cost);
  add('How to join', result.howToJoin ? words(result.howToJoin, HOW_TO_JOIN_WORDS) : null);
  add('Access', [...formatAccess(result.access), ...(result.accessNote ? [result.accessNote] : [])].join('. '));
  add(
    'Who it is for',
    result.audiences.length ? capitalise(result.audiences.map((a) => words(a, AUDIENCE_WORDS)).join(', ')) : null,
  );
  add('Languages', result.languages.length ? result.languages.map(capitalise).join(', ') : null);
  add('Contact', formatContact(result));
  add('Run by', result.organisation);

  const trust = result.trust ? describeTrust(result.trust, now) : undefined;
  const blocks: ReplyBlock[] = [heading(truncate(result.title, 150))];
  const warnings = [
    result.status === 'temporarily_closed' ? '⚠ Temporarily closed.' : '',
    result.status === 'closed' ? '⚠ This has closed.' : '',
    result.alert ? `⚠ ${result.alert}` : '',
    ...(trust?.warnings ?? []),
  ].filter(Boolean);
  if (warnings.length) blocks.push(text(`**${literal(warnings.join(' '))}**`));
  if (result.description) blocks.push(text(literal(truncate(result.description, MAX_DESCRIPTION))));
  if (f.length) blocks.push(fields(f));

  const buttons: ReplyButton[] = [shareButton(result.id)];
  if (result.kind === 'training') buttons.push(bookButton(result.id, result.next?.start));
  if (isWebUrl(result.url)) buttons.push(linkButton('Website', result.url));
  if (isWebUrl(options.pageUrl)) buttons.push(linkButton('Listing page', options.pageUrl));
  blocks.push(actions(buttons));

  const small = [
    trust ? literal(trust.line) : formatConfirmed(result.lastConfirmed, now),
    result.isDemo ? DEMO_NOTE : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  if (options.why) blocks.push(context(truncate(options.why, 300)));
  if (small) blocks.push(context(small));

  const fallbackText = [
    result.title,
    ...warnings,
    ...f.map((x) => `${x.label}: ${x.value.replace(/\n/g, '; ')}`),
    isWebUrl(result.url) ? result.url : '',
    isWebUrl(options.pageUrl) ? `Listing page: ${options.pageUrl}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { fallbackText, blocks, ...(options.ephemeral !== undefined ? { ephemeral: options.ephemeral } : {}) };
}
