import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { listManualEntries, getManualEntry } from '../../../src/catalogue/manual-entries.ts';
import { type CardElement, startTeamsChat, type TeamsChat } from '../../helpers/teams-chat.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const COORDINATOR = '6b2a7c1e-3f0d-4a8e-9b52-1c4d5e6f7a80';
const SOMEONE_ELSE = '00000000-0000-4000-8000-000000000099';

describe.each(STORE_KINDS)('the Teams entry form for coordinators (%s)', (kind) => {
  let store: TestStore;
  let chat: TeamsChat;

  beforeAll(async () => {
    store = await openTestStore(kind);
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
  const input = (els: CardElement[], name: string) => els.find((e) => e.id === `f.${name}`);

  it('opens an Adaptive Card form on "add entry", with typed inputs and one Save', async () => {
    const card = await turn({ text: 'add entry' });
    expect(input(card, 'title')).toMatchObject({ type: 'Input.Text', isRequired: true, maxLength: 200 });
    expect(input(card, 'description')).toMatchObject({ type: 'Input.Text', isMultiline: true });
    expect(input(card, 'kind')).toMatchObject({ type: 'Input.ChoiceSet', value: 'activity', style: 'compact' });
    expect(input(card, 'accessibility')).toMatchObject({
      type: 'Input.ChoiceSet',
      isMultiSelect: true,
      style: 'expanded',
    });
    expect(input(card, 'date')).toMatchObject({ type: 'Input.Date' });
    expect(input(card, 'startTime')).toMatchObject({ type: 'Input.Time' });
    expect(((input(card, 'ward')!.choices as unknown[]) ?? []).length).toBe(20);
    const saves = card.filter((e) => e.type === 'Action.Submit');
    expect(saves).toEqual([expect.objectContaining({ title: 'Save', data: { action: ACTION.saveEntry, value: '' } })]);
  });

  it('checks a submission as Slack does: problems beside their fields, what was typed kept, nothing saved', async () => {
    const card = await turn({
      value: {
        action: ACTION.saveEntry,
        value: '',
        'f.title': 'Chair yoga',
        'f.kind': 'activity',
        'f.postcode': 'nowhere',
        'f.costAmount': 'three',
        msteams: {},
      },
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
    expect(entry).toMatchObject({
      title: 'Chair yoga',
      ward: 'Kentish Town South',
      free: true,
      accessibility: ['step_free', 'hearing_loop'],
    });
    expect(entry!.start?.toISOString()).toBe('2026-12-03T10:30:00.000Z');

    const edit = await turn({ text: 'edit chair' });
    expect(input(edit, 'title')).toMatchObject({ value: 'Chair yoga' });
    expect(input(edit, 'accessibility')).toMatchObject({ value: 'step_free,hearing_loop' });
    expect(input(edit, 'startTime')).toMatchObject({ value: '10:30' });
    const save = edit.find((e) => e.type === 'Action.Submit') as unknown as { data: { action: string; value: string } };
    expect(save.data).toEqual({ action: ACTION.saveEntry, value: summary!.externalId });

    const updated = await turn({
      value: { ...save.data, 'f.title': 'Chair yoga for beginners', 'f.kind': 'activity' },
    });
    expect(textOf(updated)).toContain('Updated “Chair yoga for beginners”');
    expect((await listManualEntries(store)).map((e) => e.title)).toEqual(['Chair yoga for beginners']);
  });

  it('refuses the form to anyone not in TEAMS_COORDINATOR_IDS, on opening and on saving', async () => {
    expect(textOf(await turn({ text: 'add entry' }, SOMEONE_ELSE))).toMatch(/Only Signpost coordinators/);
    const refused = await turn(
      { value: { action: ACTION.saveEntry, value: '', 'f.title': 'Sneaky entry', 'f.kind': 'activity' } },
      SOMEONE_ELSE,
    );
    expect(textOf(refused)).toMatch(/Only Signpost coordinators/);
    expect((await listManualEntries(store)).map((e) => e.title)).toEqual(['Chair yoga for beginners']);
  });

  it('ignores a submission whose inputs are not text', async () => {
    const card = await turn({ value: { action: ACTION.saveEntry, value: '', 'f.title': { nested: true } } });
    expect(textOf(card)).toContain('That button is out of date');
  });
});
