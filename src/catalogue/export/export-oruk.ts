/**
 * The catalogue as Open Referral UK 3.0 JSON: a paginated service list envelope whose counts match its contents, each
 * service with its organisation, service_at_locations → location → addresses and accessibility, schedules, cost
 * options, contacts, languages, service areas (the Camden ward, by ONS code) and attributes.
 *
 * Our controlled vocabularies (kind, audiences, categories, accessibility features, how to join, attending types)
 * travel as attributes in `signpost:*` taxonomies, so a partner (or our own importer) reads them exactly.
 * A recurring schedule is written as one HSDS schedule when expanding it gives exactly the dates we hold; otherwise
 * each date is its own schedule (dtstart = valid_from = valid_to). Cancelled dates are left out (HSDS has no
 * exceptions list).
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import { findWard } from '../geography/camden.ts';
import { expandSchedules, type HsdsSchedule } from '../ingest/parse-hsds-schedule.ts';
import { SIGNPOST_TAXONOMY } from '../ingest/parse-hsds-service.ts';
import type { ExportEntry, ExportOccurrence } from './read-catalogue.ts';
import type { SkippedEntry } from './export-ical.ts';
import { isWebUrl } from '../web-url.ts';

type Json = Record<string, unknown>;

/** Stable ids for the sub-records HSDS wants ids on. */
const subId = (...parts: string[]): string => {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const STATUS: Readonly<Record<string, string>> = {
  active: 'active',
  temporarily_closed: 'temporarily closed',
  closed: 'inactive',
};
const HOW_TO_JOIN_TEXT: Readonly<Record<string, string>> = {
  drop_in: 'Drop-in: just come along',
  self_referral: 'Self-referral',
  referral_needed: 'Referral needed',
  booking: 'Booking required',
};

const wall = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE });
const sameSet = (a: ExportOccurrence[], b: { start: Date; end: Date; allDay?: boolean }[]): boolean => {
  if (a.length !== b.length) return false;
  const key = (o: { start: Date; end: Date }) => `${o.start.getTime()}/${o.end.getTime()}`;
  const set = new Set(a.map(key));
  return b.every((o) => set.has(key(o)));
};

function recurringSchedule(entry: ExportEntry): HsdsSchedule | undefined {
  const s = entry.schedule;
  if (!s || typeof s.freq !== 'string') return undefined;
  if (typeof s.timezone === 'string' && s.timezone !== ZONE) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
  const date = (v: unknown) => (typeof v === 'string' && v ? (wall(new Date(v)).toISODate() ?? undefined) : undefined);
  const out: HsdsSchedule = { freq: s.freq };
  const set = (k: keyof HsdsSchedule, v: string | undefined) => {
    if (v) out[k] = v;
  };
  set('interval', text(s.interval));
  set('byday', text(s.byday));
  set('bymonthday', text(s.bymonthday));
  set('dtstart', date(s.dtstart));
  set('until', date(s.until));
  set('count', text(s.count));
  set('opensAt', text(s.opensAt));
  set('closesAt', text(s.closesAt));
  return out;
}

function schedulesJson(entry: ExportEntry, recurring: HsdsSchedule | undefined, fits: boolean): Json[] {
  const base = (id: string): Json => ({ id, service_id: entry.id });
  const description = typeof entry.schedule?.description === 'string' ? entry.schedule.description : undefined;
  if (recurring && fits) {
    return [
      {
        ...base(subId(entry.id, 'schedule')),
        freq: recurring.freq,
        ...(recurring.interval ? { interval: Number(recurring.interval) } : {}),
        ...(recurring.byday ? { byday: recurring.byday } : {}),
        ...(recurring.bymonthday ? { bymonthday: recurring.bymonthday } : {}),
        ...(recurring.dtstart ? { dtstart: recurring.dtstart, valid_from: recurring.dtstart } : {}),
        ...(recurring.until ? { until: recurring.until, valid_to: recurring.until } : {}),
        ...(recurring.count ? { count: Number(recurring.count) } : {}),
        ...(recurring.opensAt ? { opens_at: recurring.opensAt } : {}),
        ...(recurring.closesAt ? { closes_at: recurring.closesAt } : {}),
        ...(description ? { description } : {}),
      },
    ];
  }
  const dated = entry.occurrences.filter((o) => o.status !== 'cancelled');
  const out: Json[] = dated.map((o) => {
    const start = wall(o.start);
    const lastDay = o.allDay ? wall(o.end).minus({ days: 1 }) : o.end > o.start ? wall(o.end) : start;
    return {
      ...base(subId(entry.id, 'schedule', o.key)),
      dtstart: start.toISODate(),
      valid_from: start.toISODate(),
      valid_to: lastDay.toISODate(),
      ...(o.allDay ? {} : { opens_at: start.toFormat('HH:mm') }),
      ...(!o.allDay && o.end > o.start ? { closes_at: wall(o.end).toFormat('HH:mm') } : {}),
      ...(o.title ? { description: o.title } : {}),
      ...(o.note ? { notes: o.note } : {}),
    };
  });
  if (out.length === 0 && (description || entry.schedule?.opensAt)) {
    // Opening hours or "by arrangement" with no dates: kept as words.
    out.push({
      ...base(subId(entry.id, 'schedule')),
      ...(description ? { description } : {}),
    });
  }
  return out;
}

function attribute(entry: ExportEntry, taxonomy: string, value: string, label?: string): Json {
  return {
    id: subId(entry.id, taxonomy, value),
    link_id: entry.id,
    link_type: 'service',
    link_entity: 'service',
    taxonomy_term: {
      id: subId(taxonomy, value),
      code: value,
      name: label ?? value,
      description: label ?? value,
      taxonomy,
    },
  };
}

function serviceJson(entry: ExportEntry, recurring: HsdsSchedule | undefined, fits: boolean): Json {
  const loc = entry.location;
  const ward = loc?.ward ? findWard(loc.ward) : undefined;
  const phone = entry.contactPhone;
  const contacts: Json[] =
    entry.contactName || entry.contactEmail || phone
      ? [
          {
            id: subId(entry.id, 'contact'),
            ...(entry.contactName ? { name: entry.contactName } : {}),
            ...(entry.contactEmail ? { email: entry.contactEmail } : {}),
            ...(phone ? { phones: [{ id: subId(entry.id, 'contact-phone'), number: phone }] } : {}),
          },
        ]
      : [];
  const attributes = [
    attribute(entry, SIGNPOST_TAXONOMY.kind, entry.kind),
    ...entry.audiences.map((a) => attribute(entry, SIGNPOST_TAXONOMY.audience, a, a.replace(/_/g, ' '))),
    ...entry.categories.map((c) => attribute(entry, SIGNPOST_TAXONOMY.category, c)),
    ...(loc?.accessibility ?? []).map((f) =>
      attribute(entry, SIGNPOST_TAXONOMY.accessibility, f, f.replace(/_/g, ' ')),
    ),
    ...(entry.isFree !== null ? [attribute(entry, SIGNPOST_TAXONOMY.cost, entry.isFree ? 'free' : 'paid')] : []),
    ...(entry.howToJoin
      ? [attribute(entry, SIGNPOST_TAXONOMY.howToJoin, entry.howToJoin, HOW_TO_JOIN_TEXT[entry.howToJoin])]
      : []),
    ...entry.attendingTypes.map((t) => attribute(entry, SIGNPOST_TAXONOMY.attendingType, t, t.replace(/_/g, ' '))),
  ];
  return {
    id: entry.id,
    name: entry.title,
    description: entry.description,
    ...(isWebUrl(entry.url) ? { url: entry.url } : {}),
    ...(entry.contactEmail ? { email: entry.contactEmail } : {}),
    status: STATUS[entry.status] ?? 'active',
    ...(entry.alert ? { alert: entry.alert } : {}),
    ...(entry.fees ? { fees_description: entry.fees } : entry.isFree ? { fees_description: 'Free' } : {}),
    ...(entry.howToJoin ? { application_process: HOW_TO_JOIN_TEXT[entry.howToJoin] } : {}),
    ...(entry.eligibility ? { eligibility_description: entry.eligibility } : {}),
    ...(entry.minimumAge !== null ? { minimum_age: entry.minimumAge } : {}),
    ...(entry.maximumAge !== null ? { maximum_age: entry.maximumAge } : {}),
    ...(entry.assuredDate ? { assured_date: entry.assuredDate } : {}),
    last_modified: entry.updatedAt.toISOString(),
    ...(entry.organisation
      ? {
          organization: {
            id: subId(entry.source, 'organization', entry.organisation.externalId),
            name: entry.organisation.name,
            description: entry.organisation.description ?? entry.organisation.name,
            ...(entry.organisation.email ? { email: entry.organisation.email } : {}),
            ...(isWebUrl(entry.organisation.url) ? { website: entry.organisation.url } : {}),
            ...(entry.organisation.phone
              ? {
                  phones: [
                    {
                      id: subId(entry.source, 'org-phone', entry.organisation.externalId),
                      number: entry.organisation.phone,
                    },
                  ],
                }
              : {}),
          },
        }
      : {}),
    service_at_locations: loc
      ? [
          {
            id: subId(entry.id, 'service_at_location'),
            location: {
              id: subId(entry.source, 'location', loc.externalId),
              location_type: loc.locationType,
              ...(loc.name ? { name: loc.name } : {}),
              ...(isWebUrl(loc.url) ? { url: loc.url } : {}),
              ...(loc.latitude !== null && loc.longitude !== null
                ? { latitude: loc.latitude, longitude: loc.longitude }
                : {}),
              addresses:
                loc.address1 || loc.postalCode
                  ? [
                      {
                        id: subId(entry.source, 'address', loc.externalId),
                        address_1: loc.address1 ?? loc.name ?? '',
                        ...(loc.address2 ? { address_2: loc.address2 } : {}),
                        city: loc.city ?? 'London',
                        state_province: 'London',
                        postal_code: loc.postalCode ?? '',
                        country: 'GB',
                        address_type: 'physical',
                      },
                    ]
                  : [],
              accessibility: loc.accessibilityNote
                ? [{ id: subId(entry.source, 'accessibility', loc.externalId), description: loc.accessibilityNote }]
                : [],
            },
          },
        ]
      : [],
    ...(ward
      ? {
          service_areas: [
            {
              id: subId(entry.id, 'area'),
              name: ward.name,
              uri: `http://statistics.data.gov.uk/id/statistical-geography/${ward.code}`,
              extent_type: 'text',
            },
          ],
        }
      : {}),
    schedules: schedulesJson(entry, recurring, fits),
    cost_options:
      entry.costAmount !== null
        ? [
            {
              id: subId(entry.id, 'cost'),
              amount: entry.costAmount,
              currency: 'GBP',
              ...(entry.fees ? { option: entry.fees } : {}),
            },
          ]
        : [],
    contacts,
    ...(phone ? { phones: [{ id: subId(entry.id, 'phone'), number: phone }] } : {}),
    languages: entry.languages.map((l) => ({ id: subId('language', l), name: l.charAt(0).toUpperCase() + l.slice(1) })),
    attributes,
  };
}

export type OrukPage = {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: Json[];
};

/**
 * One page of the service list. `perPage` undefined gives everything on one page. Recurring schedules are checked
 * against the stored dates by expanding them at `now`.
 */
export function renderOruk(
  entries: readonly ExportEntry[],
  options: {
    now: Date;
    horizonDays?: number;
    page?: number;
    perPage?: number;
    onSkip?: (skipped: SkippedEntry) => void;
    /** `entries` is already the requested page, out of this many. */
    total?: number;
  },
): OrukPage {
  const total = options.total ?? entries.length;
  const perPage = options.perPage ?? Math.max(total, 1);
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(1, options.page ?? 1), Math.max(totalPages, 1));
  const slice =
    options.total !== undefined ? entries.slice(0, perPage) : entries.slice((page - 1) * perPage, page * perPage);

  const recurring = new Map<string, HsdsSchedule>();
  for (const e of slice) {
    const r = recurringSchedule(e);
    if (r && e.occurrences.every((o) => o.status !== 'cancelled' && !o.title)) recurring.set(e.id, r);
  }
  let expanded: ReturnType<typeof expandSchedules>;
  try {
    expanded = expandSchedules(
      [...recurring].map(([ref, s]) => ({ ref, schedules: [s] })),
      { now: options.now, ...(options.horizonDays ? { horizonDays: options.horizonDays } : {}) },
    );
  } catch {
    // Rules that do not read back are written as their dates instead.
    expanded = new Map();
    recurring.clear();
  }
  const contents: Json[] = [];
  for (const e of slice) {
    try {
      const r = recurring.get(e.id);
      const fits = !!r && sameSet(e.occurrences, expanded.get(e.id)?.occurrences ?? []) && e.occurrences.length > 0;
      contents.push(serviceJson(e, r, fits));
    } catch (error) {
      // One entry that cannot be written never takes the page down.
      options.onSkip?.({
        entryId: e.id,
        reason: (error instanceof Error ? error.message : String(error)).slice(0, 300),
      });
    }
  }
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: perPage,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}
