import { describe, expect, it } from 'vitest';
import { isUuid, orderedIdBatch } from '../../../src/db/ids.ts';

describe('ordered id batches', () => {
  it('lays ids out as UUID version 7: the millisecond first, then the version and variant', () => {
    const at = Date.UTC(2026, 10, 23, 14, 30);
    const { prefix, start } = orderedIdBatch(at);
    const id = `${prefix}${(start + 1n).toString(16).padStart(12, '0')}`;
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    expect(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(at);
    expect(start).toBeLessThan(1n << 46n);
  });

  it('gives two batches in the same millisecond different random parts', () => {
    const seen = new Set(Array.from({ length: 200 }, () => orderedIdBatch(0)).map((b) => `${b.prefix}${b.start}`));
    expect(seen.size).toBe(200);
  });
});
