import { App, HTTPReceiver, LogLevel, webApi } from '@slack/bolt';
import type http from 'node:http';
import type { Clock } from '../../clock.ts';
import type { SlackConfig } from '../../config.ts';
import type { RouteHandler } from '../../http-server.ts';
import { createSlackRequestGuard, type SeenRequests } from './request-guard.ts';
import type { Logger } from '../../logger.ts';
import type { Actor } from '../core/inbound.ts';
import type { Conversation } from '../core/ports.ts';
import type { CoordinatorEntries } from '../core/entries/entry-hooks.ts';
import type { Reply } from '../core/reply.ts';
import { toBoltLogger } from './bolt-logger.ts';
import { createCoordinatorCheck } from './coordinators.ts';
import { apologyText, newCorrelationId } from './error-boundary.ts';
import { installFailedPage, installedPage, installPage } from './install-pages.ts';
import type { Registered } from './listeners/deps.ts';
import { registerListeners } from './listeners/register.ts';
import type { ListingShareDeps } from './listeners/share.ts';
import type { SlackInstallations } from './prisma-installation-store.ts';
import { ReplyStash } from './reply-stash.ts';
import { SlackNotifier } from './slack-notifier.ts';
import { WorkQueue } from '../core/work-queue.ts';

/** The path of Slack's Events API, slash commands and interactivity on our server (manifest.json has the same). */
export const SLACK_EVENTS_PATH = '/slack/events';
/** "Add to Slack": the page with the install link (it sets the state cookie), and where Slack sends the browser back. */
export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

/** @slack/oauth's error codes for a redirect that is not this browser's own, fresh install (state or code wrong). */
const INSTALL_LINK_ERRORS = new Set([
  'slack_oauth_missing_state',
  'slack_oauth_invalid_state',
  'slack_oauth_missing_code',
]);
/** The person pressed Cancel on Slack's page (`error=access_denied`). */
const OAUTH_CANCELLED = 'slack_oauth_installer_authorization_error';

/** The bot scopes an install asks for (manifest.json lists the same; a test checks both against the code). */
export const SLACK_BOT_SCOPES = [
  'app_mentions:read',
  'channels:read',
  'chat:write',
  'commands',
  'files:write',
  'im:history',
  'im:write',
  'links:read',
  'links:write',
  'usergroups:read',
] as const;

const RECEIVED_AT = Symbol('receivedAt');
type ReceivedRequest = http.IncomingMessage & { [RECEIVED_AT]?: number };
/**
 * When our server received a request (performance.now()), handed to the listeners as `context.receivedAt`: a
 * command's time budget counts from there, not from when its turn in the queue came.
 */
const receivedAtOf = (req: http.IncomingMessage): { receivedAt: number } => ({
  receivedAt: (req as ReceivedRequest)[RECEIVED_AT] ?? performance.now(),
});

export type SlackAppOptions = {
  config: SlackConfig;
  conversation: Conversation;
  /** Coordinators' entries (the entry modal, the App Home's list), built in app.ts. */
  entries: CoordinatorEntries;
  /** Requests already taken in, shared by every server on the database (built in app.ts). */
  seenRequests: SeenRequests;
  clock: Clock;
  logger: Logger;
  homeDigests?: (actor: Actor) => Promise<Reply | undefined>;
  /** Coordinators' verification queue on the App Home. */
  homeVerify?: (actor: Actor) => Promise<Reply | undefined>;
  /** Where installations are kept; needed when `config.oauth` is set. */
  installations?: SlackInstallations;
  /** This server's public base URL (no trailing slash): the OAuth redirect URL is built from it. */
  publicUrl?: string;
  /** `/signpost share` and listing-page unfurls (`link_shared`); without it neither is offered. */
  listings?: ListingShareDeps;
  /** Known bot ids skip the auth.test call (tests, or a deployment that sets them). */
  identity?: { botId: string; botUserId: string };
  /** Web API retries (tests shorten them). */
  retryConfig?: webApi.RetryOptions;
  /** The searches after acks; shared with Teams' turns when the server runs both. */
  queue?: WorkQueue;
};

export type SlackApp = {
  mode: 'http' | 'socket';
  bolt: App;
  /** HTTP mode: the handler to mount at SLACK_EVENTS_PATH on the shared server. */
  route: RouteHandler | undefined;
  /** Every path to mount on the shared server with its handler: the events path, and the install paths with OAuth. */
  routes: [string, RouteHandler][];
  registered: Registered;
  notifier: SlackNotifier;
  client: webApi.WebClient;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * The Slack app: Bolt with our listeners, an HTTP receiver whose request listener is a route on the shared server
 * (or Socket Mode when an app token is set), Web API calls retried on 429 (after Retry-After) and 5xx with back-off,
 * and one error boundary that logs a correlation id and apologises.
 */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { config, clock } = options;
  const logger = options.logger.child('slack');
  const boltLogger = toBoltLogger(logger);
  boltLogger.setLevel(LogLevel.INFO);
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    rejectRateLimitedCalls: false,
    retryConfig: options.retryConfig ?? { retries: 4, factor: 2, minTimeout: 300, maxTimeout: 5000, randomize: true },
    timeout: 10_000,
    logger: boltLogger,
  };
  const oauth = config.oauth ?? null;
  if (oauth && !options.installations) throw new Error('The Slack install needs an installation store');
  if (!oauth && !config.botToken) throw new Error('Slack needs SLACK_BOT_TOKEN or the install settings');
  const botToken = config.botToken ?? '';
  // With installs, Bolt gives each request a client holding its workspace's token; this one has none.
  const client = new webApi.WebClient(oauth ? undefined : botToken, clientOptions);

  // auth.test once, lazily and retried after a failure, instead of Bolt's eager call whose rejection nobody awaits.
  let identity: Promise<{ botId: string; botUserId: string }> | undefined = options.identity
    ? Promise.resolve(options.identity)
    : undefined;
  const getIdentity = () => {
    identity ??= client.auth.test().then(
      (r) => ({ botId: r.bot_id ?? '', botUserId: r.user_id ?? '' }),
      (error: unknown) => {
        identity = undefined;
        throw error;
      },
    );
    return identity;
  };
  const authorize = async () => ({ botToken, ...(await getIdentity()) });

  let receiver: HTTPReceiver | undefined;
  let bolt: App;
  if (config.appToken) {
    // The socket client opens (and reopens) its connection with its own Web API client: the same options (API URL,
    // timeout, logger), but its own patient retries.
    const { retryConfig: _ownRetries, ...socketClientOptions } = clientOptions;
    bolt = new App({
      socketMode: true,
      appToken: config.appToken,
      authorize,
      clientOptions,
      installerOptions: { clientOptions: socketClientOptions },
      logger: boltLogger,
      convoStore: false,
      extendedErrorHandler: true,
    });
  } else if (oauth && options.installations) {
    // Bolt's own OAuth support (@slack/oauth InstallProvider): the install page sets a state cookie signed with
    // SLACK_STATE_SECRET, the redirect checks it, exchanges the code with oauth.v2.access (through SLACK_API_URL when
    // set) and stores the installation; each request is then authorised from the store by its team or enterprise.
    // An install code is good for one exchange, so oauth.v2.access is not retried (a retry would only be refused).
    const { retryConfig: _noRetries, ...installClientOptions } = clientOptions;
    receiver = new HTTPReceiver({
      signingSecret: config.signingSecret ?? '',
      endpoints: SLACK_EVENTS_PATH,
      processBeforeResponse: false,
      logger: boltLogger,
      customPropertiesExtractor: receivedAtOf,
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      stateSecret: oauth.stateSecret,
      scopes: [...SLACK_BOT_SCOPES],
      installationStore: options.installations,
      ...(options.publicUrl ? { redirectUri: `${options.publicUrl}${SLACK_OAUTH_REDIRECT_PATH}` } : {}),
      installerOptions: {
        installPath: SLACK_INSTALL_PATH,
        redirectUriPath: SLACK_OAUTH_REDIRECT_PATH,
        directInstall: false,
        clientOptions: installClientOptions,
        renderHtmlForInstallPath: installPage,
        callbackOptions: {
          success: (installation, _options, _req, res) => {
            const place = installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name;
            const installKey = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
            logger.info('Slack workspace installed', {
              installKey,
              enterprise: installation.isEnterpriseInstall === true,
            });
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(installedPage(place));
          },
          failure: (error, _options, _req, res) => {
            const code = (error as { code?: string }).code ?? '';
            logger.warn('Slack install refused', { code, error: error.message });
            const reason = INSTALL_LINK_ERRORS.has(code) ? 'link' : code === OAUTH_CANCELLED ? 'cancelled' : 'slack';
            res
              .writeHead(reason === 'slack' ? 502 : 400, { 'content-type': 'text/html; charset=utf-8' })
              .end(installFailedPage(reason));
          },
        },
      },
    });
    bolt = new App({ receiver, clientOptions, logger: boltLogger, convoStore: false, extendedErrorHandler: true });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.signingSecret ?? '',
      endpoints: SLACK_EVENTS_PATH,
      // Ack before the work: ack() writes the HTTP response at once, and searching happens after it.
      processBeforeResponse: false,
      logger: boltLogger,
      customPropertiesExtractor: receivedAtOf,
    });
    bolt = new App({
      receiver,
      authorize,
      clientOptions,
      logger: boltLogger,
      convoStore: false,
      extendedErrorHandler: true,
    });
  }

  const stash = new ReplyStash(clock);
  const queue = options.queue ?? new WorkQueue(2);
  const isCoordinator = createCoordinatorCheck({
    userIds: config.coordinatorUserIds,
    usergroup: config.coordinatorUsergroup,
    client,
    clock,
    logger,
  });
  const registered = registerListeners(bolt, {
    conversation: options.conversation,
    entries: options.entries,
    clock,
    logger,
    isCoordinator,
    stash,
    queue,
    ...(options.installations ? { installations: options.installations } : {}),
    ...(options.homeDigests ? { homeDigests: options.homeDigests } : {}),
    ...(options.homeVerify ? { homeVerify: options.homeVerify } : {}),
    ...(options.listings ? { listings: options.listings } : {}),
  });

  // Last line of defence (authorisation failures, a listener that threw past its own boundary).
  bolt.error(async ({ error, body }: { error: Error; body?: unknown }) => {
    const correlationId = newCorrelationId();
    logger.error('slack request failed', {
      correlationId,
      code: (error as { code?: string }).code,
      error: error.message,
      stack: error.stack,
    });
    const responseUrl = (body as { response_url?: unknown } | undefined)?.response_url;
    if (typeof responseUrl === 'string' && responseUrl.startsWith('https://')) {
      await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: apologyText(correlationId) }),
      }).catch(() => undefined);
    }
  });

  const guard = createSlackRequestGuard({
    signingSecret: config.signingSecret ?? '',
    seen: options.seenRequests,
    onSeenError: (error) =>
      logger.warn('could not check the database for a repeated slack request; this server remembers its own', {
        error: String(error),
      }),
  });
  const route: RouteHandler | undefined = receiver
    ? async (req: http.IncomingMessage, res: http.ServerResponse) => {
        if (req.method !== 'POST') {
          res
            .writeHead(405, { allow: 'POST', 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'POST Slack requests here' }));
          return;
        }
        (req as ReceivedRequest)[RECEIVED_AT] = performance.now();
        const outcome = await guard(req);
        if (outcome.kind === 'refuse') {
          logger.warn('slack request refused', { status: outcome.status, reason: outcome.error });
          res
            .writeHead(outcome.status, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: outcome.error }));
          return;
        }
        if (outcome.kind === 'duplicate') {
          logger.info('repeated slack request acknowledged, not run again');
          res.writeHead(200).end();
          return;
        }
        // Bolt reads the body it finds buffered here instead of the (already read) stream.
        (req as http.IncomingMessage & { rawBody?: Buffer }).rawBody = outcome.rawBody;
        try {
          receiver.requestListener(req, res);
        } catch {
          // Bolt throws for a request it does not serve (anything but POST to the events path, GET to the install paths).
          const allow = req.url?.startsWith(SLACK_EVENTS_PATH) ? 'POST' : 'GET';
          res
            .writeHead(405, { allow, 'content-type': 'application/json' })
            .end(JSON.stringify({ error: `${allow} only` }));
        }
      }
    : undefined;
  // The install pages are visited by a browser: GET, no Slack signature (Bolt checks the OAuth state instead).
  const installRoute: RouteHandler | undefined = receiver
    ? async (req: http.IncomingMessage, res: http.ServerResponse) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res
            .writeHead(405, { allow: 'GET', 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'GET only' }));
          return;
        }
        try {
          receiver.requestListener(req, res);
        } catch {
          res
            .writeHead(405, { allow: 'GET', 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'GET only' }));
        }
      }
    : undefined;
  const routes: [string, RouteHandler][] = route
    ? [
        [SLACK_EVENTS_PATH, route],
        ...(oauth && installRoute
          ? ([
              [SLACK_INSTALL_PATH, installRoute],
              [SLACK_OAUTH_REDIRECT_PATH, installRoute],
            ] as [string, RouteHandler][])
          : []),
      ]
    : [];

  const installations = options.installations;
  const tokensFor = async (workspace: string | undefined): Promise<string[]> => {
    if (!oauth || !installations) return [botToken];
    if (workspace) {
      const token = await installations.botToken(workspace);
      return token ? [token] : [];
    }
    // Deliveries that name no workspace (booking reminders and offers, sent to a person): every installation in turn.
    return installations.botTokens();
  };

  return {
    mode: receiver ? 'http' : 'socket',
    bolt,
    route,
    registered,
    routes,
    notifier: new SlackNotifier({ tokens: tokensFor, apiUrl: config.apiUrl, logger }),
    client,
    async start() {
      if (oauth && installations) {
        const installed = await installations.keys();
        logger.info('Slack install is on', { workspaces: installed.length });
        return;
      }
      try {
        const me = await getIdentity();
        logger.info('Slack token accepted', { botUserId: me.botUserId });
      } catch (error) {
        logger.warn('Slack auth.test failed; will retry on the first request', { error: String(error) });
      }
      if (!receiver) await bolt.start();
    },
    async stop() {
      if (!receiver) await bolt.stop();
      await queue.drained();
    },
  };
}
