import { describe, expect, it } from 'vitest';
import { parseCron, scheduleFromText } from '../../../src/scheduler/cron-expression.ts';
import { digestWindow, isDue, latestSlot, nextRunAt, type Slot } from '../../../src/scheduler/digest-schedule.ts';

const created = new Date('2027-01-01T00:00:00Z');

/** Steps a fake clock minute by minute from `from` to `to`, recording each digest the way the runner does. */
function simulate(schedule: string, from: string, to: string, stepMinutes = 1): Slot[] {
  const sent: Slot[] = [];
  // As if the runner was already running before `from`.
  const before = latestSlot(schedule, new Date(Date.parse(from) - 60_000));
  let lastRunAt: Date | null = before?.at ?? null;
  let lastPeriod: string | null = before?.key ?? null;
  for (let t = Date.parse(from); t <= Date.parse(to); t += stepMinutes * 60_000) {
    const due = isDue({ schedule, createdAt: created, lastRunAt, lastPeriod }, new Date(t));
    if (due.due) {
      sent.push(due.slot);
      lastRunAt = due.slot.at;
      lastPeriod = due.slot.key;
    }
  }
  return sent;
}

describe('digest schedule in Europe/London', () => {
  it('sends an 08:00 digest at 08:00 local time every day across the March 2027 change', () => {
    const sent = simulate('0 8 * * *', '2027-03-26T00:00:00Z', '2027-03-30T12:00:00Z');
    expect(sent.map((s) => s.key)).toEqual([
      '2027-03-26T08:00',
      '2027-03-27T08:00',
      '2027-03-28T08:00',
      '2027-03-29T08:00',
      '2027-03-30T08:00',
    ]);
    // GMT before the change, BST (UTC+1) after it.
    expect(sent.map((s) => s.at.toISOString())).toEqual([
      '2027-03-26T08:00:00.000Z',
      '2027-03-27T08:00:00.000Z',
      '2027-03-28T07:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
      '2027-03-30T07:00:00.000Z',
    ]);
  });

  it('sends an 08:00 digest at 08:00 local time across the October 2027 change', () => {
    const sent = simulate('0 8 * * *', '2027-10-29T00:00:00Z', '2027-11-01T12:00:00Z');
    expect(sent.map((s) => s.at.toISOString())).toEqual([
      '2027-10-29T07:00:00.000Z',
      '2027-10-30T07:00:00.000Z',
      '2027-10-31T08:00:00.000Z',
      '2027-11-01T08:00:00.000Z',
    ]);
  });

  it('runs a 01:30 digest once on the spring change day, when 01:30 does not exist (at 02:30 BST)', () => {
    const sent = simulate('30 1 * * *', '2027-03-27T00:00:00Z', '2027-03-29T12:00:00Z');
    expect(sent.map((s) => [s.key, s.at.toISOString()])).toEqual([
      ['2027-03-27T01:30', '2027-03-27T01:30:00.000Z'],
      ['2027-03-28T01:30', '2027-03-28T01:30:00.000Z'],
      ['2027-03-29T01:30', '2027-03-29T00:30:00.000Z'],
    ]);
  });

  it('runs a 01:30 digest once on the autumn change day, when 01:30 happens twice (the first time)', () => {
    const sent = simulate('30 1 * * *', '2027-10-30T00:00:00Z', '2027-11-01T12:00:00Z');
    expect(sent.map((s) => [s.key, s.at.toISOString()])).toEqual([
      ['2027-10-30T01:30', '2027-10-30T00:30:00.000Z'],
      ['2027-10-31T01:30', '2027-10-31T00:30:00.000Z'],
      ['2027-11-01T01:30', '2027-11-01T01:30:00.000Z'],
    ]);
  });

  it('neither skips nor repeats an hourly digest on either change day', () => {
    const spring = simulate('0 * * * *', '2027-03-27T23:30:00Z', '2027-03-28T05:30:00Z');
    // At 01:00 GMT the clock jumps to 02:00 BST: wall time 01:00 does not exist and is the same instant as 02:00.
    expect(spring.map((s) => s.key)).toEqual([
      '2027-03-28T00:00',
      '2027-03-28T02:00',
      '2027-03-28T03:00',
      '2027-03-28T04:00',
      '2027-03-28T05:00',
      '2027-03-28T06:00',
    ]);
    expect(new Set(spring.map((s) => s.at.getTime())).size).toBe(spring.length);
    const autumn = simulate('0 * * * *', '2027-10-30T22:30:00Z', '2027-10-31T04:30:00Z');
    expect(autumn.map((s) => s.key)).toEqual([
      '2027-10-31T00:00',
      '2027-10-31T01:00',
      '2027-10-31T02:00',
      '2027-10-31T03:00',
      '2027-10-31T04:00',
    ]);
  });

  it('sends a digest missed during downtime once, marked late, and only the latest missed one', () => {
    const lastRunAt = new Date('2027-03-20T08:00:00Z');
    const due = isDue(
      { schedule: '0 8 * * *', createdAt: created, lastRunAt, lastPeriod: '2027-03-20T08:00' },
      new Date('2027-03-23T10:15:00Z'),
    );
    expect(due).toMatchObject({ due: true, late: true, slot: { key: '2027-03-23T08:00' } });
    const onTime = isDue(
      { schedule: '0 8 * * *', createdAt: created, lastRunAt, lastPeriod: null },
      new Date('2027-03-23T08:05:00Z'),
    );
    expect(onTime).toMatchObject({ due: true, late: false });
  });

  it('does not send a digest whose time passed before the subscription was made', () => {
    const due = isDue(
      { schedule: '0 8 * * *', createdAt: new Date('2027-03-23T09:00:00Z') },
      new Date('2027-03-23T09:30:00Z'),
    );
    expect(due.due).toBe(false);
    if (!due.due) expect(due.next?.toISOString()).toBe('2027-03-24T08:00:00.000Z');
  });

  it('computes the next run and the window since the last digest', () => {
    expect(nextRunAt('0 9 * * 1', new Date('2027-03-24T12:00:00Z'))?.toISOString()).toBe('2027-03-29T08:00:00.000Z');
    const slot = latestSlot('0 9 * * 1', new Date('2027-03-29T08:00:00Z'))!;
    const w = digestWindow('0 9 * * 1', slot, null);
    expect(w.newSince.toISOString()).toBe('2027-03-22T09:00:00.000Z');
    expect(w.highlightsTo.toISOString()).toBe('2027-04-05T08:00:00.000Z');
  });
});

describe('schedules as coordinators type them', () => {
  it.each([
    ['daily 08:00', '0 8 * * *'],
    ['weekly mon 09:00', '0 9 * * 1'],
    ['weekly on Friday at 4pm', '0 16 * * 5'],
    ['weekdays 8:30', '30 8 * * 1-5'],
    ['monthly 1 09:00', '0 9 1 * *'],
    ['0 8 * * 1-5', '0 8 * * 1-5'],
  ])('%s → %s', (text, cron) => {
    expect(scheduleFromText(text).cron).toBe(cron);
  });

  it('refuses what is not a schedule', () => {
    expect(() => scheduleFromText('whenever')).toThrow(/5 fields/);
    expect(() => parseCron('61 8 * * *')).toThrow(/out of range/);
  });
});
