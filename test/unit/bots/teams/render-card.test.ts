import { describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/bots/core/action-ids.ts';
import type { Reply, ReplyListItem } from '../../../../src/bots/core/reply.ts';
import {
  cardBytes,
  renderBlock,
  renderCard,
  TEAMS_LIMITS,
  toMarkdown,
  toTeamsMessage,
} from '../../../../src/bots/teams/render-card.ts';
import { CardSubmitSchema } from '../../../../src/bots/teams/to-inbound.ts';

const details = { label: 'Details', action: ACTION.details, value: 'entry-1' } as const;

describe('renderBlock', () => {
  it('heading → large bold TextBlock', () => {
    expect(renderBlock({ type: 'heading', text: 'Lunch clubs' })).toEqual([
      { type: 'TextBlock', text: 'Lunch clubs', size: 'Large', weight: 'Bolder', wrap: true, style: 'heading' },
    ]);
  });
  it('text keeps **bold** as card markdown and forms no link from text', () => {
    expect(renderBlock({ type: 'text', text: '**Free** — [book](https://example.org/b)' })).toEqual([
      { type: 'TextBlock', text: '**Free** — [book] (https://example.org/b)', wrap: true },
    ]);
  });
  it('fields → FactSet of plain text', () => {
    expect(renderBlock({ type: 'fields', fields: [{ label: 'Cost', value: '£2' }] })).toEqual([
      { type: 'FactSet', facts: [{ title: 'Cost', value: '£2' }] },
    ]);
  });
  it('list → one Container per item with its buttons', () => {
    const [first, second] = renderBlock({
      type: 'list',
      items: [
        { title: 'Lunch club', lines: ['Tue 12:00', 'NW5'], buttons: [details] },
        { title: 'Chair yoga', lines: [], buttons: [] },
      ],
    });
    expect(first).toEqual({
      type: 'Container',
      items: [
        { type: 'TextBlock', text: 'Lunch club', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: 'Tue 12:00\n\nNW5', wrap: true, spacing: 'Small' },
        {
          type: 'ActionSet',
          actions: [{ type: 'Action.Submit', title: 'Details', data: { action: ACTION.details, value: 'entry-1' } }],
        },
      ],
    });
    expect(second).toMatchObject({ type: 'Container', separator: true });
  });
  it('actions → ActionSet with Submit, OpenUrl and styles, at most 6', () => {
    const [set] = renderBlock({
      type: 'actions',
      buttons: [
        { label: 'Book', action: ACTION.book, value: 'occ-1', style: 'primary' },
        { label: 'Cancel', action: ACTION.cancelBooking, value: 'b-1', style: 'danger' },
        { label: 'Website', action: ACTION.details, value: '', url: 'https://example.org' },
        ...Array.from({ length: 5 }, (_, i) => ({ label: `B${i}`, action: ACTION.details, value: String(i) })),
      ],
    });
    const actions = (set as unknown as { actions: Record<string, unknown>[] }).actions;
    expect(actions).toHaveLength(TEAMS_LIMITS.actionsPerSet);
    expect(actions[0]).toEqual({
      type: 'Action.Submit',
      title: 'Book',
      data: { action: ACTION.book, value: 'occ-1' },
      style: 'positive',
    });
    expect(actions[1]).toMatchObject({ style: 'destructive' });
    expect(actions[2]).toEqual({ type: 'Action.OpenUrl', title: 'Website', url: 'https://example.org' });
  });
  it('more → a Submit button', () => {
    expect(
      renderBlock({ type: 'more', remaining: 7, button: { label: '', action: ACTION.more, value: 'p2' } }),
    ).toEqual([
      {
        type: 'ActionSet',
        actions: [{ type: 'Action.Submit', title: '7 more', data: { action: ACTION.more, value: 'p2' } }],
      },
    ]);
  });
  it('context → small subtle text; divider → separator; attachment → a note', () => {
    expect(renderBlock({ type: 'context', text: 'Demo data' })).toEqual([
      { type: 'TextBlock', text: 'Demo data', wrap: true, isSubtle: true, size: 'Small' },
    ]);
    expect(renderBlock({ type: 'divider' })).toEqual([
      { type: 'Container', separator: true, spacing: 'Medium', items: [] },
    ]);
    expect(
      JSON.stringify(
        renderBlock({ type: 'attachment', filename: 'session.ics', mimeType: 'text/calendar', content: 'BEGIN' }),
      ),
    ).toContain('session.ics');
    expect(
      renderBlock({
        type: 'attachment',
        filename: 'session.ics',
        mimeType: 'text/calendar',
        content: 'BEGIN',
        url: 'https://signpost.example.org/invites/x.ics',
      }),
    ).toEqual([
      {
        type: 'ActionSet',
        actions: [
          { type: 'Action.OpenUrl', title: 'Add to calendar', url: 'https://signpost.example.org/invites/x.ics' },
        ],
      },
    ]);
  });
  it('forms no link from text, whatever its scheme', () => {
    expect(toMarkdown('[click](javascript:void0) and [site](https://ok.example)')).toBe(
      '[click] (javascript:void0) and [site] (https://ok.example)',
    );
  });
});

describe('renderCard', () => {
  it('is an Adaptive Card 1.4 with the fallback text, and a divider separates the next element', () => {
    const card = renderCard({
      fallbackText: '**Two** results',
      blocks: [{ type: 'heading', text: 'A' }, { type: 'divider' }, { type: 'text', text: 'B' }],
    });
    expect(card).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.5',
      fallbackText: 'Two results',
      msteams: { width: 'Full' },
    });
    expect(card.body[1]).toMatchObject({ text: 'B', separator: true });
    const message = toTeamsMessage({ fallbackText: 'Two results', blocks: [] });
    expect(message).toMatchObject({
      type: 'message',
      summary: 'Two results',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }],
    });
  });

  it('round-trips Submit data through the submission schema', () => {
    const card = renderCard({ fallbackText: 'x', blocks: [{ type: 'actions', buttons: [details] }] });
    const data = (card.body[0] as unknown as { actions: { data: unknown }[] }).actions[0]!.data;
    expect(CardSubmitSchema.parse(data)).toEqual({ action: ACTION.details, value: 'entry-1' });
  });

  it('keeps the largest reply under 28 KB, compacting and then dropping items with an "N more" note', () => {
    const item = (i: number): ReplyListItem => ({
      title: `Entry ${i}: Kentish Town Community Centre lunch club and friendship group`,
      lines: Array.from({ length: 6 }, () =>
        'Tuesdays and Thursdays 12:00–14:00 at the hall, step-free, hearing loop, £2 a meal. '.repeat(3),
      ),
      buttons: [
        details,
        { label: 'Share with resident', action: ACTION.share, value: 'x'.repeat(300) },
        { label: 'Book', action: ACTION.book, value: 'y'.repeat(300) },
      ],
    });
    const huge: Reply = {
      fallbackText: '200 results',
      blocks: [
        { type: 'heading', text: 'Results' },
        { type: 'list', items: Array.from({ length: 200 }, (_, i) => item(i)) },
        { type: 'more', remaining: 20, button: { label: '20 more', action: ACTION.more, value: 'p2' } },
      ],
    };
    const card = renderCard(huge);
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    expect(Buffer.byteLength(JSON.stringify(toTeamsMessage(huge)))).toBeLessThan(28 * 1024);
    const json = JSON.stringify(card);
    expect(json).toContain('Entry 0:');
    expect(json).toMatch(/\d+ more not shown here/);
    expect(json).toContain('"20 more"');

    // A reply that fits a little over the limit is compacted rather than cut.
    const medium: Reply = {
      fallbackText: 'x',
      blocks: [{ type: 'list', items: Array.from({ length: 14 }, (_, i) => item(i)) }],
    };
    const compact = JSON.stringify(renderCard(medium));
    expect(compact).toContain('Entry 13:');
    expect(compact).not.toContain('not shown here');
  });

  it('cuts pathological text to fit', () => {
    const card = renderCard({
      fallbackText: 'long',
      blocks: Array.from({ length: 40 }, () => ({ type: 'text' as const, text: 'word '.repeat(900) })),
    });
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
  });
});
