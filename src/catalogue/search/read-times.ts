/** Day, date and time-of-day words in a question (Europe/London). */
import * as chrono from 'chrono-node/en';
import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import { MONTH_NAME, monthNumber } from '../time.ts';
import { cut, unique } from './query-text.ts';
import type { Understood } from './types.ts';

const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTH_RE = new RegExp(
  String.raw`\b(?:in|during|throughout|through|(next|this|coming))(?: the month of)? (${MONTH_NAME})\b(?:,? (20\d\d))?(?! ?\d{1,2}(?:st|nd|rd|th)?\b)`,
);

/** Time words that are also words of names ("Quay Weekend", "Skittles Evening", "Coffee Morning"). */
const NAME_TIME_WORD = /^(?:mornings?|afternoons?|evenings?|nights?|weekends?)$/;

/** Days, dates and times of day: `when`, `weekdays` and `timeOfDay`; returns the text without them. */
export function takeTimes(s: string, u: Understood, now: Date): string {
  const today = DateTime.fromJSDate(now, { zone: ZONE });
  const sod = today.startOf('day');
  let out = s;
  const take = (re: RegExp, fn: (m: RegExpExecArray) => void, nameWord?: boolean) => {
    const m = re.exec(out);
    if (!m) return;
    fn(m);
    // "Quay Weekend", "Skittles Evening": a time word can also be a word of an event's name.
    const word = m[0].split(' ').pop()!;
    if (nameWord && NAME_TIME_WORD.test(word)) u.timeWords = unique([...(u.timeWords ?? []), word]);
    out = cut(out, m.index, m[0].length);
  };
  const window = (from: DateTime, to: DateTime, label: string) => {
    const start = from < today ? today : from;
    u.when = { from: iso(start), to: iso(to), label };
  };

  // "am dram" is amateur dramatics, not the morning.
  take(/(?<!coffee )\b(?:(?:in|during) the )?(mornings?|am(?! dram))\b/, () => (u.timeOfDay = 'morning'), true);
  take(/\b(?:(?:in|during) the )?(afternoons?|pm)\b/, () => (u.timeOfDay = 'afternoon'), true);
  take(
    /\b(?:(?:in|during) the )?(evenings?|nights?|after work|after 5|after five)\b/,
    () => (u.timeOfDay = 'evening'),
    true,
  );
  take(/\btonight\b/, () => {
    u.timeOfDay = 'evening';
    window(sod, sod.plus({ days: 1 }), 'tonight');
  });
  take(
    /\b(?:(this|next|coming) )weekend\b/,
    (m) => {
      const sat = sod.plus({ days: 6 - today.weekday });
      const thisWeekend = today.weekday >= 6 ? sod.minus({ days: today.weekday - 6 }) : sat;
      const from =
        m[1] === 'next' && today.weekday < 6
          ? sat.plus({ weeks: 1 })
          : m[1] === 'next'
            ? thisWeekend.plus({ weeks: 1 })
            : thisWeekend;
      window(from, from.plus({ days: 2 }), m[1] === 'next' ? 'next weekend' : 'this weekend');
    },
    true,
  );
  take(/\b(?:(?:at|over|on) the )?weekends?\b/, () => (u.weekdays = [6, 7]), true);
  take(/\bweekdays?\b/, () => (u.weekdays = [1, 2, 3, 4, 5]));
  take(/\b(this|next|coming) week\b/, (m) => {
    const monday = sod.minus({ days: today.weekday - 1 });
    if (m[1] === 'next') window(monday.plus({ weeks: 1 }), monday.plus({ weeks: 2 }), 'next week');
    else window(sod, monday.plus({ weeks: 1 }), 'this week');
  });
  take(/\b(this|next) month\b/, (m) => {
    const first = sod.startOf('month');
    if (m[1] === 'next') window(first.plus({ months: 1 }), first.plus({ months: 2 }), 'next month');
    else window(sod, first.plus({ months: 1 }), 'this month');
  });
  // "in March", "during December", "throughout January 2027", "next April": a whole month, the next one of that name
  // (the rest of this month when it is this month). A preposition is required: "March", "May", "June" and "Jan"
  // are also words and names.
  take(MONTH_RE, (m) => {
    const month = monthNumber(m[2]!);
    let year = m[3] ? Number(m[3]) : today.year;
    if (!m[3] && (month < today.month || (month === today.month && m[1] === 'next'))) year++;
    const first = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE });
    window(
      first,
      first.plus({ months: 1 }),
      `in ${first.toFormat('LLLL')}${m[3] || year !== today.year ? ` ${year}` : ''}`,
    );
  });
  take(/\btoday\b/, () => window(sod, sod.plus({ days: 1 }), 'today'));
  take(/\btomorrow\b/, () => window(sod.plus({ days: 1 }), sod.plus({ days: 2 }), 'tomorrow'));
  // "on Tuesdays", "every Tuesday", "Tuesdays and Thursdays": days of the week, not one date.
  for (;;) {
    const m =
      /\b(?:on |every |each )?(mon|tues|wednes|thurs|fri|satur|sun)days\b|\b(?:every|each) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/.exec(
        out,
      );
    if (!m) break;
    const day = m[1] ? WEEKDAY_NAMES.findIndex((d) => d.startsWith(m[1]!)) + 1 : WEEKDAY_NAMES.indexOf(m[2]!) + 1;
    u.weekdays = unique([...(u.weekdays ?? []), day]);
    out = cut(out, m.index, m[0].length);
  }

  // "once a week", "twice a month", "2 a week", "every fortnight": how often, not a date a week from now.
  for (;;) {
    const m =
      /\b(?:(?:once|twice|three times|four times|\d{1,2}(?: times)?) (?:a|per|each|every) |(?:every|each|per) )(?:weeks?|fortnights?|months?)\b/.exec(
        out,
      );
    if (!m) break;
    out = cut(out, m.index, m[0].length);
  }

  const results = chrono.GB.parse(out, { instant: now, timezone: ZONE }, { forwardDate: true });
  // Remove from the end so earlier indexes stay valid.
  for (const r of [...results].reverse()) {
    const known = r.start;
    const t = r.text.trim();
    // "now" in a resident's story ("now uses a wheelchair", "now feels lost") is no day asked for.
    if (/^\d+s?$/.test(t) || /^(?:right |just )?now$/i.test(t)) continue;
    // Only a date or time written as one: a number, a day or month's name, or a word for a day ("during the day" is
    // no date, though chrono reads it as tomorrow).
    if (
      !/\d|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|noon|midday|midnight|tonight|today|tomorrow|yesterday|week|month|year/i.test(
        t,
      )
    )
      continue;
    // "4 a week", "£3 a session": a count or a price, not 4 am.
    if (/^\d{1,2} ?a$/.test(t) || /[£$€]\s*$/.test(out.slice(0, r.index))) continue;
    if (known.isCertain('day') && known.isCertain('month')) {
      const day = DateTime.fromObject(
        { year: known.get('year') ?? today.year, month: known.get('month')!, day: known.get('day')! },
        { zone: ZONE },
      );
      window(day, day.plus({ days: 1 }), `on ${day.toFormat('cccc d LLLL')}`);
    } else if (known.isCertain('weekday')) {
      const chronoDay = known.get('weekday') ?? 1;
      const weekday = chronoDay === 0 ? 7 : chronoDay;
      if (/\b(next|this|coming)\b/.test(t)) {
        const day = DateTime.fromJSDate(r.date(), { zone: ZONE }).startOf('day');
        window(day, day.plus({ days: 1 }), `on ${day.toFormat('cccc d LLLL')}`);
      } else {
        u.weekdays = unique([...(u.weekdays ?? []), weekday]);
      }
    } else if (!known.isCertain('hour')) {
      continue;
    }
    // A clock time, alone or with its day ("tuesday 10am", "9am on a saturday"): that part of the day.
    if (known.isCertain('hour') && /\d|noon|midday|midnight/i.test(t)) {
      const hour = known.get('hour') ?? 12;
      u.timeOfDay ??= hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
    }
    out = cut(out, r.index, r.text.length);
  }
  return out;
}

function iso(d: DateTime): string {
  return d.toISO({ suppressMilliseconds: true }) ?? d.toJSDate().toISOString();
}
