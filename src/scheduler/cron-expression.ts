/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), read as wall-clock times in a named zone.
 * croner reads them: `*`, lists, ranges, steps, names (`mon`, `jan`), and both 0 and 7 for Sunday. As in Vixie
 * cron, when both day fields are restricted a day matching either one counts. The zone arithmetic (clock changes)
 * is digest-schedule.ts's: croner is asked only which wall-clock times of which days match.
 */
import { Cron } from 'croner';

export type CronExpression = {
  source: string;
  /** The wall-clock times of a matching day are every pairing of these (a five-field expression's shape). */
  minutes: number[];
  hours: number[];
  /** croner over wall-clock times written as UTC, so that no zone is involved. */
  job: Cron;
  /** Days already asked about (schedules are asked about the same few weeks again and again). */
  days: Map<number, boolean>;
};

export class CronSyntaxError extends Error {
  override name = 'CronSyntaxError';
}

/** croner's reason, as a person reads it ("CronPattern: Invalid value for minute: 61" → `"61" is out of range…`). */
function reasonOf(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern:\s*/, '');
  const invalid = /^Invalid value for (\w+): (.+)$/.exec(message);
  return invalid ? `"${invalid[2]}" is out of range for the ${invalid[1]} field` : message;
}

/** Parses a five-field expression; throws CronSyntaxError with a readable reason. */
export function parseCron(source: string): CronExpression {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new CronSyntaxError(`a cron expression has 5 fields (minute hour day month weekday), not ${parts.length}`);
  let job: Cron;
  try {
    job = new Cron(parts.join(' '), { timezone: 'Etc/UTC', mode: '5-part', paused: true, sloppyRanges: true });
  } catch (error) {
    throw new CronSyntaxError(reasonOf(error));
  }
  // Every matching day has the same times: read them off the first one.
  const minutes = new Set<number>();
  const hours = new Set<number>();
  const first = job.nextRun(new Date(Date.UTC(2000, 0, 1) - 1000));
  if (first) {
    const dayEnd = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate() + 1);
    for (let t: Date | null = first; t && t.getTime() < dayEnd; t = job.nextRun(t)) {
      hours.add(t.getUTCHours());
      minutes.add(t.getUTCMinutes());
    }
  }
  return {
    source: parts.join(' '),
    minutes: [...minutes].sort((x, y) => x - y),
    hours: [...hours].sort((x, y) => x - y),
    job,
    days: new Map(),
  };
}

/** Whether a calendar day (month 1-12) matches the expression's day fields. */
export function matchesDay(cron: CronExpression, year: number, month: number, day: number): boolean {
  const hour = cron.hours[0];
  const minute = cron.minutes[0];
  if (hour === undefined || minute === undefined) return false;
  const key = Date.UTC(year, month - 1, day);
  let matches = cron.days.get(key);
  if (matches === undefined) {
    matches = cron.job.match(new Date(key + (hour * 60 + minute) * 60_000));
    if (cron.days.size >= 5_000) cron.days.clear();
    cron.days.set(key, matches);
  }
  return matches;
}

const DAY_WORDS: Record<string, string> = {
  mon: '1',
  monday: '1',
  tue: '2',
  tues: '2',
  tuesday: '2',
  wed: '3',
  wednesday: '3',
  thu: '4',
  thur: '4',
  thurs: '4',
  thursday: '4',
  fri: '5',
  friday: '5',
  sat: '6',
  saturday: '6',
  sun: '0',
  sunday: '0',
};

/**
 * Friendly schedules as coordinators type them, turned into cron: "daily 08:00", "weekdays 8:30",
 * "weekly mon 09:00", "weekly on Friday at 4pm", "monthly 1 09:00". Anything else is tried as a cron expression.
 */
export function scheduleFromText(text: string): { cron: string; description: string } {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const time = /(?:at )?(\d{1,2})(?:[:.](\d{2}))? ?(am|pm)?$/.exec(t);
  const hm = () => {
    if (!time) return { h: 8, m: 0 };
    let h = Number(time[1]);
    const m = Number(time[2] ?? 0);
    if (time[3] === 'pm' && h < 12) h += 12;
    if (time[3] === 'am' && h === 12) h = 0;
    if (h > 23 || m > 59) throw new CronSyntaxError(`"${time[0]}" is not a time of day`);
    return { h, m };
  };
  const pad = (n: number) => String(n).padStart(2, '0');
  if (/^(daily|every day)\b/.test(t)) {
    const { h, m } = hm();
    return { cron: `${m} ${h} * * *`, description: `every day at ${pad(h)}:${pad(m)}` };
  }
  if (/^(weekdays|every weekday)\b/.test(t)) {
    const { h, m } = hm();
    return { cron: `${m} ${h} * * 1-5`, description: `Monday to Friday at ${pad(h)}:${pad(m)}` };
  }
  const monthly = /^monthly(?: on)?(?: (?:the )?(\d{1,2})(?:st|nd|rd|th)?)?/.exec(t);
  if (monthly) {
    const day = Number(monthly[1] ?? 1);
    if (day < 1 || day > 28) throw new CronSyntaxError('a monthly digest goes on day 1 to 28');
    const { h, m } = hm();
    return { cron: `${m} ${h} ${day} * *`, description: `on day ${day} of each month at ${pad(h)}:${pad(m)}` };
  }
  const weekly =
    /^(?:weekly|every week)(?: on)? ?([a-z]+)?/.exec(t) ??
    /^(?:every )?(mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b/.exec(
      t,
    );
  if (weekly) {
    const dayWord = weekly[1] && DAY_WORDS[weekly[1]] !== undefined ? weekly[1] : 'mon';
    const dow = DAY_WORDS[dayWord] ?? '1';
    const { h, m } = hm();
    const dayName = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][Number(dow)];
    return { cron: `${m} ${h} * * ${dow}`, description: `every ${dayName} at ${pad(h)}:${pad(m)}` };
  }
  const cron = parseCron(text);
  return { cron: cron.source, description: `cron "${cron.source}" (London time)` };
}
