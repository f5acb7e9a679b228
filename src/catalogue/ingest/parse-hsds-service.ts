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
  type Audience,
  type AttendingType,
  type CatalogueEntryInput,
  type EntryKind,
  type HowToJoin,
} from '../model.ts';
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
import { type LocationFacts, locationOf, organisationOf, termsOf } from './hsds-service-parts.ts';
import { audiencesIn, howToJoinOf, languageName, SIGNPOST_TAXONOMY, statusOf } from './hsds-vocabularies.ts';
import { parseCalendarDate } from './parse-hsds-schedule.ts';

export {
  cleanEmail,
  cleanPhone,
  cleanUrl,
  isRecord,
  type JsonRecord,
  records,
  textOf,
  urlForImport,
} from './hsds-fields.ts';
export { schedulesOf } from './hsds-service-parts.ts';
export {
  accessibilityFeatures,
  audiencesIn,
  howToJoinOf,
  languageName,
  SIGNPOST_TAXONOMY,
} from './hsds-vocabularies.ts';

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
