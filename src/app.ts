import { createChatConversation } from './chat-conversation.ts';
import { createInviteRoute, INVITE_PATH_PREFIX } from './catalogue/booking/booking-invite.ts';
import type { Platform } from './bots/core/inbound.ts';
import type { Conversation, Notifier } from './bots/core/ports.ts';
import { WorkQueue } from './bots/core/work-queue.ts';
import { createPrismaConversationRefs } from './bots/teams/prisma-conversation-refs.ts';
import { createTeamsEndpoint, TEAMS_PATH } from './bots/teams/server.ts';
import { createPrismaInstallationStore } from './bots/slack/prisma-installation-store.ts';
import { createSeenRequests } from './bots/slack/request-guard.ts';
import { createSlackApp, SLACK_EVENTS_PATH, SLACK_INSTALL_PATH } from './bots/slack/slack-app.ts';
import { createFeedRoutes } from './catalogue/feeds/catalogue-feeds.ts';
import { createListingRoutes } from './catalogue/pages/listing-routes.ts';
import { createLeafletRoute, LEAFLET_PATH_PREFIX } from './catalogue/shortlist/leaflet-links.ts';
import { createLeafletStore } from './catalogue/shortlist/shortlist-store.ts';
import { createDatabaseSearch } from './catalogue/search/database-search.ts';
import { withTrust } from './catalogue/trust/with-trust.ts';
import { withUrgentHelp } from './catalogue/search/urgent-help.ts';
import type { Clock } from './clock.ts';
import { type Config, SLACK_ENV_NAMES } from './config.ts';
import type { Store } from './db/open-store.ts';
import { pingDatabase } from './health-queries.ts';
import type { HttpRoutes } from './http-server.ts';
import type { Logger } from './logger.ts';
import { createInsightsRoutes } from './insights/http/insights-routes.ts';
import { createScheduler } from './scheduler/cron.ts';
import { createHomeDigests } from './scheduler/digest-hooks.ts';
import { createPrismaSubscriptionRepository } from './scheduler/prisma-subscription-repository.ts';
import { createTerminalNotifier } from './bots/terminal/terminal-notifier.ts';
import { purgeInsights } from './insights/sql-insights-recorder.ts';

export type AppDeps = { config: Config; store: Store; clock: Clock; logger: Logger };

export type App = {
  routes: HttpRoutes;
  /** The conversation core, built once and shared by every platform adapter and the terminal chat. */
  conversation: Conversation;
  /** True when no chat platform is on: `npm start` then offers the terminal chat. */
  offerTerminalChat: boolean;
  /** Lines for the start-up banner: which platforms are on, and how to reach them. */
  banner: string[];
  /** Background work (schedulers) started after the server listens. */
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Builds the whole application from its settings: the catalogue, the conversation core, and whichever platform
 * adapters are configured. Objects are built here and in main.ts only.
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const { store, clock } = deps;
  const routes: HttpRoutes = new Map();
  const banner: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  const starts: (() => Promise<void>)[] = [];

  const startedAt = clock.now();
  routes.set('/healthz', async (_req, res) => {
    let database = 'ok';
    try {
      await pingDatabase(store.sql);
    } catch {
      database = 'unavailable';
    }
    res
      .writeHead(database === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: database === 'ok' ? 'ok' : 'degraded', database, store: store.kind, startedAt }));
  });

  // The conversation core with every chat feature (bookings, digests, insights, the coordinators' entry form), built
  // as `signpost chat` builds it; adapters that start push their platform to `platformsOn`.
  /** Proactive senders (digests, reminders, offers) that the platform adapters below make available. */
  const notifiers: Partial<Record<Platform, Notifier>> = { terminal: createTerminalNotifier(process.stdout) };
  const { conversation, bookings, hooks, leafletLinks, entries } = createChatConversation({ ...deps, notifiers });
  const platformsOn: Platform[] = [];
  const subscriptions = createPrismaSubscriptionRepository(store);

  // Training bookings' calendar invites.
  routes.set(INVITE_PATH_PREFIX, createInviteRoute(store, clock));

  // Leaflets for residents behind short-lived signed links (Teams takes links, not files): /leaflets/<id>.pdf.
  routes.set(
    LEAFLET_PATH_PREFIX,
    createLeafletRoute({
      links: leafletLinks,
      leaflets: createLeafletStore(store),
      search: createDatabaseSearch(store),
      clock,
      logger: deps.logger,
      publicUrl: deps.config.publicUrl,
    }),
  );

  // Platform adapters and feeds register here (each in its own block).
  // Subscribable catalogue feeds: /feeds/catalogue.ics (iCalendar) and /feeds/oruk/services (Open Referral UK).
  for (const [path, handler] of createFeedRoutes({
    store,
    clock,
    logger: deps.logger,
    horizonDays: deps.config.importHorizonDays,
    token: deps.config.feedsToken,
  })) {
    routes.set(path, handler);
  }

  // Public listing pages for residents: /l/<id>, one listing as a plain page to read or print.
  for (const [path, handler] of createListingRoutes({
    store,
    search: withTrust(createDatabaseSearch(store), store),
    clock,
    logger: deps.logger,
    publicUrl: deps.config.publicUrl,
  })) {
    routes.set(path, handler);
  }

  // Insights: the read-only /insights page behind INSIGHTS_TOKEN (the chat's part is in the conversation above).
  {
    const insights = deps.config.insights;
    const settings = {
      trainingTargets: deps.config.trainingTargets,
      trainingValidity: deps.config.trainingValidity,
      staleMonths: insights.staleMonths,
    };
    for (const [path, handler] of createInsightsRoutes({
      store,
      clock,
      logger: deps.logger,
      token: insights.token,
      settings,
    }))
      routes.set(path, handler);
    banner.push(
      insights.token
        ? 'Insights for coordinators: /insights (sign in with INSIGHTS_TOKEN).'
        : 'Insights page is off: set INSIGHTS_TOKEN to turn on /insights.',
    );
  }

  // Listings shared into any conversation (Teams' message extension, Slack's unfurls and /signpost share): the chat's
  // search, cards linking to the listing pages. A listing posted in Slack counts as shared in the anonymous statistics.
  const shareSearch = withUrgentHelp(createDatabaseSearch(store));
  const listings = {
    search: shareSearch,
    clock,
    publicUrl: deps.config.publicUrl,
    onShare: async (share: { entryId: string; at: Date }) =>
      hooks.insights?.recorder.recordResultEvent({ at: share.at, entryId: share.entryId, kind: 'shared' }),
  };
  // One queue for the searches behind Slack's acks and Teams' turns: the store serves them a couple at a time (more
  // at once measured slower on PostgreSQL too: the searches' own work on this thread then crowds out the acks).
  const searches = new WorkQueue(2);

  // Microsoft Teams on /api/messages, always mounted: with MicrosoftAppId tokens are verified, without it only local
  // unauthenticated requests (the Bot Framework Emulator) are served.
  const teams = createTeamsEndpoint({
    credentials: deps.config.teams,
    conversation,
    refs: createPrismaConversationRefs(store, clock),
    logger: deps.logger,
    coordinators: deps.config.teamsCoordinators,
    emulator: deps.config.teamsEmulator,
    serviceUrlHosts: deps.config.teamsServiceUrlHosts,
    queue: searches,
    extension: { search: shareSearch, clock, logger: deps.logger, publicUrl: deps.config.publicUrl },
  });
  routes.set(TEAMS_PATH, teams.handler);
  notifiers.teams = teams.notifier;
  banner.push(...teams.banner);
  if (teams.authenticated) platformsOn.push('teams');

  // Slack: Bolt's HTTP receiver as the /slack/events route on this server, or Socket Mode with SLACK_APP_TOKEN.
  if (deps.config.slack) {
    const slack = createSlackApp({
      config: deps.config.slack,
      conversation,
      entries,
      // The embedded store is this process's alone: its memory of Slack's requests decides, the ack never waits.
      seenRequests: createSeenRequests(store.sql, { exclusive: store.kind === 'pglite' }),
      clock,
      logger: deps.logger,
      queue: searches,
      homeDigests: createHomeDigests(subscriptions),
      homeVerify: async (actor) => hooks.verify?.queueFor(actor),
      listings,
      ...(deps.config.slack.oauth
        ? { installations: createPrismaInstallationStore(store.prisma, clock), publicUrl: deps.config.publicUrl }
        : {}),
    });
    for (const [path, handler] of slack.routes) routes.set(path, handler);
    notifiers.slack = slack.notifier;
    starts.push(() => slack.start());
    stops.push(() => slack.stop());
    platformsOn.push('slack');
    banner.push(
      slack.mode === 'socket'
        ? 'Slack is on (Socket Mode): /signpost, mentions, direct messages and the App Home.'
        : `Slack is on: point the app's request URLs (manifest.json) at https://<this server>${SLACK_EVENTS_PATH}.`,
    );
    if (deps.config.slack.oauth)
      banner.push(`Workspaces install Signpost from ${deps.config.publicUrl}${SLACK_INSTALL_PATH} ("Add to Slack").`);
  } else {
    banner.push(`Slack is off: set ${SLACK_ENV_NAMES.join(', ')} (see README, "Slack") to turn it on.`);
  }

  // Scheduler: digests, feed refresh, booking reminders, waitlist offers and follow-ups, all sent through the queue above.
  {
    const retention = {
      keepQuestionsDays: deps.config.insights.keepQuestionsDays,
      keepStatsDays: deps.config.insights.keepStatsDays,
    };
    const scheduler = createScheduler({
      store,
      subscriptions,
      clock,
      logger: deps.logger,
      notifiers,
      bookings,
      horizonDays: deps.config.importHorizonDays,
      verifyAfterMonths: deps.config.verifyAfterMonths,
      allowPrivateHosts: deps.config.feedAllowPrivateHosts,
      nightly: (now) => purgeInsights(store, now, retention),
    });
    starts.push(() => scheduler.start());
    stops.push(() => scheduler.stop());
  }

  if (platformsOn.length === 0) {
    banner.push(
      'Slack and Teams are not configured. Started from a terminal, this server chats right here: type a question.',
      'Otherwise run `npm run -s cli -- chat` beside it, in another terminal.',
    );
  }

  return {
    routes,
    conversation,
    offerTerminalChat: platformsOn.length === 0,
    banner,
    async start() {
      for (const start of starts) await start();
    },
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    },
  };
}
