import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.ts';
import { silentLogger } from '../../../src/logger.ts';
import type { BotConnector } from '../../helpers/bot-connector.ts';
import { cli } from '../../helpers/run-cli.ts';
import { teamsActivity } from '../../helpers/teams-activities.ts';
import { startTeamsServer, type TeamsTestServer } from '../../helpers/teams-server.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const QUESTION = 'my client is feeling suicidal and very lonely, any befriending?';

describe('urgent help through the server (Teams endpoint)', () => {
  let connector: BotConnector;
  let url: string;

  let teams: TeamsTestServer;

  beforeAll(async () => {
    teams = await startTeamsServer(NOW);
    ({ connector, url } = teams);
  });
  afterAll(() => teams.close());

  const ask = async (text: string) => {
    connector.reset();
    const activity = teamsActivity('message-personal.json', connector.serviceUrl, { text });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(200);
    const [message] = connector.messages();
    return (message!.activity.attachments as { content: { body: Record<string, unknown>[] } }[])[0]!.content;
  };

  it('puts the numbers to call in the first element of the card, then the listings', async () => {
    const card = await ask(QUESTION);
    const first = card.body[0]!;
    expect(first).toMatchObject({ type: 'Container', style: 'attention' });
    expect(JSON.stringify(first)).toContain('116 123');
    expect(JSON.stringify(card.body.slice(1)).toLowerCase()).toContain('befriend');

    const ordinary = await ask('befriending for a lonely man');
    expect(JSON.stringify(ordinary)).not.toContain('116 123');
  });
});

describe('urgent help in the terminal chat', () => {
  let url: string;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-urgent-chat-'));
    url = `pglite:${path.join(dir, 'db')}`;
    expect((await cli(url, 'seed-demo', '--now', NOW.toISOString())).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers first with the numbers to call', async () => {
    const stdin = new PassThrough();
    stdin.end(`${QUESTION}\n`);
    let stdout = '';
    const code = await runCli(['chat', '--now', NOW.toISOString()], {
      stdout: { write: (t) => void (stdout += t) },
      stderr: { write: () => {} },
      stdin,
      env: { DATABASE_URL: url },
      logger: silentLogger,
    });
    expect(code).toBe(0);
    const answer = stdout.split(/\n> .*\n/)[1]!;
    expect(answer).toMatch(/^\n!! If someone is at risk right now, get help first\n {3}999 /);
    expect(answer.indexOf('116 123')).toBeLessThan(answer.indexOf('1. '));
  });
});
