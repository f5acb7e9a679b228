/**
 * One-off: writes src/catalogue/demo/demo-catalogue.json (an Open Referral UK service list with the `signpost`
 * extension) from the TypeScript rows of src/catalogue/demo/demo-catalogue.ts, so that nothing is retyped by hand.
 *
 *   npx tsx scripts/demo/convert-demo-catalogue.ts
 */
import fs from 'node:fs';
import { DateTime } from 'luxon';
import { buildDemoCatalogue, intBetween, prng, TRAINING } from '../../src/catalogue/demo/demo-catalogue.ts';
import { SIGNPOST_TAXONOMY } from '../../src/catalogue/ingest/hsds-vocabularies.ts';
import { type CatalogueEntryData, CatalogueEntryInputSchema } from '../../src/catalogue/model.ts';

const ZONE = 'Europe/London';
/** Any clock will do: only the parts written as `relative` depend on it, and they are read back from the rows. */
const NOW = new Date('2026-01-05T12:00:00Z');
const OUT = 'src/catalogue/demo/demo-catalogue.json';

type Json = Record<string, unknown>;
const london = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE });
const STATUS: Record<string, string> = {
  active: 'active',
  temporarily_closed: 'temporarily closed',
  closed: 'inactive',
};

function fail(message: string): never {
  throw new Error(message);
}

function term(taxonomy: string, name: string): Json {
  return { taxonomy_term: { taxonomy, name } };
}

/** The training rows' sessions as offsets and places, drawn from the same seeded sequence as the rows do. */
function trainingSessions(slug: string, e: CatalogueEntryData): Json[] {
  const spec = TRAINING.find((t) => t.slug === slug) ?? fail(`no training row ${slug}`);
  const rnd = prng(`training:${spec.slug}`);
  const step = Math.floor(84 / spec.sessions);
  const out: Json[] = [];
  for (let i = 0; i < spec.sessions; i++) {
    const offset = 5 + i * step + intBetween(rnd, 0, Math.max(0, step - 8));
    const capacity = intBetween(rnd, spec.capacity[0], spec.capacity[1]);
    const days = spec.days ?? 1;
    out.push({
      after_days: offset,
      ...(days > 1 ? { weekdays: days } : {}),
      opens_at: spec.opens,
      closes_at: spec.closes,
      capacity,
      book_by: { days_before: 2, at: '17:00' },
      ...(days > 1
        ? { note: `Two consecutive days: {first_day} and {last_day}, ${spec.opens}\u2013${spec.closes} each day.` }
        : {}),
    });
  }
  if (out.length !== e.occurrences.length) fail(`${slug}: ${out.length} sessions, ${e.occurrences.length} built`);
  return out;
}

function relativeOf(e: CatalogueEntryData): Json {
  const rel: Json = {};
  if (e.assuredDate) {
    const days = Math.round(london(NOW).startOf('day').diff(london(e.assuredDate).startOf('day'), 'days').days);
    rel.assured_days_ago = days;
  }
  if (e.schedule?.freq) rel.upcoming_weeks = 8;
  const paused = e.alert && /^Paused while (.*); sessions are expected to restart from (.*)\.$/.exec(e.alert);
  const skipped = e.alert && /^No session on (.*) because (.*)\.$/.exec(e.alert);
  if (paused) {
    const reason = paused[1]!;
    if (e.status !== 'temporarily_closed') fail(`${e.externalId}: paused but ${e.status}`);
    rel.pause = {
      restart_after_weeks: 5,
      alert: `Paused while ${reason}; sessions are expected to restart from {date}.`,
      note: `Paused: ${reason}.`,
    };
  } else if (skipped) {
    const reason = skipped[2]!;
    if (e.occurrences[2]?.status !== 'cancelled') fail(`${e.externalId}: the third session is not the cancelled one`);
    rel.cancel = { upcoming: 3, alert: `No session on {date} because ${reason}.`, note: `Cancelled: ${reason}.` };
  } else if (e.alert) fail(`${e.externalId}: an alert of no known kind`);
  if (e.kind === 'training') rel.sessions = trainingSessions(e.externalId, e);
  return rel;
}

function schedulesOf(e: CatalogueEntryData): Json[] {
  const s = e.schedule;
  if (!s) return [];
  if (!s.freq) return [{ description: s.description ?? fail(`${e.externalId}: a schedule without words`) }];
  return [
    {
      freq: s.freq,
      ...(s.interval && s.interval > 1 ? { interval: s.interval } : {}),
      byday: s.byday,
      // The rows' first session on or after their anchor: fortnightly rules keep their weeks.
      dtstart: london(s.dtstart ?? fail(`${e.externalId}: no dtstart`)).toISODate(),
      opens_at: s.opensAt,
      closes_at: s.closesAt,
      description: s.description,
    },
  ];
}

function serviceOf(e: CatalogueEntryData): Json {
  const o = e.organisation;
  const l = e.location;
  const c = e.contact;
  const prerequisites = e.prerequisites.length ? { prerequisites: e.prerequisites } : {};
  return {
    id: e.externalId,
    name: e.title,
    description: e.description,
    ...(e.url ? { url: e.url } : {}),
    status: STATUS[e.status],
    ...(e.eligibility ? { eligibility_description: e.eligibility } : {}),
    ...(e.minimumAge !== undefined ? { minimum_age: e.minimumAge } : {}),
    ...(e.maximumAge !== undefined ? { maximum_age: e.maximumAge } : {}),
    ...(e.cost.description ? { fees_description: e.cost.description } : {}),
    ...(e.cost.amount !== undefined ? { cost_options: [{ amount: e.cost.amount, currency: 'GBP' }] } : {}),
    ...(o
      ? {
          organization: {
            id: o.externalId,
            name: o.name,
            ...(o.description ? { description: o.description } : {}),
            ...(o.email ? { email: o.email } : {}),
            ...(o.url ? { website: o.url } : {}),
            ...(o.phone ? { phones: [{ number: o.phone }] } : {}),
          },
        }
      : {}),
    ...(l
      ? {
          service_at_locations: [
            {
              location: {
                id: l.externalId,
                location_type: l.locationType,
                ...(l.name ? { name: l.name } : {}),
                ...(l.url ? { url: l.url } : {}),
                ...(l.latitude !== undefined ? { latitude: l.latitude, longitude: l.longitude } : {}),
                ...(l.address1
                  ? {
                      addresses: [
                        {
                          address_1: l.address1,
                          city: l.city,
                          postal_code: l.postalCode,
                          country: 'GB',
                          address_type: 'physical',
                        },
                      ],
                    }
                  : {}),
                ...(l.accessibilityNote ? { accessibility: [{ description: l.accessibilityNote }] } : {}),
              },
            },
          ],
        }
      : {}),
    ...(l?.ward ? { service_areas: [{ name: l.ward }] } : {}),
    schedules: schedulesOf(e),
    contacts: [
      {
        ...(c.name ? { name: c.name } : {}),
        ...(c.email ? { email: c.email } : {}),
        ...(c.phone ? { phones: [{ number: c.phone }] } : {}),
      },
    ],
    languages: e.languages.map((name) => ({ name })),
    attributes: [
      term(SIGNPOST_TAXONOMY.kind, e.kind),
      ...e.audiences.map((a) => term(SIGNPOST_TAXONOMY.audience, a)),
      ...e.categories.map((x) => term(SIGNPOST_TAXONOMY.category, x)),
      ...(l?.accessibility ?? []).map((f) => term(SIGNPOST_TAXONOMY.accessibility, f)),
      ...(e.cost.isFree !== undefined ? [term(SIGNPOST_TAXONOMY.cost, e.cost.isFree ? 'free' : 'paid')] : []),
      ...(e.howToJoin ? [term(SIGNPOST_TAXONOMY.howToJoin, e.howToJoin)] : []),
      ...e.attendingTypes.map((t) => term(SIGNPOST_TAXONOMY.attendingType, t)),
    ],
    signpost: {
      ...(e.providedBy ? { provided_by: e.providedBy } : {}),
      ...prerequisites,
      relative: relativeOf(e),
    },
  };
}

/** One line of JSON with a space after each comma and colon, as people write it. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (typeof value === 'object' && value !== null)
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`)
      .join(', ')} }`;
  return JSON.stringify(value);
}

/** JSON with two-space indents, where every object or array that fits on a 120-character line is kept on one. */
function compact(value: unknown, indent: string, lead = 0): string {
  const flat = inline(value);
  if (typeof value !== 'object' || value === null || indent.length + lead + flat.length <= 120) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + compact(v, inner)).join(',\n')}\n${indent}]`;
  const fields = Object.entries(value).map(
    ([k, v]) => `${inner}${JSON.stringify(k)}: ${compact(v, inner, JSON.stringify(k).length + 2)}`,
  );
  return `{\n${fields.join(',\n')}\n${indent}}`;
}

const entries = buildDemoCatalogue(NOW).map((e) => CatalogueEntryInputSchema.parse(e));
const contents = entries.map(serviceOf);
const page = {
  total_items: contents.length,
  total_pages: 1,
  page_number: 1,
  size: contents.length,
  first_page: true,
  last_page: true,
  empty: false,
  contents,
};
fs.writeFileSync(OUT, `${compact(page, '')}\n`);
console.log(`${OUT}: ${contents.length} services`);
