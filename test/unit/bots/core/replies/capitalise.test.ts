import { describe, expect, it } from 'vitest';
import { capitalise } from '../../../../../src/bots/core/replies/format.ts';

describe('capitalise', () => {
  it('starts with a capital and writes acronyms in capitals', () => {
    expect(capitalise('mecc, training')).toBe('MECC, training');
    expect(capitalise('lunch club')).toBe('Lunch club');
    expect(capitalise('social club for esol learners')).toBe('Social club for ESOL learners');
    expect(capitalise('')).toBe('');
  });
});
