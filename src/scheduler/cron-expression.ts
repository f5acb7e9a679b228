/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), read as wall-clock times in a named zone.
 * Same syntax as node-cron without the optional seconds field: `*`, lists, ranges, steps, names (`mon`, `jan`), and
 * both 0 and 7 for Sunday. As in Vixie cron, when both day fields are restricted a day matching either one counts.
 */
export type CronExpression = {
  source: string;
  minutes: number[];
  hours: number[];
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Both day fields restricted: a day matches when either does. */
  dayOr: boolean;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
};

export class CronSyntaxError extends Error {
  override name = 'CronSyntaxError';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseField(field: string, min: number, max: number, names: string[] = [], nameBase = 0): number[] {
  const value = (token: string): number => {
    const lower = token.toLowerCase();
    const named = names.findIndex((n) => lower.startsWith(n) && lower.length >= 3);
    const n = named >= 0 ? named + nameBase : /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new CronSyntaxError(`"${token}" is out of range ${min}-${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronSyntaxError(`bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === undefined || range === '') {
      lo = min;
      hi = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      lo = value(a ?? '');
      hi = value(b ?? '');
      if (hi < lo) throw new CronSyntaxError(`backwards range "${range}"`);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/** Parses a five-field expression; throws CronSyntaxError with a readable reason. */
export function parseCron(source: string): CronExpression {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronSyntaxError(`a cron expression has 5 fields (minute hour day month weekday), not ${parts.length}`);
  const [m, h, dom, mon, dow] = parts as [string, string, string, string, string];
  const weekdays = new Set(parseField(dow, 0, 7, WEEKDAYS).map((d) => (d === 7 ? 0 : d)));
  const daysRestricted = dom !== '*' && dom !== '?';
  const weekdaysRestricted = dow !== '*' && dow !== '?';
  return {
    source: parts.join(' '),
    minutes: parseField(m, 0, 59),
    hours: parseField(h, 0, 23),
    days: new Set(parseField(dom === '?' ? '*' : dom, 1, 31)),
    months: new Set(parseField(mon, 1, 12, MONTHS, 1)),
    weekdays,
    dayOr: daysRestricted && weekdaysRestricted,
    daysRestricted,
    weekdaysRestricted,
  };
}

/** Whether a calendar day (month 1-12, weekday 0 = Sunday) matches the day fields. */
export function matchesDay(cron: CronExpression, month: number, day: number, weekday: number): boolean {
  if (!cron.months.has(month)) return false;
  const byDay = cron.days.has(day);
  const byWeekday = cron.weekdays.has(weekday);
  if (cron.dayOr) return byDay || byWeekday;
  return (!cron.daysRestricted || byDay) && (!cron.weekdaysRestricted || byWeekday);
}

const DAY_WORDS: Record<string, string> = {
  mon: '1', monday: '1', tue: '2', tues: '2', tuesday: '2', wed: '3', wednesday: '3', thu: '4', thur: '4', thurs: '4',
  thursday: '4', fri: '5', friday: '5', sat: '6', saturday: '6', sun: '0', sunday: '0',
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
  const weekly = /^(?:weekly|every week)(?: on)? ?([a-z]+)?/.exec(t) ?? /^(?:every )?(mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b/.exec(t);
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
