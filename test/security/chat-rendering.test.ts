import { describe, expect, it } from 'vitest';
import { buildDigestReply } from '../../src/bots/core/replies/digest.ts';
import { buildEntryDetailReply } from '../../src/bots/core/replies/entry-detail.ts';
import { buildSearchResultsReply } from '../../src/bots/core/replies/search-results.ts';
import { buildShareReply, shareText } from '../../src/bots/core/replies/share-with-resident.ts';
import type { Reply } from '../../src/bots/core/reply.ts';
import { renderBlocks } from '../../src/bots/slack/render-blocks.ts';
import { renderCard } from '../../src/bots/teams/render-card.ts';
import { renderText } from '../../src/bots/terminal/render-text.ts';
import { buildResponse, buildResult } from '../helpers/build-result.ts';
import { cli, heldCliDatabase } from '../helpers/run-cli.ts';

const NOW = new Date('2026-11-30T09:00:00Z');

/** Every mrkdwn string in Block Kit JSON (section text, fields, context elements). */
function mrkdwnOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnOf);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
    return [...own, ...Object.values(o).flatMap(mrkdwnOf)];
  }
  return [];
}

/** Every TextBlock text and FactSet value in an Adaptive Card. */
function cardTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(cardTexts);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const own = o.type === 'TextBlock' && typeof o.text === 'string' ? [o.text] : [];
    const facts = Array.isArray(o.facts) ? (o.facts as { value: string }[]).map((f) => f.value) : [];
    return [...own, ...facts, ...Object.values(o).flatMap(cardTexts)];
  }
  return [];
}

function urlsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(urlsOf);
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      k === 'url' && typeof v === 'string' ? [v] : urlsOf(v),
    );
  }
  return [];
}

const allReplies = (result: ReturnType<typeof buildResult>): Reply[] => [
  buildSearchResultsReply({ response: buildResponse([result]), now: NOW, offset: 0, queryKey: 'k' }),
  buildEntryDetailReply(result, NOW),
  buildShareReply(result, NOW),
  buildDigestReply({
    at: NOW,
    subscriptionId: 's1',
    scheduleText: 'Every Monday at 09:00',
    filterText: null,
    late: false,
    demo: false,
    fresh: [
      {
        id: result.id,
        title: result.title,
        kind: 'activity',
        nextStart: NOW,
        sessions: 1,
        venue: result.venue,
        ward: result.ward,
        organisation: result.organisation,
        cost: result.description,
        isNew: true,
      },
    ],
    highlights: [],
    total: 1,
  }),
];

describe('attack: a disguised link in a partner’s text', () => {
  const result = buildResult({
    title: 'Lunch [click here to claim £50](https://evil.example/phish)',
    description:
      'Free food! [Camden Council](https://evil.example/login) says **everyone** must ~register~ _today_ `now`.',
    alert: 'See [the notice](https://evil.example/notice)',
  });

  it('never becomes a Slack link: no <url|label> from data, and no bold, italic, strike or code from it', () => {
    for (const reply of allReplies(result)) {
      const rendered = renderBlocks(reply);
      for (const text of [...mrkdwnOf(rendered.blocks), rendered.text]) {
        expect(text).not.toMatch(/<https?:[^>]*\|/);
        expect(text).not.toContain('<https://evil');
        expect(text).not.toMatch(/(^|\s)\*everyone\*/);
        expect(text).not.toMatch(/~register~|_today_|`now`/);
      }
      expect(urlsOf(rendered.blocks).filter((u) => u.includes('evil'))).toEqual([]);
    }
  });

  it('never becomes Teams card markdown: no [label](url) and no **bold** from data', () => {
    for (const reply of allReplies(result)) {
      const card = renderCard(reply);
      for (const text of cardTexts(card.body)) {
        expect(text).not.toMatch(/\]\(/);
        expect(text).not.toContain('**everyone**');
        expect(text).not.toMatch(/~register~|(^|\s)_today_|`now`/);
      }
      expect(urlsOf(card).filter((u) => u.includes('evil'))).toEqual([]);
    }
  });

  it('is still shown, as the words it is', () => {
    const detail = renderBlocks(buildEntryDetailReply(result, NOW));
    const text = mrkdwnOf(detail.blocks).join('\n');
    expect(text).toContain('Camden Council');
    expect(text).toContain('https://evil.example/login');
    expect(renderText(buildEntryDetailReply(result, NOW)).text).toContain(
      'Free food! [Camden Council](https://evil.example/login) says **everyone**',
    );
  });
});

describe('attack: a mention smuggled into an in-channel post', () => {
  const result = buildResult({
    title: '<!channel> Free lunch <@U0123ABC> <!here> <!subteam^S1|@staff>',
    organisation: '<#C1|general>',
  });

  it('reaches neither the blocks nor the fallback text of a Slack post as a mention', () => {
    for (const reply of allReplies(result)) {
      const rendered = renderBlocks(reply);
      for (const text of [...mrkdwnOf(rendered.blocks), rendered.text]) {
        expect(text).not.toMatch(/<[!@#]/);
      }
      expect(rendered.text).not.toContain('<');
    }
    const posted = renderBlocks(buildEntryDetailReply(result, NOW));
    expect(posted.text).toContain('&lt;!channel&gt; Free lunch &lt;@U0123ABC&gt;');
  });
});

describe('attack: markdown in names and titles', () => {
  const result = buildResult({
    title: '*URGENT* _read_ ~this~',
    contact: { name: '**Admin**', phone: '020 7946 0000', email: 'first_last@camden.example' },
  });

  it('is shown literally in Slack (look-alike characters) and keeps addresses intact', () => {
    const rendered = renderBlocks(buildEntryDetailReply(result, NOW));
    const text = mrkdwnOf(rendered.blocks).join('\n');
    expect(text).not.toContain('*URGENT*');
    expect(text).not.toContain('_read_');
    expect(text).not.toContain('**Admin**');
    expect(text).toContain('first_last@camden.example');
    expect(rendered.blocks[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: '*URGENT* _read_ ~this~' },
    });
  });

  it('is shown literally in Teams', () => {
    const texts = cardTexts(renderCard(buildEntryDetailReply(result, NOW)).body).join('\n');
    expect(texts).not.toMatch(/\*URGENT\*|(^|\s)_read_|\*\*Admin\*\*/);
    expect(texts).toContain('first_last@camden.example');
  });
});

describe('attack: a javascript:, data: or file: web address', () => {
  for (const url of [
    'javascript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
  ]) {
    it(`never reaches a Website button, the share text or a card action: ${url}`, () => {
      const result = buildResult({ url, contact: { name: 'Maya' } });
      for (const reply of allReplies(result)) {
        expect(urlsOf(renderBlocks(reply).blocks)).not.toContain(url);
        expect(urlsOf(renderCard(reply))).not.toContain(url);
        expect(JSON.stringify(renderBlocks(reply))).not.toMatch(/javascript:|data:text|file:\/\//i);
        expect(JSON.stringify(renderCard(reply))).not.toMatch(/javascript:|data:text|file:\/\//i);
      }
      expect(shareText(result, NOW)).not.toContain(url.trim());
    });
  }

  it('an http(s) address is still offered as a Website button', () => {
    const reply = buildEntryDetailReply(buildResult({ url: 'https://example.org/lunch' }), NOW);
    expect(urlsOf(renderBlocks(reply).blocks)).toContain('https://example.org/lunch');
    expect(renderCard(reply).body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'ActionSet',
          actions: expect.arrayContaining([
            expect.objectContaining({ type: 'Action.OpenUrl', url: 'https://example.org/lunch' }),
          ]),
        }),
      ]),
    );
  });

  it('a button with another scheme is left out by both renderers, never turned into a link', () => {
    const reply: Reply = {
      fallbackText: 'x',
      blocks: [
        {
          type: 'actions',
          buttons: [{ label: 'Website', action: 'catalogue.details', value: '{}', url: 'javascript:alert(1)' }],
        },
      ],
    };
    expect(urlsOf(renderBlocks(reply).blocks)).toEqual([]);
    expect(renderBlocks(reply).droppedButtons).toBe(1);
    expect(urlsOf(renderCard(reply))).toEqual([]);
    expect(renderText(reply).text).not.toContain('javascript:');
  });
});

describe('attack: escape sequences in a title clear and spoof the terminal', () => {
  const result = buildResult({
    title: '\u001b[2J\u001b[HLunch\u001b]0;owned\u0007 club\u001b[31m',
    description: 'Fine\rSigned in as admin\u0008\u0008 \u009b2J \u202eevil\u202c',
  });

  it('strips every escape sequence and control character (line breaks kept)', () => {
    for (const reply of allReplies(result)) {
      const { text } = renderText(reply);
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(text).toContain('\n');
    }
    expect(renderText(buildEntryDetailReply(result, NOW)).text).toContain('Lunch club');
  });
});

describe('attack: escape sequences in an error message', () => {
  it('the CLI writes its refusal without them', async () => {
    // A migrated store held open (not a new one migrated for this one command).
    const db = await heldCliDatabase('pglite', 'signpost-render-db-');
    const result = await cli(db.url, 'import', 'test/fixtures/\u001b[2J\u001b]0;owned\u0007missing.ics').finally(() =>
      db.cleanup(),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No such file');
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
