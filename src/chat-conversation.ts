import type { Platform } from './bots/core/inbound.ts';
import type { Notifier } from './bots/core/ports.ts';
import { createBookingHooks } from './bots/core/bookings/booking-hooks.ts';
import { createConversation, type ConversationHooks } from './bots/core/conversation.ts';
import { type CoordinatorEntries, createEntryHooks } from './bots/core/entries/entry-hooks.ts';
import { createShortlistHooks } from './bots/core/shortlist/shortlist-hooks.ts';
import { createVerifyHooks } from './bots/core/verify/verify-hooks.ts';
import type { Conversation } from './bots/core/ports.ts';
import { INVITE_PATH_PREFIX } from './catalogue/booking/booking-invite.ts';
import { listingPageUrl } from './catalogue/pages/listing-url.ts';
import { BookingService } from './catalogue/booking/booking-service.ts';
import { coursesFromSettings } from './catalogue/booking/courses.ts';
import { coordinatorEntries } from './catalogue/manual-entries.ts';
import { createDatabaseSearch } from './catalogue/search/database-search.ts';
import { withUrgentHelp } from './catalogue/search/urgent-help.ts';
import { withTrust } from './catalogue/trust/with-trust.ts';
import { createLeafletLinks, type LeafletLinks } from './catalogue/shortlist/leaflet-links.ts';
import { createLeafletStore, createShortlistStore } from './catalogue/shortlist/shortlist-store.ts';
import { createVerifyQueue } from './catalogue/verify/verify-queue.ts';
import { createFollowUpHooks, createShareRecorder } from './insights/chat-follow-ups.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Store } from './db/open-store.ts';
import { createChatInsights } from './insights/chat-insights.ts';
import type { InsightsRecorder, ShareRecorder } from './insights/ports.ts';
import { createSqlInsightsRecorder } from './insights/sql-insights-recorder.ts';
import type { Logger } from './logger.ts';
import { bookingEventsToQueue } from './scheduler/booking-reminders.ts';
import { createDigestHooks } from './scheduler/digest-hooks.ts';
import { createPrismaSubscriptionRepository } from './scheduler/prisma-subscription-repository.ts';

export type ChatConversation = {
  conversation: Conversation;
  /** The conversation's features, built before it and frozen. */
  hooks: Readonly<ConversationHooks>;
  bookings: BookingService;
  insightsRecorder: InsightsRecorder;
  /** What every sharing feature (share button, SMS, leaflet) calls to count a share and schedule its follow-up. */
  shares: ShareRecorder;
  /** Signed leaflet links: the server's `/leaflets/` route checks them with the same key. */
  leafletLinks: LeafletLinks;
  /** Coordinators' entries, as the entry form reads and writes them (Slack's modal uses the same). */
  entries: CoordinatorEntries;
};

/**
 * The conversation with every feature chat offers (training bookings, channel digests, insights (gaps, flags,
 * report a problem), the coordinators' entry form and their verification queue), built the same way for the server
 * (`npm start`, which serves Slack, Teams and its terminal chat) and for `signpost chat`, so the two cannot offer
 * different commands.
 */
export function createChatConversation(deps: {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The platforms' notifiers (filled in as adapters start), asked whether the bot can post where a digest goes. */
  notifiers?: Partial<Record<Platform, Notifier>>;
}): ChatConversation {
  const { config, store, clock, logger } = deps;
  // Safety first: questions that show a risk of harm get the numbers to call before any listings.
  // Every result carries its trust line: where it comes from, when it was last confirmed, what staff reported.
  const search = withUrgentHelp(withTrust(createDatabaseSearch(store), store));

  // Anonymous statistics: searches, and results opened, shared and booked.
  const insightsRecorder = createSqlInsightsRecorder(store, {
    logger,
    keepQuestionsDays: config.insights.keepQuestionsDays,
  });

  // Training bookings: one service (its row locks keep sessions from overbooking across instances). Offers go out
  // through the delivery queue; confirmed places are counted as "booked" results.
  const queueBookingEvent = bookingEventsToQueue(store, clock);
  const bookings = new BookingService(store, {
    offerHours: config.offerHours,
    courses: coursesFromSettings(config),
    logger: logger.child('bookings'),
    onEvent: async (event) => {
      if (event.type === 'confirmed') {
        await insightsRecorder.recordResultEvent({ at: clock.now(), entryId: event.entryId, kind: 'booked' });
      } else {
        await queueBookingEvent(event);
      }
    },
  });
  // "Did it help?": shares are counted and followed up FOLLOW_UP_DAYS later (src/scheduler/follow-ups.ts sends them).
  const shares = createShareRecorder({ store, clock, logger, followUpDays: config.followUpDays });
  // The list for a resident. Every text message or leaflet sent goes through `onSend`, once per send.
  const leafletLinks = createLeafletLinks(createLeafletStore(store), {
    secret: config.leaflets.linkSecret,
    days: config.leaflets.linkDays,
    publicUrl: config.publicUrl,
  });
  // Coordinators' own entries: the chat's entry form here, Slack's entry modal in app.ts.
  const entries = coordinatorEntries(store);
  const hooks: Readonly<ConversationHooks> = Object.freeze({
    bookings: createBookingHooks({
      bookings,
      search,
      clock,
      offerHours: config.offerHours,
      inviteUrl: (id) => `${config.publicUrl}${INVITE_PATH_PREFIX}${id}.ics`,
    }),
    insights: createChatInsights({
      store,
      clock,
      logger,
      recorder: insightsRecorder,
      pageUrl: `http://localhost:${config.port}/insights`,
    }),
    digests: createDigestHooks({
      store,
      subscriptions: createPrismaSubscriptionRepository(store),
      clock,
      logger: logger.child('digests'),
      ...(deps.notifiers ? { notifiers: deps.notifiers } : {}),
    }),
    entries: createEntryHooks({
      entries,
      clock,
      logger,
    }),
    verify: createVerifyHooks({
      queue: createVerifyQueue(store, { afterMonths: config.verifyAfterMonths }),
      clock,
      logger,
      canEdit: true,
    }),
    shortlist: createShortlistHooks({
      lists: createShortlistStore(store),
      search,
      clock,
      logger,
      publicUrl: config.publicUrl,
      links: leafletLinks,
      linkDays: config.leaflets.linkDays,
      onSend: async (send) => {
        for (const entryId of send.entryIds) {
          await insightsRecorder.recordResultEvent({ at: send.at, entryId, kind: 'shared' });
          await shares.recordShare({
            entryId,
            platform: send.platform,
            userRef: send.userId,
            via: send.kind,
            ...(send.platform === 'teams' ? { channelRef: send.channelRef } : {}),
          });
        }
      },
    }),
    followUps: createFollowUpHooks({ store, clock, logger, shares }),
  });
  const conversation = createConversation({
    search,
    clock,
    logger: logger.child('conversation'),
    hooks,
    listingUrl: (id) => listingPageUrl(config.publicUrl, id),
  });
  return { conversation, hooks, bookings, insightsRecorder, shares, leafletLinks, entries };
}
