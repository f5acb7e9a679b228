import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateOruk } from '../../../bench/oruk-import.ts';
import { applyImport } from '../../../src/catalogue/ingest/apply-import.ts';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { withIndexesRebuiltAfter } from '../../../src/db/bulk-load.ts';
import type { Sql } from '../../../src/db/sql.ts';
import { silentLogger } from '../../../src/logger.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

/** Large first imports take the bulk path: plain inserts, ordered ids, and (embedded) indexes built after. */
describe.each(STORE_KINDS)('bulk import of a large directory on %s', (kind) => {
  let store: TestStore;
  let dir: string;
  beforeEach(async () => {
    store = await openTestStore(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bulk-'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const indexes = async () =>
    (
      await store.sql.query<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('occurrence', 'service') ORDER BY indexname`,
      )
    ).rows;

  it('stores every session once, linked to its entry, with the same indexes and checks as before', async () => {
    const before = await indexes();
    const file = path.join(dir, 'directory.json');
    fs.writeFileSync(file, generateOruk(1_000));
    const report = await importSource(store, { input: file, now: NOW, source: 'big' }, silentLogger);
    expect(report).toMatchObject({ created: 1_000, updated: 0, rejected: [] });

    const counts = (
      await store.sql.query<{ sessions: number; orphans: number; distinct_ids: number; v7: number }>(
        `SELECT count(*)::int AS sessions, count(*) FILTER (WHERE s.id IS NULL)::int AS orphans,
           count(DISTINCT o.id)::int AS distinct_ids,
           count(*) FILTER (WHERE substr(o.id::text, 15, 1) = '7')::int AS v7
         FROM occurrence o LEFT JOIN service s ON s.id = o.service_id`,
      )
    ).rows[0]!;
    // The generated directory's 400 weekly and 150 monthly services over the import's window.
    expect(counts.sessions).toBe(24_550);
    expect(counts.orphans).toBe(0);
    expect(counts.distinct_ids).toBe(counts.sessions);
    expect(counts.v7).toBe(counts.sessions);
    expect(await indexes()).toEqual(before);

    // The foreign key is enforced again after the bulk insert.
    await expect(
      store.sql.query(
        `INSERT INTO occurrence (service_id, key, start, "end") VALUES (gen_random_uuid(), 'x', now(), now())`,
      ),
    ).rejects.toThrow(/foreign key/);
    // The indexes answer queries: the planner may use them and the results agree with a scan.
    const tuesdays = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM occurrence WHERE extract(isodow FROM (start AT TIME ZONE 'Europe/London')) = 2`,
    );
    expect(tuesdays.rows[0]!.n).toBeGreaterThan(0);
    // The service table's search indexes, built after the load, find the new entries.
    const found = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM service WHERE search_vector @@ plainto_tsquery('signpost', 'community group')`,
    );
    expect(found.rows[0]!.n).toBe(1_000);

    // Importing it again changes nothing and keeps every session's id.
    const ids = (await store.sql.query<{ id: string }>('SELECT id FROM occurrence ORDER BY id')).rows;
    const again = await importSource(store, { input: file, now: NOW, source: 'big' }, silentLogger);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1_000 });
    expect((await store.sql.query<{ id: string }>('SELECT id FROM occurrence ORDER BY id')).rows).toEqual(ids);
  });

  it('keeps the first of two sessions an entry gives the same key', async () => {
    const at = new Date('2026-12-08T10:00:00Z');
    const occurrence = { key: at.toISOString(), start: at, end: new Date(at.getTime() + 3_600_000) };
    await store.transaction((tx) =>
      applyImport(
        tx,
        { name: 'twice', format: 'manual' },
        [
          {
            externalId: 'e1',
            kind: 'activity',
            title: 'Knit and natter',
            occurrences: [occurrence, { ...occurrence, note: 'again' }],
          },
        ],
        [],
        { now: NOW },
      ),
    );
    const rows = await store.sql.query<{ note: string | null }>('SELECT note FROM occurrence');
    expect(rows.rows).toEqual([{ note: null }]);
  });

  it('stores session titles and notes exactly as given, tabs, line breaks and backslashes included', async () => {
    const at = new Date('2026-12-08T10:00:00Z');
    const odd = ['Tab\there', 'Line\nbreak\r\nand back', 'Back\\slash \\N and \\t', '\\N', 'Café — 10% off'];
    const occurrences = odd.map((text, i) => ({
      key: `k${i}`,
      start: new Date(at.getTime() + i * 86_400_000),
      end: new Date(at.getTime() + i * 86_400_000 + 3_600_000),
      title: text,
      note: `Note: ${text}`,
      ...(i === 0 ? { capacity: 12, bookingDeadline: at, allDay: true, status: 'cancelled' as const } : {}),
    }));
    await store.transaction((tx) =>
      applyImport(
        tx,
        { name: 'odd', format: 'manual' },
        [{ externalId: 'e1', kind: 'training', title: 'Odd text', occurrences }],
        [],
        { now: NOW },
      ),
    );
    const rows = await store.sql.query<{
      key: string;
      title: string;
      note: string;
      capacity: number | null;
      all_day: boolean;
      status: string;
      deadline: string | null;
    }>(
      `SELECT key, title, note, capacity, all_day, status, to_char(booking_deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS deadline
       FROM occurrence ORDER BY key`,
    );
    expect(rows.rows.map((r) => r.title)).toEqual(odd);
    expect(rows.rows.map((r) => r.note)).toEqual(odd.map((t) => `Note: ${t}`));
    expect(rows.rows[0]).toMatchObject({
      capacity: 12,
      all_day: true,
      status: 'cancelled',
      deadline: '2026-12-08T10:00',
    });
    expect(rows.rows[1]).toMatchObject({ capacity: null, all_day: false, status: 'scheduled', deadline: null });
  });

  it('writes nothing when the bulk write of new sessions fails', async () => {
    const at = new Date('2026-12-08T10:00:00Z');
    const entries = Array.from({ length: 3 }, (_, i) => ({
      externalId: `e${i}`,
      kind: 'activity',
      title: `Group ${i}`,
      occurrences: [{ key: 'k', start: at, end: new Date(at.getTime() + 3_600_000) }],
    }));
    let failed = 0;
    await expect(
      store.transaction((tx) => {
        // Whichever way this store sends new sessions (COPY or a multi-row insert), that write fails.
        const failing = Object.create(tx) as typeof tx;
        failing.query = async <Row>(text: string, params?: unknown[]) => {
          if (/INSERT INTO occurrence/.test(text)) {
            failed++;
            throw new Error('connection reset');
          }
          return tx.query<Row>(text, params);
        };
        if (tx.copyFrom)
          failing.copyFrom = async () => {
            failed++;
            throw new Error('connection reset');
          };
        return applyImport(failing, { name: 'failing', format: 'manual' }, entries, [], { now: NOW });
      }),
    ).rejects.toThrow('connection reset');
    expect(failed).toBe(1);
    const counts = await store.sql.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM source) + (SELECT count(*) FROM service) + (SELECT count(*) FROM occurrence) AS n`,
    );
    expect(Number(counts.rows[0]!.n)).toBe(0);
  });

  it('puts the indexes back when the insert fails, with nothing written', async () => {
    const before = await indexes();
    const failing = store.transaction((tx) =>
      withIndexesRebuiltAfter(tx, 'occurrence', 50_000, async () => {
        await tx.query(
          `INSERT INTO occurrence (service_id, key, start, "end") VALUES (gen_random_uuid(), 'x', now(), now())`,
        );
      }),
    );
    await expect(failing).rejects.toThrow(/foreign key/);
    expect(await indexes()).toEqual(before);
    expect((await store.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM occurrence')).rows[0]!.n).toBe(0);
  });

  it.skipIf(kind !== 'postgres')(
    'on a server, rebuilds the indexes of an empty table only when nobody else is using it, and never waits',
    async () => {
      const statements = async (tx: Sql) => {
        const seen: string[] = [];
        const watched: Sql = {
          ...tx,
          exec: async (text) => {
            seen.push(text);
            await tx.exec(text);
          },
        };
        await withIndexesRebuiltAfter(watched, 'occurrence', 50_000, async () => {});
        return seen;
      };
      // Alone: the empty table's indexes are dropped and built again.
      const before = await indexes();
      const alone = await store.transaction(statements);
      expect(alone.filter((t) => t.startsWith('DROP INDEX')).length).toBeGreaterThan(0);
      expect(await indexes()).toEqual(before);

      // While another transaction reads the table, the insert runs with the indexes in place, at once.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let reading!: () => void;
      const started = new Promise<void>((resolve) => (reading = resolve));
      const reader = store.transaction(async (tx) => {
        await tx.query('SELECT count(*) FROM occurrence');
        reading();
        await held;
      });
      await started;
      const busy = await store.transaction(statements);
      release();
      await reader;
      expect(busy.some((t) => t.startsWith('DROP INDEX'))).toBe(false);
      expect(await indexes()).toEqual(before);
    },
  );
});
