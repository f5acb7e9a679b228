import { describe, expect, it } from 'vitest';
import { parseIntent } from '../../../../src/bots/core/intents.ts';

describe('parseIntent', () => {
  it.each([
    ['help', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['Hi', { kind: 'help' }],
    ['hello!', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['more', { kind: 'more' }],
    ['Next', { kind: 'more' }],
    ['more please', { kind: 'more' }],
    ['1', { kind: 'details', number: 1 }],
    ['#4', { kind: 'details', number: 4 }],
    ['details 2', { kind: 'details', number: 2 }],
    ['detail 12', { kind: 'details', number: 12 }],
    ['tell me more about 3', { kind: 'details', number: 3 }],
    ['more about number 3', { kind: 'details', number: 3 }],
    ['show 5.', { kind: 'details', number: 5 }],
    ['share 2', { kind: 'share', number: 2 }],
    ['Share 2 with resident', { kind: 'share', number: 2 }],
    ['book 2', { kind: 'book', number: 2 }],
    ['book me on 3', { kind: 'book', number: 3 }],
    ['book a place on 1', { kind: 'book', number: 1 }],
    ['my bookings', { kind: 'my-bookings' }],
    ['My Bookings?', { kind: 'my-bookings' }],
    ['subscribe', { kind: 'subscribe', text: '' }],
    ['subscribe weekly', { kind: 'subscribe', text: 'weekly' }],
    ['unsubscribe', { kind: 'unsubscribe', text: '' }],
    ['stop digest', { kind: 'unsubscribe', text: '' }],
  ])('%j → %j', (text, intent) => {
    expect(parseIntent(text)).toEqual(intent);
  });

  it.each([
    'free lunch club near Kentish Town on Tuesdays, step-free',
    'something for a Bengali-speaking man who is lonely',
    'dementa cafe this week',
    'tell me more about lunch clubs',
    'book club in Camden Town',
    'more things for over 60s',
    'over 60s exercise',
    'help with loneliness for a carer',
  ])('treats %j as a search, keeping the words as typed', (text) => {
    expect(parseIntent(text)).toEqual({ kind: 'search', text });
  });

  it('squeezes whitespace but keeps the question otherwise unchanged', () => {
    expect(parseIntent('  Lunch   club\tNW5 ')).toEqual({ kind: 'search', text: 'Lunch club NW5' });
  });
});
