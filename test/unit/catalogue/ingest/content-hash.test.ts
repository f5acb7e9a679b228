import { describe, expect, it } from 'vitest';
import { contentHash, entryContentHash } from '../../../../src/catalogue/ingest/content-hash.ts';
import { CatalogueEntryInputSchema } from '../../../../src/catalogue/model.ts';

const entry = (occurrence: Record<string, unknown> = {}) =>
  CatalogueEntryInputSchema.parse({
    externalId: 'e1',
    kind: 'activity',
    title: 'Lunch club',
    occurrences: [
      {
        key: '2026-12-01T12:00:00.000Z',
        start: new Date('2026-12-01T12:00:00Z'),
        end: new Date('2026-12-01T14:00:00Z'),
        ...occurrence,
      },
    ],
  });

describe('content hashes', () => {
  it('ignore key order and undefined values', () => {
    expect(contentHash({ a: 1, b: [new Date(0)], c: undefined })).toBe(contentHash({ b: [new Date(0)], a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });

  it('give the same entry the same hash, and change with any field of any session', () => {
    expect(entryContentHash(entry())).toBe(entryContentHash(entry()));
    const changes: Record<string, unknown>[] = [
      { key: 'other' },
      { start: new Date('2026-12-01T11:00:00Z') },
      { end: new Date('2026-12-01T15:00:00Z') },
      { allDay: true },
      { status: 'cancelled' },
      { capacity: 12 },
      { bookingDeadline: new Date('2026-11-30T12:00:00Z') },
      { title: 'Christmas lunch' },
      { note: 'Upstairs this week' },
      { note: '' },
    ];
    const hashes = new Set([entryContentHash(entry()), ...changes.map((c) => entryContentHash(entry(c)))]);
    expect(hashes.size).toBe(changes.length + 1);
    expect(entryContentHash({ ...entry(), title: 'Supper club' })).not.toBe(entryContentHash(entry()));
  });

  it('cannot be fooled by a tab or a new line inside a session title', () => {
    const a = entryContentHash(entry({ title: 'a\t1', note: 'b' }));
    const b = entryContentHash(entry({ title: 'a', note: '1\tb' }));
    expect(a).not.toBe(b);
  });
});
