import type { CatalogueSearch, SearchResult } from '../../catalogue/search/types.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import { ACTION } from './action-ids.ts';
import type { EntryHooks } from './entries/entry-hooks.ts';
import type { Actor, InboundAction, InboundMessage } from './inbound.ts';
import { type Intent, parseIntent } from './intents.ts';
import type { Conversation } from './ports.ts';
import type { Reply } from './reply.ts';
import type { InsightsRecorder } from '../../insights/ports.ts';
import { BookValueSchema, EntryValueSchema, MoreValueSchema, parseActionValue } from './replies/action-values.ts';
import { buildEntryDetailReply } from './replies/entry-detail.ts';
import { formatWhy } from './replies/format.ts';
import {
  buildApologyReply,
  buildBadActionReply,
  buildExpiredReply,
  buildGoneReply,
  buildNoListReply,
  buildNoMoreReply,
  buildNoSuchNumberReply,
  buildNotAvailableReply,
} from './replies/errors.ts';
import { buildHelpReply } from './replies/help.ts';
import { buildNoResultsReply } from './replies/no-results.ts';
import { PAGE_SIZE, buildSearchResultsReply } from './replies/search-results.ts';
import { buildShareReply } from './replies/share-with-resident.ts';
import { withUrgentHelpFirst } from './replies/urgent-help.ts';
import { createSessionMemory, type SessionMemory, type SessionRef } from './session-memory.ts';
import type { ShortlistHooks } from './shortlist/shortlist-hooks.ts';
import type { VerifyHooks } from './verify/verify-hooks.ts';
import { newCorrelationId } from '../../correlation-id.ts';

/** Who is talking and where: the actor plus the conversation (channel, DM or terminal). */
export type ConversationContext = Actor & { channelRef: string; isDirect?: boolean };

/** Training bookings (wired by the bookings feature). Each hook returns the reply to show. */
export type BookingHooks = {
  /**
   * Books the actor on an entry's session: `start` (ISO 8601) picks the session shown on the button; without it, the
   * next one open for booking. Also reached by typing "book 2".
   */
  book(ctx: ConversationContext, target: { entryId: string; start?: string }): Promise<Reply>;
  /** "my bookings" (typed) and the My bookings button. */
  mine(ctx: ConversationContext): Promise<Reply>;
  /** Every other `booking.*` button (cancel, join or leave a waitlist, accept an offer), with its raw value. */
  handleAction?(action: InboundAction): Promise<Reply>;
};

/** Channel digests (wired by the digests feature). */
export type DigestHooks = {
  /** "subscribe …": `text` is what followed the word (e.g. "weekly", "lunch clubs in NW5"), possibly empty. */
  subscribe(ctx: ConversationContext, request: { text: string }): Promise<Reply>;
  unsubscribe(ctx: ConversationContext, request: { text: string }): Promise<Reply>;
  /** `digest.subscribe` / `digest.unsubscribe` buttons, with their raw value. */
  handleAction?(action: InboundAction): Promise<Reply>;
};

/** Anonymous insights (wired by the insights feature). The recorder never sees who asked, only what was understood. */
export type InsightsHooks = {
  recorder: InsightsRecorder;
  /** `catalogue.flag` buttons ("this has closed", "details are wrong"). */
  flag?(action: InboundAction): Promise<Reply>;
  /** Adds the insights feature's buttons (report a problem) to a result's details. */
  decorateDetails?(reply: Reply, entryId: string): Reply;
  /** Coordinator commands typed in chat ("gaps", "flags"); undefined when the message is not one of them. */
  command?(message: InboundMessage): Promise<Reply | undefined>;
};

/** "Did it help?" (wired by the outcomes feature): shares, `follow-ups off|on` and the follow-up's answers. */
export type FollowUpHooks = {
  /** A listing was shared with a resident through the chat's *Share with resident*. */
  shared(ctx: ConversationContext, entryId: string): Promise<void>;
  /** `follow-ups off` / `follow-ups on`; undefined when the message is not one of them. */
  command(message: InboundMessage): Promise<Reply | undefined>;
  /** `followup.answer` and `followup.reason`, with their raw value. */
  handleAction(action: InboundAction): Promise<Reply>;
};

export type ConversationHooks = {
  bookings?: BookingHooks;
  digests?: DigestHooks;
  insights?: InsightsHooks;
  entries?: EntryHooks;
  /** The coordinators' verification queue (`verify`, *Still running*, *Has closed*). */
  verify?: VerifyHooks;
  followUps?: FollowUpHooks;
  /** The list for a resident (*Add to list*, *Send list*, a text message or a leaflet). */
  shortlist?: ShortlistHooks;
};

export type ConversationDeps = {
  search: CatalogueSearch;
  clock: Clock;
  logger: Logger;
  /** Optional features, built before the conversation; they are frozen here and never change after. */
  hooks?: Readonly<ConversationHooks>;
  /** Defaults to an in-memory one with a one-hour time-to-live. */
  memory?: SessionMemory;
  /** A listing's public page address (`PUBLIC_URL/l/<id>`): a result's details link to it. */
  listingUrl?: (id: string) => string;
};

/**
 * The platform-neutral conversation: parses a message into an intent (search, details, more, share, help, book…)
 * or validates a button value, asks the catalogue search, and returns a neutral Reply. It never sends anything and
 * never throws: a failure becomes a short apology whose reference matches the error's log line. Question text is
 * never logged.
 */
export function createConversation(deps: ConversationDeps): Conversation {
  const { search, clock } = deps;
  const hooks: Readonly<ConversationHooks> = Object.freeze({ ...deps.hooks });
  const logger = deps.logger;
  const memory = deps.memory ?? createSessionMemory({ clock });
  const help = () =>
    buildHelpReply({
      bookings: !!hooks.bookings,
      digests: !!hooks.digests,
      entries: !!hooks.entries,
      verify: !!hooks.verify,
      shortlist: !!hooks.shortlist,
      followUps: !!hooks.followUps,
    });

  const sessionOf = (ctx: Pick<ConversationContext, 'platform' | 'userId' | 'channelRef'>): SessionRef => ({
    platform: ctx.platform,
    userId: ctx.userId,
    channelRef: ctx.channelRef,
  });

  async function runSearch(ctx: ConversationContext, text: string, queryKey: string, offset: number): Promise<Reply> {
    const now = clock.now();
    const started = performance.now();
    const response = await search.search({ text, now, limit: PAGE_SIZE, offset });
    if (offset === 0) {
      // A question that shows a risk of harm is never kept, not even sanitised.
      await hooks.insights?.recorder.recordSearch({
        at: now,
        platform: ctx.platform,
        understood: response.understood,
        total: response.total,
        relaxed: response.relaxed,
        ...(response.urgent ? {} : { question: text }),
      });
    }
    // Urgent help leads the first answer to such a question (not the pages that follow it).
    const first = (reply: Reply) => (offset === 0 ? withUrgentHelpFirst(reply, response.urgent) : reply);
    logger.debug('search answered', {
      platform: ctx.platform,
      offset,
      results: response.results.length,
      total: response.total,
      relaxed: response.relaxed.length,
      ms: Math.round(performance.now() - started),
    });
    if (response.results.length === 0) {
      if (offset > 0) return buildNoMoreReply();
      // A new question with no answer replaces the old list: "more" and numbers must not refer to it any longer.
      memory.recordPage(sessionOf(ctx), { queryKey, offset: 0, total: 0, ids: [] });
      return first(buildNoResultsReply(response));
    }
    const shown = response.results.slice(0, PAGE_SIZE);
    const why = new Map(
      shown.flatMap((r) => {
        const line = formatWhy(r.why);
        return line ? [[r.id, line] as const] : [];
      }),
    );
    memory.recordPage(sessionOf(ctx), { queryKey, offset, total: response.total, ids: shown.map((r) => r.id), why });
    return first(buildSearchResultsReply({ response, now, offset, queryKey, shortlist: !!hooks.shortlist }));
  }

  /** The "why it matched" line remembered from the list this entry was shown in. */
  function whyOf(
    ctx: Pick<ConversationContext, 'platform' | 'userId' | 'channelRef'>,
    id: string,
  ): { why?: string; pageUrl?: string } {
    const line = memory.current(sessionOf(ctx))?.why.get(id);
    return { ...pageOf(id), ...(line ? { why: line } : {}) };
  }

  function pageOf(id: string): { pageUrl?: string } {
    return deps.listingUrl ? { pageUrl: deps.listingUrl(id) } : {};
  }

  /** The entry a typed number stands for, or the reply explaining why there is none. */
  function entryAt(ctx: ConversationContext, number: number): { id: string } | { reply: Reply } {
    const state = memory.current(sessionOf(ctx));
    if (!state) return { reply: buildNoListReply() };
    const id = state.numbered.get(number);
    if (!id) return { reply: buildNoSuchNumberReply(number, Math.max(0, ...state.numbered.keys())) };
    return { id };
  }

  async function withResult(
    id: string,
    render: (result: SearchResult, now: Date) => Reply,
    event?: 'opened' | 'shared',
    ctx?: ConversationContext,
  ): Promise<Reply> {
    const now = clock.now();
    const result = await search.getResult(id, now);
    if (!result) return (await hooks.verify?.closedNotice(id)) ?? buildGoneReply();
    if (event) await hooks.insights?.recorder.recordResultEvent({ at: now, entryId: result.id, kind: event });
    if (event === 'shared' && ctx) await hooks.followUps?.shared(ctx, result.id);
    const reply = render(result, now);
    return event === 'opened' && hooks.insights?.decorateDetails
      ? hooks.insights.decorateDetails(reply, result.id)
      : reply;
  }

  async function onIntent(ctx: ConversationContext, intent: Intent): Promise<Reply> {
    switch (intent.kind) {
      case 'help':
        return help();
      case 'search': {
        const key = memory.rememberQuery(intent.text);
        return runSearch(ctx, intent.text, key, 0);
      }
      case 'more': {
        const state = memory.current(sessionOf(ctx));
        if (!state) return buildNoListReply();
        const text = memory.recallQuery(state.queryKey);
        if (text === undefined) return buildExpiredReply();
        if (state.nextOffset >= state.total) return buildNoMoreReply();
        return runSearch(ctx, text, state.queryKey, state.nextOffset);
      }
      case 'details':
      case 'share':
      case 'book':
      case 'list-add': {
        const picked = entryAt(ctx, intent.number);
        if ('reply' in picked) return picked.reply;
        if (intent.kind === 'details')
          return withResult(picked.id, (r, now) => buildEntryDetailReply(r, now, whyOf(ctx, r.id)), 'opened');
        if (intent.kind === 'share') return withResult(picked.id, buildShareReply, 'shared', ctx);
        if (intent.kind === 'list-add')
          return hooks.shortlist
            ? hooks.shortlist.add(ctx, picked.id)
            : buildNotAvailableReply('The list for a resident');
        if (!hooks.bookings) return buildNotAvailableReply('Booking');
        return hooks.bookings.book(ctx, { entryId: picked.id });
      }
      case 'my-bookings':
        return hooks.bookings ? hooks.bookings.mine(ctx) : buildNotAvailableReply('Booking');
      case 'subscribe':
        return hooks.digests ? hooks.digests.subscribe(ctx, { text: intent.text }) : buildNotAvailableReply('Digests');
      case 'unsubscribe':
        return hooks.digests
          ? hooks.digests.unsubscribe(ctx, { text: intent.text })
          : buildNotAvailableReply('Digests');
      case 'list-show':
      case 'list-sms':
      case 'list-leaflet':
      case 'list-clear': {
        const list = hooks.shortlist;
        if (!list) return buildNotAvailableReply('The list for a resident');
        if (intent.kind === 'list-show') return list.show(ctx);
        if (intent.kind === 'list-sms') return list.sms(ctx);
        if (intent.kind === 'list-leaflet') return list.leaflet(ctx, intent.large ? 'large' : 'normal');
        return list.clear(ctx);
      }
    }
  }

  async function onAction(action: InboundAction): Promise<Reply> {
    switch (action.action) {
      case ACTION.help:
        return help();
      case ACTION.details:
      case ACTION.share:
      case ACTION.postToChannel: {
        const value = parseActionValue(EntryValueSchema, action.value);
        if (!value) return badValue(action);
        if (action.action === ACTION.share) return withResult(value.id, buildShareReply, 'shared', action);
        if (action.action === ACTION.postToChannel) {
          return withResult(value.id, (r, now) => buildEntryDetailReply(r, now, { ephemeral: false, ...pageOf(r.id) }));
        }
        return withResult(value.id, (r, now) => buildEntryDetailReply(r, now, whyOf(action, r.id)), 'opened');
      }
      case ACTION.more: {
        const value = parseActionValue(MoreValueSchema, action.value);
        if (!value) return badValue(action);
        const text = memory.recallQuery(value.k);
        if (text === undefined) return buildExpiredReply();
        return runSearch(action, text, value.k, value.o);
      }
      case ACTION.book: {
        const value = parseActionValue(BookValueSchema, action.value);
        if (!value) return badValue(action);
        if (!hooks.bookings) return buildNotAvailableReply('Booking');
        return hooks.bookings.book(action, { entryId: value.id, ...(value.s ? { start: value.s } : {}) });
      }
      case ACTION.myBookings:
        return hooks.bookings ? hooks.bookings.mine(action) : buildNotAvailableReply('Booking');
      case ACTION.cancelBooking:
      case ACTION.joinWaitlist:
      case ACTION.leaveWaitlist:
      case ACTION.acceptOffer:
        return hooks.bookings?.handleAction ? hooks.bookings.handleAction(action) : buildNotAvailableReply('Booking');
      case ACTION.subscribe:
      case ACTION.unsubscribe:
        return hooks.digests?.handleAction ? hooks.digests.handleAction(action) : buildNotAvailableReply('Digests');
      case ACTION.flag:
        return hooks.insights?.flag
          ? hooks.insights.flag(action)
          : buildNotAvailableReply('Reporting an out-of-date listing');
      case ACTION.addEntry:
      case ACTION.editEntry:
      case ACTION.saveEntry:
        return hooks.entries ? hooks.entries.handleAction(action) : buildNotAvailableReply('Adding entries');
      case ACTION.verifyConfirm:
      case ACTION.verifyClose:
        return hooks.verify ? hooks.verify.handleAction(action) : buildNotAvailableReply('Checking listings');
      case ACTION.followUpAnswer:
      case ACTION.followUpReason:
        return hooks.followUps ? hooks.followUps.handleAction(action) : buildNotAvailableReply('Follow-ups');
      case ACTION.shortlistAdd:
      case ACTION.shortlistRemove:
      case ACTION.shortlistShow:
      case ACTION.shortlistSms:
      case ACTION.shortlistLeaflet:
      case ACTION.shortlistClear:
        return hooks.shortlist
          ? hooks.shortlist.handleAction(action)
          : buildNotAvailableReply('The list for a resident');
    }
  }

  function badValue(action: InboundAction): Reply {
    logger.warn('button value refused', {
      platform: action.platform,
      action: action.action,
      length: action.value.length,
    });
    return buildBadActionReply();
  }

  async function guarded(what: Record<string, unknown>, run: () => Promise<Reply>): Promise<Reply> {
    try {
      return await run();
    } catch (error) {
      const correlationId = newCorrelationId();
      logger.error('conversation failed', { ...what, correlationId, error });
      return buildApologyReply(correlationId);
    }
  }

  return {
    handleMessage(message: InboundMessage) {
      const intent = parseIntent(message.text);
      return guarded({ platform: message.platform, intent: intent.kind }, async () => {
        // Coordinators' entry form ("add entry", "edit …") before everything else: those words are never a search.
        const entryCommand = hooks.entries ? await hooks.entries.command(message) : undefined;
        if (entryCommand) return entryCommand;
        const command = hooks.insights?.command ? await hooks.insights.command(message) : undefined;
        const verify = command ?? (hooks.verify ? await hooks.verify.command(message) : undefined);
        const followUps = verify ?? (hooks.followUps ? await hooks.followUps.command(message) : undefined);
        return followUps ?? onIntent(message, intent);
      });
    },
    handleAction(action: InboundAction) {
      return guarded({ platform: action.platform, action: action.action }, () => onAction(action));
    },
  };
}
