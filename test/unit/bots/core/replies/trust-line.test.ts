import { describe, expect, it } from 'vitest';
import { buildEntryDetailReply } from '../../../../../src/bots/core/replies/entry-detail.ts';
import { buildFollowUpReply, buildReasonReply } from '../../../../../src/bots/core/replies/follow-up.ts';
import { buildSearchResultsReply } from '../../../../../src/bots/core/replies/search-results.ts';
import { renderBlocks } from '../../../../../src/bots/slack/render-blocks.ts';
import { renderCard } from '../../../../../src/bots/teams/render-card.ts';
import { renderText } from '../../../../../src/bots/terminal/render-text.ts';
import { describeTrust } from '../../../../../src/catalogue/trust/describe-trust.ts';
import type { Trust } from '../../../../../src/catalogue/trust/trust.ts';
import { buildResponse, buildResult } from '../../../../helpers/build-result.ts';

const NOW = new Date('2027-06-15T09:00:00Z');

const trust = (overrides: Partial<Trust> = {}): Trust => ({
  origin: 'feed',
  source: 'Age *UK* <b>Camden</b>',
  lastConfirmed: '2027-06-12',
  confirmedBy: 'feed_refresh',
  feedFailing: false,
  feedFailingSince: null,
  openReports: { closed: 0, wrongDetails: 0 },
  marked: false,
  ...overrides,
});

describe('the trust line', () => {
  it("counts days from London's today, asked again either side of London's midnight", () => {
    const line = (now: string) => describeTrust(trust({ lastConfirmed: '2027-06-14' }), new Date(now)).line;
    // 23:30 UTC on the 14th is already the 15th in London (BST).
    expect(line('2027-06-14T22:30:00Z')).toContain('last confirmed today');
    expect(line('2027-06-14T23:30:00Z')).toContain('last confirmed yesterday');
    expect(line('2027-06-14T22:45:00Z')).toContain('last confirmed today');
    expect(line('2027-06-16T09:00:00Z')).toContain('last confirmed 2 days ago');
  });

  it('says where a listing comes from, when and by what it was last confirmed, and what staff reported', () => {
    expect(describeTrust(trust(), NOW)).toEqual({
      line: 'From a partner’s feed (Age *UK* <b>Camden</b>) · last confirmed 3 days ago, still in the feed',
      warnings: [],
    });
    expect(
      describeTrust(trust({ origin: 'directory', confirmedBy: 'assured_date', lastConfirmed: '2027-02-01' }), NOW).line,
    ).toBe('From a directory (Age *UK* <b>Camden</b>) · last confirmed 4 months ago, by its source');
    expect(
      describeTrust(trust({ origin: 'coordinator', confirmedBy: 'coordinator', lastConfirmed: '2027-06-15' }), NOW)
        .line,
    ).toBe('Added by a coordinator · last confirmed today, by a coordinator');
    expect(describeTrust(trust({ lastConfirmed: null, confirmedBy: null }), NOW).line).toContain('never confirmed');
    const warned = describeTrust(
      trust({
        feedFailing: true,
        feedFailingSince: '2027-06-01',
        openReports: { closed: 2, wrongDetails: 1 },
        marked: true,
      }),
      NOW,
    );
    expect(warned.warnings).toEqual([
      '⚠ Staff reported it has closed (2 open reports): check before sending someone',
      '⚠ Staff reported wrong details: check them before sending someone',
      '⚠ Its feed has not loaded since 1 Jun 2027: details may be out of date',
    ]);
  });

  it('reaches every renderer with the source’s name shown as written', () => {
    const result = buildResult({ trust: trust({ openReports: { closed: 1, wrongDetails: 0 }, marked: true }) });
    const details = buildEntryDetailReply(result, NOW);
    const list = buildSearchResultsReply({ response: buildResponse([result]), now: NOW, offset: 0, queryKey: 'k' });
    for (const reply of [details, list]) {
      const slack = JSON.stringify(renderBlocks(reply));
      // Slack mrkdwn: the name's asterisks cannot turn bold, and its angle brackets are escaped.
      expect(slack).toContain('Age ∗UK∗ &lt;b&gt;Camden&lt;/b&gt;');
      expect(slack).toContain('Staff reported it has closed');
      const teams = JSON.stringify(renderCard(reply));
      expect(teams).toContain('Staff reported it has closed');
      expect(teams).toContain('Age ∗UK∗ ‹b›Camden‹/b›');
      const text = renderText(reply).text;
      expect(text).toContain('From a partner’s feed (Age *UK* <b>Camden</b>)');
      expect(text).toContain('Staff reported it has closed');
    }
  });

  it('the follow-up asks once with three answers, then one reason from the fixed list', () => {
    const ask = buildFollowUpReply({
      id: '0190a0b0-0000-7000-8000-000000000001',
      title: 'Knit *&* Natter',
      sharedOn: '1 June',
      platform: 'slack',
    });
    expect(ask.fallbackText).toBe('Did the resident go to Knit *&* Natter?');
    const slack = JSON.stringify(renderBlocks(ask));
    expect(slack).toContain('*Knit ∗&amp;∗ Natter*');
    const buttons = ask.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
    expect(buttons.map((b) => b.label)).toEqual(['Went', 'Didn’t go', 'Wasn’t suitable']);
    const reasons = buildReasonReply('0190a0b0-0000-7000-8000-000000000001', 'Knit').blocks.flatMap((b) =>
      b.type === 'actions' ? b.buttons : [],
    );
    expect(reasons).toHaveLength(7);
    expect(JSON.stringify(renderCard(ask))).toContain('Did the resident go to');
  });
});
