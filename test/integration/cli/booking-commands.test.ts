import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliDatabase, cli, cliWithEnv, heldCliDatabase } from '../../helpers/run-cli.ts';

const NOW = '2026-11-23T09:00:00Z';

// The commands run on a store held open for the file, as in a running server: what is tested is what they do, not
// the CLI opening the folder (catalogue-commands covers that) once per command.
describe('booking commands', () => {
  let db: CliDatabase;
  let url: string;
  beforeAll(async () => {
    db = await heldCliDatabase('pglite', 'signpost-book-cli-');
    url = db.url;
    expect((await cli(url, 'seed-demo', '--now', NOW)).code).toBe(0);
  });
  afterAll(() => db.cleanup());

  it('lists sessions, books, waitlists, cancels and reports with the documented JSON shapes', async () => {
    const sessions = (await cli(url, 'sessions', '--course', 'MECC', '--json', '--now', NOW)).json() as Record<
      string,
      unknown
    >[];
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    for (const s of sessions) {
      expect(Object.keys(s).sort()).toEqual(['capacity', 'confirmed', 'id', 'start', 'title', 'waitlisted']);
      expect(String(s.title)).toMatch(/MECC/);
      expect(String(s.start)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    }
    const first = sessions[0]!;
    const id = String(first.id);
    const capacity = Number(first.capacity);

    expect(
      (await cli(url, 'book', '--session', id, '--user', 'U1', '--name', 'Ana', '--json', '--now', NOW)).json(),
    ).toEqual({
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
    const after = (await cli(url, 'sessions', '--course', 'MECC', '--json', '--now', NOW)).json() as Record<
      string,
      unknown
    >[];
    expect(after.find((s) => s.id === id)).toMatchObject({ confirmed: capacity, waitlisted: 1 });

    const cancelled = await cli(url, 'cancel', '--session', id, '--user', 'U1', '--json', '--now', NOW);
    expect(cancelled.json()).toEqual({ status: 'cancelled', late: false });
    const mine = (await cli(url, 'bookings', '--user', 'LATE', '--json', '--now', NOW)).json() as Record<
      string,
      unknown
    >[];
    expect(mine).toEqual([expect.objectContaining({ sessionId: id, status: 'offered' })]);

    const csv = await cli(url, 'bookings', '--session', id, '--csv', '--now', NOW);
    expect(csv.stdout.split('\r\n')[0]).toBe('userId,platform,name,email,status,position,attended,bookedAt');
    expect(csv.stdout).toContain('U2,terminal');

    const report = (await cli(url, 'training-report', '--json', '--now', NOW)).json() as Record<string, unknown>[];
    expect(report[0]).toMatchObject({ course: 'MECC (Making Every Contact Count)', target: 200, trained: 0 });
    expect((await cli(url, 'book', '--session', '00000000-0000-4000-8000-000000000000', '--user', 'x')).code).toBe(1);
  });

  it('refuses to mark attendance before the session starts, and reports training in date when courses lapse', async () => {
    const sessions = (await cli(url, 'sessions', '--course', 'MECC', '--json', '--now', NOW)).json() as {
      id: string;
      start: string;
    }[];
    const { id, start } = sessions[1]!;
    await cli(url, 'book', '--session', id, '--user', 'EARLY', '--now', NOW);
    const early = await cli(url, 'attendance', '--session', id, '--user', 'EARLY', '--attended', 'yes', '--now', NOW);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`Attendance can be marked once the session has started (it starts ${start})`);
    const after = new Date(new Date(start).getTime() + 3_600_000).toISOString();
    expect(
      (
        await cli(url, 'attendance', '--session', id, '--user', 'EARLY', '--attended', 'yes', '--json', '--now', after)
      ).json(),
    ).toEqual({
      updated: true,
    });
    const env = { TRAINING_VALIDITY: 'MECC=2y' };
    const report = (await cliWithEnv(url, env, 'training-report', '--json', '--now', after)).json() as Record<
      string,
      unknown
    >[];
    // Everyone from the first session (now over) and the person marked present.
    const trained = Number(report[0]!.trained);
    expect(trained).toBeGreaterThanOrEqual(2);
    expect(report[0]).toMatchObject({ course: 'MECC (Making Every Contact Count)', validity: '2 years', lapsed: 0 });
    const years = new Date(new Date(start).getTime() + 3 * 365 * 86_400_000).toISOString();
    expect((await cliWithEnv(url, env, 'training-report', '--json', '--now', years)).json()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ course: 'MECC (Making Every Contact Count)', trained: 0, lapsed: trained }),
      ]),
    );
  });
});
