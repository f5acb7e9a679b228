import type http from 'node:http';
import { createSeenRequests } from '../../src/bots/slack/request-guard.ts';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackApp } from '../../src/bots/slack/slack-app.ts';
import { coordinatorEntries } from '../../src/catalogue/manual-entries.ts';
import type { Database, StoreKind } from '../../src/db/sql.ts';
import { createHttpServer, listen } from '../../src/http-server.ts';
import { silentLogger } from '../../src/logger.ts';
import { TEST_SIGNING_SECRET } from './slack-request.ts';

type SlackAppOptions = Parameters<typeof createSlackApp>[0];

/** What the Slack app is given of the store, built as app.ts builds it. */
export function slackPorts(store: Database & { kind?: StoreKind }): Pick<SlackAppOptions, 'entries' | 'seenRequests'> {
  return {
    entries: coordinatorEntries(store),
    seenRequests: createSeenRequests(store.sql, { exclusive: store.kind === 'pglite' }),
  };
}

export type SlackTestServer = { slack: SlackApp; server: http.Server; url: string };

/**
 * The real Slack app (HTTP receiver, signed with TEST_SIGNING_SECRET, Web API at slack.com for nock) mounted on a
 * loopback server; `url` is its events endpoint.
 */
export async function startSlackServer(
  options: Omit<SlackAppOptions, 'config' | 'identity'> & { coordinatorUserIds?: string[] },
): Promise<SlackTestServer> {
  const { coordinatorUserIds = [], ...rest } = options;
  const slack = createSlackApp({
    ...rest,
    config: {
      botToken: 'xoxb-test',
      signingSecret: TEST_SIGNING_SECRET,
      appToken: null,
      apiUrl: null,
      coordinatorUserIds,
      coordinatorUsergroup: null,
    },
    identity: { botId: 'B0BOT', botUserId: 'UBOT' },
  });
  const server = createHttpServer(new Map([[SLACK_EVENTS_PATH, slack.route!]]), silentLogger);
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${SLACK_EVENTS_PATH}`;
  return { slack, server, url };
}
