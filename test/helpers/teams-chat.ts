import type http from 'node:http';
import nock from 'nock';
import { expect } from 'vitest';
import type { Notifier } from '../../src/bots/core/ports.ts';
import { createPrismaConversationRefs } from '../../src/bots/teams/prisma-conversation-refs.ts';
import { createTeamsEndpoint, TEAMS_PATH } from '../../src/bots/teams/server.ts';
import { createChatConversation } from '../../src/chat-conversation.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import type { Store } from '../../src/db/open-store.ts';
import { createHttpServer, listen } from '../../src/http-server.ts';
import { silentLogger } from '../../src/logger.ts';
import { type BotConnector, startBotConnector } from './bot-connector.ts';
import { teamsActivity } from './teams-activities.ts';

export type CardElement = Record<string, unknown> & { type: string };

/** Every element of a card, containers, columns and action sets opened up. */
export function cardElements(activity: Record<string, unknown>): CardElement[] {
  const attachments = activity.attachments as { content: { body: CardElement[] } }[];
  const out: CardElement[] = [];
  const walk = (els: CardElement[]) => {
    for (const el of els) {
      out.push(el);
      if (Array.isArray(el.items)) walk(el.items as CardElement[]);
      if (Array.isArray(el.actions)) walk(el.actions as CardElement[]);
      if (Array.isArray(el.columns)) walk(el.columns as CardElement[]);
    }
  };
  walk(attachments[0]!.content.body);
  return out;
}

export type TeamsChat = {
  connector: BotConnector;
  /** Sends a message or a card submission from a user and returns the card elements of the bot's answer. */
  turn(what: { text: string } | { value: Record<string, unknown> }, user?: string): Promise<CardElement[]>;
  /** The endpoint's proactive sender (digests, reminders, follow-ups), posting to the connector stand-in. */
  notifier: Notifier;
  close(): Promise<void>;
};

/**
 * The chat conversation `npm start` builds, behind the real Bot Framework endpoint in Emulator mode, with a local
 * stand-in for the Bot Connector; `coordinator` is in TEAMS_COORDINATOR_IDS and is the default sender.
 */
export async function startTeamsChat(store: Store, options: { coordinator: string; now: Date }): Promise<TeamsChat> {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const connector = await startBotConnector();
  const config = loadConfig({ TEAMS_COORDINATOR_IDS: options.coordinator });
  const clock = fixedClock(options.now);
  const { conversation } = createChatConversation({ config, store, clock, logger: silentLogger });
  const endpoint = createTeamsEndpoint({
    credentials: null,
    emulator: true,
    conversation,
    refs: createPrismaConversationRefs(store, clock),
    logger: silentLogger,
    coordinators: config.teamsCoordinators,
  });
  const server: http.Server = createHttpServer(new Map([[TEAMS_PATH, endpoint.handler]]), silentLogger);
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${TEAMS_PATH}`;
  return {
    connector,
    notifier: endpoint.notifier,
    async turn(what, user = options.coordinator) {
      const base =
        'text' in what
          ? teamsActivity('message-personal.json', connector.serviceUrl)
          : teamsActivity('card-submit.json', connector.serviceUrl);
      const activity = {
        ...base,
        ...('text' in what ? { text: what.text } : { value: what.value }),
        from: { ...(base.from as object), aadObjectId: user },
      };
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      expect(res.status).toBe(200);
      const posted = connector.messages();
      expect(posted.length).toBeGreaterThan(0);
      return cardElements(posted.at(-1)!.activity);
    },
    async close() {
      server.close();
      await connector.close();
      nock.enableNetConnect();
    },
  };
}
