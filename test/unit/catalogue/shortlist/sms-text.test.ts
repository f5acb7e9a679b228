import { describe, expect, it } from 'vitest';
import { isGsm7, measureSms, toGsm7 } from '../../../../src/catalogue/shortlist/gsm7.ts';
import type { ListingEssentials } from '../../../../src/catalogue/shortlist/listing-essentials.ts';
import { buildSmsText, MAX_SMS_SEPTETS } from '../../../../src/catalogue/shortlist/sms-text.ts';

const listing = (n: number, over: Partial<ListingEssentials> = {}): ListingEssentials => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  title: `Lunch Club ${n}`,
  when: 'Tue 1 Dec, 12 noon to 2pm',
  schedule: null,
  place: 'Greenwood Place Centre, NW5 1LB',
  address: 'Greenwood Place Centre, 37 Greenwood Place, NW5 1LB',
  phone: '020 7946 0010',
  email: null,
  cost: 'Free',
  howToJoin: 'You can just turn up',
  pageUrl: `https://signpost.example.org/l/00000000-0000-4000-8000-00000000000${n}`,
  paused: false,
  ...over,
});

describe('GSM-7 text and SMS segments', () => {
  it('counts 160 characters as one segment and parts of 153 after that', () => {
    expect(measureSms('a'.repeat(160))).toEqual({ characters: 160, segments: 1 });
    expect(measureSms('a'.repeat(161))).toEqual({ characters: 161, segments: 2 });
    expect(measureSms('a'.repeat(306))).toEqual({ characters: 306, segments: 2 });
    expect(measureSms('a'.repeat(307))).toEqual({ characters: 307, segments: 3 });
    expect(measureSms('a'.repeat(459))).toEqual({ characters: 459, segments: 3 });
    expect(measureSms('a'.repeat(460))).toEqual({ characters: 460, segments: 4 });
    expect(measureSms('')).toEqual({ characters: 0, segments: 0 });
  });

  it('counts the extension characters (€ [ ] { } ^ ~ \\ |) twice and never splits one across two parts', () => {
    expect(measureSms('€5 [free]')).toEqual({ characters: 12, segments: 1 });
    expect(measureSms(`${'a'.repeat(158)}€`)).toEqual({ characters: 160, segments: 1 });
    // 152 septets, then € needs two: it moves to the second part, so 459 septets need a fourth.
    const straddling = `${'a'.repeat(152)}€${'a'.repeat(305)}`;
    expect(measureSms(straddling)).toEqual({ characters: 459, segments: 4 });
    expect(measureSms(`${'a'.repeat(151)}€${'a'.repeat(306)}`)).toEqual({ characters: 459, segments: 3 });
  });

  it('writes curly quotes, dashes and accents GSM-7 lacks in GSM-7, keeps the accents it has, and drops emoji', () => {
    expect(toGsm7('St Mary’s “Tea & Chat” – 10am…')).toBe('St Mary\'s "Tea & Chat" - 10am...');
    expect(toGsm7('Café Ñandú in Łódź, Şişli, Ærø')).toBe('Café Ñandu in Lodz, Sisli, Ærø');
    expect(toGsm7('Knit 🧶 and natter')).toBe('Knit  and natter');
    expect(toGsm7('Line one\r\nLine\ttwo')).toBe('Line one\nLine two');
    expect(toGsm7('বাংলা Bengali group')).toBe(' Bengali group');
    for (const char of toGsm7('“Ünïcødé” façade — naïve ½ price €3')) expect(isGsm7(char)).toBe(true);
  });
});

describe('the list as a text message', () => {
  it('holds each listing’s name, day and time, place, phone and page link, in GSM-7 and at most three segments', () => {
    const sms = buildSmsText([listing(1, { title: 'St Mary’s “Lunch” Club – Café' }), listing(2)]);
    expect(sms.text).toContain('St Mary\'s "Lunch" Club - Café');
    for (const part of [
      'Tue 1 Dec, 12 noon to 2pm',
      'Greenwood Place Centre, NW5 1LB',
      '020 7946 0010',
      listing(1).pageUrl,
      listing(2).pageUrl,
      'Lunch Club 2',
    ]) {
      expect(sms.text).toContain(part);
    }
    expect([...sms.text].every(isGsm7)).toBe(true);
    expect(sms.characters).toBe(measureSms(sms.text).characters);
    expect(sms.segments).toBe(measureSms(sms.text).segments);
    expect(sms.segments).toBeLessThanOrEqual(3);
    expect(sms.omitted).toEqual([]);
  });

  it('keeps the first listings that fit and names the rest when the list is too long for three segments', () => {
    const all = [1, 2, 3, 4, 5].map((n) => listing(n));
    const sms = buildSmsText(all);
    expect(sms.characters).toBeLessThanOrEqual(MAX_SMS_SEPTETS);
    expect(sms.segments).toBe(3);
    expect(sms.included.length).toBeGreaterThan(0);
    expect(sms.included.length + sms.omitted.length).toBe(5);
    expect(sms.included.map((l) => l.id)).toEqual(all.slice(0, sms.included.length).map((l) => l.id));
    for (const left of sms.omitted) expect(sms.text).not.toContain(left.pageUrl);
    // One more listing would not have fitted.
    const withNext = buildSmsText(all.slice(0, sms.included.length + 1));
    expect(withNext.omitted.length).toBe(1);
  });

  it('says a paused listing is closed for now, and uses the e-mail when there is no phone', () => {
    const sms = buildSmsText([listing(1, { paused: true, phone: null, email: 'hello@example.org' })]);
    expect(sms.text).toContain('Closed for now: call first');
    expect(sms.text).toContain('hello@example.org');
    expect(sms.segments).toBe(2);
  });
});
