import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { createPrismaConversationRefs } from '../../../src/bots/teams/prisma-conversation-refs.ts';
import { createTeamsEndpoint, TEAMS_PATH } from '../../../src/bots/teams/server.ts';
import { ensureDemoCatalogue } from '../../../src/catalogue/demo/seed-demo.ts';
import { listingPageUrl } from '../../../src/catalogue/pages/listing-url.ts';
import { createDatabaseSearch } from '../../../src/catalogue/search/database-search.ts';
import { createLeafletRoute, LEAFLET_PATH_PREFIX } from '../../../src/catalogue/shortlist/leaflet-links.ts';
import { createLeafletStore } from '../../../src/catalogue/shortlist/shortlist-store.ts';
import { createChatConversation } from '../../../src/chat-conversation.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { fixedClock, type Clock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { createHttpServer, type HttpRoutes, listen } from '../../../src/http-server.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type BotConnector, startBotConnector } from '../../helpers/bot-connector.ts';
import { createCaptureLogger } from '../../helpers/capture-logger.ts';
import { pdfPages, pdfQrCodes, pdfText, pdfTextSizes } from '../../helpers/read-pdf.ts';
import { cli } from '../../helpers/run-cli.ts';
import { blockAction, postSlack, RESPONSE_URL_HOST, slashCommand } from '../../helpers/slack-request.ts';
import { type CardElement, cardElements } from '../../helpers/teams-chat.ts';
import { teamsActivity } from '../../helpers/teams-activities.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';
import { slackPorts, startSlackServer } from '../../helpers/slack-server.ts';

const NOW = '2026-12-01T09:00:00Z';

async function waitFor(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}; pending: ${nock.pendingMocks().join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The file in a multipart/form-data body (what files.uploadV2 posts to the upload URL). */
function multipartFile(body: Buffer): Buffer {
  const boundary = body.subarray(0, body.indexOf('\r\n')).toString('latin1');
  const headersEnd = body.indexOf('\r\n\r\n', body.indexOf('filename='));
  const start = headersEnd + 4;
  const end = body.indexOf(`\r\n${boundary}`, start);
  return body.subarray(start, end);
}

describe('the list for a resident in the terminal chat', () => {
  let dir: string;
  let url: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-shortlist-chat-'));
    url = `pglite:${path.join(dir, 'db')}`;
    expect((await cli(url, 'seed-demo', '--now', NOW)).code).toBe(0);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function chat(lines: string[]) {
    const stdin = new PassThrough();
    stdin.end(lines.map((l) => `${l}\n`).join(''));
    let stdout = '';
    let stderr = '';
    const code = await runCli(['chat', '--now', NOW, '--user', 'officer-1'], {
      stdout: { write: (t) => void (stdout += t) },
      stderr: { write: (t) => void (stderr += t) },
      stdin,
      env: { DATABASE_URL: url },
      logger: silentLogger,
      cwd: dir,
    });
    return { code, stdout, stderr, answers: stdout.split(/\n> .*\n/).slice(1) };
  }

  it('adds results by number, sends the list as a text message and as leaflets saved to files, by word and by button', async () => {
    const run = await chat(['lunch club', 'add 1', 'add 1', 'add 2', 'send list', 'sms', 'leaflet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [results, added, again, second, list, sms, leaflet] = run.answers;
    expect(results).toContain('[details 1] [share 1] [add 1]');
    const first = /1\. (.+)/.exec(results!)![1]!.trim();
    const secondTitle = /2\. (.+)/.exec(results!)![1]!.trim();
    expect(added).toContain(`Added “${first}” to the list for the resident (1 of 8).`);
    expect(added).toContain('[send list]');
    expect(again).toContain(`“${first}” is already on the list`);
    expect(second).toContain(`Added “${secondTitle}” to the list for the resident (2 of 8).`);
    expect(list).toContain('List for the resident: 2 listings');
    expect(list).toContain('[sms]');
    expect(list).toContain('[clear list]');

    expect(sms).toMatch(/Copy it into a text message: [1-3] SMS segments?, \d+ characters/);
    expect(sms).toContain(first);
    expect(sms).toContain(secondTitle);
    expect(sms).toContain('http://localhost:3978/l/');
    expect(sms).toContain('Demo data: these listings are invented; do not send them to anyone.');

    const saved = /Saved signpost-leaflet\.pdf to (.+)/.exec(leaflet!)?.[1]?.trim();
    expect(saved).toBe(path.join(dir, 'signpost-leaflet.pdf'));
    const pdf = fs.readFileSync(saved!);
    expect(pdfPages(pdf)).toBe(1);
    expect(pdfText(pdf)).toContain(first);
    expect(pdfText(pdf)).toContain(secondTitle);
    expect(pdfQrCodes(pdf)).toHaveLength(2);

    // The large-print leaflet by its button, then the list emptied.
    const token = /\[(b\d+): Large-print leaflet\]/.exec(list!)?.[1];
    expect(token).toBeDefined();
    const more = await chat(['send list', token!, 'clear list', 'send list']);
    const [, large, cleared, empty] = more.answers;
    const largeFile = /Saved signpost-leaflet-large-print\.pdf to (.+)/.exec(large!)?.[1]?.trim();
    const largePdf = fs.readFileSync(largeFile!);
    for (const t of pdfTextSizes(largePdf)) expect(t.size).toBeGreaterThanOrEqual(16);
    expect(pdfText(largePdf)).toContain(first);
    expect(cleared).toContain('The list is empty now.');
    expect(empty).toContain('The list is empty.');
  }, 60_000);

  it('keeps the list in the store for the staff member’s conversation: a later chat finds it', async () => {
    await chat(['lunch club', 'add 3']);
    const later = await chat(['send list']);
    expect(later.answers[0]).toContain('List for the resident: 1 listing');
    await chat(['clear list']);
  }, 60_000);
});

describe('the list for a resident in Slack (real Bolt receiver with signed requests)', () => {
  const SLACK_API = 'https://slack.com';
  let store: TestStore;
  let server: http.Server;
  let url: string;
  const logger = createCaptureLogger();

  beforeAll(async () => {
    store = await openTestStore('pglite');
    await ensureDemoCatalogue(store, new Date(NOW));
    const clock = fixedClock(new Date(NOW));
    const chat = createChatConversation({ config: loadConfig({ DATABASE_URL: store.url }), store, clock, logger });
    ({ server, url } = await startSlackServer({
      conversation: chat.conversation,
      ...slackPorts(store),
      clock,
      logger,
    }));
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  }, 120_000);
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    nock.enableNetConnect();
    await new Promise((r) => server.close(r));
    await store?.close();
  });

  type Block = {
    type: string;
    text?: { text: string };
    elements?: { action_id: string; value?: string; text: { text: string } }[];
  };
  const responses = (route: string) => {
    const bodies: { text: string; blocks: Block[] }[] = [];
    nock(RESPONSE_URL_HOST)
      .post(route, (body) => (bodies.push(body as { text: string; blocks: Block[] }), true))
      .reply(200, 'ok');
    return bodies;
  };
  const buttonsOf = (blocks: Block[]) => blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
  const textOf = (blocks: Block[]) =>
    blocks
      .map(
        (b) =>
          b.text?.text ??
          (b.type === 'context'
            ? (b.elements ?? []).map((e) => (e as unknown as { text: string }).text).join(' ')
            : ''),
      )
      .join('\n');
  const press = async (button: { action_id: string; value?: string }) => {
    const answer = responses('/actions/T0001/1/abc');
    await postSlack(url, blockAction(button.action_id, button.value ?? ''));
    await waitFor(() => answer.length === 1, `the answer to ${button.action_id}`);
    return answer[0]!;
  };

  it('Add to list on results, Send list, a text message, and a large-print leaflet uploaded with files.uploadV2', async () => {
    const answer = responses('/commands/1234/5678');
    await postSlack(url, slashCommand('lunch club'));
    await waitFor(() => answer.length === 1, 'the results');
    const adds = buttonsOf(answer[0]!.blocks).filter((b) => b.action_id.startsWith(ACTION.shortlistAdd));
    expect(adds.length).toBeGreaterThanOrEqual(3);
    expect(adds[0]!.text.text).toBe('Add to list');

    const added = await press(adds[0]!);
    expect(textOf(added.blocks)).toContain('to the list for the resident (1 of 8)');
    await press(adds[1]!);
    const sendList = buttonsOf(added.blocks).find((b) => b.action_id.startsWith(ACTION.shortlistShow))!;
    const list = await press(sendList);
    expect(list.blocks[0]!.text?.text).toBe('List for the resident: 2 listings');
    const ways = buttonsOf(list.blocks);

    const sms = await press(ways.find((b) => b.action_id.startsWith(ACTION.shortlistSms))!);
    const smsText = textOf(sms.blocks);
    expect(smsText).toContain('Text message for the resident');
    expect(smsText).toMatch(/\d SMS segments?, \d+ characters/);
    expect(smsText).toContain('http://localhost:3978/l/');

    const opened: unknown[] = [];
    const asked: Record<string, string>[] = [];
    const uploaded: Buffer[] = [];
    const completed: Record<string, string>[] = [];
    nock(SLACK_API)
      .post('/api/conversations.open', (b) => (opened.push(b), true))
      .reply(200, { ok: true, channel: { id: 'D777' } });
    nock(SLACK_API)
      .post('/api/files.getUploadURLExternal', (b) => (asked.push(b as Record<string, string>), true))
      .reply(200, { ok: true, upload_url: 'https://files.slack.com/upload/v1/leaflet', file_id: 'F1' });
    nock('https://files.slack.com')
      .post(
        '/upload/v1/leaflet',
        (body: string) => (uploaded.push(Buffer.from(body, /^[0-9a-f]+$/.test(body) ? 'hex' : 'binary')), true),
      )
      .reply(200, 'OK');
    nock(SLACK_API)
      .post('/api/files.completeUploadExternal', (b) => (completed.push(b as Record<string, string>), true))
      .reply(200, { ok: true, files: [{ id: 'F1' }] });
    const leafletAnswer = await press(
      ways.find((b) => b.action_id.startsWith(ACTION.shortlistLeaflet) && b.value?.includes('large'))!,
    );
    expect(textOf(leafletAnswer.blocks)).toContain('Large-print leaflet with 2 listings');
    await waitFor(() => completed.length === 1, 'the upload');
    expect(asked[0]).toMatchObject({ filename: 'signpost-leaflet-large-print.pdf' });
    expect(completed[0]).toMatchObject({ channel_id: 'D777' });
    const pdf = multipartFile(uploaded[0]!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(Number(asked[0]!.length)).toBe(pdf.length);
    expect(pdfPages(pdf)).toBe(1);
    expect(pdfQrCodes(pdf)).toHaveLength(2);
    for (const t of pdfTextSizes(pdf)) expect(t.size).toBeGreaterThanOrEqual(16);

    // Logged: that a list was sent, how, and how many listings; never the listings' text or anything typed.
    const sent = logger.lines.filter((l) => l.msg === 'list sent');
    expect(sent.map((l) => l.fields)).toEqual([
      expect.objectContaining({ platform: 'slack', kind: 'sms', listings: 2 }),
      expect.objectContaining({ platform: 'slack', kind: 'leaflet', listings: 2 }),
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain('lunch club');
  }, 60_000);
});

describe('the list for a resident in Teams (real Bot Framework endpoint), with the leaflet behind a signed link', () => {
  const USER = '6b2a7c1e-3f0d-4a8e-9b52-1c4d5e6f7a80';
  let store: TestStore;
  let server: http.Server;
  let base: string;
  let connector: BotConnector;
  let now = new Date(NOW);
  const clock: Clock = { now: () => now };

  beforeAll(async () => {
    store = await openTestStore('pglite');
    await ensureDemoCatalogue(store, new Date(NOW));
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    connector = await startBotConnector();
    const routes: HttpRoutes = new Map();
    server = createHttpServer(routes, silentLogger);
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    const config = loadConfig({ PUBLIC_URL: base, LEAFLET_LINK_SECRET: 'a-long-random-test-secret-0123456789' });
    const chat = createChatConversation({ config, store, clock, logger: silentLogger });
    const endpoint = createTeamsEndpoint({
      credentials: null,
      emulator: true,
      conversation: chat.conversation,
      refs: createPrismaConversationRefs(store, clock),
      logger: silentLogger,
      coordinators: config.teamsCoordinators,
    });
    routes.set(TEAMS_PATH, endpoint.handler);
    routes.set(
      LEAFLET_PATH_PREFIX,
      createLeafletRoute({
        links: chat.leafletLinks,
        leaflets: createLeafletStore(store),
        search: createDatabaseSearch(store),
        clock,
        logger: silentLogger,
        publicUrl: base,
      }),
    );
  }, 120_000);
  afterAll(async () => {
    server?.close();
    await connector?.close();
    nock.enableNetConnect();
    await store?.close();
  });

  async function turn(what: { text: string } | { value: Record<string, unknown> }): Promise<CardElement[]> {
    connector.reset();
    const template =
      'text' in what
        ? teamsActivity('message-personal.json', connector.serviceUrl)
        : teamsActivity('card-submit.json', connector.serviceUrl);
    const activity = { ...template, ...what, from: { ...(template.from as object), aadObjectId: USER } };
    const res = await fetch(`${base}${TEAMS_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(200);
    return cardElements(connector.messages().at(-1)!.activity);
  }
  type Submit = CardElement & { title: string; data: { action: string; value: string } };
  const submits = (els: CardElement[]) => els.filter((e) => e.type === 'Action.Submit') as Submit[];
  const textOf = (els: CardElement[]) =>
    els
      .filter((e) => e.type === 'TextBlock')
      .map((e) => String(e.text))
      .join('\n');
  const pressIn = (els: CardElement[], action: string, which = 0) => {
    const button = submits(els).filter((b) => b.data.action === action)[which];
    expect(button, action).toBeDefined();
    return turn({ value: { ...button!.data, msteams: {} } });
  };

  it('Add to list, Send list, a text message, and a leaflet link that opens the PDF until it expires', async () => {
    const results = await turn({ text: 'lunch club' });
    const adds = submits(results).filter((b) => b.data.action === ACTION.shortlistAdd);
    expect(adds.length).toBeGreaterThanOrEqual(2);
    expect(adds[0]!.title).toBe('Add to list');
    const firstId = (JSON.parse(adds[0]!.data.value) as { id: string }).id;
    const secondId = (JSON.parse(adds[1]!.data.value) as { id: string }).id;
    expect(textOf(await pressIn(results, ACTION.shortlistAdd, 0))).toContain('(1 of 8)');
    const added = await pressIn(results, ACTION.shortlistAdd, 1);
    expect(textOf(added)).toContain('(2 of 8)');
    const list = await pressIn(added, ACTION.shortlistShow);
    expect(textOf(list)).toContain('List for the resident: 2 listings');

    const sms = textOf(await pressIn(list, ACTION.shortlistSms));
    expect(sms).toContain(listingPageUrl(base, firstId));
    expect(sms).toContain(listingPageUrl(base, secondId));

    const leaflet = await pressIn(list, ACTION.shortlistLeaflet, 0);
    expect(textOf(leaflet)).toContain('The link works for 7 days.');
    const open = leaflet.find((e) => e.type === 'Action.OpenUrl' && e.title === 'Open the leaflet (PDF)') as
      | (CardElement & { url: string })
      | undefined;
    expect(open).toBeDefined();
    const link = new URL(open!.url);
    expect(link.pathname).toMatch(/^\/leaflets\/[0-9a-f-]{36}\.pdf$/);
    expect(link.pathname).not.toContain(USER);

    const res = await fetch(open!.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="signpost-leaflet.pdf"');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdfQrCodes(pdf).sort()).toEqual([listingPageUrl(base, firstId), listingPageUrl(base, secondId)].sort());

    // Altered, unsigned or expired links are refused.
    const tampered = new URL(open!.url);
    tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 86_400));
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(`${base}${link.pathname}`)).status).toBe(403);
    now = new Date(new Date(NOW).getTime() + 7 * 24 * 60 * 60 * 1000 + 1000);
    const expired = await fetch(open!.url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('expired');
    now = new Date(NOW);
  }, 60_000);
});
