import { ACCESS_SHORT, AUDIENCE_WORDS, FORMAT_WORDS } from '../labels.ts';
import type { Understood } from './types.ts';
import { conceptByKey } from './vocabulary.ts';

const DAY_NAMES = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];

export const accessLabel = (feature: string): string => ACCESS_SHORT[feature] ?? feature.replace(/_/g, ' ');
export const audienceLabel = (audience: string): string => AUDIENCE_WORDS[audience] ?? audience.replace(/_/g, ' ');

export function listWords(items: readonly string[], joiner = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${joiner} ${items[items.length - 1]}`;
}

/** "on Tuesdays", "this weekend", "on Thursday 3 December"; empty when no day was asked for. */
export function describeDays(u: Pick<Understood, 'when' | 'weekdays'>): string {
  if (u.when) return u.when.label;
  if (u.weekdays?.length) {
    if (u.weekdays.length === 2 && u.weekdays.includes(6) && u.weekdays.includes(7)) return 'at weekends';
    if (u.weekdays.length === 5 && !u.weekdays.includes(6) && !u.weekdays.includes(7)) return 'on weekdays';
    return `on ${listWords(u.weekdays.map((d) => DAY_NAMES[d - 1] ?? ''))}`;
  }
  return '';
}

export function describeTimeOfDay(u: Pick<Understood, 'timeOfDay'>): string {
  return u.timeOfDay ? `in the ${u.timeOfDay}` : '';
}

export function describePlace(u: Pick<Understood, 'place'>): string {
  return u.place ? `in ${u.place.label}` : '';
}

const topicLabel = (key: string): string => conceptByKey(key)?.phrases[0] ?? key;

/** What was understood, in plain words, e.g. "lunch club · older people · free · in Kentish Town · on Tuesdays". */
export function describeUnderstood(u: Understood): string {
  const parts: string[] = [];
  const topicKeys = (u.topics ?? []).filter((k) => conceptByKey(k)?.facet === 'topic');
  const topics = topicKeys.length ? topicKeys.map(topicLabel) : u.topics?.length ? [] : u.categories;
  if (topics.length) parts.push(listWords(topics));
  // Words that name no concept are shown as typed (quoted), so a name is not mistaken for one we made up.
  const plain = (u.slots ?? u.terms.map((text) => ({ text, concept: undefined })))
    .filter((x) => !x.concept)
    .map((x) => x.text);
  if (plain.length) parts.push(`"${plain.join(' ')}"`);
  if (u.kinds.length)
    parts.push(
      listWords(
        u.kinds.map((k) => (k === 'resource' ? 'guides and resources' : k)),
        'or',
      ),
    );
  if (u.audiences.length) parts.push(`for ${listWords(u.audiences.map(audienceLabel))}`);
  if (u.languages.length) parts.push(`in ${listWords(u.languages.slice(0, 1).map(capitalise), 'or')}`);
  if (u.free) parts.push('free');
  else if (u.maxCost !== undefined) parts.push(`under £${u.maxCost}`);
  if (u.access.length) parts.push(listWords(u.access.map(accessLabel)));
  if (u.formats.length)
    parts.push(
      listWords(
        u.formats.map((f) => FORMAT_WORDS[f] ?? f),
        'or',
      ),
    );
  for (const p of [describePlace(u), describeDays(u), describeTimeOfDay(u)]) if (p) parts.push(p);
  return parts.join(' · ');
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
