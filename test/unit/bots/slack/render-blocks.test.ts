import { describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/bots/core/action-ids.ts';
import type { Reply } from '../../../../src/bots/core/reply.ts';
import { splitMrkdwn, toMrkdwn } from '../../../../src/bots/slack/mrkdwn.ts';
import { renderBlocks } from '../../../../src/bots/slack/render-blocks.ts';
import { SLACK_LIMITS } from '../../../../src/bots/slack/slack-limits.ts';
import { fromSlackText } from '../../../../src/bots/slack/to-inbound.ts';
import { everyBlockReply } from '../../../helpers/fake-conversation.ts';

const one = (block: Reply['blocks'][number]) => renderBlocks({ fallbackText: 'f', blocks: [block] }).blocks;

describe('mrkdwn', () => {
  it('converts bold, escapes &, < and > and builds no link from text', () => {
    expect(toMrkdwn('**Free** lunch & chat <b> [Camden](https://camden.gov.uk/a?b=1&c=2)')).toBe(
      '*Free* lunch &amp; chat &lt;b&gt; [Camden](https://camden.gov.uk/a?b=1&amp;c=2)',
    );
    expect(toMrkdwn('<!channel> hi')).toBe('&lt;!channel&gt; hi');
    expect(toMrkdwn('_italic_ stays')).toBe('_italic_ stays');
  });

  it('splits long text without cutting a link', () => {
    const text = `${'word '.repeat(590)}<https://example.org/${'x'.repeat(40)}|link> end`;
    const pieces = splitMrkdwn(text, 3000);
    expect(pieces.every((p) => p.length <= 3000)).toBe(true);
    expect(pieces.join(' ')).toContain('<https://example.org/');
    expect(pieces.some((p) => p.includes('<https') && !p.includes('|link>'))).toBe(false);
  });

  it('reads Slack message text back as plain words', () => {
    expect(fromSlackText('<@U123ABC> lunch &amp; tea <#C1|general> <https://x.org|site> &lt;3')).toBe(
      'lunch & tea #general site <3',
    );
  });
});

describe('renderBlocks: each block type', () => {
  it('heading → header (plain text, at most 150 characters)', () => {
    const [h] = one({ type: 'heading', text: `Lunch ${'x'.repeat(300)}` });
    expect(h).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect((h as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    expect((h as { text: { text: string } }).text.text.startsWith('Lunch')).toBe(true);
  });

  it('text → mrkdwn sections of at most 3,000 characters', () => {
    const blocks = one({ type: 'text', text: 'a '.repeat(4000) });
    expect(blocks.length).toBe(3);
    for (const b of blocks) expect((b as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(3000);
  });

  it('fields → sections of at most 10 fields of 2,000 characters', () => {
    const fields = Array.from({ length: 13 }, (_, i) => ({
      label: `L${i}`,
      value: i < 2 ? 'v'.repeat(2500) : 'short',
    }));
    const blocks = one({ type: 'fields', fields }) as { fields: { text: string }[] }[];
    expect(blocks.map((b) => b.fields.length)).toEqual([10, 3]);
    expect(blocks.flatMap((b) => b.fields).every((f) => f.text.length <= 2000)).toBe(true);
    expect(blocks[0]!.fields[0]!.text.startsWith('*L0*\n')).toBe(true);
  });

  it('list → a section per result and its buttons, with unique action ids', () => {
    const blocks = one({
      type: 'list',
      items: [
        {
          title: 'Club',
          lines: ['Tue'],
          buttons: [
            { label: 'Details', action: ACTION.details, value: '1' },
            { label: 'Details again', action: ACTION.details, value: '2' },
          ],
        },
      ],
    });
    expect(blocks.map((b) => b.type)).toEqual(['section', 'actions']);
    const ids = (blocks[1] as { elements: { action_id: string }[] }).elements.map((e) => e.action_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('actions → at most 25 buttons per block; link buttons; over-long values dropped, never sent', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ label: `B${i}`, action: ACTION.help, value: String(i) }));
    buttons.push({ label: 'Too long', action: ACTION.help, value: 'x'.repeat(2001) });
    buttons.push({
      label: 'Web',
      action: ACTION.help,
      value: '',
      url: 'https://example.org',
    } as (typeof buttons)[number]);
    const rendered = renderBlocks({ fallbackText: 'f', blocks: [{ type: 'actions', buttons }] });
    expect(rendered.blocks.map((b) => (b as { elements: unknown[] }).elements.length)).toEqual([25, 6]);
    expect(rendered.droppedButtons).toBe(1);
    expect(JSON.stringify(rendered.blocks)).toContain('"url":"https://example.org"');
  });

  it('more → a section with the button', () => {
    const [b] = one({
      type: 'more',
      remaining: 12,
      button: { label: 'More', action: ACTION.more, value: '{"k":"a","o":5}' },
    });
    expect(b).toMatchObject({
      type: 'section',
      text: { text: '*12 more*' },
      accessory: { action_id: 'catalogue.more~0', value: '{"k":"a","o":5}' },
    });
  });

  it('context and divider', () => {
    expect(one({ type: 'context', text: '**Demo** data' })).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: '*Demo* data' }] },
    ]);
    expect(one({ type: 'divider' })).toEqual([{ type: 'divider' }]);
  });

  it('attachment → a file to upload and a line saying so', () => {
    const rendered = renderBlocks(everyBlockReply({ attachment: true }));
    expect(rendered.files).toEqual([
      { filename: 'session.ics', mimeType: 'text/calendar', content: expect.stringContaining('VCALENDAR') },
    ]);
    expect(JSON.stringify(rendered.blocks)).toContain('session.ics');
  });

  it('always sets the fallback text', () => {
    expect(renderBlocks({ fallbackText: '**Hi** there', blocks: [] }).text).toBe('Hi there');
  });
});

describe('renderBlocks: limits', () => {
  const many = (n: number): Reply => ({
    fallbackText: `${n} results`,
    blocks: [
      {
        type: 'list',
        items: Array.from({ length: n }, (_, i) => ({
          title: `R${i}`,
          lines: ['line'],
          buttons: [{ label: 'Details', action: ACTION.details, value: `{"id":"${i}"}` }],
        })),
      },
    ],
  });

  it('keeps within 50 blocks and the character budget, turning the rest into "N more" with a button', () => {
    const stashed: Reply[] = [];
    const rendered = renderBlocks(many(60), { stashOverflow: (r) => (stashed.push(r), 'tok') });
    expect(rendered.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(rendered.blocks).length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlocksChars);
    const last = rendered.blocks.at(-1) as { text: { text: string }; accessory: { action_id: string; value: string } };
    const shown = rendered.blocks.filter((b) => b.type === 'section').length - 1;
    expect(last.text.text).toBe(`*${60 - shown} more results*`);
    expect(last.accessory).toMatchObject({ action_id: 'slack.overflow~0', value: 'tok' });
    const rest = stashed[0]!.blocks[0] as { items: unknown[] };
    expect(rest.items).toHaveLength(60 - shown);
  });

  it('says how many were left out when nothing can hold them', () => {
    const rendered = renderBlocks(many(60));
    expect(JSON.stringify(rendered.blocks.at(-1))).toMatch(/more results\* not shown/);
  });

  it('respects 100 blocks for views', () => {
    expect(renderBlocks(many(45), { maxBlocks: SLACK_LIMITS.viewBlocks }).blocks.length).toBeLessThanOrEqual(100);
  });

  it('offers "Post to channel" on private answers only', () => {
    const priv = JSON.stringify(renderBlocks(everyBlockReply(), { offerPostToChannel: true }).blocks);
    expect(priv.match(/catalogue\.post/g)).toHaveLength(2);
    expect(JSON.stringify(renderBlocks(everyBlockReply()).blocks)).not.toContain('catalogue.post');
  });
});

describe('the entry form in Slack', () => {
  it("renders a form as a button that opens the modal (a modal needs the click's trigger id)", () => {
    const form = (value: string): Reply['blocks'][number] => ({
      type: 'form',
      form: { title: 'Edit entry', fields: [], submit: { label: 'Save', action: ACTION.saveEntry, value } },
    });
    const add = JSON.stringify(one(form('')));
    expect(add).toContain('"action_id":"slack.add-entry~0"');
    const edit = one(form('coord-1234-abcd'))[0] as { accessory: { action_id: string; value: string } };
    expect(edit.accessory).toMatchObject({ action_id: 'slack.edit-entry~0', value: 'coord-1234-abcd' });
  });
});
