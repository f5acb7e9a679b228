import { App, HTTPReceiver, LogLevel, webApi } from '@slack/bolt';
import type http from 'node:http';
import type { Clock } from '../../clock.ts';
import type { SlackConfig } from '../../config.ts';
import type { Store } from '../../db/open-store.ts';
import type { RouteHandler } from '../../http-server.ts';
import { createSlackRequestGuard } from './request-guard.ts';
import type { Logger } from '../../logger.ts';
import type { Actor } from '../core/inbound.ts';
import type { Conversation } from '../core/ports.ts';
import type { Reply } from '../core/reply.ts';
import { toBoltLogger } from './bolt-logger.ts';
import { createCoordinatorCheck } from './coordinators.ts';
import { apologyText, newCorrelationId } from './error-boundary.ts';
import type { Registered } from './listeners/deps.ts';
import { registerListeners } from './listeners/register.ts';
import { ReplyStash } from './reply-stash.ts';
import { SlackNotifier } from './slack-notifier.ts';
import { WorkQueue } from './work-queue.ts';

/** The path of Slack's Events API, slash commands and interactivity on our server (manifest.json has the same). */
export const SLACK_EVENTS_PATH = '/slack/events';

export type SlackAppOptions = {
  config: SlackConfig;
  conversation: Conversation;
  store: Store;
  clock: Clock;
  logger: Logger;
  homeDigests?: (actor: Actor) => Promise<Reply | undefined>;
  /** Known bot ids skip the auth.test call (tests, or a deployment that sets them). */
  identity?: { botId: string; botUserId: string };
  /** Web API retries (tests shorten them). */
  retryConfig?: webApi.RetryOptions;
};

export type SlackApp = {
  mode: 'http' | 'socket';
  bolt: App;
  /** HTTP mode: the handler to mount at SLACK_EVENTS_PATH on the shared server. */
  route: RouteHandler | undefined;
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
  const client = new webApi.WebClient(config.botToken, clientOptions);

  // auth.test once, lazily and retried after a failure, instead of Bolt's eager call whose rejection nobody awaits.
  let identity: Promise<{ botId: string; botUserId: string }> | undefined = options.identity ? Promise.resolve(options.identity) : undefined;
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
  const authorize = async () => ({ botToken: config.botToken, ...(await getIdentity()) });

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
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.signingSecret ?? '',
      endpoints: SLACK_EVENTS_PATH,
      // Ack before the work: ack() writes the HTTP response at once, and searching happens after it.
      processBeforeResponse: false,
      logger: boltLogger,
    });
    bolt = new App({ receiver, authorize, clientOptions, logger: boltLogger, convoStore: false, extendedErrorHandler: true });
  }

  const stash = new ReplyStash(clock);
  const queue = new WorkQueue(2);
  const isCoordinator = createCoordinatorCheck({
    userIds: config.coordinatorUserIds,
    usergroup: config.coordinatorUsergroup,
    client,
    clock,
    logger,
  });
  const registered = registerListeners(bolt, {
    conversation: options.conversation,
    store: options.store,
    clock,
    logger,
    isCoordinator,
    stash,
    queue,
    ...(options.homeDigests ? { homeDigests: options.homeDigests } : {}),
  });

  // Last line of defence (authorisation failures, a listener that threw past its own boundary).
  bolt.error(async ({ error, body }: { error: Error; body?: unknown }) => {
    const correlationId = newCorrelationId();
    logger.error('slack request failed', { correlationId, code: (error as { code?: string }).code, error: error.message, stack: error.stack });
    const responseUrl = (body as { response_url?: unknown } | undefined)?.response_url;
    if (typeof responseUrl === 'string' && responseUrl.startsWith('https://')) {
      await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: apologyText(correlationId) }),
      }).catch(() => undefined);
    }
  });

  const guard = createSlackRequestGuard({ signingSecret: config.signingSecret ?? '' });
  const route: RouteHandler | undefined = receiver
    ? async (req: http.IncomingMessage, res: http.ServerResponse) => {
        if (req.method !== 'POST') {
          res.writeHead(405, { allow: 'POST', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'POST Slack requests here' }));
          return;
        }
        const outcome = await guard(req);
        if (outcome.kind === 'refuse') {
          logger.warn('slack request refused', { status: outcome.status, reason: outcome.error });
          res.writeHead(outcome.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: outcome.error }));
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
          // Bolt throws for anything but POST to the events path.
          res.writeHead(405, { allow: 'POST', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'POST Slack requests here' }));
        }
      }
    : undefined;

  return {
    mode: receiver ? 'http' : 'socket',
    bolt,
    route,
    registered,
    notifier: new SlackNotifier({ botToken: config.botToken, apiUrl: config.apiUrl, logger, client: undefined }),
    client,
    async start() {
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
