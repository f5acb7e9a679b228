import { ACTION } from '../../src/bots/core/action-ids.ts';
import type { InboundAction, InboundMessage } from '../../src/bots/core/inbound.ts';
import type { Conversation } from '../../src/bots/core/ports.ts';
import { context, fields, heading, type Reply, text } from '../../src/bots/core/reply.ts';

/**
 * A stand-in conversation core for the Teams edge tests: records what reached it and answers with a small reply
 * that uses every block kind. A message saying "explode" throws, to exercise the error boundary.
 */
export type FakeTeamsConversation = Conversation & { messages: InboundMessage[]; actions: InboundAction[] };

export function createFakeTeamsConversation(): FakeTeamsConversation {
  const messages: InboundMessage[] = [];
  const actions: InboundAction[] = [];
  return {
    messages,
    actions,
    async handleMessage(message) {
      messages.push(message);
      if (message.text.includes('explode')) throw new Error('core failure with a resident detail: 07700 900123');
      return resultsReply(message.text);
    },
    async handleAction(action) {
      actions.push(action);
      if (action.action === ACTION.help) {
        return {
          fallbackText: 'Ask me about activities in Camden.',
          blocks: [heading('Signpost'), text('Ask me about **activities** in Camden.')],
        };
      }
      return {
        fallbackText: `Details for ${action.value}`,
        blocks: [heading(`Details for ${action.value}`), fields([{ label: 'Cost', value: 'Free' }])],
      };
    },
  };
}

function resultsReply(question: string): Reply {
  return {
    fallbackText: `1 result for "${question}"`,
    blocks: [
      heading(`Results for ${question}`),
      {
        type: 'list',
        items: [
          {
            title: 'Lunch club at Kentish Town Community Centre',
            lines: ['Tuesdays 12:00', 'Step-free'],
            buttons: [
              { label: 'Details', action: ACTION.details, value: 'entry-1' },
              { label: 'Share with resident', action: ACTION.share, value: 'entry-1' },
            ],
          },
        ],
      },
      { type: 'more', remaining: 4, button: { label: '4 more', action: ACTION.more, value: 'page-2' } },
      context('Demo data'),
    ],
  };
}
