import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { sessionSlot, sessionSlots, slotsAsked } from '../../../src/catalogue/session-slots.ts';

describe('session slots', () => {
  it("numbers a session by its London weekday and hour, across the clocks' changes", () => {
    // Every 37 minutes through three years, both changes of the clocks included; every instant that disagrees is
    // listed (one assertion over all of them: an expect() per instant cost most of this test's time).
    const wrong: string[] = [];
    for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 37 * 60_000) {
      const local = DateTime.fromMillis(ms, { zone: 'Europe/London' });
      const slot = sessionSlot(new Date(ms));
      if (slot !== local.weekday * 24 + local.hour) wrong.push(`${new Date(ms).toISOString()} → ${slot}`);
    }
    expect(wrong).toEqual([]);
    // Sunday 30 March 2025, 00:59 UTC is 00:59 GMT; 01:00 UTC is 02:00 BST.
    expect(sessionSlot(new Date('2025-03-30T00:59:00Z'))).toBe(7 * 24 + 0);
    expect(sessionSlot(new Date('2025-03-30T01:00:00Z'))).toBe(7 * 24 + 2);
  });

  it('keeps the distinct slots of sessions that are not cancelled', () => {
    const at = (iso: string, status = 'scheduled') => ({ start: new Date(iso), status });
    expect(
      sessionSlots([
        at('2026-11-24T10:00:00Z'),
        at('2026-12-01T10:30:00Z'),
        at('2026-11-27T18:00:00Z', 'cancelled'),
        at('2026-11-23T09:00:00Z'),
      ]),
    ).toEqual([1 * 24 + 9, 2 * 24 + 10]);
  });

  it('turns a day and time asked into the slots that fit, or none to check', () => {
    const from = new Date('2026-11-23T09:00:00Z');
    const to = new Date('2026-12-28T09:00:00Z');
    expect(slotsAsked({ from, to, weekdays: [5], hours: [17, 24] })).toEqual([137, 138, 139, 140, 141, 142, 143]);
    expect(slotsAsked({ from, to, hours: [0, 12] })).toHaveLength(7 * 12);
    expect(slotsAsked({ from, to })).toBeUndefined();
    // A window shorter than a week: only the hours it touches (Monday 09:30 to 12:15 GMT).
    expect(slotsAsked({ from: new Date('2026-11-23T09:30:00Z'), to: new Date('2026-11-23T12:15:00Z') })).toEqual([
      33, 34, 35, 36,
    ]);
    // A Tuesday asked for in a window of Monday only: nothing can fit.
    expect(
      slotsAsked({ from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-24T00:00:00Z'), weekdays: [2] }),
    ).toEqual([]);
  });
});
