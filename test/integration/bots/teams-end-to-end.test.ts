import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotConnector } from '../../helpers/bot-connector.ts';
import { teamsActivity } from '../../helpers/teams-activities.ts';
import { startTeamsServer, type TeamsTestServer } from '../../helpers/teams-server.ts';

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
  let url: string;

  let teams: TeamsTestServer;

  beforeAll(async () => {
    teams = await startTeamsServer(NOW);
    ({ connector, url } = teams);
  });
  afterAll(() => teams.close());

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
