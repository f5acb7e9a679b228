/** Every use of "now" goes through a Clock so tests and `--now` can fix it. */
export type Clock = { now(): Date };

export const ZONE = 'Europe/London';

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}
