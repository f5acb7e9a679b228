import { ACTION } from '../../src/bots/core/action-ids.ts';
import type { InboundAction, InboundMessage } from '../../src/bots/core/inbound.ts';
import type { Conversation } from '../../src/bots/core/ports.ts';
import type { Reply } from '../../src/bots/core/reply.ts';

/** A reply that uses every block type (the file attachment only when asked: it makes Slack upload calls). */
export function everyBlockReply(options: { attachment?: boolean } = {}): Reply {
  const entry = (id: string) => JSON.stringify({ id });
  return {
    fallbackText: 'Lunch clubs in Kentish Town: 2 results',
    ephemeral: true,
    blocks: [
      { type: 'heading', text: 'Lunch clubs in Kentish Town' },
      { type: 'text', text: 'I looked for **lunch club** on Tuesday & nearby <wards>.' },
      {
        type: 'fields',
        fields: [
          { label: 'When', value: 'Tuesday 12:00' },
          { label: 'Cost', value: 'Free' },
        ],
      },
      {
        type: 'list',
        items: [
          {
            title: 'Kentish Town lunch club',
            lines: ['Tuesdays 12:00–14:00', 'Step-free'],
            buttons: [
              { label: 'Details', action: ACTION.details, value: entry('e1') },
              { label: 'Share with resident', action: ACTION.share, value: entry('e1') },
            ],
          },
          {
            title: 'Community meal',
            lines: ['Wednesdays'],
            buttons: [
              { label: 'Details', action: ACTION.details, value: entry('e2') },
              { label: 'Book', action: ACTION.book, value: entry('e2'), style: 'primary' },
            ],
          },
        ],
      },
      {
        type: 'actions',
        buttons: [
          { label: 'Help', action: ACTION.help, value: '' },
          { label: 'Website', action: ACTION.details, value: '', url: 'https://example.org' },
        ],
      },
      {
        type: 'more',
        remaining: 7,
        button: { label: 'More', action: ACTION.more, value: JSON.stringify({ k: 'abc', o: 5 }) },
      },
      { type: 'context', text: '_Demo data_ · last confirmed 2026-01-01' },
      { type: 'divider' },
      ...(options.attachment
        ? [
            {
              type: 'attachment' as const,
              filename: 'session.ics',
              mimeType: 'text/calendar',
              content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
            },
          ]
        : []),
    ],
  };
}

/**
 * A Conversation that records what it was asked and answers from a script: by default every message gets
 * everyBlockReply() and every action a short text naming it. `gate` holds answers back until released.
 */
export class FakeConversation implements Conversation {
  messages: InboundMessage[] = [];
  actions: InboundAction[] = [];
  onMessage: (m: InboundMessage) => Promise<Reply> | Reply = () => everyBlockReply();
  onAction: (a: InboundAction) => Promise<Reply> | Reply = (a) =>
    a.action === ACTION.book
      ? {
          fallbackText: 'Booking is not available yet.',
          blocks: [{ type: 'text', text: 'Booking is not available yet.' }],
        }
      : a.action === ACTION.postToChannel
        ? {
            fallbackText: 'Kentish Town lunch club',
            ephemeral: false,
            blocks: [{ type: 'heading', text: 'Kentish Town lunch club' }],
          }
        : { fallbackText: `did ${a.action}`, blocks: [{ type: 'text', text: `did ${a.action}` }] };

  async handleMessage(message: InboundMessage): Promise<Reply> {
    this.messages.push(message);
    return this.onMessage(message);
  }

  async handleAction(action: InboundAction): Promise<Reply> {
    this.actions.push(action);
    return this.onAction(action);
  }
}
