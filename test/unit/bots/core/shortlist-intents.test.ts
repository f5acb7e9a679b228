import { describe, expect, it } from 'vitest';
import { parseIntent } from '../../../../src/bots/core/intents.ts';

describe('typed commands for the list for a resident', () => {
  it.each([
    ['add 2', { kind: 'list-add', number: 2 }],
    ['Add 3 to the list', { kind: 'list-add', number: 3 }],
    ['save #4 to my list', { kind: 'list-add', number: 4 }],
    ['send list', { kind: 'list-show' }],
    ['My list', { kind: 'list-show' }],
    ['list', { kind: 'list-show' }],
    ['sms', { kind: 'list-sms' }],
    ['text list', { kind: 'list-sms' }],
    ['leaflet', { kind: 'list-leaflet', large: false }],
    ['print list', { kind: 'list-leaflet', large: false }],
    ['large print leaflet', { kind: 'list-leaflet', large: true }],
    ['leaflet in large-print', { kind: 'list-leaflet', large: true }],
    ['clear list', { kind: 'list-clear' }],
  ])('%s', (typed, intent) => {
    expect(parseIntent(typed)).toEqual(intent);
  });

  it('leaves the coordinators’ "add entry", sharing and questions that mention lists alone', () => {
    expect(parseIntent('add entry').kind).toBe('search');
    expect(parseIntent('share 2')).toEqual({ kind: 'share', number: 2 });
    expect(parseIntent('text 2')).toEqual({ kind: 'share', number: 2 });
    expect(parseIntent('waiting list for counselling')).toEqual({
      kind: 'search',
      text: 'waiting list for counselling',
    });
    expect(parseIntent('leaflets about dementia')).toEqual({ kind: 'search', text: 'leaflets about dementia' });
  });
});
