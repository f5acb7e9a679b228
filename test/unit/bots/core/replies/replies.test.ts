import { describe, expect, it } from 'vitest';
import { ACTION } from '../../../../../src/bots/core/action-ids.ts';
import type { Reply, ReplyBlock } from '../../../../../src/bots/core/reply.ts';
import { parseActionValue, MoreValueSchema } from '../../../../../src/bots/core/replies/action-values.ts';
import { buildEntryDetailReply } from '../../../../../src/bots/core/replies/entry-detail.ts';
import {
  buildApologyReply,
  buildBadActionReply,
  buildExpiredReply,
  buildGoneReply,
  buildNoListReply,
  buildNoMoreReply,
  buildNoSuchNumberReply,
  buildNotAvailableReply,
} from '../../../../../src/bots/core/replies/errors.ts';
import { formatConfirmed, formatSpan } from '../../../../../src/bots/core/replies/format.ts';
import { buildHelpReply, EXAMPLE_QUESTIONS } from '../../../../../src/bots/core/replies/help.ts';
import { buildNoResultsReply } from '../../../../../src/bots/core/replies/no-results.ts';
import { buildSearchResultsReply, PAGE_SIZE } from '../../../../../src/bots/core/replies/search-results.ts';
import { buildResponse, buildResult, buildUnderstood } from '../../../../helpers/build-result.ts';

const NOW = new Date('2026-11-30T09:00:00Z');

const blocksOf = <T extends ReplyBlock['type']>(reply: Reply, type: T) =>
  reply.blocks.filter((b): b is Extract<ReplyBlock, { type: T }> => b.type === type);

/** Every platform limit we rely on: fallback set, ≤ 5 items, buttons ≤ 2,000 characters, short lines. */
function expectWithinLimits(reply: Reply) {
  expect(reply.fallbackText.trim().length).toBeGreaterThan(0);
  expect(reply.blocks.length).toBeLessThanOrEqual(20);
  for (const list of blocksOf(reply, 'list')) {
    expect(list.items.length).toBeLessThanOrEqual(PAGE_SIZE);
    for (const item of list.items) {
      expect(item.buttons.length).toBeLessThanOrEqual(5);
      for (const line of item.lines) expect(line.length).toBeLessThanOrEqual(160);
    }
  }
  const buttons = [
    ...blocksOf(reply, 'actions').flatMap((b) => b.buttons),
    ...blocksOf(reply, 'list').flatMap((b) => b.items.flatMap((i) => i.buttons)),
    ...blocksOf(reply, 'more').map((b) => b.button),
  ];
  for (const b of buttons) expect(b.value.length).toBeLessThanOrEqual(2000);
  for (const f of blocksOf(reply, 'fields')) expect(f.fields.length).toBeLessThanOrEqual(10);
  for (const t of blocksOf(reply, 'text')) expect(t.text.length).toBeLessThanOrEqual(3000);
}

describe('formatting', () => {
  it('says dates in plain London time, with the year only when it is not this year', () => {
    const span = { start: '2026-12-01T12:00:00Z', end: '2026-12-01T14:00:00Z', allDay: false };
    expect(formatSpan(span, NOW)).toBe('Tue 1 Dec, 12:00–14:00');
    // Summer time: 10:30 UTC is 11:30 in London.
    expect(formatSpan({ start: '2027-06-01T10:30:00Z', end: '2027-06-01T11:30:00Z', allDay: false }, NOW)).toBe(
      'Tue 1 Jun 2027, 11:30–12:30',
    );
    expect(formatSpan({ start: '2026-12-05T00:00:00Z', end: '2026-12-07T00:00:00Z', allDay: true }, NOW)).toBe(
      'Sat 5 Dec – Sun 6 Dec',
    );
    expect(formatSpan({ start: '2026-12-05T00:00:00Z', end: '2026-12-06T00:00:00Z', allDay: true }, NOW)).toBe(
      'Sat 5 Dec',
    );
  });

  it('flags a listing last confirmed more than twelve months ago', () => {
    expect(formatConfirmed('2025-09-15', NOW)).toBe('⚠ Last confirmed 14 months ago: check before sending someone');
    expect(formatConfirmed('2026-06-01', NOW)).toBe('Last confirmed 5 months ago');
    expect(formatConfirmed('2026-11-20', NOW)).toBe('Last confirmed this month');
    expect(formatConfirmed(null, NOW)).toBeUndefined();
  });
});

describe('search results reply', () => {
  const understood = buildUnderstood({
    categories: ['lunch clubs'],
    place: { label: 'Kentish Town', wards: ['Kentish Town South', 'Kentish Town North'] },
    weekdays: [2],
    free: true,
    access: ['step_free'],
  });

  it('heads with what was understood and shows what, when, where, cost, how to join, contact and freshness', () => {
    const results = [
      buildResult({ id: 'a', lastConfirmed: '2025-09-15' }),
      buildResult({
        id: 'b',
        title: 'MECC: Making Every Contact Count',
        kind: 'training',
        cost: null,
        howToJoin: 'booking',
      }),
    ];
    const reply = buildSearchResultsReply({
      response: buildResponse(results, { understood }),
      now: NOW,
      offset: 0,
      queryKey: 'k1',
    });
    expectWithinLimits(reply);
    expect(reply.blocks[0]).toEqual({
      type: 'heading',
      text: 'Lunch clubs · Kentish Town · Tuesdays · free · step-free',
    });
    const [list] = blocksOf(reply, 'list');
    const first = list!.items[0]!;
    expect(first.title).toBe('1. Tuesday Lunch Club');
    expect(first.lines).toEqual([
      'Next: Tue 1 Dec, 12:00–14:00 (Tuesdays 12:00–14:00)',
      'Kentish Town Community Centre, Kentish Town South · step-free',
      'Free · You can just turn up',
      'Maya: Call 020 7946 0123 · lunch@example.org',
      'Run by Age UK Camden',
      '⚠ Last confirmed 14 months ago: check before sending someone',
    ]);
    expect(first.buttons.map((b) => b.action)).toEqual([ACTION.details, ACTION.share]);
    expect(JSON.parse(first.buttons[0]!.value)).toEqual({ id: 'a' });
    // Only training can be booked.
    const second = list!.items[1]!;
    expect(second.buttons.map((b) => b.label)).toEqual(['Details', 'Share with resident', 'Book']);
    expect(JSON.parse(second.buttons[2]!.value)).toEqual({ id: 'b', s: '2026-12-01T12:00:00+00:00' });
    expect(reply.fallbackText).toContain('1. Tuesday Lunch Club (Next: Tue 1 Dec, 12:00–14:00');
    expect(blocksOf(reply, 'more')).toEqual([]);
  });

  it('shows five at most, with "N more" carrying only an opaque key and the next offset', () => {
    const results = Array.from({ length: 5 }, (_, i) => buildResult({ id: `r${i}` }));
    const reply = buildSearchResultsReply({
      response: buildResponse(results, { total: 23 }),
      now: NOW,
      offset: 5,
      queryKey: 'opaqueKey1',
    });
    expectWithinLimits(reply);
    expect(reply.blocks[0]).toEqual({ type: 'heading', text: 'Activities and services (6–10)' });
    expect(blocksOf(reply, 'list')[0]!.items.map((i) => i.title.split('.')[0])).toEqual(['6', '7', '8', '9', '10']);
    const [more] = blocksOf(reply, 'more');
    expect(more!.remaining).toBe(13);
    expect(more!.button.action).toBe(ACTION.more);
    expect(parseActionValue(MoreValueSchema, more!.button.value)).toEqual({ k: 'opaqueKey1', o: 10 });
    expect(reply.fallbackText).toContain('13 more: type "more".');
  });

  it('says which filters were relaxed and marks demo data', () => {
    const reply = buildSearchResultsReply({
      response: buildResponse([buildResult({ isDemo: true })], {
        relaxed: ['nothing on Tuesday in Kilburn; showing what is on Tuesday nearby'],
      }),
      now: NOW,
      offset: 0,
      queryKey: 'k',
    });
    const [small] = blocksOf(reply, 'context');
    expect(small!.text).toContain('Nothing on Tuesday in Kilburn; showing what is on Tuesday nearby.');
    expect(small!.text).toContain('Demo data');
    expect(reply.fallbackText).toContain('Demo data');
  });

  it('keeps long titles, alerts and schedules within short lines', () => {
    const long = 'x'.repeat(500);
    const reply = buildSearchResultsReply({
      response: buildResponse([buildResult({ title: long, alert: long, scheduleText: long, venue: long })]),
      now: NOW,
      offset: 0,
      queryKey: 'k',
    });
    expectWithinLimits(reply);
    expect(blocksOf(reply, 'list')[0]!.items[0]!.title.length).toBeLessThanOrEqual(130);
  });

  it('describes online and phone services without a venue', () => {
    const reply = buildSearchResultsReply({
      response: buildResponse([
        buildResult({ attendingTypes: ['phone'], venue: null, ward: null, postcode: null, next: null }),
      ]),
      now: NOW,
      offset: 0,
      queryKey: 'k',
    });
    expect(blocksOf(reply, 'list')[0]!.items[0]!.lines.slice(0, 2)).toEqual(['Tuesdays 12:00–14:00', 'By phone']);
  });
});

describe('no-results reply', () => {
  it('is never empty: says what was understood and what was relaxed', () => {
    const reply = buildNoResultsReply(
      buildResponse([], {
        understood: buildUnderstood({ categories: ['tai chi'], place: { label: 'Kilburn', wards: ['Kilburn'] } }),
        relaxed: ['nothing in Kilburn; showing in nearby wards', 'nothing matched; showing what is coming up'],
      }),
    );
    expectWithinLimits(reply);
    expect(reply.fallbackText).toContain('I looked for: Tai chi · Kilburn.');
    expect(reply.fallbackText).toContain(
      'I widened the search (nothing in Kilburn; showing in nearby wards; nothing matched; showing what is coming up) and still found nothing.',
    );
    expect(reply.blocks[0]).toEqual({ type: 'heading', text: 'No results' });
  });

  it('still helps when nothing was understood', () => {
    const reply = buildNoResultsReply(buildResponse([]));
    expect(reply.fallbackText).toContain('Try fewer words');
  });
});

describe('entry detail reply', () => {
  it('shows the next three dates, place, access, audience, cost, contact and links', () => {
    const reply = buildEntryDetailReply(
      buildResult({ id: 'x', accessNote: 'Ramp at the side door', alert: 'No session on 22 December', isDemo: true }),
      NOW,
    );
    expectWithinLimits(reply);
    expect(reply.blocks[0]).toEqual({ type: 'heading', text: 'Tuesday Lunch Club' });
    const fieldsByLabel = Object.fromEntries(blocksOf(reply, 'fields')[0]!.fields.map((f) => [f.label, f.value]));
    expect(fieldsByLabel.When).toBe('Tue 1 Dec, 12:00–14:00\nTue 8 Dec, 12:00–14:00\nTue 15 Dec, 12:00–14:00');
    expect(fieldsByLabel.Where).toBe(
      'Kentish Town Community Centre, 17 Busby Place, London, NW5 2SP (Kentish Town South ward)',
    );
    expect(fieldsByLabel.Access).toBe('Step-free access. Accessible toilet. Ramp at the side door');
    expect(fieldsByLabel['Who it is for']).toBe('Older people');
    expect(fieldsByLabel['How to join']).toBe('You can just turn up');
    expect(reply.fallbackText).toContain('⚠ No session on 22 December');
    const buttons = blocksOf(reply, 'actions')[0]!.buttons;
    expect(buttons.map((b) => b.label)).toEqual(['Share with resident', 'Website']);
    expect(buttons[1]!.url).toBe('https://example.org/lunch');
    expect(blocksOf(reply, 'context')[0]!.text).toMatch(/Last confirmed 2 months ago · Demo data/);
    expect(JSON.stringify(reply)).not.toMatch(/step_free|drop_in|older_people/);
  });

  it('offers booking for training', () => {
    const reply = buildEntryDetailReply(buildResult({ kind: 'training' }), NOW);
    expect(blocksOf(reply, 'actions')[0]!.buttons.map((b) => b.action)).toContain(ACTION.book);
  });
});

describe('help and error replies', () => {
  it('help gives example questions, and mentions booking only when it is on', () => {
    const plain = buildHelpReply();
    const withBookings = buildHelpReply({ greeting: true, bookings: true, digests: true });
    for (const q of EXAMPLE_QUESTIONS) expect(plain.fallbackText).toContain(q);
    expect(JSON.stringify(plain)).not.toContain('book 2');
    expect(JSON.stringify(withBookings)).toContain('book 2');
    expect(JSON.stringify(withBookings)).toContain('subscribe');
    expect(withBookings.blocks[0]).toEqual({ type: 'heading', text: 'Welcome to Signpost' });
    expectWithinLimits(plain);
    expectWithinLimits(withBookings);
  });

  it.each([
    buildApologyReply('ab12cd34'),
    buildNotAvailableReply('Booking'),
    buildNoListReply(),
    buildNoSuchNumberReply(9, 5),
    buildNoMoreReply(),
    buildExpiredReply(),
    buildGoneReply(),
    buildBadActionReply(),
  ])('error reply %# has a heading and a fallback', (reply) => {
    expectWithinLimits(reply);
    expect(reply.blocks[0]!.type).toBe('heading');
  });

  it('the apology quotes the reference and nothing technical', () => {
    const reply = buildApologyReply('ab12cd34');
    expect(reply.fallbackText).toContain('ab12cd34');
    expect(reply.fallbackText).not.toMatch(/Error|stack|\.ts:\d/);
  });
});
