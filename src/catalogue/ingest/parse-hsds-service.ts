/**
 * One Open Referral service record (HSDS 3.0 / ORUK 3.0 "service_full", or the ORUK v1 / HSDS 1.1 shape with
 * `regular_schedules`, `physical_addresses`, `eligibilitys`, `service_taxonomys`) → a catalogue entry.
 *
 * Records are untyped JSON from partners: every field is read defensively, text is cleaned (HTML, `&nbsp;`), bad
 * optional values (an e-mail without @, a latitude of 100) are dropped rather than sinking the record, and only a
 * missing id or name rejects it.
 */
import {
  ACCESSIBILITY_FEATURES,
  type AccessibilityFeature,
  AUDIENCES,
  type Audience,
  type AttendingType,
  type CatalogueEntryInput,
  type EntryKind,
  type EntryStatus,
  type HowToJoin,
  type LocationInput,
  type OrganisationInput,
} from '../model.ts';
import { findPostcodeDistrict, findWard, normalisePostcode } from '../geography/camden.ts';
import { cleanText } from './clean-text.ts';
import { type HsdsSchedule, parseCalendarDate } from './parse-hsds-schedule.ts';
import { truncate as clip } from '../../truncate.ts';

export type JsonRecord = Record<string, unknown>;

/** Our own taxonomies, used by the ORUK export so that a round trip keeps kinds, audiences and categories exact. */
export const SIGNPOST_TAXONOMY = {
  kind: 'signpost:kind',
  audience: 'signpost:audience',
  category: 'signpost:category',
  accessibility: 'signpost:accessibility',
  howToJoin: 'signpost:how-to-join',
  attendingType: 'signpost:attending-type',
  cost: 'signpost:cost',
} as const;

export const isRecord = (v: unknown): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v);
export const records = (v: unknown): JsonRecord[] => (Array.isArray(v) ? v.filter(isRecord) : isRecord(v) ? [v] : []);

/** A field as trimmed text: strings as they are, numbers and booleans spelt out; empty → undefined. */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();
const clean = (v: unknown, max: number): string | undefined => {
  const t = textOf(v);
  if (!t) return undefined;
  return clip(cleanText(t), max) || undefined;
};
const cleanLine = (v: unknown, max: number): string | undefined => {
  const t = clean(v, 100_000);
  return t ? clip(oneLine(t), max) : undefined;
};

export function cleanUrl(v: unknown): string | undefined {
  const t = textOf(v);
  if (!t || t.length > 2000) return undefined;
  const withScheme = /^www\./i.test(t) ? `https://${t}` : t;
  try {
    const url = new URL(withScheme);
    return url.protocol === 'http:' || url.protocol === 'https:' ? withScheme : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A web address as the record gives it, tidied by `cleanUrl` where it can be; anything else is passed on as it is
 * (cut to 2,000 characters) so that the import drops it with a note in the report rather than without a word.
 */
export function urlForImport(v: unknown): string | undefined {
  const t = textOf(v)?.trim();
  return cleanUrl(t) ?? (t ? t.slice(0, 2000) : undefined);
}

export function cleanEmail(v: unknown): string | undefined {
  const t = textOf(v)?.replace(/^mailto:/i, '');
  return t && t.length <= 320 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t) ? t : undefined;
}

export function cleanPhone(v: unknown): string | undefined {
  const t = textOf(v)
    ?.replace(/^"+|"+$/g, '')
    .trim();
  return t && /\d{3}/.test(t) ? clip(t, 100) : undefined;
}

const numberOf = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

// ---------------------------------------------------------------------------------------------------------
// Vocabularies

const ACCESSIBILITY_PATTERNS: readonly [AccessibilityFeature, RegExp][] = [
  ['wheelchair_accessible', /wheelchair|disabled[_ ]access/i],
  ['step_free', /step[- ]?free|level access|no steps|ramp|lift\b|elevator/i],
  ['accessible_toilet', /accessible (?:toilet|wc|loo)|disabled (?:toilet|wc)|changing places/i],
  ['hearing_loop', /hearing loop|induction loop|t-?coil/i],
  ['quiet_space', /quiet (?:space|room|area)|sensory room/i],
  ['large_print', /large print/i],
  ['easy_read', /easy[- ]read/i],
  ['carer_free', /carers? (?:go|attend|come) free|free for carers/i],
  ['parking', /parking/i],
];

/** The values HSDS 1.1 / ORUK v1 give `accessibility_for_disabilities.accessibility`, in words. */
const HSDS_ACCESSIBILITY_LABELS: Readonly<Record<string, string>> = {
  cd: 'Information on CD',
  deaf_interpreter: 'Deaf interpreter',
  disabled_parking: 'Disabled parking',
  elevator: 'Lift',
  ramp: 'Ramp',
  restroom: 'Accessible toilet',
  tape_braille: 'Tape or Braille',
  tty: 'Text phone (TTY)',
  wheelchair: 'Wheelchair accessible',
  wheelchair_van: 'Wheelchair-accessible transport',
};

export function accessibilityFeatures(text: string): AccessibilityFeature[] {
  return ACCESSIBILITY_PATTERNS.filter(([, re]) => re.test(text)).map(([f]) => f);
}

const AUDIENCE_PATTERNS: readonly [Audience, RegExp][] = [
  [
    'older_people',
    /older (?:people|adults|residents)|over[- ]?(?:50|55|60|65)s?|elderly|seniors?|later life|pensioners?|age(?:ing)? (?:well|better)/i,
  ],
  ['learning_disabilities', /learning disabilit|learning difficult|autis/i],
  [
    'ethnic_minorities',
    /ethnic minorit|\b(?:bame|black|asian|bangladeshi|somali|african|caribbean|chinese|turkish|kurdish|irish|arabic|refugees?)\b/i,
  ],
  ['carers', /\bcarers?\b|caring for/i],
  ['lgbtq', /lgbt|lesbian|\bgay\b|bisexual|trans(?:gender)?\b|queer/i],
  ['young_people', /young (?:people|adults)|youth|teenagers?|children and young/i],
  ['parents_of_young_children', /\b(?:parents?|toddlers?|under[- ]?5s?|babies|new mums)\b/i],
  ['men', /^men$|\bmen(?:'?s| only)\b|\bfor men\b|\bmale\b/i],
  ['women', /^women$|\bwomen(?:'?s| only)\b|\bfor women\b|\bfemale\b/i],
  ['everyone', /^(?:everyone|all|all ages|anyone|general public)$/i],
];

export function audiencesIn(text: string): Audience[] {
  const exact = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if ((AUDIENCES as readonly string[]).includes(exact)) return [exact as Audience];
  return AUDIENCE_PATTERNS.filter(([, re]) => re.test(text)).map(([a]) => a);
}

export function howToJoinOf(text: string | undefined): HowToJoin | undefined {
  if (!text) return undefined;
  const t = text.toLowerCase();
  if (/^(drop_in|self_referral|referral_needed|booking)$/.test(t)) return t as HowToJoin;
  if (/referral (?:is )?(?:needed|required)|(?:gp|professional|by) referral|must be referred|referred by/.test(t))
    return 'referral_needed';
  if (/self[- ]?refer/.test(t)) return 'self_referral';
  if (/drop[- ]?in|just (?:turn|come) (?:up|along)|no need to book/.test(t)) return 'drop_in';
  if (/\bbook|reserve|register|sign up/.test(t)) return 'booking';
  return undefined;
}

const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  en: 'english',
  eng: 'english',
  bn: 'bengali',
  ben: 'bengali',
  so: 'somali',
  som: 'somali',
  ar: 'arabic',
  ara: 'arabic',
  tr: 'turkish',
  tur: 'turkish',
  ku: 'kurdish',
  kur: 'kurdish',
  zh: 'chinese',
  zho: 'chinese',
  chi: 'chinese',
  yue: 'cantonese',
  cmn: 'mandarin',
  pt: 'portuguese',
  por: 'portuguese',
  es: 'spanish',
  spa: 'spanish',
  fr: 'french',
  fra: 'french',
  fre: 'french',
  pl: 'polish',
  pol: 'polish',
  ur: 'urdu',
  urd: 'urdu',
  hi: 'hindi',
  hin: 'hindi',
  pa: 'punjabi',
  pan: 'punjabi',
  gu: 'gujarati',
  guj: 'gujarati',
  ti: 'tigrinya',
  tir: 'tigrinya',
  am: 'amharic',
  amh: 'amharic',
  fa: 'farsi',
  fas: 'farsi',
  per: 'farsi',
  ro: 'romanian',
  ron: 'romanian',
  it: 'italian',
  ita: 'italian',
  el: 'greek',
  ell: 'greek',
  bsl: 'british sign language',
  sgn: 'sign language',
  sq: 'albanian',
  sqi: 'albanian',
  ru: 'russian',
  rus: 'russian',
  uk: 'ukrainian',
  ukr: 'ukrainian',
};

export function languageName(v: JsonRecord | string): string | undefined {
  if (typeof v === 'string') return cleanLine(v, 100)?.toLowerCase();
  const name = cleanLine(v.name ?? v.language, 100)?.toLowerCase();
  if (name) return name;
  const code = textOf(v.code)?.toLowerCase();
  return code ? LANGUAGE_CODES[code] : undefined;
}

function statusOf(v: unknown): EntryStatus {
  const t = textOf(v)
    ?.toLowerCase()
    .replace(/[\s_-]+/g, ' ');
  if (!t) return 'active';
  if (t === 'temporarily closed' || t === 'paused' || t === 'suspended') return 'temporarily_closed';
  if (t === 'inactive' || t === 'defunct' || t === 'closed') return 'closed';
  return 'active';
}

// ---------------------------------------------------------------------------------------------------------
// Parts of a service

function organisationOf(v: unknown): OrganisationInput | undefined {
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

type LocationFacts = { location: LocationInput; online: boolean };

function locationOf(loc: JsonRecord, serviceAreas: JsonRecord[]): LocationFacts | undefined {
  const id = textOf(loc.id);
  const type = textOf(loc.location_type)?.toLowerCase();
  const addresses = [...records(loc.addresses), ...records(loc.physical_addresses), ...records(loc.address)];
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
  const lat = numberOf(loc.latitude);
  const lon = numberOf(loc.longitude);
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
  for (const a of [...records(loc.accessibility), ...records(loc.accessibility_for_disabilities)]) {
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

function termsOf(service: JsonRecord): { taxonomy: string; name: string; code?: string }[] {
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

const TRAINING_RE = /\b(?:training|course|courses|mecc|mhfa)\b|mental health first aid/i;
const RESOURCE_RE = /\b(?:guide|toolkit|leaflet|factsheet|directory|helpline|advice line)\b/i;

export class RejectedRecord extends Error {}

/**
 * Maps one service. Throws RejectedRecord (with a reason that holds no personal data) when it cannot be used.
 * Occurrences are added later, in bulk, from `schedulesOf`.
 */
export function toEntry(service: JsonRecord): CatalogueEntryInput {
  const id = textOf(service.id);
  if (!id) throw new RejectedRecord('the service has no id');
  const title = cleanLine(service.name, 500);
  if (!title) throw new RejectedRecord('the service has an empty name');

  const entry: CatalogueEntryInput = {
    externalId: clip(id, 1000),
    kind: 'activity',
    title,
    description: clean(service.description, 20_000) ?? '',
    status: statusOf(service.status),
    occurrences: [],
  };
  const url = urlForImport(service.url);
  if (url) entry.url = url;
  const alert = cleanLine(service.alert, 2000);
  if (alert) entry.alert = alert;

  const organisation = organisationOf(service.organization ?? service.organisation);
  if (organisation) entry.organisation = organisation;

  const serviceAreas = records(service.service_areas);
  const attending = new Set<AttendingType>();
  const sals = records(service.service_at_locations);
  const locations = [
    ...sals.map((sal) => records(sal.location)[0]).filter((l): l is JsonRecord => !!l),
    ...records(service.locations),
  ];
  const facts = locations.map((l) => locationOf(l, serviceAreas)).filter((f): f is LocationFacts => !!f);
  const place = facts.find((f) => !f.online) ?? facts[0];
  if (place) entry.location = place.location;
  if (facts.some((f) => !f.online)) attending.add('in_person');
  if (facts.some((f) => f.online)) attending.add('online');

  const audiences = new Set<Audience>();
  const categories = new Set<string>();
  const terms = termsOf(service);
  // Records we exported carry our vocabularies exactly: nothing is inferred from free text for them.
  const explicit = terms.some((t) => t.taxonomy.startsWith('signpost:'));
  const features = new Set<AccessibilityFeature>(explicit ? [] : (place?.location.accessibility ?? []));
  if (explicit) attending.clear();
  let kind: EntryKind | undefined;
  let howToJoin: HowToJoin | undefined;
  let free: boolean | undefined;
  for (const term of terms) {
    const value = (term.code ?? term.name).toLowerCase();
    switch (term.taxonomy) {
      case SIGNPOST_TAXONOMY.kind:
        if (value === 'activity' || value === 'training' || value === 'resource') kind = value;
        break;
      case SIGNPOST_TAXONOMY.audience:
        for (const a of audiencesIn(value)) audiences.add(a);
        break;
      case SIGNPOST_TAXONOMY.category:
        categories.add(clip(term.name.toLowerCase(), 100));
        break;
      case SIGNPOST_TAXONOMY.accessibility:
        if ((ACCESSIBILITY_FEATURES as readonly string[]).includes(value)) features.add(value as AccessibilityFeature);
        break;
      case SIGNPOST_TAXONOMY.howToJoin:
        howToJoin = howToJoinOf(value) ?? howToJoin;
        break;
      case SIGNPOST_TAXONOMY.cost:
        if (value === 'free' || value === 'paid') free = value === 'free';
        break;
      case SIGNPOST_TAXONOMY.attendingType:
        if (value === 'in_person' || value === 'online' || value === 'phone') attending.add(value);
        break;
      default: {
        const found = audiencesIn(term.name);
        if (found.length && /audience|eligib|group|who/i.test(term.taxonomy + ' ' + term.name))
          for (const a of found) audiences.add(a);
        else categories.add(clip(term.name.toLowerCase(), 100));
      }
    }
  }
  if (entry.location && (features.size || explicit)) entry.location.accessibility = [...features];

  const eligibilityParts = [
    cleanLine(service.eligibility_description, 2000),
    ...records(service.eligibilitys).map((e) => cleanLine(e.eligibility, 500)),
    ...records(service.eligibility).map((e) => cleanLine(e.eligibility, 500)),
  ].filter((t): t is string => !!t);
  if (eligibilityParts.length) {
    entry.eligibility = clip(eligibilityParts.join('; '), 2000);
    if (audiences.size === 0 && !explicit)
      for (const a of audiencesIn(entry.eligibility)) if (a !== 'everyone') audiences.add(a);
  }
  // HSDS names them minimum_age and maximum_age; Outpost (Buckinghamshire's ORUK v1 API) min_age and max_age.
  const min = numberOf(service.minimum_age ?? service.min_age);
  const max = numberOf(service.maximum_age ?? service.max_age);
  if (min !== undefined && Number.isInteger(min) && min >= 0 && min < 130) entry.minimumAge = min;
  if (max !== undefined && Number.isInteger(max) && max >= 0 && max < 130) entry.maximumAge = max;
  if (entry.minimumAge !== undefined && entry.minimumAge >= 50 && audiences.size === 0 && !explicit)
    audiences.add('older_people');
  // An age range that ends in childhood or youth is for young people (or, up to 4, for parents and their babies).
  if (entry.maximumAge !== undefined && entry.maximumAge <= 25 && audiences.size === 0 && !explicit) {
    audiences.add(entry.maximumAge <= 4 ? 'parents_of_young_children' : 'young_people');
  }

  const languages = new Set<string>();
  for (const l of [...records(service.languages), ...records(service.language)]) {
    const name = languageName(l);
    if (name) languages.add(name);
  }
  if (Array.isArray(service.languages))
    for (const l of service.languages) if (typeof l === 'string' && l.trim()) languages.add(l.trim().toLowerCase());

  // Cost: the lowest amount; free when every option costs nothing or the text says so.
  const costs = records(service.cost_options);
  const amounts = costs.map((c) => numberOf(c.amount)).filter((n): n is number => n !== undefined && n >= 0);
  const feeText = [cleanLine(service.fees_description, 1000), cleanLine(service.fees, 1000)].find(
    (t) => t && t !== 'fees_description' && t !== 'fees',
  );
  const costDescription =
    feeText ??
    (costs.length
      ? costs
          .map((c) =>
            [
              cleanLine(c.option, 200),
              textOf(c.amount) ? `£${textOf(c.amount)}` : undefined,
              cleanLine(c.amount_description, 200),
            ]
              .filter(Boolean)
              .join(' '),
          )
          .filter(Boolean)
          .join('; ')
      : undefined);
  const saysFree = /\bfree\b|no charge|no cost/i.test(feeText ?? '');
  entry.cost = {
    ...(amounts.length ? { amount: Math.min(...amounts) } : {}),
    ...((amounts.length && amounts.every((a) => a === 0)) || (saysFree && !amounts.some((a) => a > 0))
      ? { isFree: true }
      : amounts.some((a) => a > 0) && !saysFree
        ? { isFree: false }
        : {}),
    ...(free !== undefined ? { isFree: free } : {}),
    ...(costDescription ? { description: clip(costDescription, 1000) } : {}),
  };

  howToJoin ??= howToJoinOf(cleanLine(service.application_process, 500));
  if (howToJoin) entry.howToJoin = howToJoin;

  const contacts = records(service.contacts);
  const contact = contacts[0];
  const phone =
    cleanPhone(records(service.phones)[0]?.number) ??
    cleanPhone(records(contact?.phones)[0]?.number) ??
    cleanPhone(records(sals[0]?.phones)[0]?.number);
  const contactName = cleanLine(contact?.name, 200);
  const contactEmail = cleanEmail(contact?.email) ?? cleanEmail(service.email);
  entry.contact = {
    ...(contactName ? { name: contactName } : {}),
    ...(contactEmail ? { email: contactEmail } : {}),
    ...(phone ? { phone } : {}),
  };
  if (phone && attending.size === 0 && !explicit && /helpline|phone line|telephone|advice line/i.test(title))
    attending.add('phone');

  for (const s of explicit ? [] : [...records(service.schedules), ...records(service.regular_schedules)]) {
    const t = textOf(s.attending_type)?.toLowerCase() ?? '';
    if (/online|remote|video|virtual|zoom|teams/.test(t)) attending.add('online');
    if (/in[- ]person|face to face/.test(t)) attending.add('in_person');
    if (/phone|telephone/.test(t)) attending.add('phone');
  }
  entry.attendingTypes = attending.size ? [...attending] : ['in_person'];

  // A real calendar date: Date.parse rolls "2026-02-30" over to 2 March.
  const assured = parseCalendarDate(textOf(service.assured_date));
  if (assured) entry.assuredDate = new Date(`${assured}T00:00:00Z`);

  const cats = [...categories].filter((c) => !['name', 'link_type'].includes(c));
  entry.kind =
    kind ??
    (TRAINING_RE.test(title) || cats.some((c) => TRAINING_RE.test(c))
      ? 'training'
      : RESOURCE_RE.test(title) && !sals.length
        ? 'resource'
        : 'activity');
  entry.categories = cats;
  entry.audiences = [...audiences];
  entry.languages = [...languages];
  return entry;
}
