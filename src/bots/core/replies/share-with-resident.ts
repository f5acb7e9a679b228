import type { SearchResult } from '../../../catalogue/search/types.ts';
import { context, heading, isWebUrl, literal, type Reply, text } from '../reply.ts';
import { ACCESS_WORDS, capitalise, formatSpan, truncate, withoutRepeats, words } from './format.ts';

/** An SMS of up to four parts; the text is cut to fit. */
export const MAX_SHARE_LENGTH = 600;

const JOIN_FOR_RESIDENT: Record<string, string> = {
  drop_in: 'You can just turn up.',
  self_referral: 'Get in touch to join. You do not need a referral.',
  referral_needed: 'You need a referral: ask the person who gave you this.',
  booking: 'You need to book a place.',
};

/**
 * A short, jargon-free summary of one result for a resident: what, when, where (with postcode), cost, how to go,
 * and who to call. Plain text only (no markup, no internal codes), for an SMS or a print-out.
 */
export function shareText(result: SearchResult, now: Date): string {
  const lines: string[] = [truncate(result.title, 90)];
  if (result.status === 'temporarily_closed') lines.push('Please note: it is closed for now. Call before going.');
  if (result.alert) lines.push(`Please note: ${truncate(result.alert, 120)}`);

  if (result.next) {
    const later = result.upcoming.filter((o) => o.start !== result.next?.start).slice(0, 1);
    lines.push(`When: ${formatSpan(result.next, now)}${later[0] ? `, then ${formatSpan(later[0], now)}` : ''}`);
    if (result.scheduleText) lines.push(`(${result.scheduleText})`);
  } else if (result.scheduleText) {
    lines.push(`When: ${result.scheduleText}`);
  }

  const online = result.attendingTypes.includes('online');
  const phoneOnly = result.attendingTypes.length > 0 && result.attendingTypes.every((t) => t === 'phone');
  const where = withoutRepeats([result.venue, result.address, result.postcode]);
  if (where.length && !phoneOnly) lines.push(`Where: ${truncate(where.join(', '), 160)}`);
  else if (online) lines.push('Where: online (they will send you the link)');
  else if (phoneOnly) lines.push('Where: by phone');

  const stepFree = result.access.includes('step_free') || result.access.includes('wheelchair_accessible');
  const access = result.access
    .filter((a) => a in ACCESS_WORDS)
    .slice(0, 3)
    .map((a) => words(a, ACCESS_WORDS));
  if (access.length) lines.push(`${access.join('. ')}.`);
  else if (!stepFree && result.accessNote) lines.push(truncate(result.accessNote, 100));

  if (result.cost) lines.push(`Cost: ${result.cost}`);
  if (result.howToJoin) lines.push(JOIN_FOR_RESIDENT[result.howToJoin] ?? capitalise(words(result.howToJoin)));
  if (result.contact.phone)
    lines.push(`Call: ${result.contact.phone}${result.contact.name ? ` (${result.contact.name})` : ''}`);
  else if (result.contact.email) lines.push(`Email: ${result.contact.email}`);
  if (isWebUrl(result.url) && !result.contact.phone) lines.push(result.url);

  return fit(lines, MAX_SHARE_LENGTH);
}

/** Drops optional middle lines (notes, access) before cutting, so the title, when, where and phone survive. */
function fit(lines: string[], max: number): string {
  const joined = () => lines.join('\n');
  const optional = [/^\(/, /^(Step-free|Wheelchair|Accessible|Hearing|Quiet|Large|Easy|Carers|Parking)/, /^https?:/];
  for (const pattern of optional) {
    if (joined().length <= max) break;
    const i = lines.findIndex((l) => pattern.test(l));
    if (i > 0) lines.splice(i, 1);
  }
  const all = joined();
  return all.length <= max ? all : `${all.slice(0, max - 1).trimEnd()}…`;
}

/** The "Share with resident" reply: the text alone in one block so it can be copied whole. */
export function buildShareReply(result: SearchResult, now: Date): Reply {
  const body = shareText(result, now);
  return {
    fallbackText: body,
    ephemeral: true,
    blocks: [
      heading('Share with resident'),
      context('Copy the text below into a text message, e-mail or print-out. It holds no details about the resident.'),
      text(literal(body)),
      ...(result.isDemo ? [context('Demo data: this listing is invented; do not send it to anyone.')] : []),
    ],
  };
}
