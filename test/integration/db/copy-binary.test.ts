import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryCopyRows } from '../../../src/db/copy-binary.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const COLUMNS = ['id', 'label', 'at', 'flag', 'n'] as const;

/** Rows written with binary COPY (a transaction's seam offers it on both stores) read back as they were given. */
describe.each(STORE_KINDS)('binary COPY rows on %s', (kind) => {
  let store: TestStore;
  const copy = (rows: BinaryCopyRows) =>
    store.transaction((tx) => {
      if (!tx.copyFrom) throw new Error('no COPY on this seam');
      return tx.copyFrom('copy_probe', COLUMNS, rows.finish());
    });
  beforeAll(async () => {
    store = await openTestStore(kind);
    await store.sql.exec(
      'CREATE TABLE copy_probe (id uuid PRIMARY KEY, label text, at timestamptz(3), flag boolean, n int)',
    );
  });
  afterAll(() => store.close());

  it('round-trips uuids, UTF-8 text, timestamps on both sides of 2000, booleans, integers and nulls', async () => {
    const rows = new BinaryCopyRows(8);
    const values = [
      ['0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b', 'Café – Bengali বাংলা 🙂', new Date('2027-03-01T15:00:00.123Z'), true, 42],
      [
        '0190A3B4-1C2D-7E8F-9A0B-1C2D3E4F5A6C',
        'tab\there\nnew line \\ backslash',
        new Date('1999-12-31T23:59:59.999Z'),
        false,
        -(2 ** 31),
      ],
      ['0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6d', null, null, null, null],
    ] as const;
    for (const [id, label, at, flag, n] of values)
      rows.row(COLUMNS.length).uuid(id).text(label).timestamptz(at).bool(flag).int4(n);
    expect(rows.rows).toBe(3);
    const written = await copy(rows);
    expect(written).toBe(3);
    const back = await store.sql.query<{
      id: string;
      label: string | null;
      at: string | null;
      flag: boolean | null;
      n: number | null;
    }>(
      `SELECT id::text, label, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, flag, n FROM copy_probe ORDER BY id`,
    );
    expect(back.rows).toEqual(
      values.map(([id, label, at, flag, n]) => ({
        id: id.toLowerCase(),
        label,
        at: at?.toISOString() ?? null,
        flag,
        n,
      })),
    );
  });

  it('refuses values that would be stored as something else', () => {
    const rows = new BinaryCopyRows().row(1);
    expect(() => rows.uuid('not-a-uuid')).toThrow(/uuid/);
    expect(() => rows.uuid('0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6g')).toThrow(/uuid/);
    expect(() => rows.text('a\0b')).toThrow(/NUL/);
    expect(() => rows.int4(2 ** 31)).toThrow(/int4/);
    expect(() => rows.int4(1.5)).toThrow(/int4/);
    expect(() => rows.timestamptz(new Date(Number.NaN))).toThrow(/date/);
  });

  it('grows past its first buffer without losing rows', async () => {
    await store.sql.exec('TRUNCATE copy_probe');
    const rows = new BinaryCopyRows(16);
    for (let i = 0; i < 2000; i++)
      rows
        .row(COLUMNS.length)
        .uuid(`00000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`)
        .text('x'.repeat(i % 50))
        .timestamptz(new Date(Date.UTC(2027, 0, 1) + i * 60_000))
        .bool(i % 2 === 0)
        .int4(i);
    expect(await copy(rows)).toBe(2000);
    const sum = await store.sql.query<{ n: number; len: number; last: string }>(
      `SELECT sum(n)::int AS n, sum(length(label))::int AS len, (extract(epoch FROM max(at)) * 1000)::bigint::text AS last FROM copy_probe`,
    );
    expect(sum.rows[0]).toEqual({
      n: (1999 * 2000) / 2,
      len: 40 * 1225,
      last: String(Date.UTC(2027, 0, 1) + 1999 * 60_000),
    });
  });
});
