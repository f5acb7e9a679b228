import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { type ReplyBlock, toPlainText } from '../../../src/bots/core/reply.ts';
import { createShortlistHooks, type ShortlistSend } from '../../../src/bots/core/shortlist/shortlist-hooks.ts';
import { createShortlistStore } from '../../../src/catalogue/shortlist/shortlist-store.ts';
import { fixedClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { buildResult } from '../../helpers/build-result.ts';
import { createFakeSearch } from '../../helpers/fake-search.ts';
import { pdfText } from '../../helpers/read-pdf.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-11-30T09:00:00Z');
const owner = { platform: 'slack' as const, userId: 'U1', channelRef: 'C1' };

const textOf = (blocks: ReplyBlock[]) =>
  blocks
    .map((b) => (b.type === 'text' || b.type === 'context' ? toPlainText(b.text) : b.type === 'heading' ? b.text : ''))
    .join('\n');

describe('the list for a resident in the conversation core (real store)', () => {
  let store: TestStore;
  const results = Array.from({ length: 9 }, (_, i) =>
    buildResult({
      title: i === 3 ? 'Knit *and* _natter_ `club`' : `Lunch Club ${i + 1}`,
      venue: `Community Centre ${i + 1}`,
    }),
  );
  const search = createFakeSearch(results);
  const sends: ShortlistSend[] = [];
  let hooks: ReturnType<typeof createShortlistHooks>;

  beforeAll(async () => {
    store = await openTestStore('pglite');
    hooks = createShortlistHooks({
      lists: createShortlistStore(store),
      search,
      clock: fixedClock(NOW),
      logger: silentLogger,
      publicUrl: 'https://signpost.example.org',
      onSend: async (send) => void sends.push(send),
    });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await hooks.clear(owner);
    sends.length = 0;
  });

  it('holds eight listings at most, each once, and Remove takes one off', async () => {
    for (const r of results.slice(0, 8))
      expect(textOf((await hooks.add(owner, r.id)).blocks)).toContain('to the list for the resident');
    expect(textOf((await hooks.add(owner, results[0]!.id)).blocks)).toContain('is already on the list (8 of 8)');
    expect(textOf((await hooks.add(owner, results[8]!.id)).blocks)).toContain('The list holds 8 listings at most');
    const removed = await hooks.handleAction({
      ...owner,
      isCoordinator: false,
      action: ACTION.shortlistRemove,
      value: JSON.stringify({ id: results[1]!.id }),
    });
    expect(textOf(removed.blocks)).toContain('List for the resident: 7 listings');
    expect(textOf((await hooks.add(owner, 'no-such-entry')).blocks)).toContain(
      'That listing has been removed from the catalogue',
    );
  });

  it('names what a text leaves out with titles shown as written, and records each send once with the ids sent', async () => {
    for (const r of results.slice(0, 5)) await hooks.add(owner, r.id);
    const sms = await hooks.sms(owner);
    const note = sms.blocks.find((b) => b.type === 'context' && b.text.includes('leaves out'));
    expect(note).toBeDefined();
    expect(toPlainText((note as { text: string }).text)).toContain('“Knit *and* _natter_ `club`”');
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ kind: 'sms', platform: 'slack', at: NOW });
    expect(sends[0]!.entryIds).toEqual(results.slice(0, sends[0]!.entryIds.length).map((r) => r.id));
    expect(sends[0]!.entryIds.length).toBeLessThan(5);

    const leaflet = await hooks.leaflet(owner, 'normal');
    const file = leaflet.blocks.find((b) => b.type === 'attachment');
    expect(file).toMatchObject({ filename: 'signpost-leaflet.pdf', mimeType: 'application/pdf' });
    expect(file && 'url' in file ? file.url : undefined).toBeUndefined();
    expect(pdfText((file as { content: Uint8Array }).content)).toContain('Knit *and* _natter_ `club`');
    expect(sends.at(-1)).toMatchObject({ kind: 'leaflet', platform: 'slack' });
  });

  it('refuses button values that are not its own', async () => {
    const bad = await hooks.handleAction({
      ...owner,
      isCoordinator: false,
      action: ACTION.shortlistLeaflet,
      value: '{"print":"tiny"}',
    });
    expect(textOf(bad.blocks)).toContain('That button did not work');
    expect(sends).toHaveLength(0);
  });
});
