import {
  type Attachment,
  CardFactory,
  type MessagingExtensionAttachment,
  type MessagingExtensionResponse,
} from 'botbuilder';
import { z } from 'zod';
import { listingIdFromUrl } from '../../catalogue/pages/listing-link.ts';
import { listingPageUrl } from '../../catalogue/pages/listing-url.ts';
import type { CatalogueSearch, SearchResult } from '../../catalogue/search/types.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import { actions, heading, type Reply, text } from '../core/reply.ts';
import { linkButton } from '../core/replies/action-values.ts';
import { apologyText } from '../core/replies/errors.ts';
import { buildListingCard, listingCardFacts } from '../core/replies/listing-card.ts';
import { urgentBlock } from '../core/replies/urgent-help.ts';
import { escapeCardText, renderCard } from './render-card.ts';
import { newCorrelationId } from '../../correlation-id.ts';

/** The search command's id and its one parameter, as declared in the app manifest's `composeExtensions`. */
export const SEARCH_COMMAND_ID = 'searchListings';
export const SEARCH_PARAMETER = 'query';

/** Teams asks for 25 results a page by default; more than this is never useful in a compose box. */
const MAX_RESULTS = 25;
/** Only the start of a long question is read, as in the chat. */
const MAX_QUERY_CHARS = 500;
/** Teams pages by `skip`; past this nobody is still scrolling. */
const MAX_SKIP = 500;
/** Teams waits 5 s for an invoke's answer; this leaves time to send one. */
const ANSWER_WITHIN_MS = 4000;

export type MessageExtensionDeps = {
  /** The chat's own search (with urgent help first), so a compose box finds what a chat would. */
  search: CatalogueSearch;
  clock: Clock;
  logger: Logger;
  /** PUBLIC_URL: cards link to the listing pages, and only links to them are previewed. */
  publicUrl: string;
  /** Teams gives up after 5 s; a search still running after this says so instead. Default 4,000 ms. */
  answerWithinMs?: number;
};

export type MessageExtension = {
  /** `composeExtension/query`: staff typed a few words in a compose box. */
  query(raw: unknown): Promise<MessagingExtensionResponse>;
  /** `composeExtension/queryLink`: a link to a listing page was pasted. */
  queryLink(raw: unknown): Promise<MessagingExtensionResponse>;
};

const QuerySchema = z
  .object({
    commandId: z.string().max(100).optional(),
    parameters: z
      .array(z.object({ name: z.string().max(100), value: z.unknown() }).loose())
      .max(10)
      .optional(),
    queryOptions: z
      .object({ skip: z.number().int().min(0).optional(), count: z.number().int().min(0).optional() })
      .loose()
      .optional(),
  })
  .loose();

const LinkQuerySchema = z.object({ url: z.string().max(2048) }).loose();

/**
 * Signpost's Teams message extension, platform-neutral below the card: a search command whose results are listing
 * cards to insert into any chat or channel, and link previews for listing pages. Each result is a preview (a
 * thumbnail card: title and when/where) and the card inserted (the Adaptive Card of `buildListingCard`).
 */
export function createMessageExtension(deps: MessageExtensionDeps): MessageExtension {
  const log = deps.logger.child('teams-extension');
  /** A failure answers with a short apology and a reference that is also in the log, never the error itself. */
  const guarded =
    (what: string, run: (raw: unknown) => Promise<MessagingExtensionResponse>) => async (raw: unknown) => {
      try {
        return await run(raw);
      } catch (error) {
        const correlationId = newCorrelationId();
        log.error('message extension failed', {
          what,
          correlationId,
          error:
            error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
        });
        return messageResult(apologyText(correlationId, 'brackets'));
      }
    };
  return {
    query: guarded('query', async (raw) => {
      const parsed = QuerySchema.safeParse(raw ?? {});
      if (!parsed.success) {
        log.warn('message extension query refused', { issues: parsed.error.issues.length });
        return messageResult('That search could not be read. Please type it again.');
      }
      const query = parsed.data;
      if (query.commandId !== undefined && query.commandId !== SEARCH_COMMAND_ID) {
        log.warn('unknown message extension command', { commandId: query.commandId.slice(0, 100) });
        return messageResult('This Signpost command is out of date. Please update the app.');
      }
      const value = query.parameters?.find((p) => p.name === SEARCH_PARAMETER)?.value;
      // The first run (`initialRun`, nothing typed yet) shows what is coming up, as an empty question does in chat.
      const words = typeof value === 'string' ? value.trim().slice(0, MAX_QUERY_CHARS) : '';
      const limit = Math.min(Math.max(query.queryOptions?.count ?? 10, 1), MAX_RESULTS);
      const offset = Math.min(query.queryOptions?.skip ?? 0, MAX_SKIP);
      const now = deps.clock.now();
      const started = performance.now();
      const response = await withinTime(
        deps.search.search({ text: words, now, limit, offset }),
        deps.answerWithinMs ?? ANSWER_WITHIN_MS,
      );
      if (response === undefined) {
        log.warn('message extension search too slow for Teams', { ms: Math.round(performance.now() - started) });
        return messageResult('Signpost is taking too long to search just now. Please try again in a moment.');
      }
      const attachments = response.results.slice(0, limit).map((r) => listingAttachment(r, now, deps.publicUrl));
      if (offset === 0 && response.urgent && response.urgent.lines.length > 0)
        attachments.unshift(urgentAttachment(response.urgent));
      // Question text is never logged (it may describe a resident).
      log.debug('message extension answered', {
        results: attachments.length,
        total: response.total,
        offset,
        ms: Math.round(performance.now() - started),
      });
      return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
    }),

    queryLink: guarded('queryLink', async (raw) => {
      const parsed = LinkQuerySchema.safeParse(raw ?? {});
      const id = parsed.success ? listingIdFromUrl(deps.publicUrl, parsed.data.url) : undefined;
      if (!id) return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } };
      const now = deps.clock.now();
      const result = await deps.search.getResult(id, now);
      const attachment = result
        ? listingAttachment(result, now, deps.publicUrl, 'link')
        : goneAttachment(listingPageUrl(deps.publicUrl, id));
      return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [attachment] } };
    }),
  };
}

/**
 * One listing as a message extension result: the Adaptive Card to insert, and its preview in the result list.
 * Link previews declare Adaptive Card 1.3, the highest Teams documents for link unfurling; the card uses nothing
 * that 1.3 cannot show (text, facts, a link), and hosts that know the 1.5 text styles still apply them.
 */
export function listingAttachment(
  result: SearchResult,
  now: Date,
  publicUrl: string,
  use: 'search' | 'link' = 'search',
): MessagingExtensionAttachment {
  const card = renderCard(buildListingCard(result, now, listingPageUrl(publicUrl, result.id)));
  const summary = listingCardFacts(result, now)
    .filter((f) => f.label !== 'Cost')
    .map((f) => f.value)
    .join(' · ');
  return { ...adaptive(card, use), preview: thumbnail(result.title, summary) };
}

function goneAttachment(pageUrl: string): MessagingExtensionAttachment {
  const reply: Reply = {
    fallbackText: `This listing is no longer listed on Signpost. ${pageUrl}`,
    blocks: [
      heading('No longer listed'),
      text('This listing has closed or its organiser no longer lists it.'),
      actions([linkButton('Open the listing page', pageUrl)]),
    ],
  };
  return {
    ...adaptive(renderCard(reply), 'link'),
    preview: thumbnail('No longer listed', 'This listing has closed or is no longer listed.'),
  };
}

function urgentAttachment(urgent: { lines: { name: string; phone: string }[] }): MessagingExtensionAttachment {
  const card = renderCard({
    fallbackText: urgent.lines.map((l) => `${l.phone} ${l.name}`).join('; '),
    blocks: [urgentBlock(urgent)],
  });
  return {
    ...adaptive(card, 'search'),
    preview: thumbnail(
      'If someone is at risk right now, get help first',
      urgent.lines.map((l) => `${l.phone} ${l.name}`).join(' · '),
    ),
  };
}

function adaptive(card: ReturnType<typeof renderCard>, use: 'search' | 'link'): Attachment {
  return CardFactory.adaptiveCard(use === 'link' ? { ...card, version: '1.3' } : card);
}

/** The preview row: a thumbnail card of plain text, escaped as every card text is (Teams renders some markup in it). */
function thumbnail(title: string, summary: string): Attachment {
  return CardFactory.thumbnailCard(cut(escapeCardText(title), 120), cut(escapeCardText(summary), 240));
}

/** The promise's value, or undefined once `ms` have passed (the work goes on, and its result is dropped). */
async function withinTime<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function messageResult(message: string): MessagingExtensionResponse {
  return { composeExtension: { type: 'message', text: message } };
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}
