import { describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/bots/core/action-ids.ts';
import type { Reply } from '../../../../src/bots/core/reply.ts';
import { buildSearchResultsReply } from '../../../../src/bots/core/replies/search-results.ts';
import { renderText } from '../../../../src/bots/terminal/render-text.ts';
import { buildResponse, buildResult } from '../../../helpers/build-result.ts';

const NOW = new Date('2026-11-30T09:00:00Z');

describe('renderText', () => {
  it('renders a results page with numbered items, typed hints and "N more"', () => {
    const reply = buildSearchResultsReply({
      response: buildResponse(
        [buildResult({ id: 'a', isDemo: true }), buildResult({ id: 'b', kind: 'training', title: 'MHFA' })],
        {
          total: 9,
        },
      ),
      now: NOW,
      offset: 0,
      queryKey: 'k',
    });
    const { text, pressable } = renderText(reply);
    expect(text).toBe(
      [
        'Activities and services',
        '───────────────────────',
        '',
        '1. Tuesday Lunch Club',
        '   Next: Tue 1 Dec, 12:00–14:00 (Tuesdays 12:00–14:00)',
        '   Kentish Town Community Centre, Kentish Town South · step-free',
        '   Free · You can just turn up',
        '   Maya: Call 020 7946 0123 · lunch@example.org',
        '   Run by Age UK Camden',
        '   Last confirmed 2 months ago',
        '   [details 1] [share 1]',
        '',
        '2. MHFA',
        '   Next: Tue 1 Dec, 12:00–14:00 (Tuesdays 12:00–14:00)',
        '   Kentish Town Community Centre, Kentish Town South · step-free',
        '   Free · You can just turn up',
        '   Maya: Call 020 7946 0123 · lunch@example.org',
        '   Run by Age UK Camden',
        '   Last confirmed 2 months ago',
        '   [details 2] [share 2] [book 2]',
        '',
        '7 more: type "more"',
        '',
        '(Demo data: these listings are invented for trying Signpost out.)',
      ].join('\n'),
    );
    expect(pressable).toEqual([]);
  });

  it('renders fields, markup, links, context, dividers and attachments as plain text', () => {
    const reply: Reply = {
      fallbackText: 'x',
      blocks: [
        { type: 'heading', text: 'Your booking' },
        { type: 'text', text: 'You are **booked** on _MECC_. See the course page.' },
        {
          type: 'fields',
          fields: [
            { label: 'When', value: 'Tue 1 Dec, 10:00–13:00\nTue 8 Dec, 10:00–13:00' },
            { label: 'Where', value: 'Online' },
          ],
        },
        { type: 'divider' },
        {
          type: 'actions',
          buttons: [
            { label: 'Cancel booking', action: ACTION.cancelBooking, value: '{"b":"1"}', style: 'danger' },
            { label: 'My bookings', action: ACTION.myBookings, value: '{}' },
            { label: 'Calendar', action: ACTION.details, value: '{}', url: 'https://example.org/ics' },
          ],
        },
        { type: 'attachment', filename: 'mecc.ics', mimeType: 'text/calendar', content: 'BEGIN:VCALENDAR' },
        { type: 'context', text: 'Demo data' },
      ],
    };
    const { text, pressable } = renderText(reply);
    expect(text).toBe(
      [
        'Your booking',
        '────────────',
        '',
        'You are booked on MECC. See the course page.',
        '',
        'When:  Tue 1 Dec, 10:00–13:00',
        '       Tue 8 Dec, 10:00–13:00',
        'Where: Online',
        '',
        '────────────────────',
        '',
        '[b1: Cancel booking] [my bookings]',
        'Calendar: https://example.org/ics',
        '',
        'Attachment: mecc.ics (text/calendar)',
        '',
        '(Demo data)',
      ].join('\n'),
    );
    expect(pressable).toEqual([
      {
        token: 'b1',
        button: { label: 'Cancel booking', action: ACTION.cancelBooking, value: '{"b":"1"}', style: 'danger' },
      },
    ]);
  });

  it('falls back to the fallback text for a reply without blocks', () => {
    expect(renderText({ fallbackText: 'Just **this**', blocks: [] }).text).toBe('Just this');
  });
});

describe('renderText for a form', () => {
  it('says how many questions follow: all of them, or only those with a problem', () => {
    const field = { name: 'title', label: 'Title', input: 'text' as const };
    const reply = (fields: { name: string; label: string; input: 'text'; problem?: string }[]): Reply => ({
      fallbackText: 'Add an entry',
      blocks: [
        {
          type: 'form',
          form: { title: 'Add an entry', fields, submit: { label: 'Save', action: ACTION.saveEntry, value: '' } },
        },
      ],
    });
    expect(renderText(reply([field, { ...field, name: 'venue' }])).text).toBe(
      'Add an entry: 2 questions follow, one at a time.',
    );
    expect(
      renderText(
        reply([
          { ...field, problem: 'Too short' },
          { ...field, name: 'venue' },
        ]),
      ).text,
    ).toBe('Add an entry: one question follows.');
  });
});
