/** The parts of an Open Referral service record: its organisation, locations, taxonomy terms and schedules. */
import {
  ACCESSIBILITY_FEATURES,
  type AccessibilityFeature,
  type LocationInput,
  type OrganisationInput,
} from '../model.ts';
import { findPostcodeDistrict, findWard, normalisePostcode } from '../geography/camden.ts';
import { truncate as clip } from '../../truncate.ts';
import {
  clean,
  cleanEmail,
  cleanLine,
  cleanPhone,
  type JsonRecord,
  numberOf,
  records,
  textOf,
  urlForImport,
} from './hsds-fields.ts';
import { accessibilityFeatures, HSDS_ACCESSIBILITY_LABELS } from './hsds-vocabularies.ts';
import type { HsdsSchedule } from './parse-hsds-schedule.ts';

export function organisationOf(v: unknown): OrganisationInput | undefined {
  const org = records(v)[0];
  if (!org) return undefined;
  const id = textOf(org.id);
  const name = cleanLine(org.name, 500);
  if (!name) return undefined; // a record pointing at an organisation we do not have: kept without it
  const description = clean(org.description, 20_000);
  const email = cleanEmail(org.email);
  const url = urlForImport(org.website ?? org.url);
  const phone = cleanPhone(records(org.phones)[0]?.number);
  return {
    externalId: clip(id ?? `org:${name.toLowerCase()}`, 500),
    name,
    ...(description ? { description } : {}),
    ...(email ? { email } : {}),
    ...(url ? { url } : {}),
    ...(phone ? { phone } : {}),
  };
}

export type LocationFacts = { location: LocationInput; online: boolean };

export function locationOf(loc: JsonRecord, serviceAreas: JsonRecord[]): LocationFacts | undefined {
  const id = textOf(loc.id);
  const type = textOf(loc.location_type)?.toLowerCase();
  // Outpost (Buckinghamshire's directory) writes the address on the location itself, with a GeoJSON point and
  // `accessibilities` by name: read as a last resort after HSDS's own address records.
  const flat = ['address_1', 'city', 'postal_code'].some((k) => textOf(loc[k])) ? [loc] : [];
  const addresses = [...records(loc.addresses), ...records(loc.physical_addresses), ...records(loc.address), ...flat];
  const address =
    addresses.find((a) => textOf(a.address_type)?.toLowerCase() === 'physical') ??
    addresses.find((a) => !textOf(a.address_type) || textOf(a.address_type)?.toLowerCase() !== 'postal') ??
    addresses[0] ??
    records(loc.postal_addresses)[0];
  const name = cleanLine(loc.name, 500);
  const virtual = type === 'virtual';
  const location: LocationInput = {
    externalId: clip(id ?? `loc:${(name ?? textOf(address?.address_1) ?? 'unknown').toLowerCase()}`, 500),
    locationType: virtual ? 'virtual' : type === 'postal' ? 'postal' : 'physical',
    accessibility: [],
  };
  if (name) location.name = name;
  if (address) {
    const line1 = cleanLine(address.address_1, 500);
    const line2 = cleanLine(
      [address.address_2, address.address_3, address.address_4].map(textOf).filter(Boolean).join(', '),
      500,
    );
    const city = cleanLine(address.city, 200);
    const postcodeText = textOf(address.postal_code);
    if (line1) location.address1 = line1;
    if (line2) location.address2 = line2;
    if (city) location.city = city;
    if (postcodeText) {
      const pc = normalisePostcode(postcodeText);
      location.postalCode = clip(pc ?? postcodeText, 20);
    }
  }
  const point = geoJsonPoint(loc.geometry);
  const lat = numberOf(loc.latitude) ?? point?.lat;
  const lon = numberOf(loc.longitude) ?? point?.lon;
  if (
    lat !== undefined &&
    lon !== undefined &&
    Math.abs(lat) <= 90 &&
    Math.abs(lon) <= 180 &&
    !(lat === 0 && lon === 0)
  ) {
    location.latitude = lat;
    location.longitude = lon;
  }
  const url = urlForImport(loc.url);
  if (url) location.url = url;

  // Ward: a service area naming a Camden ward (our own export writes one), else the postcode district's single ward.
  for (const area of serviceAreas) {
    // HSDS 3.0 names the area in `name`; HSDS 1.1 / ORUK v1 in `service_area`.
    const ward =
      findWard(textOf(area.name) ?? '') ??
      findWard(textOf(area.service_area) ?? '') ??
      findWard(textOf(area.uri)?.split('/').pop() ?? '');
    if (ward) {
      location.ward = ward.name;
      break;
    }
  }
  if (!location.ward && location.postalCode) {
    const district = findPostcodeDistrict(location.postalCode);
    if (district?.wards.length === 1) location.ward = district.wards[0];
  }

  const features = new Set<AccessibilityFeature>();
  const notes: string[] = [];
  for (const a of [
    ...records(loc.accessibility),
    ...records(loc.accessibility_for_disabilities),
    ...records(loc.accessibilities).map((x): JsonRecord => ({ description: x.name ?? x.slug })),
  ]) {
    const coded = textOf(a.accessibility)?.toLowerCase();
    if (coded && (ACCESSIBILITY_FEATURES as readonly string[]).includes(coded)) {
      features.add(coded as AccessibilityFeature);
      const details = cleanLine(a.details, 1000);
      if (details) notes.push(details);
      continue;
    }
    // HSDS 1.1's coded values ("disabled_parking") read as words in the note.
    const label = coded ? HSDS_ACCESSIBILITY_LABELS[coded] : undefined;
    const text = [a.description, label ?? a.accessibility, a.details]
      .map((t) => cleanLine(t, 1000))
      .filter((t): t is string => !!t);
    const unique = [...new Set(text)];
    for (const f of accessibilityFeatures(unique.join(' ').replace(/_/g, ' '))) features.add(f);
    if (unique.length)
      notes.push(
        label && unique.length > 1 && unique[0] === label ? `${label}: ${unique.slice(1).join(' ')}` : unique.join(' '),
      );
  }
  location.accessibility = [...features];
  if (notes.length) location.accessibilityNote = clip([...new Set(notes)].join(' '), 5000);
  return { location, online: virtual };
}

export function termsOf(service: JsonRecord): { taxonomy: string; name: string; code?: string }[] {
  const terms: { taxonomy: string; name: string; code?: string }[] = [];
  for (const attr of records(service.attributes)) {
    const term = records(attr.taxonomy_term)[0];
    const name = cleanLine(term?.name ?? term?.term ?? attr.value, 100);
    if (!name) continue;
    const taxonomy =
      textOf(term?.taxonomy) ?? textOf(records(term?.taxonomy_detail)[0]?.name) ?? textOf(attr.link_type) ?? '';
    const code = textOf(term?.code);
    terms.push({ taxonomy, name, ...(code ? { code } : {}) });
  }
  for (const st of records(service.service_taxonomys)) {
    const tax = records(st.taxonomy)[0];
    const name = cleanLine(tax?.name, 100);
    if (name) terms.push({ taxonomy: textOf(tax?.vocabulary) ?? '', name });
  }
  for (const t of records(service.taxonomy_terms)) {
    const name = cleanLine(t.name, 100);
    if (name) terms.push({ taxonomy: textOf(t.taxonomy) ?? '', name });
  }
  return terms;
}

/** Schedules of the service and of its service_at_locations, in the shape the expander reads. */
export function schedulesOf(service: JsonRecord): HsdsSchedule[] {
  const raw = [
    ...records(service.schedules),
    ...records(service.regular_schedules),
    ...records(service.service_at_locations).flatMap((sal) => [
      ...records(sal.schedules),
      ...records(sal.regular_schedules),
    ]),
  ];
  return raw.map((s) => {
    // HSDS 1.1 regular_schedules: one row per weekday (1 = Monday … 7 = Sunday, or a name).
    let byday = textOf(s.byday);
    let freq = textOf(s.freq);
    const weekday = textOf(s.weekday);
    if (!byday && weekday) {
      const n = Number(weekday);
      byday = Number.isInteger(n) && n >= 1 && n <= 7 ? ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'][n - 1] : weekday;
      freq ??= 'WEEKLY';
    }
    const out: HsdsSchedule = {};
    const set = (k: keyof HsdsSchedule, v: unknown) => {
      const t = textOf(v);
      if (t) out[k] = t;
    };
    set('freq', freq);
    set('interval', s.interval);
    set('byday', byday);
    set('bymonthday', s.bymonthday);
    set('dtstart', s.dtstart);
    set('until', s.until);
    set('count', s.count);
    set('validFrom', s.valid_from);
    set('validTo', s.valid_to);
    set('opensAt', s.opens_at);
    set('closesAt', s.closes_at);
    set('description', cleanLine(s.description, 2000));
    set('notes', cleanLine(s.notes, 2000));
    set('wkst', s.wkst);
    return out;
  });
}

/** A GeoJSON point's latitude and longitude (`coordinates` are longitude first). */
function geoJsonPoint(geometry: unknown): { lat: number; lon: number } | undefined {
  if (!geometry || typeof geometry !== 'object') return undefined;
  const g = geometry as { type?: unknown; coordinates?: unknown };
  if (g.type !== 'Point' || !Array.isArray(g.coordinates) || g.coordinates.length < 2) return undefined;
  const lon = numberOf(g.coordinates[0]);
  const lat = numberOf(g.coordinates[1]);
  return lat === undefined || lon === undefined ? undefined : { lat, lon };
}
