import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  detectRisks,
  normaliseForRisk,
  URGENT_LINES,
  urgentHelpFor,
  withUrgentHelp,
} from '../../../../src/catalogue/search/urgent-help.ts';
import type { CatalogueSearch, SearchRequest } from '../../../../src/catalogue/search/types.ts';

const corpus = (name: string) =>
  fs
    .readFileSync(new URL(`../../../fixtures/safety/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

const RISK = corpus('risk-questions.txt').map((line) =>
  line.startsWith('abuse: ') ? { question: line.slice(7), abuse: true } : { question: line, abuse: false },
);
const ORDINARY = corpus('ordinary-questions.txt');
const phones = (question: string) => urgentHelpFor(question)?.lines.map((l) => l.phone) ?? [];

describe('urgent help: the safety corpus', () => {
  it('is big enough to measure', () => {
    expect(RISK.length).toBeGreaterThanOrEqual(60);
    expect(ORDINARY.length).toBeGreaterThanOrEqual(150);
  });

  it('answers every risk question with 999 first, and abuse with the Domestic Abuse Helpline; false alarms at most 2%', () => {
    const missed = RISK.filter(({ question, abuse }) => {
      const shown = phones(question);
      return shown[0] !== '999' || (abuse && !shown.includes(URGENT_LINES.domesticAbuse.phone));
    }).map((r) => r.question);
    const falseAlarms = ORDINARY.filter((q) => urgentHelpFor(q) !== undefined);
    const caught = (RISK.length - missed.length) / RISK.length;
    const falseRate = falseAlarms.length / ORDINARY.length;
    console.log(
      `urgent help: ${RISK.length - missed.length}/${RISK.length} risk questions answered (${(caught * 100).toFixed(1)}%), ` +
        `${falseAlarms.length}/${ORDINARY.length} false alarms (${(falseRate * 100).toFixed(1)}%)`,
    );
    expect(missed).toEqual([]);
    expect(falseRate).toBeLessThanOrEqual(0.02);
  });
});

describe('urgent help: the detector', () => {
  it('reads the normalised question: case, apostrophes, hyphens and typos in the risk words', () => {
    expect(normaliseForRisk('She’s SELF-HARMING')).toBe('shes self harming');
    expect(normaliseForRisk('feeling sucidal')).toBe('feeling suicidal');
    expect(normaliseForRisk('overdossed')).toBe('overdosed');
    // Common words one letter away from a risk word stay as they are.
    expect(normaliseForRisk('overdue rent, overdoes it')).toBe('overdue rent overdoes it');
  });

  it('picks the lines that fit the risk, always with 999 first', () => {
    expect(phones('client is suicidal')).toEqual(['999', '116 123', '111']);
    expect(phones('not safe at home')).toEqual(['999', '0808 2000 247', '116 123']);
    expect(phones('suicidal and being hit at home')).toEqual(['999', '0808 2000 247', '116 123', '111']);
    expect(urgentHelpFor('client is suicidal')?.lines[2]?.name).toContain('option 2');
  });

  it('tells a person at risk from the same words used about work or services', () => {
    expect(detectRisks('suicide prevention training for staff')).toEqual([]);
    expect(detectRisks('suicide prevention support for my client')).toEqual(['suicide']);
    // Someone's own state fires even beside a word like "training".
    expect(detectRisks('my colleague on the training course said she feels suicidal')).toEqual(['suicide']);
    expect(detectRisks('harm reduction service')).toEqual([]);
    expect(detectRisks('he is harming himself')).toEqual(['suicide']);
    expect(detectRisks('hurt himself in a fall, falls class')).toEqual([]);
  });

  it('never fires on an empty, very long or non-Latin question', () => {
    expect(urgentHelpFor('')).toBeUndefined();
    expect(urgentHelpFor('🙂🙂🙂')).toBeUndefined();
    expect(urgentHelpFor('বাংলা ভাষায় দুপুরের খাবার')).toBeUndefined();
    expect(urgentHelpFor(`lunch club ${'very '.repeat(5000)}near NW5`)).toBeUndefined();
  });
});

describe('withUrgentHelp', () => {
  const inner: CatalogueSearch = {
    async search(request: SearchRequest) {
      return {
        understood: {
          terms: request.text.split(' '),
          audiences: [],
          categories: [],
          access: [],
          languages: [],
          formats: [],
          kinds: [],
        },
        relaxed: [],
        results: [],
        total: 0,
      };
    },
    async getResult() {
      return undefined;
    },
  };
  const search = withUrgentHelp(inner);
  const now = new Date('2027-03-01T09:00:00Z');

  it('adds the lines to a response to a risk question, and nothing otherwise', async () => {
    const urgent = await search.search({ text: 'my client wants to end it all', now });
    expect(urgent.urgent?.lines.map((l) => l.phone)).toEqual(['999', '116 123', '111']);
    const plain = await search.search({ text: 'crisis loan', now });
    expect(plain).not.toHaveProperty('urgent');
    expect(await search.getResult('x', now)).toBeUndefined();
  });
});
