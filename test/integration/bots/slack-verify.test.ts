import type http from 'node:http';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { createChatConversation } from '../../../src/chat-conversation.ts';
import { fixedClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger } from '../../../src/logger.ts';
import { blockAction, eventCallback, postSlack, RESPONSE_URL_HOST } from '../../helpers/slack-request.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';
import { slackPorts, startSlackServer } from '../../helpers/slack-server.ts';

const SLACK_API = 'https://slack.com';
const COORDINATOR = 'UCOORD1';
const NOW = new Date('2027-06-15T09:00:00Z');

async function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}; pending: ${nock.pendingMocks().join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function captureApi(method: string): unknown[] {
  const bodies: unknown[] = [];
  nock(SLACK_API)
    .post(`/api/${method}`, (body) => {
      bodies.push(body);
      return true;
    })
    .reply(200, { ok: true, ts: '1.1', channel: { id: 'D9' } });
  return bodies;
}

describe('the verification queue in Slack (real Bolt receiver, real conversation and store)', () => {
  let store: TestStore;
  let server: http.Server;
  let url: string;

  const serviceId = async (externalId: string) =>
    (await store.sql.query<{ id: string }>(`SELECT id::text AS id FROM service WHERE external_id = $1`, [externalId]))
      .rows[0]!.id;

  beforeAll(async () => {
    store = await openTestStore('pglite');
    await importSource(
      store,
      {
        input: 'test/fixtures/verify/sheet-v1.csv',
        source: 'sheet',
        format: 'csv',
        now: new Date('2027-06-01T09:00:00Z'),
      },
      silentLogger,
    );
    const clock = fixedClock(NOW);
    const chat = createChatConversation({
      config: loadConfig({ DATABASE_URL: store.url }),
      store,
      clock,
      logger: silentLogger,
    });
    ({ server, url } = await startSlackServer({
      coordinatorUserIds: [COORDINATOR],
      conversation: chat.conversation,
      ...slackPorts(store),
      clock,
      logger: silentLogger,
      homeVerify: async (actor) => chat.hooks.verify?.queueFor(actor),
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

  it('shows coordinators the listings to check on the App Home, and nobody else', async () => {
    const published = captureApi('views.publish');
    await postSlack(url, eventCallback({ type: 'app_home_opened', user: COORDINATOR, channel: 'D9', tab: 'home' }));
    await waitFor(() => published.length === 1, 'views.publish');
    const view = (published[0] as { view: string }).view;
    expect(view).toContain('Listings to check: 3 not confirmed since 2026-12-15');
    expect(view).toContain('Bravo Knit &amp; Natter');
    expect(view).toContain(ACTION.verifyConfirm);
    expect(view).toContain(ACTION.verifyClose);

    const staff = captureApi('views.publish');
    await postSlack(url, eventCallback({ type: 'app_home_opened', user: 'USTAFF', channel: 'D8', tab: 'home' }));
    await waitFor(() => staff.length === 1, 'views.publish for staff');
    const staffView = (staff[0] as { view: string }).view;
    expect(staffView).toContain('Your bookings');
    expect(staffView).not.toContain('Listings to check');
    expect(staffView).not.toContain(ACTION.verifyClose);
  });

  it('a coordinator’s Has closed from the App Home closes the listing and answers by direct message', async () => {
    const delta = await serviceId('delta');
    const posted = captureApi('chat.postMessage');
    const fromHome = blockAction(ACTION.verifyClose, JSON.stringify({ id: delta }), {
      user: { id: COORDINATOR, username: 'coord', name: 'coord', team_id: 'T0001' },
      container: { type: 'view', view_id: 'V1' },
      view: { id: 'V1', type: 'home' },
      response_url: undefined,
      channel: undefined,
    });
    await postSlack(url, fromHome);
    await waitFor(() => posted.length === 1, 'the direct message');
    expect(JSON.stringify(posted[0])).toContain('Marked “Delta Health Walk” as closed');
    const { rows } = await store.sql.query<{ status: string; closed_by_role: string }>(
      `SELECT status, closed_by_role FROM service WHERE id = $1`,
      [delta],
    );
    expect(rows[0]).toEqual({ status: 'closed', closed_by_role: 'slack coordinator' });
  });

  it('the buttons do nothing for staff who are not coordinators', async () => {
    const bravo = await serviceId('bravo');
    const responses: unknown[] = [];
    nock(RESPONSE_URL_HOST)
      .post('/actions/T0001/1/abc', (body) => (responses.push(body), true))
      .reply(200, 'ok');
    await postSlack(url, blockAction(ACTION.verifyConfirm, JSON.stringify({ id: bravo })));
    await waitFor(() => responses.length === 1, 'the refusal');
    expect(JSON.stringify(responses[0])).toContain('Checking listings is for coordinators');
    const { rows } = await store.sql.query<{ confirmed_at: Date | null }>(
      `SELECT confirmed_at FROM service WHERE id = $1`,
      [bravo],
    );
    expect(rows[0]!.confirmed_at).toBeNull();
  });
});
