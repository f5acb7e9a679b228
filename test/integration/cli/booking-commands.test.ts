import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/run-cli.ts';

const NOW = '2026-11-23T09:00:00Z';

describe('booking commands', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-book-cli-'));
  const url = `pglite:${dir}`;
  beforeAll(async () => {
    expect((await cli(url, 'seed-demo', '--now', NOW)).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists sessions, books, waitlists, cancels and reports with the documented JSON shapes', async () => {
    const sessions = (await cli(url, 'sessions', '--course', 'MECC', '--json', '--now', NOW)).json() as Record<string, unknown>[];
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    for (const s of sessions) {
      expect(Object.keys(s).sort()).toEqual(['capacity', 'confirmed', 'id', 'start', 'title', 'waitlisted']);
      expect(String(s.title)).toMatch(/MECC/);
      expect(String(s.start)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    }
    const first = sessions[0]!;
    const id = String(first.id);
    const capacity = Number(first.capacity);

    expect((await cli(url, 'book', '--session', id, '--user', 'U1', '--name', 'Ana', '--json', '--now', NOW)).json()).toEqual({
      status: 'confirmed',
    });
    expect((await cli(url, 'book', '--session', id, '--user', 'U1', '--json', '--now', NOW)).json()).toEqual({
      status: 'already_booked',
    });
    for (let i = 2; i <= capacity; i++) await cli(url, 'book', '--session', id, '--user', `U${i}`, '--now', NOW);
    expect((await cli(url, 'book', '--session', id, '--user', 'LATE', '--json', '--now', NOW)).json()).toEqual({
      status: 'waitlisted',
      position: 1,
    });
    const after = (await cli(url, 'sessions', '--course', 'MECC', '--json', '--now', NOW)).json() as Record<string, unknown>[];
    expect(after.find((s) => s.id === id)).toMatchObject({ confirmed: capacity, waitlisted: 1 });

    const cancelled = await cli(url, 'cancel', '--session', id, '--user', 'U1', '--json', '--now', NOW);
    expect(cancelled.json()).toEqual({ status: 'cancelled', late: false });
    const mine = (await cli(url, 'bookings', '--user', 'LATE', '--json', '--now', NOW)).json() as Record<string, unknown>[];
    expect(mine).toEqual([expect.objectContaining({ sessionId: id, status: 'offered' })]);

    const csv = await cli(url, 'bookings', '--session', id, '--csv', '--now', NOW);
    expect(csv.stdout.split('\r\n')[0]).toBe('userId,platform,name,email,status,position,attended,bookedAt');
    expect(csv.stdout).toContain('U2,terminal');

    const report = (await cli(url, 'training-report', '--json', '--now', NOW)).json() as Record<string, unknown>[];
    expect(report[0]).toMatchObject({ course: 'MECC (Making Every Contact Count)', target: 200, trained: 0 });
    expect((await cli(url, 'book', '--session', '00000000-0000-4000-8000-000000000000', '--user', 'x')).code).toBe(1);
  });
});
