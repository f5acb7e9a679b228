import { heading, type Reply, text } from '../reply.ts';

function short(title: string, body: string): Reply {
  return { fallbackText: `${title}. ${body}`, blocks: [heading(title), text(body)] };
}

const APOLOGY_HEADING = 'Sorry, something went wrong';
const APOLOGY_BODY = "I couldn't answer that. Please try again in a moment.";

/**
 * The one apology for a failure on our side, as a line of text (Slack's error boundary, Teams' turn error and
 * message extension): never the error itself, always the reference that matches the log line. `brackets` ends it
 * with "(Reference …)", as Teams shows it; otherwise it asks to quote the reference.
 */
export function apologyText(correlationId: string, reference: 'sentence' | 'brackets' = 'sentence'): string {
  return `${APOLOGY_HEADING} on our side. ${APOLOGY_BODY} ${referenceOf(correlationId, reference)}`;
}

/** The same apology as a reply: a heading and the rest. */
export function buildApologyReply(correlationId: string): Reply {
  return short(APOLOGY_HEADING, `${APOLOGY_BODY} ${referenceOf(correlationId, 'sentence')}`);
}

function referenceOf(correlationId: string, reference: 'sentence' | 'brackets'): string {
  return reference === 'brackets'
    ? `(Reference ${correlationId})`
    : `If it keeps happening, quote reference ${correlationId}.`;
}

/** A hook (bookings, digests…) that this installation does not have yet. */
export function buildNotAvailableReply(feature: string): Reply {
  return short(
    'Not available yet',
    `${feature} is not available here yet. You can still search, see details and share results.`,
  );
}

export function buildNoListReply(): Reply {
  return short(
    'Ask a question first',
    'I have no list to pick from in this conversation. Ask me something, e.g. "lunch club in Kentish Town".',
  );
}

export function buildNoSuchNumberReply(number: number, highest: number): Reply {
  return short(
    `There is no number ${number}`,
    highest > 0 ? `Pick a number from 1 to ${highest} in the last list.` : 'Ask a question first.',
  );
}

export function buildNoMoreReply(): Reply {
  return short('That is everything', 'There are no more results for that question. Try a wider area or another day.');
}

export function buildExpiredReply(): Reply {
  return short('That list has expired', 'Please ask your question again to see fresh results.');
}

export function buildGoneReply(): Reply {
  return short('No longer listed', 'That listing has been removed from the catalogue. Please search again.');
}

export function buildBadActionReply(): Reply {
  return short('That button did not work', 'It may be from an old message. Please ask your question again.');
}
