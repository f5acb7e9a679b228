import type http from 'node:http';
import { type Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { TeamsCredentials } from '../../config.ts';
import type { RouteHandler } from '../../http-server.ts';
import type { Logger } from '../../logger.ts';
import type { Conversation, Notifier } from '../core/ports.ts';
import { apologyText } from '../core/replies/errors.ts';
import { WorkQueue } from '../core/work-queue.ts';
import { SignpostTeamsBot } from './bot.ts';
import { createConnectorHttpClient } from './connector-http-client.ts';
import { createMessageExtension, type MessageExtensionDeps } from './message-extension.ts';
import type { ConversationRefs } from './conversation-refs.ts';
import { createServiceUrlPolicy } from './service-urls.ts';
import { createTeamsNotifier } from './teams-notifier.ts';
import { newCorrelationId } from '../../correlation-id.ts';

export const TEAMS_PATH = '/api/messages';
/** Bot Framework activities are small; anything far bigger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

export type TeamsEndpointDeps = {
  credentials: TeamsCredentials | null;
  conversation: Conversation;
  refs: ConversationRefs;
  logger: Logger;
  coordinators?: ReadonlySet<string>;
  /** TEAMS_EMULATOR=true: without credentials, serve the Bot Framework Emulator on this machine. Else 401. */
  emulator?: boolean;
  /** TEAMS_SERVICE_URL_HOSTS: service URL hosts allowed besides Bot Framework's own. */
  serviceUrlHosts?: readonly string[];
  /** The searches behind turns, a few at a time; shared with Slack's when the server runs both. */
  queue?: WorkQueue;
  /** The message extension's search and link previews (composeExtensions in the app manifest). */
  extension?: MessageExtensionDeps;
};

export type TeamsEndpoint = {
  handler: RouteHandler;
  adapter: SignpostCloudAdapter;
  /** The bot's Microsoft app id ('' in local Emulator mode), needed for proactive sends. */
  appId: string;
  authenticated: boolean;
  /** Proactive posts (digests, reminders) into the chats and channels the app is installed in. */
  notifier: Notifier;
  /** Start-up banner lines. */
  banner: string[];
};

/** CloudAdapter with its turn runner reachable, so the HTTP edge stays ours (body limits, logging, status codes). */
export class SignpostCloudAdapter extends CloudAdapter {
  runTurn(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

const ActivityEnvelopeSchema = z.object({ type: z.string().min(1), serviceUrl: z.string().optional() }).loose();

/**
 * `/api/messages` for Microsoft Teams on botbuilder's CloudAdapter. With credentials every request's Bot Framework
 * token is verified by botbuilder. Without them every request gets 401, unless TEAMS_EMULATOR=true: then only
 * direct connections from this machine (no proxy headers) with a JSON body are served, for the Bot Framework
 * Emulator, since the bot would otherwise post to any serviceUrl a stranger names.
 */
export function createTeamsEndpoint(deps: TeamsEndpointDeps): TeamsEndpoint {
  const log = deps.logger.child('teams');
  const c = deps.credentials;
  const auth = new ConfigurationBotFrameworkAuthentication(
    c
      ? {
          MicrosoftAppId: c.appId,
          MicrosoftAppPassword: c.appPassword,
          MicrosoftAppType: c.appType,
          ...(c.tenantId ? { MicrosoftAppTenantId: c.tenantId } : {}),
        }
      : {},
    undefined,
    undefined,
    undefined,
    { httpClient: createConnectorHttpClient() },
  );
  const adapter = new SignpostCloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    const correlationId = newCorrelationId();
    log.error('teams turn failed', {
      correlationId,
      activityType: context.activity.type,
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    });
    if (context.activity.type !== 'message') return;
    await context
      .sendActivity(apologyText(correlationId, 'brackets'))
      .catch((sendError: unknown) =>
        log.warn('could not send the apology', { correlationId, error: String(sendError) }),
      );
  };
  const emulator = !c && deps.emulator === true;
  const serviceUrlAllowed = createServiceUrlPolicy({
    emulator,
    ...(deps.serviceUrlHosts ? { extraHosts: deps.serviceUrlHosts } : {}),
  });
  const bot = new SignpostTeamsBot({
    conversation: deps.conversation,
    refs: deps.refs,
    logger: deps.logger,
    serviceUrlAllowed,
    queue: deps.queue ?? new WorkQueue(2),
    ...(deps.coordinators ? { coordinators: deps.coordinators } : {}),
    ...(deps.extension ? { extension: createMessageExtension(deps.extension) } : {}),
  });

  const handler: RouteHandler = async (req, res) => {
    if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
    if (!c) {
      if (!emulator) {
        log.warn(
          'refused a request: Teams is not set up (set MicrosoftAppId and MicrosoftAppPassword, or TEAMS_EMULATOR=true)',
        );
        return send(res, 401, { error: 'unauthorized' });
      }
      // Emulator mode: a browser page or a same-host proxy must not reach it, only the Emulator itself.
      if (
        !isLoopback(req.socket.remoteAddress) ||
        req.headers['x-forwarded-for'] !== undefined ||
        req.headers.forwarded !== undefined
      ) {
        log.warn('refused an unauthenticated request that is not a direct one from this machine');
        return send(res, 401, { error: 'unauthorized' });
      }
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
        return send(res, 415, { error: 'application/json only' });
    }
    const raw = await readBody(req);
    if (raw === null) return send(res, 413, { error: 'too large' });
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, { error: 'body is not JSON' });
    }
    const envelope = ActivityEnvelopeSchema.safeParse(body);
    if (!envelope.success) return send(res, 400, { error: 'not a Bot Framework activity' });
    const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    try {
      const invoke = await adapter.runTurn(authHeader, envelope.data as unknown as Activity, (context) =>
        bot.run(context),
      );
      if (invoke) return send(res, invoke.status, invoke.body);
      return send(res, 200, undefined);
    } catch (error) {
      if (isAuthError(error)) {
        log.warn('refused a request without a valid Bot Framework token', { reason: (error as Error).message });
        return send(res, 401, { error: 'unauthorized' });
      }
      throw error;
    }
  };
  const appId = c?.appId ?? '';
  const banner = c
    ? [
        `Teams: bot ${appId} on ${TEAMS_PATH} (Bot Framework tokens are verified; posts only to Bot Framework service URLs).`,
      ]
    : emulator
      ? [
          `Teams: TEAMS_EMULATOR=true and no MicrosoftAppId: ${TEAMS_PATH} serves unauthenticated JSON requests made directly`,
          '  from this machine (not through a proxy), for the Bot Framework Emulator only. Do not expose this port.',
        ]
      : [
          `Teams: off (${TEAMS_PATH} answers 401). Set MicrosoftAppId and MicrosoftAppPassword, or TEAMS_EMULATOR=true for the Emulator.`,
        ];
  const notifier = createTeamsNotifier({ adapter, appId, refs: deps.refs, logger: deps.logger, serviceUrlAllowed });
  return { handler, adapter, appId, authenticated: c !== null, notifier, banner };
}

function isAuthError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return error.name === 'AuthenticationError' || status === 401 || status === 403;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (body === undefined || body === null) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
