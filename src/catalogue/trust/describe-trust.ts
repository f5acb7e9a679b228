import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import type { Trust } from './trust.ts';

/** Past this many months, "last confirmed" carries a warning (as a listing's details always have). */
export const TRUST_STALE_MONTHS = 12;

const ORIGIN_WORDS: Record<Trust['origin'], string> = {
  feed: 'From a partner’s feed',
  directory: 'From a directory',
  coordinator_sheet: 'From a coordinator’s sheet',
  coordinator: 'Added by a coordinator',
  demo: 'Demo data',
};

const CONFIRMED_BY_WORDS: Record<NonNullable<Trust['confirmedBy']>, string> = {
  assured_date: 'by its source',
  coordinator: 'by a coordinator',
  feed_refresh: 'still in the feed',
};

/** Today's date in London (YYYY-MM-DD): one formatter, made once. */
const londonDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * `ago` depends only on the date and London's today, and a page of results shares a few dates: computed once per pair
 * (luxon's zone arithmetic is the costly part of writing a page of results). Bounded: cleared when full.
 */
const agoMemo = new Map<string, { text: string; months: number }>();

function ago(date: string, now: Date): { text: string; months: number } {
  const key = `${date}|${londonDay.format(now)}`;
  let found = agoMemo.get(key);
  if (!found) {
    if (agoMemo.size >= 4096) agoMemo.clear();
    found = agoUncached(date, now);
    agoMemo.set(key, found);
  }
  return found;
}

function agoUncached(date: string, now: Date): { text: string; months: number } {
  const then = DateTime.fromISO(date, { zone: ZONE });
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  const days = Math.max(0, Math.round(today.diff(then.startOf('day'), 'days').days));
  const months = Math.max(0, Math.floor(today.diff(then, 'months').months));
  const text =
    days === 0
      ? 'today'
      : days === 1
        ? 'yesterday'
        : days < 31
          ? `${days} days ago`
          : months < 24
            ? `${Math.max(1, months)} month${months === 1 ? '' : 's'} ago`
            : `${Math.floor(months / 12)} years ago`;
  return { text, months };
}

const onDate = (date: string) => DateTime.fromISO(date, { zone: ZONE }).setLocale('en-GB').toFormat('d LLL yyyy');

/**
 * The trust line in plain words (no markup), e.g. "From a partner’s feed (Age UK Camden) · last confirmed 3 days ago,
 * still in the feed", and the warnings to show before it: a failing feed, open "has closed" and "details wrong"
 * reports, a confirmation over a year old. The source's name is untrusted text: callers escape it for their medium.
 */
export function describeTrust(trust: Trust, now: Date): { line: string; warnings: string[] } {
  const origin =
    trust.origin === 'coordinator' || trust.origin === 'demo'
      ? ORIGIN_WORDS[trust.origin]
      : `${ORIGIN_WORDS[trust.origin]} (${trust.source})`;
  const warnings: string[] = [];
  let confirmed = 'never confirmed';
  if (trust.lastConfirmed) {
    const a = ago(trust.lastConfirmed, now);
    confirmed = `last confirmed ${a.text}${trust.confirmedBy ? `, ${CONFIRMED_BY_WORDS[trust.confirmedBy]}` : ''}`;
    if (a.months > TRUST_STALE_MONTHS) warnings.push(`⚠ Last confirmed over a year ago: check before sending someone`);
  }
  if (trust.openReports.closed > 0) {
    const n = trust.openReports.closed;
    warnings.push(
      `⚠ Staff reported it has closed (${n} open report${n === 1 ? '' : 's'}): check before sending someone`,
    );
  }
  if (trust.openReports.wrongDetails > 0)
    warnings.push('⚠ Staff reported wrong details: check them before sending someone');
  if (trust.feedFailing) {
    warnings.push(
      trust.feedFailingSince
        ? `⚠ Its feed has not loaded since ${onDate(trust.feedFailingSince)}: details may be out of date`
        : '⚠ Its feed has never loaded: details may be out of date',
    );
  }
  return { line: `${origin} · ${confirmed}`, warnings };
}
