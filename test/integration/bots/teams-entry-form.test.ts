import type http from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { createPrismaConversationRefs } from '../../../src/bots/teams/prisma-conversation-refs.ts';
import { createTeamsEndpoint, TEAMS_PATH } from '../../../src/bots/teams/server.ts';
import { listManualEntries, getManualEntry } from '../../../src/catalogue/manual-entries.ts';
import { createChatConversation } from '../../../src/chat-conversation.ts';
import { fixedClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type BotConnector, startBotConnector } from '../../helpers/bot-connector.ts';
import { teamsActivity } from '../../helpers/teams-activities.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const COORDINATOR = '6b2a7c1e-3f0d-4a8e-9b52-1c4d5e6f7a80';
const SOMEONE_ELSE = '00000000-0000-4000-8000-000000000099';

type CardElement = Record<string, unknown> & { type: string };

/** Every element of a card, containers and action sets opened up. */
function elementsOf(activity: Record<string, unknown>): CardElement[] {
  const attachments = activity.attachments as { content: { body: CardElement[] } }[];
  const out: CardElement[] = [];
  const walk = (els: CardElement[]) => {
    for (const el of els) {
      out.push(el);
      if (Array.isArray(el.items)) walk(el.items as CardElement[]);
      if (Array.isArray(el.actions)) walk(el.actions as CardElement[]);
    }
  };
  walk(attachments[0]!.content.body);
  return out;
}

describe.each(STORE_KINDS)('the Teams entry form for coordinators (%s)', (kind) => {
  let connector: BotConnector;
  let store: TestStore;
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    connector = await startBotConnector();
    store = await openTestStore(kind);
    const config = loadConfig({ TEAMS_COORDINATOR_IDS: COORDINATOR });
    const clock = fixedClock(NOW);
    const { conversation } = createChatConversation({ config, store, clock, logger: silentLogger });
    const endpoint = createTeamsEndpoint({
      credentials: null,
      emulator: true,
      conversation,
      refs: createPrismaConversationRefs(store.prisma, clock),
      logger: silentLogger,
      coordinators: config.teamsCoordinators,
    });
    server = createHttpServer(new Map([[TEAMS_PATH, endpoint.handler]]), silentLogger);
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${TEAMS_PATH}`;
  });
  afterAll(async () => {
    server.close();
    await connector.close();
    await store.close();
    nock.enableNetConnect();
  });
  beforeEach(() => connector.reset());

  /** Sends a message or a card submission from a user and returns the card elements of the bot's answer. */
  const turn = async (what: { text: string } | { value: Record<string, unknown> }, user = COORDINATOR): Promise<CardElement[]> => {
    const base = 'text' in what ? teamsActivity('message-personal.json', connector.serviceUrl) : teamsActivity('card-submit.json', connector.serviceUrl);
    const activity = { ...base, ...('text' in what ? { text: what.text } : { value: what.value }), from: { ...(base.from as object), aadObjectId: user } };
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    const posted = connector.messages();
    expect(posted.length).toBeGreaterThan(0);
    return elementsOf(posted.at(-1)!.activity);
  };
  const textOf = (els: CardElement[]) => els.filter((e) => e.type === 'TextBlock').map((e) => String(e.text)).join('\n');
  const input = (els: CardElement[], name: string) => els.find((e) => e.id === `f.${name}`);

  it('opens an Adaptive Card form on "add entry", with typed inputs and one Save', async () => {
    const card = await turn({ text: 'add entry' });
    expect(input(card, 'title')).toMatchObject({ type: 'Input.Text', isRequired: true, maxLength: 200 });
    expect(input(card, 'description')).toMatchObject({ type: 'Input.Text', isMultiline: true });
    expect(input(card, 'kind')).toMatchObject({ type: 'Input.ChoiceSet', value: 'activity', style: 'compact' });
    expect(input(card, 'accessibility')).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true, style: 'expanded' });
    expect(input(card, 'date')).toMatchObject({ type: 'Input.Date' });
    expect(input(card, 'startTime')).toMatchObject({ type: 'Input.Time' });
    expect(((input(card, 'ward')!.choices as unknown[]) ?? []).length).toBe(20);
    const saves = card.filter((e) => e.type === 'Action.Submit');
    expect(saves).toEqual([expect.objectContaining({ title: 'Save', data: { action: ACTION.saveEntry, value: '' } })]);
  });

  it('checks a submission as Slack does: problems beside their fields, what was typed kept, nothing saved', async () => {
    const card = await turn({
      value: { action: ACTION.saveEntry, value: '', 'f.title': 'Chair yoga', 'f.kind': 'activity', 'f.postcode': 'nowhere', 'f.costAmount': 'three', msteams: {} },
    });
    const text = textOf(card);
    expect(text).toContain('Please check the 2 fields marked below');
    expect(text).toContain('Enter a full UK postcode, e.g. NW5 2AB');
    expect(text).toContain('Enter the price in pounds, e.g. 3.50');
    expect(card.find((e) => e.color === 'attention' && String(e.text).includes('postcode'))).toBeDefined();
    expect(input(card, 'title')).toMatchObject({ value: 'Chair yoga' });
    expect(await listManualEntries(store)).toEqual([]);
  });

  it('saves a valid submission (multiple choices as Teams sends them), then edits it from "edit <title>"', async () => {
    const saved = await turn({
      value: {
        action: ACTION.saveEntry,
        value: '',
        'f.title': 'Chair yoga',
        'f.kind': 'activity',
        'f.postcode': 'nw5 2ab',
        'f.ward': 'Kentish Town South',
        'f.accessibility': 'step_free,hearing_loop',
        'f.free': 'free',
        'f.date': '2026-12-03',
        'f.startTime': '10:30',
        'f.endTime': '11:30',
      },
    });
    expect(textOf(saved)).toContain('Added “Chair yoga”. It shows in search results now.');
    const [summary] = await listManualEntries(store);
    const entry = await getManualEntry(store, summary!.externalId);
    expect(entry).toMatchObject({ title: 'Chair yoga', ward: 'Kentish Town South', free: true, accessibility: ['step_free', 'hearing_loop'] });
    expect(entry!.start?.toISOString()).toBe('2026-12-03T10:30:00.000Z');

    const edit = await turn({ text: 'edit chair' });
    expect(input(edit, 'title')).toMatchObject({ value: 'Chair yoga' });
    expect(input(edit, 'accessibility')).toMatchObject({ value: 'step_free,hearing_loop' });
    expect(input(edit, 'startTime')).toMatchObject({ value: '10:30' });
    const save = edit.find((e) => e.type === 'Action.Submit') as unknown as { data: { action: string; value: string } };
    expect(save.data).toEqual({ action: ACTION.saveEntry, value: summary!.externalId });

    const updated = await turn({ value: { ...save.data, 'f.title': 'Chair yoga for beginners', 'f.kind': 'activity' } });
    expect(textOf(updated)).toContain('Updated “Chair yoga for beginners”');
    expect((await listManualEntries(store)).map((e) => e.title)).toEqual(['Chair yoga for beginners']);
  });

  it('refuses the form to anyone not in TEAMS_COORDINATOR_IDS, on opening and on saving', async () => {
    expect(textOf(await turn({ text: 'add entry' }, SOMEONE_ELSE))).toMatch(/Only Signpost coordinators/);
    const refused = await turn({ value: { action: ACTION.saveEntry, value: '', 'f.title': 'Sneaky entry', 'f.kind': 'activity' } }, SOMEONE_ELSE);
    expect(textOf(refused)).toMatch(/Only Signpost coordinators/);
    expect((await listManualEntries(store)).map((e) => e.title)).toEqual(['Chair yoga for beginners']);
  });

  it('ignores a submission whose inputs are not text', async () => {
    const card = await turn({ value: { action: ACTION.saveEntry, value: '', 'f.title': { nested: true } } });
    expect(textOf(card)).toContain('That button is out of date');
  });
});
