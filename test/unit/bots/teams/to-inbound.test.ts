import { describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/bots/core/action-ids.ts';
import { stripBotMention, toChannelRef, toConversationKind, toInbound } from '../../../../src/bots/teams/to-inbound.ts';

const BOT = { id: '28:bot', name: 'Signpost' };
const botMention = (text: string) => ({ type: 'mention' as const, text, mentioned: { id: BOT.id, name: 'Signpost' } });
const base = {
  type: 'message',
  from: { id: '29:user', name: 'Test Officer', aadObjectId: 'aad-1' },
  recipient: BOT,
  conversation: { id: '19:chan@thread.tacv2;messageid=123', conversationType: 'channel', isGroup: true },
};

describe('stripBotMention', () => {
  it.each([
    ['exact entity text', '<at>Signpost</at> lunch club', [botMention('<at>Signpost</at>')], 'lunch club'],
    [
      'longer display name in the text',
      '<at>Signpost Bot</at> lunch club',
      [botMention('<at>Signpost</at>')],
      'lunch club',
    ],
    [
      'non-breaking spaces and extra spaces',
      '<at>Signpost</at>&nbsp;\u00a0  lunch   club ',
      [botMention('<at>Signpost</at>')],
      'lunch club',
    ],
    [
      'mention in the middle',
      'can <at>Signpost</at> find a lunch club',
      [botMention('<at>Signpost</at>')],
      'can find a lunch club',
    ],
    ['no entity: matched by the bot name', '<at>signpost</at> lunch club', [], 'lunch club'],
    ['entity but no tags in the text', '@Signpost, lunch club', [botMention('<at>Signpost</at>')], 'lunch club'],
    [
      'HTML around the text',
      '<p><at>Signpost</at> lunch &amp; chat</p>',
      [botMention('<at>Signpost</at>')],
      'lunch & chat',
    ],
  ])('%s', (_name, text, mentions, expected) => {
    expect(stripBotMention(text, mentions, BOT)).toBe(expected);
  });

  it('keeps the names of other people mentioned', () => {
    const other = {
      type: 'mention' as const,
      text: '<at>Jane Doe</at>',
      mentioned: { id: '29:jane', name: 'Jane Doe' },
    };
    expect(
      stripBotMention(
        '<at>Signpost</at> ask <at>Jane Doe</at> about it',
        [botMention('<at>Signpost</at>'), other],
        BOT,
      ),
    ).toBe('ask Jane Doe about it');
  });

  it('does not eat a word that only starts like the bot name', () => {
    expect(stripBotMention('signposting for carers', [], BOT)).toBe('signposting for carers');
  });
});

describe('toInbound', () => {
  it('maps a channel message to an InboundMessage on the channel, not the thread', () => {
    const result = toInbound({
      ...base,
      text: '<at>Signpost</at> bingo',
      entities: [botMention('<at>Signpost</at>')],
    } as never);
    expect(result).toEqual({
      kind: 'message',
      message: {
        platform: 'teams',
        userId: 'aad-1',
        displayName: 'Test Officer',
        isCoordinator: false,
        channelRef: '19:chan@thread.tacv2',
        text: 'bingo',
        isDirect: false,
      },
    });
  });

  it('a bare mention is an empty message', () => {
    expect(
      toInbound({ ...base, text: '<at>Signpost</at>', entities: [botMention('<at>Signpost</at>')] } as never),
    ).toEqual({
      kind: 'ignored',
      reason: 'empty',
    });
  });

  it('validates card submissions', () => {
    const ok = toInbound({ ...base, value: { action: ACTION.book, value: 'occ-1', msteams: { x: 1 } } } as never);
    expect(ok).toMatchObject({
      kind: 'action',
      action: { action: ACTION.book, value: 'occ-1', channelRef: '19:chan@thread.tacv2' },
    });
    expect(toInbound({ ...base, value: { action: 'nope', value: 'x' } } as never)).toEqual({
      kind: 'ignored',
      reason: 'bad-submit',
    });
    expect(toInbound({ ...base, value: { action: ACTION.more, value: 'x'.repeat(2001) } } as never)).toEqual({
      kind: 'ignored',
      reason: 'bad-submit',
    });
    expect(toInbound({ ...base, value: 'just a string' } as never)).toEqual({ kind: 'ignored', reason: 'bad-submit' });
  });

  it('knows the kinds of conversation', () => {
    expect(toConversationKind({ conversationType: 'personal' })).toBe('personal');
    expect(toConversationKind({ conversationType: 'groupChat', isGroup: true })).toBe('groupChat');
    expect(toConversationKind({ conversationType: 'channel', isGroup: true })).toBe('channel');
    expect(toConversationKind({ isGroup: true })).toBe('groupChat');
    expect(toChannelRef('19:a@thread.skype;messageid=99')).toBe('19:a@thread.skype');
  });
});
