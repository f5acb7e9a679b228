import { describe, expect, it } from 'vitest';
import {
  buildShareReply,
  MAX_SHARE_LENGTH,
  shareText,
} from '../../../../../src/bots/core/replies/share-with-resident.ts';
import { buildResult } from '../../../../helpers/build-result.ts';

const NOW = new Date('2026-11-30T09:00:00Z');
/** Internal codes and markup that must never reach a resident. */
const JARGON = /\b[a-z]+_[a-z_]+\b|\*\*|\]\(|\bnull\b|\bundefined\b/;

describe('shareText', () => {
  it('says what, when, where with postcode, access, cost, how to go and who to call, in plain words', () => {
    const text = shareText(buildResult(), NOW);
    expect(text).toBe(
      [
        'Tuesday Lunch Club',
        'When: Tue 1 Dec, 12:00–14:00, then Tue 8 Dec, 12:00–14:00',
        '(Tuesdays 12:00–14:00)',
        'Where: Kentish Town Community Centre, 17 Busby Place, London, NW5 2SP',
        'Step-free access. Accessible toilet.',
        'Cost: Free',
        'You can just turn up.',
        'Call: 020 7946 0123 (Maya)',
      ].join('\n'),
    );
    expect(text).not.toMatch(JARGON);
  });

  it.each([
    ['self_referral', 'Get in touch to join. You do not need a referral.'],
    ['referral_needed', 'You need a referral: ask the person who gave you this.'],
    ['booking', 'You need to book a place.'],
  ])('explains %s without the code', (howToJoin, sentence) => {
    const text = shareText(buildResult({ howToJoin, access: ['hearing_loop', 'quiet_space', 'carer_free'] }), NOW);
    expect(text).toContain(sentence);
    expect(text).toContain('Hearing loop. Quiet space. Carers go free.');
    expect(text).not.toMatch(JARGON);
  });

  it('handles phone and online services, a closure notice and an e-mail-only contact', () => {
    const phone = shareText(
      buildResult({
        attendingTypes: ['phone'],
        venue: null,
        address: null,
        postcode: null,
        next: null,
        upcoming: [],
        status: 'temporarily_closed',
      }),
      NOW,
    );
    expect(phone).toContain('Where: by phone');
    expect(phone).toContain('When: Tuesdays 12:00–14:00');
    expect(phone).toContain('closed for now');
    const online = shareText(
      buildResult({
        attendingTypes: ['online'],
        venue: null,
        address: null,
        postcode: null,
        contact: { email: 'hello@example.org' },
      }),
      NOW,
    );
    expect(online).toContain('Where: online');
    expect(online).toContain('Email: hello@example.org');
    expect(online).toContain('https://example.org/lunch');
  });

  it('never repeats the venue or postcode the address already holds', () => {
    const text = shareText(
      buildResult({
        venue: 'Kentish Town Centre',
        address: 'Kentish Town Centre, 1 High St, NW5 1AA',
        postcode: 'NW5 1AA',
      }),
      NOW,
    );
    expect(text).toContain('Where: Kentish Town Centre, 1 High St, NW5 1AA\n');
  });

  it('stays SMS-sized however long the listing is, keeping the title and the phone number', () => {
    const long = 'word '.repeat(300);
    const text = shareText(
      buildResult({
        title: long,
        alert: long,
        scheduleText: long,
        venue: long,
        address: long,
        cost: 'Free',
        access: ['step_free', 'parking'],
      }),
      NOW,
    );
    expect(text.length).toBeLessThanOrEqual(MAX_SHARE_LENGTH);
    expect(text.startsWith('word word')).toBe(true);
    expect(text).toContain('020 7946 0123');
  });
});

describe('buildShareReply', () => {
  it('puts the text alone in one copyable block, ephemeral, with the text as fallback', () => {
    const result = buildResult({ isDemo: true });
    const reply = buildShareReply(result, NOW);
    expect(reply.ephemeral).toBe(true);
    expect(reply.fallbackText).toBe(shareText(result, NOW));
    expect(reply.blocks.filter((b) => b.type === 'text')).toEqual([{ type: 'text', text: shareText(result, NOW) }]);
    expect(JSON.stringify(reply.blocks)).toContain('Demo data');
  });
});
