import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redactText, redactValue } from '../../../src/privacy/redact.ts';
import { sanitiseQuestion } from '../../../src/privacy/sanitise-question.ts';

type CorpusItem = { q: string; personal: string[] };
const corpus = JSON.parse(fs.readFileSync('test/fixtures/privacy/questions.json', 'utf8')) as CorpusItem[];

describe('redactText', () => {
  it.each([
    ['write to jo.bloggs+camden@example.co.uk today', 'write to [email] today'],
    ['NHS number 943 476 5919 and 9434765919', 'NHS number [number] and [number]'],
    ['ring 020 7974 4444 or 07700 900123 or +44 20 7974 4444', 'ring [phone] or [phone] or [phone]'],
    ['lives in NW5 3HX', 'lives in NW5'],
    ['postcode wc1h9je', 'postcode WC1H'],
    ['DOB 03/04/1948', 'DOB [date]'],
    ['date of birth: 1945-07-21', 'date of birth: [date]'],
    ['born 12 March 1939 in Cork', 'born [date] in Cork'],
    ['she was born in 1941', 'she was born in [date]'],
    ['a man called Bob Smith who likes gardening', 'a man called [name] who likes gardening'],
    ['a man called bob today', 'a man called [name] today'],
    ['named "Agnes" by her family', 'named [name] by her family'],
    ['for Mrs Agnes Whitfield please', 'for [name] please'],
    ['Mr. and Mrs. Goldberg', '[name]'],
    ['my client Dorothy Pemberton needs', 'my client [name] needs'],
    ['lives at 14 Malden Road with a cat', 'lives at [address] with a cat'],
    ['Flat 3, 45 Queen’s Crescent', '[address]'],
    ['case ref 88412093', 'case ref [number]'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('leaves ordinary log lines, ISO times, ward names and districts alone', () => {
    for (const line of [
      'search answered in 12 ms with 5 results',
      'import finished 2026-11-23T10:00:00.000Z',
      'Kilburn High Road lunch club, NW6',
      'the carer support group meets on Tuesdays',
      'her husband died last year',
      'over 60s exercise in Kentish Town',
    ]) {
      expect(redactText(line)).toBe(line);
    }
  });

  it('is idempotent', () => {
    for (const { q } of corpus) expect(redactText(redactText(q))).toBe(redactText(q));
  });

  it('withholds question-like fields whole and redacts nested values', () => {
    expect(
      redactValue({
        text: 'lunch club',
        nested: { contact: 'ring 07700 900123' },
        list: ['a@b.org'],
        count: 3,
        when: new Date(0),
      }),
    ).toEqual({
      text: '[withheld: 10 characters]',
      nested: { contact: 'ring [phone]' },
      list: ['[email]'],
      count: 3,
      when: new Date(0),
    });
  });
});

describe('sanitiseQuestion', () => {
  it.each(corpus.map((c) => [c.q, c] as const))('removes the personal details of: %s', (_q, item) => {
    const out = sanitiseQuestion(item.q).toLowerCase();
    for (const detail of item.personal) expect(out).not.toContain(detail.toLowerCase());
  });

  it('keeps what the question asks for: places, days, languages, districts, needs', () => {
    expect(sanitiseQuestion('Bengali-speaking lunch club in Kentish Town on Tuesdays, NW5 1AB, step-free')).toBe(
      'Bengali-speaking lunch club in Kentish Town on Tuesdays, NW5, step-free',
    );
    expect(sanitiseQuestion('Dementia cafe near Swiss Cottage for Agnes, 82')).toBe(
      'Dementia cafe near Swiss Cottage for [name], 80s',
    );
    expect(sanitiseQuestion('Eileen wants MHFA training')).toBe('[name] wants MHFA training');
    expect(sanitiseQuestion('over 60s exercise under £5 at 10am')).toBe('over 60s exercise under £5 at 10am');
  });

  it('caps the stored length', () => {
    expect(sanitiseQuestion('lunch '.repeat(200)).length).toBeLessThanOrEqual(300);
  });
});
