import { describe, expect, it } from 'vitest';
import { createSessionMemory } from '../../../../src/bots/core/session-memory.ts';

describe('session memory', () => {
  const session = { platform: 'slack', userId: 'U1', channelRef: 'C1' };

  it('forgets questions and lists after the time-to-live', () => {
    let now = new Date('2026-11-30T09:00:00Z');
    const memory = createSessionMemory({ clock: { now: () => now }, ttlMs: 60_000 });
    const key = memory.rememberQuery('lunch club');
    memory.recordPage(session, { queryKey: key, offset: 0, total: 8, ids: ['a', 'b'] });
    expect(memory.recallQuery(key)).toBe('lunch club');
    expect(memory.current(session)?.numbered.get(2)).toBe('b');
    now = new Date(now.getTime() + 61_000);
    expect(memory.recallQuery(key)).toBeUndefined();
    expect(memory.current(session)).toBeUndefined();
  });

  it('keeps numbers across pages of one question and starts again for a new one', () => {
    const memory = createSessionMemory({ clock: { now: () => new Date() } });
    const first = memory.rememberQuery('q1');
    memory.recordPage(session, { queryKey: first, offset: 0, total: 7, ids: ['a', 'b', 'c', 'd', 'e'] });
    memory.recordPage(session, { queryKey: first, offset: 5, total: 7, ids: ['f', 'g'] });
    expect([...memory.current(session)!.numbered.entries()]).toHaveLength(7);
    expect(memory.current(session)).toMatchObject({ nextOffset: 7, total: 7 });
    const second = memory.rememberQuery('q2');
    memory.recordPage(session, { queryKey: second, offset: 0, total: 1, ids: ['z'] });
    expect([...memory.current(session)!.numbered.entries()]).toEqual([[1, 'z']]);
  });

  it('holds a bounded number of entries', () => {
    const memory = createSessionMemory({ clock: { now: () => new Date() }, maxEntries: 3 });
    const keys = ['a', 'b', 'c', 'd'].map((q) => memory.rememberQuery(q));
    expect(memory.recallQuery(keys[0]!)).toBeUndefined();
    expect(memory.recallQuery(keys[3]!)).toBe('d');
    expect(new Set(keys).size).toBe(4);
  });
});
