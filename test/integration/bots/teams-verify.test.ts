import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type CardElement, startTeamsChat, type TeamsChat } from '../../helpers/teams-chat.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2027-06-15T09:00:00Z');
const COORDINATOR = '6b2a7c1e-3f0d-4a8e-9b52-1c4d5e6f7a80';
const SOMEONE_ELSE = '00000000-0000-4000-8000-000000000099';

describe('the verification queue in Teams (real Bot Framework endpoint, real conversation and store)', () => {
  let store: TestStore;
  let chat: TeamsChat;

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
    chat = await startTeamsChat(store, { coordinator: COORDINATOR, now: NOW });
  }, 120_000);
  afterAll(async () => {
    await chat?.close();
    await store?.close();
  });
  beforeEach(() => chat.connector.reset());

  const turn: TeamsChat['turn'] = (what, user) => chat.turn(what, user);
  const textOf = (els: CardElement[]) =>
    els
      .filter((e) => e.type === 'TextBlock')
      .map((e) => String(e.text))
      .join('\n');
  const submits = (els: CardElement[]) =>
    els.filter((e) => e.type === 'Action.Submit') as (CardElement & {
      title: string;
      data: { action: string; value: string };
    })[];

  it('shows a coordinator the queue as an Adaptive Card, and Still running takes a listing out of it', async () => {
    const card = await turn({ text: 'verify' });
    const text = textOf(card);
    expect(text).toContain('Listings to check: 3 not confirmed since 2026-12-15');
    expect(text.indexOf('Bravo Knit & Natter')).toBeLessThan(text.indexOf('Alpha Lunch Club'));
    expect(text.indexOf('Alpha Lunch Club')).toBeLessThan(text.indexOf('Delta Health Walk'));
    const buttons = submits(card);
    expect(buttons.map((b) => b.title).slice(0, 2)).toEqual(['Still running', 'Has closed']);
    expect(buttons.filter((b) => b.data.action === ACTION.verifyConfirm)).toHaveLength(3);

    const stillRunning = buttons.find((b) => b.data.action === ACTION.verifyConfirm)!;
    expect(textOf(await turn({ value: { ...stillRunning.data, msteams: {} } }))).toContain(
      '“Bravo Knit & Natter” is confirmed as still running today.',
    );
    const { rows } = await store.sql.query<{ confirmed_by_role: string }>(
      `SELECT confirmed_by_role FROM service WHERE external_id = 'bravo'`,
    );
    expect(rows[0]!.confirmed_by_role).toBe('teams coordinator');
    expect(textOf(await turn({ text: 'verify' }))).toContain('Listings to check: 2 not confirmed since 2026-12-15');
  });

  it('tells anyone else it is for coordinators, and their submissions change nothing', async () => {
    expect(textOf(await turn({ text: 'verify' }, SOMEONE_ELSE))).toContain('Checking listings is for coordinators');
    const { rows } = await store.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM service WHERE external_id = 'alpha'`,
    );
    const forged = { action: ACTION.verifyClose, value: JSON.stringify({ id: rows[0]!.id }), msteams: {} };
    expect(textOf(await turn({ value: forged }, SOMEONE_ELSE))).toContain('Checking listings is for coordinators');
    const after = await store.sql.query<{ status: string }>(`SELECT status FROM service WHERE external_id = 'alpha'`);
    expect(after.rows[0]!.status).toBe('active');
  });
});
