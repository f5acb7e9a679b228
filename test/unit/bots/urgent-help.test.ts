import { describe, expect, it } from 'vitest';
import { createConversation } from '../../../src/bots/core/conversation.ts';
import type { InboundMessage } from '../../../src/bots/core/inbound.ts';
import type { Reply, ReplyBlock } from '../../../src/bots/core/reply.ts';
import { URGENT_TITLE } from '../../../src/bots/core/replies/urgent-help.ts';
import { renderBlocks } from '../../../src/bots/slack/render-blocks.ts';
import { renderCard } from '../../../src/bots/teams/render-card.ts';
import { renderText } from '../../../src/bots/terminal/render-text.ts';
import { withUrgentHelp } from '../../../src/catalogue/search/urgent-help.ts';
import type { SearchObservation } from '../../../src/insights/ports.ts';
import type { Logger } from '../../../src/logger.ts';
import { buildResult } from '../../helpers/build-result.ts';
import { createFakeSearch } from '../../helpers/fake-search.ts';

const NOW = new Date('2026-11-30T09:00:00Z');
const alice: Omit<InboundMessage, 'text'> = {
  platform: 'slack',
  userId: 'U1',
  channelRef: 'C1',
  isDirect: true,
  isCoordinator: false,
};

function setUp() {
  const logged: string[] = [];
  const at = (msg: string, fields?: Record<string, unknown>) => void logged.push(JSON.stringify({ msg, fields }));
  const logger: Logger = { debug: at, info: at, warn: at, error: at, child: () => logger };
  const observed: SearchObservation[] = [];
  const results = Array.from({ length: 7 }, (_, i) =>
    buildResult({ id: `s${i}`, title: `Mental health support group ${i + 1}`, description: 'Peer support, weekly.' }),
  );
  const conversation = createConversation({
    search: withUrgentHelp(createFakeSearch(results)),
    clock: { now: () => NOW },
    logger,
    hooks: {
      insights: {
        recorder: {
          recordSearch: async (o) => void observed.push(o),
          recordResultEvent: async () => {},
        },
      },
    },
  });
  return { conversation, logged, observed };
}

const urgentOf = (reply: Reply) =>
  reply.blocks.find((b): b is Extract<ReplyBlock, { type: 'urgent' }> => b.type === 'urgent');

describe('urgent help in the conversation', () => {
  it('answers a risk question with the numbers to call first, then the listings', async () => {
    const { conversation } = setUp();
    const reply = await conversation.handleMessage({
      ...alice,
      text: 'my client says he wants to end it all, any mental health support?',
    });
    expect(reply.blocks[0]?.type).toBe('urgent');
    expect(urgentOf(reply)!.lines.map((l) => l.phone)).toEqual(['999', '116 123', '111']);
    expect(reply.blocks.some((b) => b.type === 'list')).toBe(true);
    expect(reply.fallbackText.startsWith(URGENT_TITLE)).toBe(true);
    expect(reply.fallbackText).toContain('116 123');
  });

  it('leads even an answer with no listings, and not the pages after the first', async () => {
    const { conversation } = setUp();
    const none = await conversation.handleMessage({ ...alice, text: 'she is not safe at home' });
    expect(urgentOf(none)!.lines.map((l) => l.phone)).toEqual(['999', '0808 2000 247', '116 123']);
    expect(none.blocks.some((b) => b.type === 'heading' && b.text === 'No results')).toBe(true);

    const first = await conversation.handleMessage({ ...alice, text: 'feeling suicidal, mental health support' });
    expect(urgentOf(first)).toBeDefined();
    const more = await conversation.handleMessage({ ...alice, text: 'more' });
    expect(urgentOf(more)).toBeUndefined();
    expect(more.blocks.some((b) => b.type === 'list')).toBe(true);
  });

  it('leaves ordinary questions alone', async () => {
    const { conversation } = setUp();
    const reply = await conversation.handleMessage({ ...alice, text: 'carers in crisis group, mental health support' });
    expect(urgentOf(reply)).toBeUndefined();
    expect(reply.blocks[0]?.type).toBe('heading');
  });

  it('never keeps the question and never logs it or the help shown', async () => {
    const { conversation, logged, observed } = setUp();
    await conversation.handleMessage({ ...alice, text: 'client took an overdose last night, mental health support' });
    await conversation.handleMessage({ ...alice, text: 'lunch club support' });
    expect(observed).toHaveLength(2);
    expect(observed[0]).not.toHaveProperty('question');
    expect(observed[1]?.question).toBe('lunch club support');
    const log = logged.join('\n');
    expect(log).not.toMatch(/overdose|116 123|Samaritans|at risk/i);
  });
});

describe('urgent help on every platform', () => {
  const reply: Reply = {
    fallbackText: `${URGENT_TITLE}: 999; 116 123.\nMental health support: 1 result`,
    blocks: [
      {
        type: 'urgent',
        title: URGENT_TITLE,
        lines: [
          { phone: '999', name: 'Emergency services, if anyone is in immediate danger' },
          { phone: '116 123', name: 'Samaritans, any time, free' },
        ],
        note: 'Listings that may also help are below.',
      },
      { type: 'heading', text: 'Mental health support' },
      { type: 'list', items: [{ title: '1. Peer support <group>', lines: ['Tuesdays'], buttons: [] }] },
    ],
  };

  it('Slack: a warning section first, each number in bold, set apart from the listings', () => {
    const { blocks, text } = renderBlocks(reply);
    expect(blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:rotating_light: *${URGENT_TITLE}*\n*999*  Emergency services, if anyone is in immediate danger\n*116 123*  Samaritans, any time, free`,
      },
    });
    expect(blocks[1]).toMatchObject({ type: 'context' });
    expect(blocks[2]).toEqual({ type: 'divider' });
    expect(blocks[3]).toMatchObject({ type: 'header' });
    expect(text.startsWith(URGENT_TITLE)).toBe(true);
  });

  it('Slack: the urgent block survives when the rest must be cut', () => {
    const long: Reply = {
      ...reply,
      blocks: [
        reply.blocks[0]!,
        ...Array.from({ length: 60 }, (_, i): ReplyBlock => ({ type: 'text', text: `Line ${i}` })),
      ],
    };
    const { blocks } = renderBlocks(long);
    expect(blocks[0]).toMatchObject({ type: 'section', text: { text: expect.stringContaining('*116 123*') } });
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it('Teams: a container in the attention style first, with the numbers as facts', () => {
    const card = renderCard(reply);
    expect(card.body[0]).toMatchObject({
      type: 'Container',
      style: 'attention',
      items: [
        { type: 'TextBlock', text: URGENT_TITLE, weight: 'Bolder', color: 'Attention' },
        {
          type: 'FactSet',
          facts: [
            { title: '999', value: 'Emergency services, if anyone is in immediate danger' },
            { title: '116 123', value: 'Samaritans, any time, free' },
          ],
        },
        { type: 'TextBlock', text: 'Listings that may also help are below.' },
      ],
    });
    expect(card.fallbackText.startsWith(URGENT_TITLE)).toBe(true);
  });

  it('terminal: marked lines before everything else', () => {
    const { text } = renderText(reply);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`!! ${URGENT_TITLE}`);
    expect(lines[1]).toBe('   999            Emergency services, if anyone is in immediate danger');
    expect(lines[2]).toBe('   116 123        Samaritans, any time, free');
    expect(text.indexOf('Mental health support')).toBeGreaterThan(text.indexOf('116 123'));
  });
});
