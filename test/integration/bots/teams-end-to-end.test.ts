import type http from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { fixedClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type BotConnector, startBotConnector } from '../../helpers/bot-connector.ts';
import { teamsActivity } from '../../helpers/teams-activities.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-11-23T12:00:00Z');

type Card = { body: unknown[] };
const cardOf = (activity: Record<string, unknown>) => (activity.attachments as { content: Card }[])[0]!.content;

/** Every Action.Submit in a card, in order. */
function submits(card: Card): { title: string; data: { action: string; value: string } }[] {
  const found: { title: string; data: { action: string; value: string } }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Submit') found.push(o as never);
      Object.values(o).forEach(walk);
    }
  };
  walk(card.body);
  return found;
}

describe('Teams over the real conversation core and the demo catalogue', () => {
  let connector: BotConnector;
  let store: TestStore;
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    connector = await startBotConnector();
    store = await openTestStore('pglite');
    await seedDemo(store, NOW);
    const config = { ...loadConfig({ DATABASE_URL: 'pglite:memory', TEAMS_EMULATOR: 'true' }), teams: null };
    const app = await createApp({ config, store, clock: fixedClock(NOW), logger: silentLogger });
    server = createHttpServer(app.routes, silentLogger);
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}/api/messages`;
  });
  afterAll(async () => {
    server.close();
    await connector.close();
    await store.close();
    nock.enableNetConnect();
  });

  const send = async (activity: Record<string, unknown>) => {
    connector.reset();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(200);
    const messages = connector.messages();
    expect(messages).toHaveLength(1);
    return cardOf(messages[0]!.activity);
  };

  it('answers a channel question with results, and a Details button opens one of them', async () => {
    const results = await send(
      teamsActivity('channel-mention.json', connector.serviceUrl, { text: '<at>Signpost Bot</at> lunch club' }),
    );
    const text = JSON.stringify(results);
    expect(text.toLowerCase()).toContain('lunch');
    const detailsButton = submits(results).find((s) => s.data.action === 'catalogue.details');
    expect(detailsButton).toBeDefined();

    const details = await send(teamsActivity('card-submit.json', connector.serviceUrl, { value: detailsButton!.data }));
    expect(JSON.stringify(details).length).toBeGreaterThan(200);
    expect(JSON.stringify(details)).not.toContain('out of date');
  });

  it('welcomes a team with the help reply when installed', async () => {
    const help = await send(
      teamsActivity('msteams-docs_conversationUpdate_teamMemberAdded_bot-added-to-team.json', connector.serviceUrl),
    );
    expect(JSON.stringify(help).length).toBeGreaterThan(100);
  });
});
