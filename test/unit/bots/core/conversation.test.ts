import { beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/bots/core/action-ids.ts';
import { createConversation, type ConversationHooks } from '../../../../src/bots/core/conversation.ts';
import type { InboundAction, InboundMessage } from '../../../../src/bots/core/inbound.ts';
import type { Conversation } from '../../../../src/bots/core/ports.ts';
import type { Reply, ReplyBlock, ReplyButton } from '../../../../src/bots/core/reply.ts';
import type { Logger } from '../../../../src/logger.ts';
import { buildResult } from '../../../helpers/build-result.ts';
import { createFakeSearch, type FakeSearch } from '../../../helpers/fake-search.ts';

const NOW = new Date('2026-11-30T09:00:00Z');
const clock = { now: () => NOW };

type Line = { level: string; msg: string; fields?: Record<string, unknown> };
function recordingLogger(lines: Line[]): Logger {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, msg, ...(fields ? { fields } : {}) });
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}

const alice: Omit<InboundMessage, 'text'> = {
  platform: 'slack',
  userId: 'U1',
  channelRef: 'C1',
  isDirect: false,
  isCoordinator: false,
};
const say = (conversation: Conversation, text: string, who = alice) => conversation.handleMessage({ ...who, text });
const press = (conversation: Conversation, button: ReplyButton, who = alice) =>
  conversation.handleAction({ ...who, action: button.action, value: button.value } satisfies InboundAction);

const listOf = (reply: Reply) =>
  reply.blocks.find((b): b is Extract<ReplyBlock, { type: 'list' }> => b.type === 'list');
const moreOf = (reply: Reply) =>
  reply.blocks.find((b): b is Extract<ReplyBlock, { type: 'more' }> => b.type === 'more');
const headingOf = (reply: Reply) => (reply.blocks[0]?.type === 'heading' ? reply.blocks[0].text : undefined);

const lunchClubs = Array.from({ length: 12 }, (_, i) =>
  buildResult({ id: `lunch-${i + 1}`, title: `Lunch club ${i + 1}` }),
);
const training = buildResult({
  id: 'mecc',
  kind: 'training',
  title: 'MECC training',
  description: 'Making Every Contact Count.',
});

describe('conversation', () => {
  let search: FakeSearch;
  let logs: Line[];
  let conversation: Conversation;
  beforeEach(() => {
    search = createFakeSearch([...lunchClubs, training]);
    logs = [];
    conversation = createConversation({ search, clock, logger: recordingLogger(logs) });
  });

  it('answers a question with the first five results and the fixed clock', async () => {
    const reply = await say(conversation, 'lunch club in Kentish Town');
    expect(listOf(reply)!.items.map((i) => i.title)).toEqual([
      '1. Lunch club 1',
      '2. Lunch club 2',
      '3. Lunch club 3',
      '4. Lunch club 4',
      '5. Lunch club 5',
    ]);
    expect(moreOf(reply)!.remaining).toBe(7);
    expect(search.requests).toEqual([{ text: 'lunch club in Kentish Town', now: NOW, limit: 5, offset: 0 }]);
  });

  it('pages with typed "more", numbering on, then says when there is nothing left', async () => {
    await say(conversation, 'lunch club');
    const second = await say(conversation, 'more');
    expect(listOf(second)!.items.map((i) => i.title.split('.')[0])).toEqual(['6', '7', '8', '9', '10']);
    expect(moreOf(second)!.remaining).toBe(2);
    const third = await say(conversation, 'next');
    expect(listOf(third)!.items.map((i) => i.title)).toEqual(['11. Lunch club 11', '12. Lunch club 12']);
    expect(moreOf(third)).toBeUndefined();
    expect(headingOf(await say(conversation, 'more'))).toBe('That is everything');
    // Numbers from every page stay valid.
    expect(headingOf(await say(conversation, 'details 7'))).toBe('Lunch club 7');
    expect(headingOf(await say(conversation, '2'))).toBe('Lunch club 2');
  });

  it('pages with the "more" button, whose value is an opaque key, not the question', async () => {
    const first = await say(conversation, 'lunch club for Mrs Example');
    const button = moreOf(first)!.button;
    expect(button.value).not.toContain('Example');
    expect(button.value.length).toBeLessThan(60);
    const second = await press(conversation, button);
    expect(listOf(second)!.items[0]!.title).toBe('6. Lunch club 6');
    expect(search.requests[1]).toMatchObject({ text: 'lunch club for Mrs Example', offset: 5 });
  });

  it('"details 2" and "share 2" use the list of this conversation only', async () => {
    await say(conversation, 'lunch club');
    const details = await say(conversation, 'details 2');
    expect(headingOf(details)).toBe('Lunch club 2');
    const share = await say(conversation, 'share 2 with resident');
    expect(share.fallbackText.startsWith('Lunch club 2\n')).toBe(true);
    expect(share.ephemeral).toBe(true);
    // Another user in the same channel has no list yet.
    const bob = { ...alice, userId: 'U2' };
    expect(headingOf(await say(conversation, 'details 2', bob))).toBe('Ask a question first');
    expect(headingOf(await say(conversation, 'details 9'))).toBe('There is no number 9');
  });

  it('handles the Details, Share and post-to-channel buttons', async () => {
    const reply = await say(conversation, 'lunch club');
    const [details, share] = listOf(reply)!.items[0]!.buttons;
    expect(headingOf(await press(conversation, details!))).toBe('Lunch club 1');
    expect(
      (await press(conversation, share!)).blocks.some((b) => b.type === 'text' && b.text.startsWith('Lunch club 1')),
    ).toBe(true);
    const posted = await conversation.handleAction({
      ...alice,
      action: ACTION.postToChannel,
      value: JSON.stringify({ id: 'lunch-3' }),
    });
    expect(posted.ephemeral).toBe(false);
    expect(headingOf(posted)).toBe('Lunch club 3');
  });

  it('says when an entry has gone, or a button value is not ours, without trusting it', async () => {
    expect(
      headingOf(await conversation.handleAction({ ...alice, action: ACTION.details, value: '{"id":"gone"}' })),
    ).toBe('No longer listed');
    for (const value of ['not json', '{"id":42}', `{"id":"${'x'.repeat(3000)}"}`, '{"k":"a","o":-1}']) {
      const reply = await conversation.handleAction({
        ...alice,
        action: value.startsWith('{"k"') ? ACTION.more : ACTION.details,
        value,
      });
      expect(headingOf(reply)).toBe('That button did not work');
    }
    expect(
      headingOf(await conversation.handleAction({ ...alice, action: ACTION.more, value: '{"k":"unknownkey","o":5}' })),
    ).toBe('That list has expired');
    expect(logs.filter((l) => l.level === 'warn').length).toBe(4);
  });

  it('"more" or a number before any question asks for a question', async () => {
    expect(headingOf(await say(conversation, 'more'))).toBe('Ask a question first');
    expect(headingOf(await say(conversation, '3'))).toBe('Ask a question first');
  });

  it('answers help and greetings', async () => {
    const reply = await say(conversation, 'hi');
    expect(headingOf(reply)).toBe('How to use Signpost');
    expect(reply.fallbackText).toContain('Try asking');
    expect(headingOf(await conversation.handleAction({ ...alice, action: ACTION.help, value: '{}' }))).toBe(
      'How to use Signpost',
    );
  });

  it('says that nothing was found, never an empty reply, and forgets the previous list', async () => {
    await say(conversation, 'lunch club');
    const reply = await say(conversation, 'zumba');
    expect(headingOf(await say(conversation, 'more'))).toBe('That is everything');
    expect(headingOf(await say(conversation, 'details 1'))).toBe('There is no number 1');
    expect(headingOf(reply)).toBe('No results');
    expect(reply.fallbackText).toContain('I looked for: “zumba”.');
  });

  it('apologises with a reference when search fails, logging the error but never the question', async () => {
    search.failWith = new Error('connection refused');
    const reply = await say(conversation, 'lunch club for Mrs Example at 1 High Street');
    expect(headingOf(reply)).toBe('Sorry, something went wrong');
    const error = logs.find((l) => l.level === 'error')!;
    const reference = String(error.fields?.correlationId);
    expect(reference).toMatch(/^[0-9a-f]{8}$/);
    expect(reply.fallbackText).toContain(reference);
    expect(reply.fallbackText).not.toContain('connection refused');
    expect(JSON.stringify(logs)).not.toContain('Mrs Example');
    expect(error.fields).toMatchObject({ platform: 'slack', intent: 'search' });
  });

  it('never logs the question text on success either', async () => {
    await say(conversation, 'lunch club for Mrs Example');
    await say(conversation, 'more');
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toContain('Example');
  });

  it('without booking or digest hooks, says politely that they are not available yet', async () => {
    await say(conversation, 'training');
    for (const text of ['book 1', 'my bookings', 'subscribe weekly', 'unsubscribe']) {
      expect(headingOf(await say(conversation, text))).toBe('Not available yet');
    }
    for (const action of [ACTION.book, ACTION.cancelBooking, ACTION.myBookings, ACTION.subscribe, ACTION.flag]) {
      const reply = await conversation.handleAction({ ...alice, action, value: JSON.stringify({ id: 'mecc' }) });
      expect(headingOf(reply)).toBe('Not available yet');
    }
  });

  it('passes book, my bookings, subscribe and other booking buttons to the hooks', async () => {
    const calls: unknown[] = [];
    const ok = (what: string): Reply => ({ fallbackText: what, blocks: [{ type: 'heading', text: what }] });
    const hooks: ConversationHooks = {
      bookings: {
        async book(ctx, target) {
          calls.push(['book', ctx.userId, ctx.channelRef, target]);
          return ok('booked');
        },
        async mine(ctx) {
          calls.push(['mine', ctx.userId]);
          return ok('mine');
        },
        async handleAction(action) {
          calls.push(['action', action.action, action.value]);
          return ok('other');
        },
      },
      digests: {
        async subscribe(ctx, request) {
          calls.push(['subscribe', ctx.channelRef, request.text]);
          return ok('subscribed');
        },
        async unsubscribe(ctx) {
          calls.push(['unsubscribe', ctx.channelRef]);
          return ok('unsubscribed');
        },
      },
    };
    conversation = createConversation({ search, clock, logger: recordingLogger(logs), hooks });
    const results = await say(conversation, 'training');
    const book = listOf(results)!.items[0]!.buttons.find((b) => b.action === ACTION.book)!;
    expect(headingOf(await press(conversation, book))).toBe('booked');
    expect(headingOf(await say(conversation, 'book 1'))).toBe('booked');
    expect(headingOf(await say(conversation, 'my bookings'))).toBe('mine');
    expect(headingOf(await say(conversation, 'subscribe weekly'))).toBe('subscribed');
    expect(headingOf(await say(conversation, 'unsubscribe'))).toBe('unsubscribed');
    expect(
      headingOf(await conversation.handleAction({ ...alice, action: ACTION.cancelBooking, value: '{"b":"1"}' })),
    ).toBe('other');
    expect(headingOf(await conversation.handleAction({ ...alice, action: ACTION.subscribe, value: '{}' }))).toBe(
      'Not available yet',
    );
    expect(calls).toEqual([
      ['book', 'U1', 'C1', { entryId: 'mecc', start: '2026-12-01T12:00:00+00:00' }],
      ['book', 'U1', 'C1', { entryId: 'mecc' }],
      ['mine', 'U1'],
      ['subscribe', 'C1', 'weekly'],
      ['unsubscribe', 'C1'],
      ['action', ACTION.cancelBooking, '{"b":"1"}'],
    ]);
    // Help mentions booking once the hook is there.
    expect((await say(conversation, 'help')).fallbackText.length).toBeGreaterThan(0);
    expect(JSON.stringify(await say(conversation, 'help'))).toContain('book 2');
  });

  it('a failing hook gives the apology too', async () => {
    conversation = createConversation({
      search,
      clock,
      logger: recordingLogger(logs),
      hooks: {
        bookings: { book: () => Promise.reject(new Error('boom')), mine: () => Promise.reject(new Error('boom')) },
      },
    });
    expect(headingOf(await say(conversation, 'my bookings'))).toBe('Sorry, something went wrong');
  });
});
