import { DateTime } from 'luxon';
import type {
  AccessibilityFeature,
  AttendingType,
  Audience,
  CatalogueEntryInput,
  Cost,
  HowToJoin,
  LocationInput,
  OccurrenceInput,
  OrganisationInput,
  ScheduleInput,
} from '../model.ts';
import { findWard, wardForPoint } from '../geography/camden.ts';
import { expandRecurrence } from '../recurrence/expand-recurrence.ts';
import type { Recurrence, RecurrenceRule } from '../recurrence/recurrence-rule.ts';
import { LONDON_ZONE, ZoneResolver } from '../recurrence/zones.ts';

/**
 * A realistic, fictional catalogue of Camden activities, training and resources for demos and tests.
 *
 * Programme and organisation names follow Camden's Health and Wellbeing Strategy 2022-30 (Age UK Camden, Voluntary
 * Action Camden, Ageing Better in Camden, Community Champions, MECC, Mental Health First Aid…). Venues sit on real
 * streets but the venue names, sessions and details are invented. Phone numbers are in Ofcom's drama range
 * (020 7946 0000–0999) and e-mail addresses are at example.org.
 *
 * Everything is derived from `now` and fixed seeds, so the same `now` always gives the same catalogue.
 */

const ZONE = 'Europe/London';
const OCCURRENCE_WEEKS = 8;

// ---------------------------------------------------------------------------------------------------------------------
// Deterministic randomness

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a tiny seeded PRNG giving floats in [0, 1). */
export function prng(seed: string): () => number {
  let a = hash(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const intBetween = (rnd: () => number, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

// ---------------------------------------------------------------------------------------------------------------------
// Organisations

const phone = (n: number) => `020 7946 0${String(n).padStart(3, '0')}`;

type OrgKey =
  | 'ageuk'
  | 'vac'
  | 'abc'
  | 'carers'
  | 'council'
  | 'libraries'
  | 'publichealth'
  | 'asc'
  | 'champions'
  | 'mind'
  | 'youth'
  | 'families'
  | 'bengali'
  | 'somali'
  | 'irish'
  | 'caribbean'
  | 'chinese'
  | 'kurdish'
  | 'arabic'
  | 'rainbow'
  | 'fridayfriends'
  | 'sheds'
  | 'greenfingers'
  | 'walks'
  | 'sing'
  | 'arts'
  | 'latin'
  | 'polish'
  | 'deaf'
  | 'neighbours'
  | 'memory'
  | 'bereavement';

const ORGS: Record<OrgKey, OrganisationInput> = {
  ageuk: {
    externalId: 'demo-org-age-uk-camden',
    name: 'Age UK Camden',
    description:
      'Local charity for older people in Camden: day centres, lunch clubs, befriending, information and advice.',
    email: 'hello@ageukcamden.example.org',
    url: 'https://example.org/age-uk-camden',
    phone: phone(10),
  },
  vac: {
    externalId: 'demo-org-voluntary-action-camden',
    name: 'Voluntary Action Camden',
    description:
      "Camden's infrastructure body for the voluntary and community sector; runs social prescribing with Age UK Camden.",
    email: 'info@vac.example.org',
    url: 'https://example.org/voluntary-action-camden',
    phone: phone(20),
  },
  abc: {
    externalId: 'demo-org-ageing-better-in-camden',
    name: 'Ageing Better in Camden',
    description:
      'Partnership programme that worked with over-50s to reduce social isolation, including Community Action Projects.',
    email: 'ageingbetter@example.org',
    url: 'https://example.org/ageing-better-in-camden',
    phone: phone(30),
  },
  carers: {
    externalId: 'demo-org-camden-carers-service',
    name: 'Camden Carers Service',
    description:
      'Support, advice, breaks and groups for unpaid carers who live in Camden or look after someone who does.',
    email: 'support@camdencarers.example.org',
    url: 'https://example.org/camden-carers-service',
    phone: phone(40),
  },
  council: {
    externalId: 'demo-org-camden-council',
    name: 'Camden Council',
    email: 'communities@camden.example.org',
    url: 'https://example.org/camden-council',
    phone: phone(50),
  },
  libraries: {
    externalId: 'demo-org-camden-libraries',
    name: 'Camden Council Libraries',
    description: 'Community libraries across Camden offering free events, digital help and reading groups.',
    email: 'libraries@camden.example.org',
    url: 'https://example.org/camden-libraries',
    phone: phone(55),
  },
  publichealth: {
    externalId: 'demo-org-camden-public-health',
    name: 'Camden Council Public Health',
    description:
      'Runs the Making Every Contact Count and mental health training offer for Camden staff and volunteers.',
    email: 'publichealth.training@camden.example.org',
    url: 'https://example.org/camden-public-health',
    phone: phone(60),
  },
  asc: {
    externalId: 'demo-org-camden-adult-social-care',
    name: 'Camden Council Adult Social Care',
    email: 'adultsocialcare@camden.example.org',
    url: 'https://example.org/camden-adult-social-care',
    phone: phone(65),
  },
  champions: {
    externalId: 'demo-org-camden-community-champions',
    name: 'Camden Community Champions',
    description: 'Resident volunteers who share health messages and connect neighbours on local estates.',
    email: 'champions@camden.example.org',
    url: 'https://example.org/community-champions',
    phone: phone(70),
  },
  mind: {
    externalId: 'demo-org-mind-in-camden',
    name: 'Mind in Camden',
    description: 'Local mental health charity offering peer support groups, wellbeing courses and training.',
    email: 'info@mindincamden.example.org',
    url: 'https://example.org/mind-in-camden',
    phone: phone(80),
  },
  youth: {
    externalId: 'demo-org-camden-youth-service',
    name: 'Camden Youth Service',
    email: 'youth@camden.example.org',
    url: 'https://example.org/camden-youth',
    phone: phone(90),
  },
  families: {
    externalId: 'demo-org-camden-family-hubs',
    name: 'Camden Family Hubs',
    description: "Camden's children's centres and family hubs, working with Parent Champions.",
    email: 'familyhubs@camden.example.org',
    url: 'https://example.org/camden-family-hubs',
    phone: phone(95),
  },
  bengali: {
    externalId: 'demo-org-camden-bengali-elders-forum',
    name: 'Camden Bengali Elders Forum',
    email: 'elders@bengaliforum.example.org',
    phone: phone(110),
  },
  somali: {
    externalId: 'demo-org-somali-families-network-camden',
    name: 'Somali Families Network Camden',
    email: 'contact@somalifamilies.example.org',
    phone: phone(120),
  },
  irish: {
    externalId: 'demo-org-camden-irish-pensioners',
    name: 'Camden Irish Pensioners Association',
    email: 'pensioners@irishcamden.example.org',
    phone: phone(130),
  },
  caribbean: {
    externalId: 'demo-org-camden-caribbean-elders',
    name: 'Camden Caribbean Elders Association',
    email: 'info@caribbeanelders.example.org',
    phone: phone(140),
  },
  chinese: {
    externalId: 'demo-org-camden-chinese-community-centre',
    name: 'Camden Chinese Community Group',
    email: 'info@camdenchinese.example.org',
    phone: phone(150),
  },
  kurdish: {
    externalId: 'demo-org-kurdish-families-centre',
    name: 'Kurdish Families Centre Camden',
    email: 'info@kurdishfamilies.example.org',
    phone: phone(160),
  },
  arabic: {
    externalId: 'demo-org-al-noor-womens-group',
    name: "Al-Noor Women's Group",
    email: 'alnoor@example.org',
    phone: phone(170),
  },
  rainbow: {
    externalId: 'demo-org-over-the-rainbow-camden',
    name: 'Over the Rainbow Camden',
    description: 'Social and peer support for LGBTQ+ people over 50.',
    email: 'hello@overtherainbow.example.org',
    phone: phone(180),
  },
  fridayfriends: {
    externalId: 'demo-org-friday-friends-club',
    name: 'Friday Friends Club',
    description: 'Social clubs run with and for adults with learning disabilities.',
    email: 'friends@fridayfriends.example.org',
    phone: phone(190),
  },
  sheds: {
    externalId: 'demo-org-camden-mens-sheds',
    name: "Camden Men's Sheds",
    email: 'shed@camdensheds.example.org',
    phone: phone(200),
  },
  greenfingers: {
    externalId: 'demo-org-green-fingers-camden',
    name: 'Green Fingers Camden',
    email: 'grow@greenfingers.example.org',
    phone: phone(210),
  },
  walks: {
    externalId: 'demo-org-camden-health-walks',
    name: 'Camden Health Walks',
    email: 'walks@camden.example.org',
    phone: phone(220),
  },
  sing: {
    externalId: 'demo-org-sing-camden',
    name: 'Sing Camden',
    email: 'sing@singcamden.example.org',
    phone: phone(230),
  },
  arts: {
    externalId: 'demo-org-open-studio-camden',
    name: 'Open Studio Camden',
    email: 'studio@openstudio.example.org',
    phone: phone(240),
  },
  latin: {
    externalId: 'demo-org-latin-american-elders-camden',
    name: 'Latin American and Portuguese-speaking Elders Camden',
    email: 'elders@latinelders.example.org',
    phone: phone(250),
  },
  polish: {
    externalId: 'demo-org-polish-seniors-club',
    name: 'Polish Seniors Club Camden',
    email: 'klub@polishseniors.example.org',
    phone: phone(260),
  },
  deaf: {
    externalId: 'demo-org-camden-deaf-social',
    name: 'Camden Deaf Social Club',
    email: 'deafsocial@example.org',
    phone: phone(270),
  },
  neighbours: {
    externalId: 'demo-org-good-neighbours-camden',
    name: 'Good Neighbours Camden',
    description: 'Volunteers who visit, phone and help out older neighbours.',
    email: 'neighbours@goodneighbours.example.org',
    phone: phone(280),
  },
  memory: {
    externalId: 'demo-org-camden-memory-cafes',
    name: 'Camden Memory Café Network',
    email: 'memorycafe@example.org',
    phone: phone(290),
  },
  bereavement: {
    externalId: 'demo-org-camden-bereavement-network',
    name: 'Camden Bereavement Network',
    email: 'support@bereavement.example.org',
    phone: phone(300),
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// Venues: real streets, invented venue names. Coordinates are placed near the ward centroid (see `venueLocation`).

type Venue = {
  key: string;
  name: string;
  address1: string;
  postalCode: string;
  ward: string;
  /** The neighbourhood label used in titles, e.g. "Queen's Crescent". */
  place: string;
  accessibility: AccessibilityFeature[];
  accessibilityNote?: string;
};

const V = (
  key: string,
  ward: string,
  place: string,
  name: string,
  address1: string,
  postalCode: string,
  accessibility: AccessibilityFeature[],
  accessibilityNote?: string,
): Venue => ({
  key,
  ward,
  place,
  name,
  address1,
  postalCode,
  accessibility,
  ...(accessibilityNote ? { accessibilityNote } : {}),
});

const SF: AccessibilityFeature[] = ['step_free', 'wheelchair_accessible', 'accessible_toilet'];

const VENUES: readonly Venue[] = [
  // Belsize
  V(
    'belsize-library',
    'Belsize',
    'Belsize',
    'Belsize Community Library',
    'Antrim Road',
    'NW3 4XN',
    [...SF, 'large_print'],
    'Ramp at the Antrim Road entrance.',
  ),
  V(
    'englands-lane',
    'Belsize',
    'Belsize Park',
    'Englands Lane Church Hall',
    '14 Englands Lane',
    'NW3 4TG',
    ['hearing_loop'],
    'Three steps at the front; a portable ramp is available on request.',
  ),
  V('belsize-square', 'Belsize', 'Belsize Village', 'Belsize Square Meeting Room', '9 Belsize Square', 'NW3 4HT', [
    ...SF,
  ]),
  // Bloomsbury
  V(
    'whitfield-street',
    'Bloomsbury',
    'Fitzrovia',
    'Whitfield Street Community Centre',
    '35 Whitfield Street',
    'W1T 2RP',
    [...SF, 'hearing_loop'],
  ),
  V(
    'gower-street',
    'Bloomsbury',
    'Bloomsbury',
    'Gower Street Meeting Rooms',
    '120 Gower Street',
    'WC1E 6BT',
    ['step_free', 'accessible_toilet'],
    'Lift to the first-floor meeting room.',
  ),
  V('bedford-square', 'Bloomsbury', 'Bloomsbury', 'Bedford Way Church Hall', '4 Bedford Way', 'WC1H 0DR', [
    'hearing_loop',
    'quiet_space',
  ]),
  // Camden Square
  V('agar-grove', 'Camden Square', 'Agar Grove', 'Agar Grove Estate Community Room', 'Agar Grove', 'NW1 9SS', [...SF]),
  V('camden-park-road', 'Camden Square', 'Camden Square', 'Camden Park Road Hall', '23 Camden Park Road', 'NW1 9AU', [
    'step_free',
    'hearing_loop',
  ]),
  V(
    'cantelowes',
    'Camden Square',
    'Camden Road',
    'Cantelowes Gardens Pavilion',
    'Camden Road',
    'NW1 9HA',
    ['step_free', 'parking'],
    'Outdoor space with a covered shelter; accessible toilet in the park.',
  ),
  // Camden Town
  V('castlehaven', 'Camden Town', 'Camden Town', 'Castlehaven Road Community Hall', '21 Castlehaven Road', 'NW1 8RU', [
    ...SF,
    'hearing_loop',
  ]),
  V(
    'inverness-street',
    'Camden Town',
    'Camden Town',
    'Inverness Street Meeting Room',
    '30 Inverness Street',
    'NW1 7HJ',
    ['hearing_loop'],
    'First floor, no lift.',
  ),
  V(
    'chalk-farm-road',
    'Camden Town',
    'Chalk Farm',
    'Chalk Farm Road Community Centre',
    '60 Chalk Farm Road',
    'NW1 8AN',
    [...SF],
  ),
  // Fortune Green
  V(
    'fortune-green-road',
    'Fortune Green',
    'Fortune Green',
    'Fortune Green Road Community Room',
    '128 Fortune Green Road',
    'NW6 1DN',
    [...SF],
  ),
  V('westbere-road', 'Fortune Green', 'Cricklewood', 'Westbere Road Hall', '2 Westbere Road', 'NW2 3SR', [
    'step_free',
    'parking',
  ]),
  V('mill-lane', 'Fortune Green', 'Mill Lane', 'Mill Lane Community Hub', '90 Mill Lane', 'NW6 1NL', [
    'step_free',
    'quiet_space',
  ]),
  // Frognal
  V(
    'frognal-lane',
    'Frognal',
    'Frognal',
    'Frognal Lane Church Hall',
    '31 Frognal Lane',
    'NW3 7DB',
    ['hearing_loop'],
    'Side entrance is step-free.',
  ),
  V('arkwright-road', 'Frognal', 'Finchley Road', 'Arkwright Road Meeting Room', '5 Arkwright Road', 'NW3 6AA', [
    ...SF,
  ]),
  V('finchley-road', 'Frognal', 'Finchley Road', 'Finchley Road Community Room', '450 Finchley Road', 'NW3 6HN', [
    ...SF,
    'large_print',
  ]),
  // Gospel Oak
  V('lismore-circus', 'Gospel Oak', 'Gospel Oak', 'Lismore Circus Community Centre', 'Lismore Circus', 'NW5 4QF', [
    ...SF,
    'hearing_loop',
  ]),
  V(
    'queens-crescent',
    'Gospel Oak',
    "Queen's Crescent",
    "Queen's Crescent Community Hall",
    "80 Queen's Crescent",
    'NW5 4EB',
    [...SF],
  ),
  V('mansfield-road', 'Gospel Oak', 'Gospel Oak', 'Mansfield Road Pavilion', 'Mansfield Road', 'NW3 2HX', [
    'step_free',
  ]),
  // Hampstead Town
  V(
    'hampstead-high-street',
    'Hampstead Town',
    'Hampstead',
    'Hampstead High Street Community Centre',
    '78 Hampstead High Street',
    'NW3 1RE',
    ['hearing_loop', 'accessible_toilet'],
    'Platform lift to the main hall.',
  ),
  V('heath-street', 'Hampstead Town', 'Hampstead', 'Heath Street Church Hall', '12 Heath Street', 'NW3 6TE', [
    'hearing_loop',
  ]),
  V(
    'south-end-green',
    'Hampstead Town',
    'South End Green',
    'South End Green Meeting Room',
    '3 South End Road',
    'NW3 2PT',
    [...SF],
  ),
  // Haverstock
  V('maitland-park', 'Haverstock', 'Maitland Park', 'Maitland Park Community Room', 'Maitland Park Road', 'NW3 2EH', [
    ...SF,
  ]),
  V('malden-road', 'Haverstock', 'Malden Road', 'Malden Road Hall', '101 Malden Road', 'NW5 4HS', [
    'step_free',
    'hearing_loop',
  ]),
  V(
    'prince-of-wales-road',
    'Haverstock',
    'Chalk Farm',
    'Prince of Wales Road Centre',
    '40 Prince of Wales Road',
    'NW5 3LG',
    [...SF, 'quiet_space'],
  ),
  // Highgate
  V('highgate-library', 'Highgate', 'Highgate', 'Highgate Library', 'Chester Road', 'N19 5DH', [...SF, 'large_print']),
  V('highgate-newtown', 'Highgate', 'Highgate Newtown', 'Highgate Newtown Hall', '25 Bertram Street', 'N19 5DQ', [
    ...SF,
    'hearing_loop',
  ]),
  V(
    'swains-lane',
    'Highgate',
    'Dartmouth Park',
    "Swain's Lane Community Room",
    "40 Swain's Lane",
    'N6 6QR',
    ['hearing_loop'],
    'Entrance is up a short slope; handrails throughout.',
  ),
  // Holborn & Covent Garden
  V('holborn-library', 'Holborn & Covent Garden', 'Holborn', 'Holborn Library', '32 Theobalds Road', 'WC1X 8PA', [
    ...SF,
    'hearing_loop',
    'large_print',
  ]),
  V(
    'lambs-conduit',
    'Holborn & Covent Garden',
    'Holborn',
    "Lamb's Conduit Street Community Room",
    "58 Lamb's Conduit Street",
    'WC1N 3LW',
    ['step_free'],
  ),
  V(
    'drury-lane',
    'Holborn & Covent Garden',
    'Covent Garden',
    'Drury Lane Community Hall',
    '160 Drury Lane',
    'WC2B 5QD',
    [...SF, 'hearing_loop'],
  ),
  V(
    'bourne-estate',
    'Holborn & Covent Garden',
    'Hatton Garden',
    'Bourne Estate Community Room',
    'Portpool Lane',
    'EC1N 7UA',
    [...SF],
  ),
  // Kentish Town North
  V(
    'highgate-road',
    'Kentish Town North',
    'Kentish Town',
    'Highgate Road Community Room',
    '19 Highgate Road',
    'NW5 1JY',
    [...SF],
  ),
  V('fortess-road', 'Kentish Town North', 'Tufnell Park', 'Fortess Road Church Hall', '150 Fortess Road', 'NW5 2HP', [
    'hearing_loop',
  ]),
  V('greenwood-place', 'Kentish Town North', 'Kentish Town', 'Greenwood Place Centre', '1 Greenwood Place', 'NW5 1LB', [
    ...SF,
    'hearing_loop',
    'quiet_space',
  ]),
  // Kentish Town South
  V(
    'kentish-town-library',
    'Kentish Town South',
    'Kentish Town',
    'Kentish Town Library',
    '262 Kentish Town Road',
    'NW5 2AA',
    [...SF, 'large_print'],
  ),
  V('busby-place', 'Kentish Town South', 'Kentish Town', 'Busby Place Community Centre', '17 Busby Place', 'NW5 2SP', [
    ...SF,
    'hearing_loop',
  ]),
  V('rochester-square', 'Kentish Town South', 'Camden Road', 'Rochester Square Hall', '6 Rochester Square', 'NW1 9SA', [
    'step_free',
  ]),
  // Kilburn
  V('abbey-estate', 'Kilburn', 'Kilburn', 'Abbey Road Estate Community Centre', '222 Belsize Road', 'NW6 4DJ', [
    ...SF,
    'hearing_loop',
  ]),
  V('kingsgate-road', 'Kilburn', 'Kilburn', 'Kingsgate Road Community Hall', '107 Kingsgate Road', 'NW6 2JH', [...SF]),
  V(
    'kilburn-grange',
    'Kilburn',
    'Kilburn',
    'Kilburn Grange Park Pavilion',
    'Kilburn Grange Park, Messina Avenue',
    'NW6 4LD',
    ['step_free', 'parking'],
    'Level paths around the park; the pavilion has an accessible toilet.',
  ),
  // King's Cross
  V('argyle-square', "King's Cross", "King's Cross", 'Argyle Square Community Room', '12 Argyle Square', 'WC1H 8AS', [
    ...SF,
  ]),
  V('cromer-street', "King's Cross", "King's Cross", 'Cromer Street Community Hall', '70 Cromer Street', 'WC1H 8LA', [
    ...SF,
    'hearing_loop',
  ]),
  V(
    'marchmont-street',
    "King's Cross",
    'Bloomsbury',
    'Marchmont Street Community Centre',
    '62 Marchmont Street',
    'WC1N 1AB',
    ['step_free', 'hearing_loop', 'quiet_space'],
  ),
  // Primrose Hill
  V(
    'chalcot-square',
    'Primrose Hill',
    'Primrose Hill',
    'Chalcot Square Community Room',
    '2 Chalcot Square',
    'NW1 8YB',
    ['hearing_loop'],
  ),
  V(
    'regents-park-road',
    'Primrose Hill',
    'Primrose Hill',
    "Regent's Park Road Church Hall",
    "90 Regent's Park Road",
    'NW1 8UR',
    [...SF],
  ),
  V('adelaide-road', 'Primrose Hill', 'Chalk Farm', 'Adelaide Road Community Centre', '110 Adelaide Road', 'NW3 3RX', [
    ...SF,
    'hearing_loop',
  ]),
  // Regent's Park
  V(
    'robert-street',
    "Regent's Park",
    "Regent's Park Estate",
    "Regent's Park Estate Community Hall",
    '30 Robert Street',
    'NW1 3JE',
    [...SF, 'hearing_loop'],
  ),
  V(
    'cumberland-market',
    "Regent's Park",
    "Regent's Park Estate",
    'Cumberland Market Room',
    'Cumberland Market',
    'NW1 3RH',
    ['step_free'],
  ),
  V('hampstead-road', "Regent's Park", 'Euston', 'Hampstead Road Centre', '200 Hampstead Road', 'NW1 2BX', [
    ...SF,
    'quiet_space',
  ]),
  // St Pancras & Somers Town
  V(
    'ossulston-street',
    'St Pancras & Somers Town',
    'Somers Town',
    'Ossulston Street Community Hall',
    '150 Ossulston Street',
    'NW1 1EE',
    [...SF, 'hearing_loop'],
  ),
  V(
    'crowndale',
    'St Pancras & Somers Town',
    'Mornington Crescent',
    'Crowndale Centre Meeting Room',
    '218 Eversholt Street',
    'NW1 1BD',
    [...SF, 'hearing_loop', 'large_print'],
  ),
  V(
    'pancras-square',
    'St Pancras & Somers Town',
    "King's Cross",
    'Pancras Square Community Space',
    '5 Pancras Square',
    'N1C 4AG',
    [...SF, 'hearing_loop'],
  ),
  // South Hampstead
  V(
    'greencroft-gardens',
    'South Hampstead',
    'South Hampstead',
    'Greencroft Gardens Community Room',
    '40 Greencroft Gardens',
    'NW6 3LS',
    [...SF],
  ),
  V('priory-road', 'South Hampstead', 'South Hampstead', 'Priory Road Church Hall', '20 Priory Road', 'NW6 4SG', [
    'hearing_loop',
  ]),
  V('boundary-road', 'South Hampstead', 'Swiss Cottage', 'Boundary Road Community Room', '1 Boundary Road', 'NW8 0HR', [
    ...SF,
  ]),
  // West Hampstead
  V(
    'west-hampstead-library',
    'West Hampstead',
    'West Hampstead',
    'West Hampstead Library',
    'Dennington Park Road',
    'NW6 1AU',
    [...SF, 'large_print'],
  ),
  V('sumatra-road', 'West Hampstead', 'West Hampstead', 'Sumatra Road Community Room', '45 Sumatra Road', 'NW6 1PT', [
    'step_free',
  ]),
  V('west-end-lane', 'West Hampstead', 'West Hampstead', 'West End Lane Church Hall', '220 West End Lane', 'NW6 1UU', [
    'hearing_loop',
    'accessible_toilet',
  ]),
];

const venueByKey = new Map(VENUES.map((v) => [v.key, v] as const));

function venue(key: string): Venue {
  const v = venueByKey.get(key);
  if (!v) throw new Error(`demo catalogue: unknown venue ${key}`);
  return v;
}

/** A point within a few hundred metres of the ward centroid, nudged so the nearest centroid is still this ward's. */
function pointNear(ward: string, seed: string): { latitude: number; longitude: number } {
  const w = findWard(ward);
  if (!w) throw new Error(`demo catalogue: unknown ward ${ward}`);
  const rnd = prng(`point:${seed}`);
  let dLat = (rnd() - 0.5) * 0.005;
  let dLon = (rnd() - 0.5) * 0.008;
  for (let i = 0; i < 8; i++) {
    const lat = w.centroid.lat + dLat;
    const lon = w.centroid.lon + dLon;
    if (wardForPoint(lat, lon).name === w.name) break;
    dLat /= 2;
    dLon /= 2;
  }
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return { latitude: round(w.centroid.lat + dLat), longitude: round(w.centroid.lon + dLon) };
}

function venueLocation(v: Venue): LocationInput {
  return {
    externalId: `demo-venue-${v.key}`,
    name: v.name,
    locationType: 'physical',
    address1: v.address1,
    city: 'London',
    postalCode: v.postalCode,
    ward: v.ward,
    ...pointNear(v.ward, v.key),
    accessibility: v.accessibility,
    ...(v.accessibilityNote ? { accessibilityNote: v.accessibilityNote } : {}),
  };
}

function virtualLocation(key: string, name: string): LocationInput {
  return {
    externalId: `demo-virtual-${key}`,
    name,
    locationType: 'virtual',
    url: `https://example.org/join/${key}`,
    accessibility: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Recurrence: a small rule language → RRULE text, schedule fields, and the recurrence engine's structured series.

const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
type DayCode = (typeof DAY_CODES)[number];
const DAY_NAMES: Record<DayCode, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const ORDINALS: Record<string, string> = { '1': 'First', '2': 'Second', '3': 'Third', '4': 'Fourth', '-1': 'Last' };

type Rule =
  | { kind: 'weekly'; days: DayCode[]; interval: 1 | 2; phase: 0 | 1 }
  | { kind: 'monthly'; day: DayCode; nth: 1 | 2 | 3 | 4 | -1 };

/**
 * "TU" weekly; "MO,TH" twice weekly; "TH/2" fortnightly (phase from the seed); "1FR" first Friday monthly;
 * "-1WE" last Wednesday monthly.
 */
function parseRule(text: string, seed: string): Rule {
  const monthly = /^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$/.exec(text);
  if (monthly) return { kind: 'monthly', nth: Number(monthly[1]) as 1 | 2 | 3 | 4 | -1, day: monthly[2] as DayCode };
  const [daysText, every] = text.split('/');
  const days = (daysText ?? '').split(',') as DayCode[];
  for (const d of days) if (!DAY_CODES.includes(d)) throw new Error(`demo catalogue: bad rule ${text}`);
  const interval = every === '2' ? 2 : 1;
  return { kind: 'weekly', days, interval, phase: interval === 2 ? ((hash(seed) % 2) as 0 | 1) : 0 };
}

/** Fortnightly rules count weeks from this Monday. */
const ANCHOR = DateTime.fromObject({ year: 2020, month: 1, day: 6 }, { zone: ZONE });

function matches(rule: Rule, day: DateTime): boolean {
  const code = DAY_CODES[day.weekday - 1]!;
  if (rule.kind === 'weekly') {
    if (!rule.days.includes(code)) return false;
    if (rule.interval === 1) return true;
    const weeks = Math.floor(Math.round(day.startOf('week').diff(ANCHOR, 'days').days) / 7);
    return weeks % 2 === rule.phase;
  }
  if (code !== rule.day) return false;
  if (rule.nth === -1) return day.plus({ days: 7 }).month !== day.month;
  return Math.ceil(day.day / 7) === rule.nth;
}

function hm(t: string): { hour: number; minute: number } {
  const [h, m] = t.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

function describeRule(rule: Rule, opens: string, closes: string): string {
  const times = `${opens}\u2013${closes}`;
  if (rule.kind === 'monthly') {
    return `${ORDINALS[String(rule.nth)]} ${DAY_NAMES[rule.day]} of the month, ${times}`;
  }
  const names = rule.days.map((d) => `${DAY_NAMES[d]}s`);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  if (rule.interval === 2) return `Every other ${DAY_NAMES[rule.days[0]!]}, ${times}`;
  return `${list} ${times}`;
}

function rruleText(rule: Rule): string {
  if (rule.kind === 'monthly') return `FREQ=MONTHLY;BYDAY=${rule.nth}${rule.day}`;
  return rule.interval === 2
    ? `FREQ=WEEKLY;INTERVAL=2;BYDAY=${rule.days.join(',')}`
    : `FREQ=WEEKLY;BYDAY=${rule.days.join(',')}`;
}

function at(day: DateTime, time: string): DateTime {
  return day.set({ ...hm(time), second: 0, millisecond: 0 });
}

function firstMatchOnOrAfter(rule: Rule, from: DateTime): DateTime {
  let d = from.startOf('day');
  for (let i = 0; i < 400 && !matches(rule, d); i++) d = d.plus({ days: 1 });
  return d;
}

function scheduleFor(rule: Rule, opens: string, closes: string): ScheduleInput {
  return {
    rrule: rruleText(rule),
    freq: rule.kind === 'monthly' ? 'MONTHLY' : 'WEEKLY',
    ...(rule.kind === 'weekly' && rule.interval === 2 ? { interval: 2 } : {}),
    byday: rule.kind === 'monthly' ? `${rule.nth}${rule.day}` : rule.days.join(','),
    dtstart: at(firstMatchOnOrAfter(rule, ANCHOR), opens).toJSDate(),
    opensAt: opens,
    closesAt: closes,
    timezone: ZONE,
    description: describeRule(rule, opens, closes),
  };
}

/** The rule as the recurrence engine's structured series: from its first session on or after ANCHOR, in London. */
function toRecurrence(rule: Rule, opens: string, closes: string): Recurrence {
  const first = firstMatchOnOrAfter(rule, ANCHOR);
  const wall = Date.UTC(first.year, first.month - 1, first.day, hm(opens).hour, hm(opens).minute);
  const closesWall = Date.UTC(first.year, first.month - 1, first.day, hm(closes).hour, hm(closes).minute);
  const recurrenceRule: RecurrenceRule =
    rule.kind === 'monthly'
      ? { freq: 'MONTHLY', interval: 1, byDay: [`${rule.nth}${rule.day}`] }
      : { freq: 'WEEKLY', interval: rule.interval, byDay: [...rule.days] };
  return {
    dtstart: { wall, date: false, utc: false, tzid: ZONE },
    zone: LONDON_ZONE,
    dateZone: LONDON_ZONE,
    allDay: false,
    span: { days: 0, ms: closesWall - wall },
    rules: [recurrenceRule],
    rDates: [],
    exDates: [],
  };
}

/** Sessions after `now` and within the next OCCURRENCE_WEEKS weeks. */
function occurrencesFor(rule: Rule, opens: string, closes: string, now: Date): OccurrenceInput[] {
  const start = DateTime.fromJSDate(now, { zone: ZONE });
  const until = start.plus({ weeks: OCCURRENCE_WEEKS });
  const { occurrences } = expandRecurrence(toRecurrence(rule, opens, closes), {
    resolver: new ZoneResolver(new Map(), LONDON_ZONE),
    now: now.getTime(),
    windowStart: now.getTime(),
    windowEnd: until.toMillis(),
    maxPerSeries: Number.MAX_SAFE_INTEGER,
  });
  return occurrences.filter((o) => o.start.getTime() > now.getTime());
}

const londonDay = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat('cccc d LLLL');

// ---------------------------------------------------------------------------------------------------------------------
// Activity templates

type Ctx = { place: string; venue: Venue; when: string };

type Template = {
  org: OrgKey;
  title: (c: Ctx) => string;
  description: (c: Ctx) => string;
  categories: string[];
  audiences: Audience[];
  languages?: string[];
  cost: Cost;
  howToJoin: HowToJoin;
  attendingTypes?: AttendingType[];
  eligibility?: string;
  minimumAge?: number;
  maximumAge?: number;
  contactName: string;
  /** Standing groups without fixed sessions (befriending, link workers) get a schedule description only. */
  noFixedSessions?: string;
  extraAccessibility?: AccessibilityFeature[];
};

const FREE: Cost = { isFree: true, description: 'Free' };
const PWYC: Cost = { isFree: false, amount: 0, description: 'Pay what you can (suggested £2)' };
const price = (amount: number, what: string): Cost => ({
  isFree: false,
  amount,
  description: `£${amount.toFixed(2)} ${what}`,
});

const TEMPLATES = {
  lunch: {
    org: 'ageuk',
    title: (c) => `${c.place} Lunch Club`,
    description: (c) =>
      `A friendly two-course hot lunch at ${c.venue.name}, with tea, a chat and a quiz or bingo afterwards. Vegetarian and halal options every week. Many people come on their own, and volunteers make sure newcomers are introduced. ${c.when}.`,
    categories: ['lunch club', 'social', 'food'],
    audiences: ['older_people'],
    languages: ['english'],
    cost: price(3.5, 'for a two-course lunch'),
    howToJoin: 'self_referral',
    eligibility: 'Aged 60 and over, living in Camden.',
    contactName: 'Lunch club coordinator',
  },
  lunchCheap: {
    org: 'neighbours',
    title: (c) => `${c.place} Community Lunch`,
    description: (c) =>
      `Home-cooked community lunch prepared by local volunteers at ${c.venue.name}. Everyone welcome; older neighbours who live alone are especially encouraged to come along. ${c.when}.`,
    categories: ['lunch club', 'social', 'food'],
    audiences: ['older_people', 'everyone'],
    languages: ['english'],
    cost: price(2, 'suggested donation'),
    howToJoin: 'drop_in',
    contactName: 'Community lunch team',
  },
  telBefriending: {
    org: 'ageuk',
    title: (c) => `Telephone Befriending (${c.place})`,
    description: () =>
      'A trained volunteer rings once a week for a chat at a time that suits you. Good for people who find it hard to get out, or who would like a regular friendly voice while they build confidence. Calls are matched on shared interests where possible.',
    categories: ['befriending', 'social'],
    audiences: ['older_people'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'self_referral',
    attendingTypes: ['phone'],
    eligibility: 'Aged 60+, living in Camden. Family, GPs and professionals can refer with consent.',
    contactName: 'Befriending coordinator',
    noFixedSessions: 'Weekly phone call at a time agreed with your volunteer',
  },
  homeBefriending: {
    org: 'neighbours',
    title: (c) => `Good Neighbours Home Visiting (${c.place})`,
    description: () =>
      'A local volunteer visits at home for an hour or so each week: a cup of tea, a chat, perhaps a short walk or a trip to the shops. Volunteers are DBS-checked and supported by a coordinator.',
    categories: ['befriending', 'social'],
    audiences: ['older_people'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'referral_needed',
    attendingTypes: ['in_person'],
    eligibility:
      'Older residents who are isolated at home. Referral from a GP, social prescriber, social worker or housing officer.',
    contactName: 'Home visiting coordinator',
    noFixedSessions: 'Weekly home visit at a time agreed with your volunteer',
  },
  walk: {
    org: 'walks',
    title: (c) => `${c.place} Health Walk`,
    description: (c) =>
      `A gentle, led walk of about an hour at an easy pace, finishing with an optional cuppa. Meet outside ${c.venue.name}. Walk leaders are trained in first aid and nobody gets left behind. ${c.when}.`,
    categories: ['walking', 'exercise', 'outdoors'],
    audiences: ['everyone', 'older_people'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Walk leader',
  },
  seated: {
    org: 'ageuk',
    title: (c) => `Seated Exercise – ${c.place}`,
    description: (c) =>
      `Chair-based exercise to music to help strength, balance and mobility, led by a qualified instructor who adapts every move. Suitable if you use a walking aid. ${c.when}.`,
    categories: ['exercise', 'falls prevention'],
    audiences: ['older_people'],
    languages: ['english'],
    cost: price(2, 'per session'),
    howToJoin: 'drop_in',
    contactName: 'Exercise class organiser',
  },
  strength: {
    org: 'asc',
    title: (c) => `Strength and Balance Class (${c.place})`,
    description: (c) =>
      `A 12-week progressive strength and balance programme to reduce the risk of falls, run by physiotherapy-trained instructors. New people join at the start of each block. ${c.when}.`,
    categories: ['exercise', 'falls prevention'],
    audiences: ['older_people'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'referral_needed',
    eligibility:
      'For people who have had a fall or are worried about falling. Referral from a GP, physiotherapist or the falls service.',
    contactName: 'Falls prevention team',
  },
  taichi: {
    org: 'ageuk',
    title: (c) => `Tai Chi for Beginners – ${c.place}`,
    description: (c) =>
      `Slow, flowing tai chi movements to improve balance, breathing and calm. Can be done standing or seated; no experience needed. ${c.when}.`,
    categories: ['exercise', 'tai chi'],
    audiences: ['older_people', 'everyone'],
    languages: ['english'],
    cost: price(3, 'per session'),
    howToJoin: 'drop_in',
    contactName: 'Class organiser',
  },
  chairYoga: {
    org: 'mind',
    title: (c) => `Chair Yoga and Relaxation (${c.place})`,
    description: (c) =>
      `Gentle seated yoga, breathing and a guided relaxation to finish. A calm, welcoming group for anyone feeling stressed or low. ${c.when}.`,
    categories: ['exercise', 'mental health', 'yoga'],
    audiences: ['everyone'],
    languages: ['english'],
    cost: PWYC,
    howToJoin: 'drop_in',
    contactName: 'Wellbeing team',
  },
  digital: {
    org: 'libraries',
    title: (c) => `Digital Skills Drop-in – ${c.place}`,
    description: (c) =>
      `Bring your phone, tablet or laptop and get one-to-one help: video calls with family, NHS App, repeat prescriptions, online shopping, staying safe from scams. Loan tablets available to practise on. ${c.when}.`,
    categories: ['digital skills', 'advice'],
    audiences: ['everyone', 'older_people'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Digital champion',
  },
  carers: {
    org: 'carers',
    title: (c) => `Carers' Coffee Morning – ${c.place}`,
    description: (c) =>
      `Time out for unpaid carers: coffee, cake and a chance to talk to others who understand. A Camden Carers Service adviser is on hand for questions about carers' assessments and breaks. ${c.when}.`,
    categories: ['carers', 'social', 'advice'],
    audiences: ['carers'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    eligibility: 'Unpaid carers of any age who live in Camden or care for someone who does.',
    contactName: 'Carers support worker',
  },
  dementiaCarers: {
    org: 'carers',
    title: (c) => `Dementia Carers' Support Group (${c.place})`,
    description: (c) =>
      `A confidential peer support group for people caring for someone living with dementia, with occasional guest speakers on topics like lasting power of attorney and respite. ${c.when}.`,
    categories: ['carers', 'dementia'],
    audiences: ['carers'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'self_referral',
    contactName: 'Carers support worker',
  },
  memoryCafe: {
    org: 'memory',
    title: (c) => `${c.place} Memory Café`,
    description: (c) =>
      `A relaxed café for people living with dementia or memory problems and the people who care for them: music, reminiscence, games and practical information in a dementia-friendly setting. ${c.when}.`,
    categories: ['dementia', 'social', 'carers'],
    audiences: ['older_people', 'carers'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Memory café organiser',
    extraAccessibility: ['quiet_space'],
  },
  shed: {
    org: 'sheds',
    title: (c) => `${c.place} Men's Shed`,
    description: (c) =>
      `A workshop space to make, mend and chat: woodwork, bike repair, small community projects. Tools and materials provided; all skill levels. "Men don't talk face to face, they talk shoulder to shoulder." ${c.when}.`,
    categories: ['social', 'crafts', 'men'],
    audiences: ['men', 'older_people'],
    languages: ['english'],
    cost: PWYC,
    howToJoin: 'drop_in',
    contactName: 'Shed coordinator',
  },
  knit: {
    org: 'neighbours',
    title: (c) => `Knit and Natter – ${c.place}`,
    description: (c) =>
      `Bring your knitting, crochet or sewing — or learn from scratch with donated wool and needles. Tea and biscuits provided. ${c.when}.`,
    categories: ['crafts', 'social'],
    audiences: ['everyone', 'older_people'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Group host',
  },
  gardening: {
    org: 'greenfingers',
    title: (c) => `${c.place} Community Gardening Group`,
    description: (c) =>
      `Grow vegetables, herbs and flowers together in raised beds near ${c.venue.name}. Gloves and tools provided; seated and raised-bed tasks for anyone with limited mobility. ${c.when}.`,
    categories: ['gardening', 'outdoors', 'social'],
    audiences: ['everyone'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Garden volunteer lead',
  },
  coffee: {
    org: 'champions',
    title: (c) => `${c.place} Coffee Morning`,
    description: (c) =>
      `A warm space for a hot drink and a chat with neighbours, hosted by local Community Champions who can tell you what else is on nearby and share health information. ${c.when}.`,
    categories: ['social', 'warm space'],
    audiences: ['everyone'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Community Champion',
  },
  bereavement: {
    org: 'bereavement',
    title: (c) => `Bereavement Support Group – ${c.place}`,
    description: (c) =>
      `A small, facilitated group for adults who have lost someone close, whether recently or some time ago. A short chat with a facilitator beforehand helps us make sure the group is right for you. ${c.when}.`,
    categories: ['bereavement', 'mental health'],
    audiences: ['everyone'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'self_referral',
    contactName: 'Group facilitator',
    extraAccessibility: ['quiet_space'],
  },
  bengali: {
    org: 'bengali',
    title: (c) => `Bengali Elders' Lunch and Social (${c.place})`,
    description: (c) =>
      `A Bangladeshi community lunch club with home-style food, prayers space, health talks and conversation in Bengali and Sylheti. Women's and men's tables available. ${c.when}.`,
    categories: ['lunch club', 'social', 'culturally specific'],
    audiences: ['older_people', 'ethnic_minorities'],
    languages: ['bengali', 'sylheti', 'english'],
    cost: price(3, 'for lunch'),
    howToJoin: 'self_referral',
    contactName: 'Elders project worker',
  },
  somali: {
    org: 'somali',
    title: (c) => `Somali Community Wellbeing Group (${c.place})`,
    description: (c) =>
      `Conversation, tea and practical help for Somali residents: letters, benefits, GP appointments and health talks in Somali, with an interpreter on hand. ${c.when}.`,
    categories: ['social', 'advice', 'culturally specific'],
    audiences: ['ethnic_minorities', 'everyone'],
    languages: ['somali', 'english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Community development worker',
  },
  irish: {
    org: 'irish',
    title: (c) => `Irish Pensioners' Social (${c.place})`,
    description: (c) =>
      `Tea, sandwiches, music and a sing-song for Irish pensioners and friends, with advice surgeries once a month. ${c.when}.`,
    categories: ['social', 'music', 'culturally specific'],
    audiences: ['older_people', 'ethnic_minorities'],
    languages: ['english'],
    cost: price(2, 'including tea'),
    howToJoin: 'drop_in',
    contactName: 'Club secretary',
  },
  caribbean: {
    org: 'caribbean',
    title: (c) => `Caribbean Elders' Luncheon Club (${c.place})`,
    description: (c) =>
      `Caribbean food, dominoes, music and good company, plus visiting health checks and benefits advice. ${c.when}.`,
    categories: ['lunch club', 'social', 'culturally specific'],
    audiences: ['older_people', 'ethnic_minorities'],
    languages: ['english'],
    cost: price(4, 'for lunch'),
    howToJoin: 'self_referral',
    contactName: 'Luncheon club manager',
  },
  chinese: {
    org: 'chinese',
    title: (c) => `Chinese Elders' Social and Tai Chi (${c.place})`,
    description: (c) =>
      `Tai chi warm-up followed by mahjong, Chinese newspapers and tea. Information sessions on health and benefits in Cantonese. ${c.when}.`,
    categories: ['social', 'exercise', 'culturally specific'],
    audiences: ['older_people', 'ethnic_minorities'],
    languages: ['cantonese', 'english'],
    cost: price(2, 'per session'),
    howToJoin: 'drop_in',
    contactName: 'Centre worker',
  },
  kurdish: {
    org: 'kurdish',
    title: (c) => `Kurdish Community Coffee and Advice (${c.place})`,
    description: (c) =>
      `A welcoming space for Kurdish families and elders to meet, with Kurdish-speaking advisers for housing, benefits and health questions. ${c.when}.`,
    categories: ['social', 'advice', 'culturally specific'],
    audiences: ['ethnic_minorities', 'everyone'],
    languages: ['kurdish', 'english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Family support worker',
  },
  arabic: {
    org: 'arabic',
    title: (c) => `Arabic-speaking Women's Coffee Morning (${c.place})`,
    description: (c) =>
      `A women-only coffee morning in Arabic: friendship, crafts, health talks and English practice. Children under 5 are welcome. ${c.when}.`,
    categories: ['social', 'women', 'culturally specific'],
    audiences: ['women', 'ethnic_minorities'],
    languages: ['arabic', 'english'],
    cost: FREE,
    howToJoin: 'drop_in',
    eligibility: 'Women only.',
    contactName: 'Group coordinator',
  },
  latin: {
    org: 'latin',
    title: (c) => `Latin American and Portuguese-speaking Elders' Club (${c.place})`,
    description: (c) =>
      `Music, dancing, lunch and conversation in Spanish and Portuguese, with help understanding letters and appointments. ${c.when}.`,
    categories: ['social', 'culturally specific', 'music'],
    audiences: ['older_people', 'ethnic_minorities'],
    languages: ['spanish', 'portuguese', 'english'],
    cost: price(3, 'for lunch'),
    howToJoin: 'drop_in',
    contactName: 'Club coordinator',
  },
  polish: {
    org: 'polish',
    title: (c) => `Polish Seniors Club (${c.place})`,
    description: (c) => `Coffee, cake, cards and conversation in Polish, with outings and a monthly talk. ${c.when}.`,
    categories: ['social', 'culturally specific'],
    audiences: ['older_people', 'ethnic_minorities'],
    languages: ['polish', 'english'],
    cost: price(2, 'per session'),
    howToJoin: 'drop_in',
    contactName: 'Club organiser',
  },
  deaf: {
    org: 'deaf',
    title: (c) => `Deaf Social Club (${c.place})`,
    description: (c) =>
      `A social evening for Deaf and hard of hearing people, run in British Sign Language. Hearing friends and BSL learners welcome. ${c.when}.`,
    categories: ['social', 'deaf'],
    audiences: ['everyone'],
    languages: ['bsl', 'english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Club organiser',
    extraAccessibility: ['hearing_loop'],
  },
  lgbtq: {
    org: 'rainbow',
    title: (c) => `Over the Rainbow: LGBTQ+ Over-50s Social (${c.place})`,
    description: (c) =>
      `A friendly social group for lesbian, gay, bisexual, trans and queer people over 50: conversation, occasional outings and guest speakers. ${c.when}.`,
    categories: ['social', 'lgbtq+'],
    audiences: ['lgbtq', 'older_people'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Group coordinator',
  },
  ldSocial: {
    org: 'fridayfriends',
    title: (c) => `Friday Friends Social Club (${c.place})`,
    description: (c) =>
      `A social club for adults with learning disabilities: music, games, karaoke and making friends. Support workers and family carers welcome. Easy read information available. ${c.when}.`,
    categories: ['social', 'learning disabilities', 'music'],
    audiences: ['learning_disabilities'],
    languages: ['english'],
    cost: price(2, 'including a drink and snack'),
    howToJoin: 'self_referral',
    eligibility: 'Adults (18+) with a learning disability.',
    minimumAge: 18,
    contactName: 'Club coordinator',
    extraAccessibility: ['easy_read', 'carer_free'],
  },
  ldDrama: {
    org: 'fridayfriends',
    title: (c) => `Friendship and Drama Group (${c.place})`,
    description: (c) =>
      `Drama games and performance for adults with learning disabilities, building confidence and friendships. ${c.when}.`,
    categories: ['arts', 'learning disabilities', 'social'],
    audiences: ['learning_disabilities'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'self_referral',
    minimumAge: 18,
    contactName: 'Group facilitator',
    extraAccessibility: ['easy_read', 'carer_free'],
  },
  parentBaby: {
    org: 'families',
    title: (c) => `Parent and Baby Group – ${c.place}`,
    description: (c) =>
      `Songs, play and a chance to meet other parents of babies under 1, with a health visitor or Parent Champion on hand. A good way to get out of the house in the early months. ${c.when}.`,
    categories: ['parents', 'social', 'children'],
    audiences: ['parents_of_young_children'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Family hub team',
  },
  youth: {
    org: 'youth',
    title: (c) => `${c.place} Youth Club`,
    description: (c) =>
      `Open-access youth club with sport, music production, cooking and someone to talk to. Youth workers can help with school, college or worries at home. ${c.when}.`,
    categories: ['youth', 'social', 'sport'],
    audiences: ['young_people'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    minimumAge: 11,
    maximumAge: 19,
    eligibility: 'Young people aged 11–19 (up to 25 with a disability).',
    contactName: 'Youth worker',
  },
  esol: {
    org: 'libraries',
    title: (c) => `English Conversation Club – ${c.place}`,
    description: (c) =>
      `Practise everyday spoken English in a relaxed group with volunteer conversation partners. All levels welcome; a good first step before a formal ESOL course. ${c.when}.`,
    categories: ['language', 'social', 'esol'],
    audiences: ['ethnic_minorities', 'everyone'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Library events team',
  },
  singing: {
    org: 'sing',
    title: (c) => `Singing for Wellbeing – ${c.place}`,
    description: (c) =>
      `A warm, no-audition community choir singing pop, folk and musicals. Breathing and singing together is good for mood and lungs; no need to read music. ${c.when}.`,
    categories: ['music', 'mental health', 'social'],
    audiences: ['everyone'],
    languages: ['english'],
    cost: PWYC,
    howToJoin: 'drop_in',
    contactName: 'Choir leader',
  },
  art: {
    org: 'arts',
    title: (c) => `Art for Wellbeing – ${c.place}`,
    description: (c) =>
      `Relaxed art sessions led by a local artist: drawing, painting, collage and printmaking. Materials provided and no experience needed. ${c.when}.`,
    categories: ['arts', 'mental health', 'social'],
    audiences: ['everyone'],
    languages: ['english'],
    cost: price(3, 'per session (free for people on benefits)'),
    howToJoin: 'booking',
    contactName: 'Studio coordinator',
  },
  socialPrescribing: {
    org: 'vac',
    title: (c) => `Social Prescribing Link Worker (${c.place})`,
    description: () =>
      'A social prescribing link worker spends time with you to understand what matters to you and connects you to local groups, advice and activities. Delivered by Voluntary Action Camden and Age UK Camden with local GP practices.',
    categories: ['social prescribing', 'advice', 'mental health'],
    audiences: ['everyone'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'referral_needed',
    attendingTypes: ['in_person', 'phone'],
    eligibility:
      'Adults registered with a Camden GP. Referral from a GP practice, care navigator or other professional.',
    contactName: 'Social prescribing team',
    noFixedSessions: 'Appointments Monday to Friday, 9:00–17:00',
  },
  advice: {
    org: 'ageuk',
    title: (c) => `Benefits and Money Advice Surgery – ${c.place}`,
    description: (c) =>
      `Free, confidential help with Pension Credit, Attendance Allowance, council tax, energy bills and forms. Bring any letters you have. ${c.when}.`,
    categories: ['advice', 'cost of living'],
    audiences: ['older_people', 'everyone'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Information and advice team',
  },
  peer: {
    org: 'mind',
    title: (c) => `Mental Health Peer Support Group (${c.place})`,
    description: (c) =>
      `A peer-led group for adults living with anxiety, depression or other mental health difficulties. Share experiences, coping strategies and mutual support in a confidential space. ${c.when}.`,
    categories: ['mental health', 'peer support'],
    audiences: ['everyone'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'self_referral',
    contactName: 'Peer support coordinator',
    extraAccessibility: ['quiet_space'],
  },
  games: {
    org: 'champions',
    title: (c) => `Games Afternoon – ${c.place}`,
    description: (c) =>
      `Board games, cards, dominoes and bingo with tea and cake. A low-pressure way to meet people on your estate. ${c.when}.`,
    categories: ['social', 'games'],
    audiences: ['everyone', 'older_people'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Community Champion',
  },
  film: {
    org: 'libraries',
    title: (c) => `Afternoon Film Club – ${c.place}`,
    description: (c) =>
      `Classic and recent films on the big screen with subtitles, tea and a chat about the film afterwards. ${c.when}.`,
    categories: ['social', 'film'],
    audiences: ['older_people', 'everyone'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'drop_in',
    contactName: 'Library events team',
  },
  books: {
    org: 'libraries',
    title: (c) => `Reading Group – ${c.place}`,
    description: (c) =>
      `A friendly book group that reads one book a month; copies (including large print and audio) are provided by the library. ${c.when}.`,
    categories: ['social', 'reading'],
    audiences: ['everyone'],
    languages: ['english'],
    cost: FREE,
    howToJoin: 'self_referral',
    contactName: 'Library events team',
    extraAccessibility: ['large_print'],
  },
  menCooking: {
    org: 'ageuk',
    title: (c) => `Cook and Eat Together – ${c.place}`,
    description: (c) =>
      `Learn simple, cheap meals and eat them together. Especially popular with people who have recently started living alone. ${c.when}.`,
    categories: ['food', 'social', 'cooking'],
    audiences: ['older_people', 'men'],
    languages: ['english'],
    cost: price(2.5, 'towards ingredients'),
    howToJoin: 'booking',
    contactName: 'Cookery coordinator',
  },
} satisfies Record<string, Template>;

type TemplateKey = keyof typeof TEMPLATES;

// ---------------------------------------------------------------------------------------------------------------------
// The activities: [template, venue, rule, opens, closes, options]

type Opts = {
  /** Overrides the venue's neighbourhood label in the title. */
  place?: string;
  /** Paused until about five weeks after `now`; the reason, e.g. "the hall is being refurbished". */
  paused?: string;
  /** The third upcoming session is cancelled; the reason, e.g. "the venue is booked for polling". */
  skipOne?: string;
  cost?: Cost;
  attendingTypes?: AttendingType[];
  /** An extra sentence appended to the description. */
  note?: string;
};

type Spec = [TemplateKey, string, string, string, string, Opts?];

const NO_RULE = '-';

const SPECS: readonly Spec[] = [
  // Belsize
  ['lunch', 'englands-lane', 'WE', '12:00', '14:00', { skipOne: 'the hall is being used as a polling station' }],
  ['digital', 'belsize-library', 'TU', '10:00', '12:00'],
  ['knit', 'belsize-library', 'TH', '14:00', '16:00'],
  ['bereavement', 'belsize-square', 'MO/2', '18:30', '20:00'],
  [
    'walk',
    'belsize-square',
    'FR',
    '10:30',
    '11:30',
    { place: 'Belsize Park', note: 'Route loops through Belsize Wood and back via Haverstock Hill.' },
  ],
  ['books', 'belsize-library', '1WE', '18:00', '19:30'],
  ['chairYoga', 'englands-lane', 'MO', '11:00', '12:00'],
  // Bloomsbury
  ['chinese', 'whitfield-street', 'TU,TH', '10:00', '13:00'],
  ['esol', 'gower-street', 'WE', '14:00', '15:30'],
  ['art', 'bedford-square', 'TH', '14:00', '16:00'],
  ['lgbtq', 'gower-street', '-1FR', '18:00', '20:00'],
  ['peer', 'bedford-square', 'MO', '18:00', '19:30'],
  [
    'walk',
    'bedford-square',
    'MO',
    '11:00',
    '12:00',
    { place: 'Bloomsbury Squares', note: 'Takes in Russell Square, Gordon Square and Tavistock Square.' },
  ],
  ['coffee', 'whitfield-street', 'FR', '10:00', '11:30', { place: 'Fitzrovia' }],
  // Camden Square
  ['lunch', 'agar-grove', 'TH', '12:00', '14:00'],
  ['gardening', 'cantelowes', 'SA', '10:00', '12:00', { place: 'Cantelowes Gardens' }],
  ['seated', 'camden-park-road', 'MO', '10:30', '11:30'],
  ['kurdish', 'camden-park-road', 'WE', '10:00', '12:00'],
  ['games', 'agar-grove', 'TU', '14:00', '16:00'],
  [
    'youth',
    'cantelowes',
    'TU,TH',
    '17:00',
    '20:00',
    { place: 'Cantelowes', paused: 'the pavilion is closed for building works' },
  ],
  ['memoryCafe', 'camden-park-road', '2TH', '14:00', '16:00'],
  // Camden Town
  ['singing', 'castlehaven', 'WE', '13:30', '15:00'],
  ['digital', 'inverness-street', 'TH', '10:00', '12:00', { paused: 'the meeting room is being refurbished' }],
  ['shed', 'chalk-farm-road', 'TU,FR', '10:00', '14:00'],
  ['peer', 'castlehaven', 'TH', '18:00', '19:30'],
  ['coffee', 'castlehaven', 'MO', '10:00', '11:30'],
  ['advice', 'inverness-street', 'WE', '10:00', '13:00'],
  ['telBefriending', 'castlehaven', NO_RULE, '', ''],
  // Fortune Green
  ['lunch', 'fortune-green-road', 'TU', '12:00', '14:00'],
  ['walk', 'fortune-green-road', 'TH', '10:30', '11:30', { place: 'Fortune Green and Hampstead Cemetery' }],
  ['parentBaby', 'mill-lane', 'WE', '10:00', '11:30'],
  ['knit', 'mill-lane', 'FR', '14:00', '16:00', { paused: 'the hub is closed for repairs after a leak' }],
  ['irish', 'westbere-road', 'TH', '13:00', '16:00', { place: 'Cricklewood' }],
  ['film', 'westbere-road', '-1WE', '14:00', '16:30'],
  ['seated', 'fortune-green-road', 'FR', '10:30', '11:30'],
  // Frognal
  ['taichi', 'arkwright-road', 'WE', '10:00', '11:00'],
  ['carers', 'finchley-road', '1TU', '10:30', '12:30'],
  ['polish', 'finchley-road', 'TH', '11:00', '13:00'],
  ['books', 'frognal-lane', '3TH', '14:00', '15:30'],
  ['coffee', 'frognal-lane', 'TU', '10:00', '11:30'],
  [
    'walk',
    'frognal-lane',
    'SA',
    '10:00',
    '11:30',
    { place: 'West Heath', note: 'Some uneven paths on the Heath; walking boots recommended in winter.' },
  ],
  ['homeBefriending', 'arkwright-road', NO_RULE, '', ''],
  // Gospel Oak
  ['caribbean', 'lismore-circus', 'WE', '12:00', '15:00', { skipOne: 'members are on a day trip to the coast' }],
  ['somali', 'queens-crescent', 'SA', '11:00', '13:00'],
  ['lunch', 'queens-crescent', 'MO', '12:00', '14:00'],
  ['youth', 'lismore-circus', 'MO,WE', '17:00', '20:00', { place: 'Gospel Oak' }],
  ['gardening', 'mansfield-road', 'WE', '10:00', '12:00', { place: 'Gospel Oak' }],
  ['ldSocial', 'lismore-circus', 'FR', '18:00', '20:30'],
  ['parentBaby', 'queens-crescent', 'TU', '10:00', '11:30'],
  ['socialPrescribing', 'queens-crescent', NO_RULE, '', ''],
  // Hampstead Town
  ['lunch', 'hampstead-high-street', 'FR', '12:00', '14:00'],
  [
    'walk',
    'south-end-green',
    'TU',
    '10:30',
    '11:45',
    { place: 'Hampstead Heath', note: 'Meets at the South End Green bus stand; the route avoids the steepest hills.' },
  ],
  ['singing', 'heath-street', 'TU', '14:00', '15:30'],
  ['memoryCafe', 'heath-street', '1WE', '14:00', '16:00'],
  ['art', 'hampstead-high-street', 'MO', '10:00', '12:00'],
  ['bereavement', 'south-end-green', 'TH/2', '14:00', '15:30'],
  ['dementiaCarers', 'hampstead-high-street', '3TU', '18:00', '19:30'],
  // Haverstock
  ['irish', 'malden-road', 'TU', '13:00', '16:00', { place: 'Kentish Town' }],
  ['seated', 'maitland-park', 'WE', '10:30', '11:30'],
  ['somali', 'prince-of-wales-road', 'TH', '10:00', '12:00'],
  ['advice', 'malden-road', 'MO', '10:00', '13:00'],
  ['arabic', 'maitland-park', 'TU', '10:00', '12:00'],
  ['coffee', 'maitland-park', 'FR', '10:00', '11:30'],
  ['deaf', 'prince-of-wales-road', '2FR', '18:30', '21:00'],
  // Highgate
  [
    'walk',
    'swains-lane',
    'WE',
    '10:30',
    '11:45',
    {
      place: 'Parliament Hill',
      note: 'A steady climb to the top of Parliament Hill for the view; shorter option available.',
    },
  ],
  ['digital', 'highgate-library', 'MO', '14:00', '16:00'],
  ['lunch', 'highgate-newtown', 'TH', '12:00', '14:00'],
  ['shed', 'highgate-newtown', 'WE', '10:00', '13:00'],
  ['taichi', 'highgate-newtown', 'FR', '11:00', '12:00'],
  ['books', 'highgate-library', '2MO', '18:00', '19:30'],
  ['carers', 'swains-lane', '-1TH', '10:30', '12:30', { place: 'Dartmouth Park' }],
  // Holborn & Covent Garden
  ['lunch', 'bourne-estate', 'WE', '12:00', '14:00', { place: 'Bourne Estate' }],
  ['digital', 'holborn-library', 'WE', '10:00', '12:00'],
  ['esol', 'holborn-library', 'SA', '10:30', '12:00', { skipOne: 'the library is closed for staff training' }],
  ['seated', 'drury-lane', 'TU', '11:00', '12:00', { place: 'Covent Garden' }],
  [
    'walk',
    'lambs-conduit',
    'TH',
    '11:00',
    '12:00',
    {
      place: "Lincoln's Inn Fields",
      note: "Through Red Lion Square, Lincoln's Inn Fields and Gray's Inn Gardens when open.",
    },
  ],
  ['film', 'holborn-library', '1FR', '14:00', '16:30'],
  ['singing', 'drury-lane', 'FR', '13:00', '14:30', { place: 'Covent Garden' }],
  // Kentish Town North
  ['lunch', 'greenwood-place', 'TU', '12:00', '14:00', { place: 'Kentish Town' }],
  ['peer', 'greenwood-place', 'WE', '14:00', '15:30', { place: 'Kentish Town' }],
  ['caribbean', 'highgate-road', 'FR', '12:00', '15:00', { place: 'Kentish Town' }],
  ['latin', 'fortess-road', 'SA', '12:00', '15:00'],
  ['ldDrama', 'greenwood-place', 'MO', '13:00', '15:00', { place: 'Kentish Town' }],
  ['knit', 'fortess-road', 'WE', '10:30', '12:30'],
  ['telBefriending', 'greenwood-place', NO_RULE, '', '', { place: 'Kentish Town' }],
  // Kentish Town South
  ['digital', 'kentish-town-library', 'FR', '10:00', '12:00'],
  ['somali', 'busby-place', 'WE', '18:00', '20:00', { place: 'Kentish Town' }],
  ['kurdish', 'busby-place', 'SA', '11:00', '13:00', { place: 'Kentish Town' }],
  ['menCooking', 'busby-place', 'TH', '11:00', '13:30', { place: 'Kentish Town' }],
  ['youth', 'busby-place', 'TU,FR', '17:00', '20:00', { place: 'Kentish Town' }],
  ['esol', 'kentish-town-library', 'TU', '14:00', '15:30'],
  ['coffee', 'rochester-square', 'TH', '10:00', '11:30', { place: 'Rochester' }],
  ['memoryCafe', 'kentish-town-library', '-1MO', '14:00', '16:00'],
  // Kilburn
  ['irish', 'kingsgate-road', 'WE', '13:00', '16:00', { place: 'Kilburn' }],
  ['bengali', 'abbey-estate', 'TU', '12:00', '15:00', { place: 'Abbey Estate' }],
  ['somali', 'abbey-estate', 'FR', '10:00', '12:00', { place: 'Kilburn' }],
  ['walk', 'kilburn-grange', 'MO', '10:30', '11:30', { place: 'Kilburn Grange Park' }],
  ['seated', 'abbey-estate', 'TH', '10:30', '11:30', { place: 'Abbey Estate' }],
  ['parentBaby', 'kingsgate-road', 'FR', '10:00', '11:30'],
  ['lunchCheap', 'kingsgate-road', 'SU', '13:00', '15:00', { place: 'Kilburn Sunday' }],
  ['socialPrescribing', 'abbey-estate', NO_RULE, '', '', { place: 'Kilburn' }],
  // King's Cross
  ['bengali', 'cromer-street', 'WE', '12:00', '15:00', { place: "King's Cross" }],
  ['digital', 'argyle-square', 'TU', '14:00', '16:00'],
  ['arabic', 'cromer-street', 'TH', '10:00', '12:00', { place: "King's Cross" }],
  ['lgbtq', 'marchmont-street', 'WE', '14:00', '16:00', { place: 'Marchmont Street' }],
  ['knit', 'marchmont-street', 'MO', '14:00', '16:00', { place: 'Marchmont Street' }],
  ['somali', 'argyle-square', 'SU', '14:00', '16:00', { place: "King's Cross" }],
  ['advice', 'cromer-street', 'FR', '10:00', '13:00', { place: "King's Cross" }],
  // Primrose Hill
  [
    'walk',
    'regents-park-road',
    'WE',
    '10:30',
    '11:30',
    {
      place: 'Primrose Hill',
      skipOne: 'the walk leaders are at a first aid refresher',
      note: 'Includes the climb to the viewpoint at a gentle pace, with benches on the way.',
    },
  ],
  ['art', 'chalcot-square', 'FR', '14:00', '16:00'],
  ['lunch', 'adelaide-road', 'TU', '12:00', '14:00', { place: 'Chalk Farm' }],
  ['singing', 'regents-park-road', 'MO', '14:00', '15:30'],
  ['film', 'adelaide-road', '3FR', '14:00', '16:30', { place: 'Chalk Farm' }],
  ['coffee', 'chalcot-square', 'WE', '10:00', '11:30'],
  ['bereavement', 'adelaide-road', 'TU/2', '18:00', '19:30', { place: 'Chalk Farm' }],
  // Regent's Park
  [
    'bengali',
    'robert-street',
    'TH',
    '12:00',
    '15:00',
    { skipOne: 'of the Eid celebration held at the mosque instead' },
  ],
  ['lunch', 'cumberland-market', 'WE', '12:00', '14:00'],
  ['gardening', 'cumberland-market', 'TU', '10:00', '12:00'],
  ['youth', 'robert-street', 'WE,FR', '17:00', '20:00'],
  ['games', 'hampstead-road', 'TH', '14:00', '16:00'],
  ['taichi', 'robert-street', 'MO', '10:00', '11:00'],
  ['dementiaCarers', 'hampstead-road', '2WE', '18:00', '19:30'],
  ['carers', 'hampstead-road', 'FR', '10:30', '12:30'],
  // St Pancras & Somers Town
  ['bengali', 'ossulston-street', 'MO,WE', '12:00', '15:00'],
  ['lunch', 'ossulston-street', 'FR', '12:00', '14:00'],
  ['shed', 'ossulston-street', 'TH', '10:00', '14:00'],
  ['digital', 'crowndale', 'MO', '10:00', '12:00'],
  ['chinese', 'crowndale', 'FR', '10:00', '13:00', { place: 'Somers Town' }],
  ['ldSocial', 'crowndale', 'TH', '18:00', '20:30'],
  ['parentBaby', 'pancras-square', 'TH', '10:00', '11:30'],
  ['esol', 'pancras-square', 'MO', '14:00', '15:30'],
  // South Hampstead
  ['lunch', 'greencroft-gardens', 'TH', '12:00', '14:00', { paused: 'the kitchen is being refitted' }],
  ['seated', 'priory-road', 'TU', '10:30', '11:30'],
  ['taichi', 'boundary-road', 'SA', '10:00', '11:00'],
  ['knit', 'greencroft-gardens', 'MO', '14:00', '16:00'],
  ['chairYoga', 'boundary-road', 'WE', '11:00', '12:00'],
  ['memoryCafe', 'priory-road', '-1FR', '14:00', '16:00'],
  ['coffee', 'boundary-road', 'TH', '10:00', '11:30'],
  // West Hampstead
  ['digital', 'west-hampstead-library', 'TH', '14:00', '16:00'],
  ['coffee', 'west-end-lane', 'WE', '10:00', '11:30'],
  ['singing', 'west-end-lane', 'TH', '18:30', '20:00'],
  [
    'walk',
    'sumatra-road',
    'FR',
    '10:30',
    '11:30',
    { place: 'West Hampstead', note: 'A flat circuit via Fortune Green and Kilburn Grange Park.' },
  ],
  ['parentBaby', 'west-hampstead-library', 'MO', '10:00', '11:30'],
  ['bereavement', 'sumatra-road', '2TU', '14:00', '15:30'],
  ['lunch', 'sumatra-road', 'MO', '12:00', '14:00'],
];

// ---------------------------------------------------------------------------------------------------------------------
// Borough-wide online and phone activities (no ward).

type OnlineSpec = {
  slug: string;
  title: string;
  description: string;
  org: OrgKey;
  rule: string;
  opens: string;
  closes: string;
  attendingTypes: AttendingType[];
  categories: string[];
  audiences: Audience[];
  languages: string[];
  howToJoin: HowToJoin;
  cost: Cost;
  eligibility?: string;
};

const ONLINE: readonly OnlineSpec[] = [
  {
    slug: 'demo-online-coffee-and-chat',
    title: 'Online Coffee and Chat',
    description:
      'A relaxed video call on Zoom with a host who makes sure everyone gets a turn to talk. Help getting set up on Zoom is available beforehand.',
    org: 'ageuk',
    rule: 'TU',
    opens: '11:00',
    closes: '12:00',
    attendingTypes: ['online'],
    categories: ['social', 'online'],
    audiences: ['older_people', 'everyone'],
    languages: ['english'],
    howToJoin: 'self_referral',
    cost: FREE,
  },
  {
    slug: 'demo-telephone-chatterbox-group',
    title: 'Chatterbox Telephone Group',
    description:
      'A weekly group phone call for up to six people: you are dialled in, no internet needed. Topics range from memories and music to the week\u2019s news.',
    org: 'ageuk',
    rule: 'TH',
    opens: '15:00',
    closes: '16:00',
    attendingTypes: ['phone'],
    categories: ['social', 'befriending'],
    audiences: ['older_people'],
    languages: ['english'],
    howToJoin: 'self_referral',
    cost: FREE,
    eligibility: 'Aged 60+, living in Camden.',
  },
  {
    slug: 'demo-online-carers-evening',
    title: "Carers' Online Evening Support Group",
    description:
      'An evening video group for working carers who can\u2019t get to daytime groups, facilitated by a Camden Carers Service support worker.',
    org: 'carers',
    rule: '1MO',
    opens: '19:00',
    closes: '20:30',
    attendingTypes: ['online'],
    categories: ['carers', 'online'],
    audiences: ['carers'],
    languages: ['english'],
    howToJoin: 'self_referral',
    cost: FREE,
  },
  {
    slug: 'demo-bengali-phone-circle',
    title: 'Bengali and Sylheti Phone Circle',
    description:
      'A weekly group phone call in Bengali and Sylheti for elders who are housebound, with health information from Community Champions.',
    org: 'bengali',
    rule: 'MO',
    opens: '14:00',
    closes: '15:00',
    attendingTypes: ['phone'],
    categories: ['social', 'culturally specific', 'befriending'],
    audiences: ['older_people', 'ethnic_minorities'],
    languages: ['bengali', 'sylheti'],
    howToJoin: 'self_referral',
    cost: FREE,
  },
  {
    slug: 'demo-online-mindfulness',
    title: 'Online Mindfulness for Wellbeing',
    description:
      'A guided mindfulness and breathing session on Zoom, cameras optional. Suitable for beginners and people managing anxiety or low mood.',
    org: 'mind',
    rule: 'WE/2',
    opens: '18:30',
    closes: '19:30',
    attendingTypes: ['online'],
    categories: ['mental health', 'online'],
    audiences: ['everyone'],
    languages: ['english'],
    howToJoin: 'drop_in',
    cost: FREE,
  },
  {
    slug: 'demo-online-lgbtq-over-50s-chat',
    title: 'Over the Rainbow Online Chat',
    description: 'A monthly online social for LGBTQ+ people over 50 who can\u2019t make the in-person groups.',
    org: 'rainbow',
    rule: '3WE',
    opens: '19:00',
    closes: '20:30',
    attendingTypes: ['online'],
    categories: ['social', 'lgbtq+', 'online'],
    audiences: ['lgbtq', 'older_people'],
    languages: ['english'],
    howToJoin: 'self_referral',
    cost: FREE,
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// Training

export type TrainingSpec = {
  slug: string;
  title: string;
  description: string;
  providedBy: string;
  org: OrgKey;
  /** Venue key, or 'online'. */
  where: string;
  sessions: number;
  /** Start and end time on each day; `days` > 1 for multi-day courses (consecutive weekdays). */
  opens: string;
  closes: string;
  days?: number;
  capacity: [number, number];
  categories: string[];
  prerequisites?: string[];
  cost?: Cost;
  eligibility?: string;
};

const STAFF = 'Camden Council, NHS and voluntary sector staff and volunteers working with Camden residents.';

export const TRAINING: readonly TrainingSpec[] = [
  {
    slug: 'demo-mecc-half-day-online',
    title: 'Making Every Contact Count (MECC): half-day introduction (online)',
    description:
      'Learn to use everyday conversations to support people to make healthier choices and find local help early, including how to raise loneliness, money worries and mental wellbeing in a brief, respectful way. Part of Camden\u2019s commitment to train frontline staff and volunteers in MECC.',
    providedBy: 'Camden Council Public Health',
    org: 'publichealth',
    where: 'online',
    sessions: 4,
    opens: '09:30',
    closes: '13:00',
    capacity: [16, 20],
    categories: ['training', 'mecc', 'health improvement'],
  },
  {
    slug: 'demo-mecc-half-day-crowndale',
    title: 'Making Every Contact Count (MECC): half-day introduction (Crowndale Centre)',
    description:
      'The in-person version of Camden\u2019s MECC course: brief, supportive conversations about health and wellbeing, and how to signpost to local services, with plenty of practice.',
    providedBy: 'Camden Council Public Health',
    org: 'publichealth',
    where: 'crowndale',
    sessions: 3,
    opens: '13:30',
    closes: '17:00',
    capacity: [12, 16],
    categories: ['training', 'mecc', 'health improvement'],
  },
  {
    slug: 'demo-mecc-half-day-kilburn',
    title: 'Making Every Contact Count (MECC): half-day introduction (Kilburn)',
    description:
      'MECC training for teams working in the west of the borough: healthy conversations, active listening and local signposting, including loneliness and cost-of-living support.',
    providedBy: 'Camden Council Public Health',
    org: 'publichealth',
    where: 'abbey-estate',
    sessions: 2,
    opens: '09:30',
    closes: '13:00',
    capacity: [12, 16],
    categories: ['training', 'mecc', 'health improvement'],
  },
  {
    slug: 'demo-mhfa-two-day-holborn',
    title: 'Mental Health First Aid (2-day course)',
    description:
      'The accredited two-day Mental Health First Aid course: spotting the signs of common mental health issues, starting a supportive conversation, and guiding someone towards help. Attendance on both days is required to certify as a Mental Health First Aider.',
    providedBy: 'Camden Council Public Health with an MHFA England accredited instructor',
    org: 'publichealth',
    where: 'holborn-library',
    sessions: 2,
    opens: '09:00',
    closes: '17:00',
    days: 2,
    capacity: [12, 16],
    categories: ['training', 'mental health'],
  },
  {
    slug: 'demo-mhfa-two-day-kentish-town',
    title: 'Mental Health First Aid (2-day course, Kentish Town)',
    description:
      'Two days of interactive training to become a certified Mental Health First Aider, with time to practise conversations about suicide, self-harm, anxiety and depression.',
    providedBy: 'Mind in Camden (MHFA England licensed instructors)',
    org: 'mind',
    where: 'greenwood-place',
    sessions: 2,
    opens: '09:30',
    closes: '16:30',
    days: 2,
    capacity: [12, 16],
    categories: ['training', 'mental health'],
  },
  {
    slug: 'demo-mhfa-refresher',
    title: 'Mental Health First Aid Refresher',
    description:
      'A half-day refresher to update your knowledge and skills and keep your Mental Health First Aider status current. Recommended every three years.',
    providedBy: 'Mind in Camden (MHFA England licensed instructors)',
    org: 'mind',
    where: 'online',
    sessions: 3,
    opens: '13:30',
    closes: '17:00',
    capacity: [14, 18],
    categories: ['training', 'mental health'],
    prerequisites: ['Mental Health First Aid'],
  },
  {
    slug: 'demo-mhfa-champion',
    title: 'Mental Health First Aid Champion (1 day)',
    description:
      'A one-day course giving the knowledge and confidence to champion mental health awareness in your team and support colleagues and residents to find help.',
    providedBy: 'Camden Council Public Health with an MHFA England accredited instructor',
    org: 'publichealth',
    where: 'crowndale',
    sessions: 2,
    opens: '09:30',
    closes: '16:30',
    capacity: [12, 16],
    categories: ['training', 'mental health'],
  },
  {
    slug: 'demo-mental-health-awareness',
    title: 'Mental Health Awareness (half day)',
    description:
      'An introduction to mental health and wellbeing: reducing stigma, looking after yourself, and knowing where residents can get local support.',
    providedBy: 'Mind in Camden',
    org: 'mind',
    where: 'online',
    sessions: 3,
    opens: '10:00',
    closes: '13:00',
    capacity: [16, 20],
    categories: ['training', 'mental health'],
  },
  {
    slug: 'demo-dementia-friends-online',
    title: 'Dementia Friends Information Session (online)',
    description:
      'A one-hour session to learn a little more about dementia and the small things that make a difference to people living with it. You will become a Dementia Friend.',
    providedBy: 'Age UK Camden (volunteer Dementia Friends Champion)',
    org: 'ageuk',
    where: 'online',
    sessions: 4,
    opens: '12:30',
    closes: '13:30',
    capacity: [15, 20],
    categories: ['training', 'dementia'],
  },
  {
    slug: 'demo-dementia-friends-gospel-oak',
    title: 'Dementia Friends Information Session (Gospel Oak)',
    description:
      'A friendly, in-person Dementia Friends session for staff, volunteers and residents, with tea and time for questions.',
    providedBy: 'Camden Memory Café Network',
    org: 'memory',
    where: 'lismore-circus',
    sessions: 2,
    opens: '14:00',
    closes: '15:00',
    capacity: [12, 20],
    categories: ['training', 'dementia'],
  },
  {
    slug: 'demo-suicide-prevention-awareness',
    title: 'Suicide Prevention Awareness (half day)',
    description:
      'Learn to recognise when someone may be thinking about suicide, how to ask directly and safely, and how to connect them to support. Supports Camden\u2019s borough-wide Suicide Prevention Strategy.',
    providedBy: 'Camden Council Public Health',
    org: 'publichealth',
    where: 'hampstead-road',
    sessions: 2,
    opens: '09:30',
    closes: '13:00',
    capacity: [12, 16],
    categories: ['training', 'mental health', 'suicide prevention'],
  },
  {
    slug: 'demo-suicide-prevention-online',
    title: 'Talking About Suicide Safely (online, 90 minutes)',
    description: 'A short online session on safe language, asking about suicide and where to signpost in Camden.',
    providedBy: 'Mind in Camden',
    org: 'mind',
    where: 'online',
    sessions: 3,
    opens: '14:00',
    closes: '15:30',
    capacity: [16, 20],
    categories: ['training', 'mental health', 'suicide prevention'],
  },
  {
    slug: 'demo-abc-loneliness-training',
    title: 'Spotting and Tackling Loneliness: training for frontline staff',
    description:
      'Drawing on what Ageing Better in Camden learned working with over-50s: recognising the signs of loneliness and isolation, starting the conversation, and connecting people to groups that suit them. Places usually book up quickly.',
    providedBy: 'Ageing Better in Camden',
    org: 'abc',
    where: 'ossulston-street',
    sessions: 3,
    opens: '10:00',
    closes: '13:00',
    capacity: [14, 18],
    categories: ['training', 'loneliness'],
  },
  {
    slug: 'demo-three-good-friends',
    title: "'Three Good Friends': conversations about connection",
    description:
      'A short workshop on using the \u2018three good friends\u2019 narrative in everyday conversations to help residents build and keep friendships.',
    providedBy: 'Camden Community Champions with Camden Council',
    org: 'champions',
    where: 'online',
    sessions: 2,
    opens: '12:00',
    closes: '13:30',
    capacity: [15, 20],
    categories: ['training', 'loneliness'],
  },
  {
    slug: 'demo-social-prescribing-referrals',
    title: 'Social Prescribing and Care Navigation: making good referrals',
    description:
      'How Camden\u2019s social prescribing and care navigation services work, who they are for, and how to make a referral that gets people the right support.',
    providedBy: 'Voluntary Action Camden and Age UK Camden',
    org: 'vac',
    where: 'online',
    sessions: 2,
    opens: '10:00',
    closes: '11:30',
    capacity: [16, 20],
    categories: ['training', 'social prescribing'],
  },
  {
    slug: 'demo-carer-awareness',
    title: 'Carer Awareness for Frontline Staff',
    description:
      'Identifying hidden carers, understanding carers\u2019 rights and assessments, and referring to Camden Carers Service.',
    providedBy: 'Camden Carers Service',
    org: 'carers',
    where: 'robert-street',
    sessions: 2,
    opens: '13:30',
    closes: '16:30',
    capacity: [12, 16],
    categories: ['training', 'carers'],
  },
  {
    slug: 'demo-trauma-informed-intro',
    title: 'Trauma-informed Practice: an introduction',
    description:
      'What trauma-informed practice means in Camden\u2019s neighbourhoods, how adversity shapes people\u2019s responses to services, and small changes that make contact safer and more welcoming.',
    providedBy: 'Camden Council (Camden Trauma Informed Communities)',
    org: 'council',
    where: 'busby-place',
    sessions: 2,
    opens: '09:30',
    closes: '16:00',
    capacity: [14, 18],
    categories: ['training', 'mental health'],
  },
  {
    slug: 'demo-digital-champions',
    title: 'Digital Champions Training',
    description:
      'Learn how to help residents get online with confidence: patient teaching, common tasks like the NHS App, and keeping people safe from scams.',
    providedBy: 'Camden Council Libraries',
    org: 'libraries',
    where: 'kentish-town-library',
    sessions: 2,
    opens: '10:00',
    closes: '13:00',
    capacity: [12, 15],
    categories: ['training', 'digital skills'],
  },
  {
    slug: 'demo-community-champions-induction',
    title: 'Community Champions Induction',
    description:
      'Induction for new Community Champions: sharing health messages with neighbours, running a stall or coffee morning, and knowing where to refer.',
    providedBy: 'Camden Community Champions',
    org: 'champions',
    where: 'queens-crescent',
    sessions: 2,
    opens: '18:00',
    closes: '20:30',
    capacity: [12, 20],
    categories: ['training', 'volunteering'],
    eligibility: 'Camden residents who have signed up as Community Champions, and staff who support them.',
  },
  {
    slug: 'demo-learning-disability-friendships',
    title: 'Supporting Friendships for Adults with Learning Disabilities',
    description:
      'Practical ideas for staff and carers to help adults with learning disabilities make and keep friends, building on the Living a Good Life approach.',
    providedBy: 'Camden Council Adult Social Care',
    org: 'asc',
    where: 'crowndale',
    sessions: 2,
    opens: '10:00',
    closes: '13:00',
    capacity: [12, 16],
    categories: ['training', 'learning disabilities'],
  },
  {
    slug: 'demo-safeguarding-adults-awareness',
    title: 'Safeguarding Adults Awareness',
    description:
      'Recognising abuse and neglect, including self-neglect and scams targeting isolated older people, and how to raise a concern in Camden.',
    providedBy: 'Camden Council Adult Social Care',
    org: 'asc',
    where: 'online',
    sessions: 3,
    opens: '14:00',
    closes: '16:30',
    capacity: [16, 20],
    categories: ['training', 'safeguarding'],
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// Resources (no occurrences)

type ResourceSpec = {
  slug: string;
  title: string;
  description: string;
  org: OrgKey;
  attendingTypes: AttendingType[];
  categories: string[];
  audiences: Audience[];
  languages?: string[];
  howToJoin?: HowToJoin;
  contactName: string;
  venue?: string;
  eligibility?: string;
  hours?: string;
  accessibility?: AccessibilityFeature[];
};

const RESOURCES: readonly ResourceSpec[] = [
  {
    slug: 'demo-abc-loneliness-toolkit',
    title: 'Tackling Loneliness: a toolkit for frontline staff',
    description:
      'Ageing Better in Camden\u2019s practical toolkit: conversation prompts, a simple loneliness check, case studies and a directory of the kinds of groups that helped over-50s reconnect. Free to download and print.',
    org: 'abc',
    attendingTypes: ['online'],
    categories: ['loneliness', 'toolkit', 'training'],
    audiences: ['everyone'],
    contactName: 'Ageing Better in Camden team',
  },
  {
    slug: 'demo-abc-community-action-projects',
    title: 'Community Action Projects: what we learned',
    description:
      'Learning from Ageing Better in Camden\u2019s Black, Asian and other ethnic Community Action Project (CAP): what worked in reducing isolation for older people from ethnic minority communities, and how to build on it.',
    org: 'abc',
    attendingTypes: ['online'],
    categories: ['loneliness', 'culturally specific', 'toolkit'],
    audiences: ['ethnic_minorities', 'older_people'],
    contactName: 'Ageing Better in Camden team',
  },
  {
    slug: 'demo-abc-over-50s-guide',
    title: "Ageing Better in Camden: Over-50s' Guide to Getting Involved",
    description:
      'A printed and online guide to activities, volunteering and support for people over 50 in Camden. Large print copies can be posted out.',
    org: 'abc',
    attendingTypes: ['online'],
    categories: ['guide', 'social'],
    audiences: ['older_people'],
    contactName: 'Ageing Better in Camden team',
    accessibility: ['large_print'],
  },
  {
    slug: 'demo-age-uk-camden-advice-line',
    title: 'Age UK Camden Information and Advice Line',
    description:
      'Free, confidential phone advice for older people and their families: benefits, housing, care at home, scams and finding local activities.',
    org: 'ageuk',
    attendingTypes: ['phone'],
    categories: ['advice', 'phone line'],
    audiences: ['older_people', 'carers'],
    howToJoin: 'self_referral',
    contactName: 'Advice line',
    hours: 'Monday to Friday, 10:00–16:00',
  },
  {
    slug: 'demo-camden-carers-service-support',
    title: "Camden Carers Service: support and carers' assessments",
    description:
      'One-to-one support for unpaid carers, help to get a carer\u2019s assessment, emergency planning, breaks and a regular newsletter of groups and events.',
    org: 'carers',
    attendingTypes: ['phone', 'in_person', 'online'],
    categories: ['carers', 'advice'],
    audiences: ['carers'],
    howToJoin: 'self_referral',
    contactName: 'Duty support worker',
    venue: 'hampstead-road',
    hours: 'Monday to Friday, 9:30–17:00',
  },
  {
    slug: 'demo-good-neighbours-scheme',
    title: 'Good Neighbours Scheme',
    description:
      'Volunteers living nearby help older or disabled neighbours with small practical tasks, shopping, a phone call or a walk to a local group for the first time.',
    org: 'neighbours',
    attendingTypes: ['in_person', 'phone'],
    categories: ['befriending', 'volunteering'],
    audiences: ['older_people'],
    howToJoin: 'self_referral',
    contactName: 'Scheme coordinator',
    venue: 'mill-lane',
  },
  {
    slug: 'demo-camden-loneliness-conversation-guide',
    title: 'Having a Conversation about Loneliness: a quick guide',
    description:
      'Camden Council\u2019s two-page guide for housing, social care and health staff on noticing loneliness, asking about it sensitively and what to offer next.',
    org: 'council',
    attendingTypes: ['online'],
    categories: ['loneliness', 'guide'],
    audiences: ['everyone'],
    contactName: 'Communities team',
  },
  {
    slug: 'demo-three-good-friends-guide',
    title: "'Three Good Friends' conversation cards",
    description:
      'Printable prompt cards supporting Camden\u2019s \u2018three good friends\u2019 narrative, for Community Champions, social prescribers and frontline staff.',
    org: 'champions',
    attendingTypes: ['online'],
    categories: ['loneliness', 'toolkit'],
    audiences: ['everyone'],
    contactName: 'Community Champions team',
  },
  {
    slug: 'demo-mind-in-camden-wellbeing-line',
    title: 'Mind in Camden Wellbeing Phone Line',
    description:
      'A listening and signposting line for adults in Camden who are struggling with their mental health or feeling isolated. Not a crisis service.',
    org: 'mind',
    attendingTypes: ['phone'],
    categories: ['mental health', 'phone line'],
    audiences: ['everyone'],
    howToJoin: 'self_referral',
    contactName: 'Wellbeing line',
    hours: 'Monday to Friday, 12:00–20:00',
  },
  {
    slug: 'demo-camden-adult-social-care-contact',
    title: 'Camden Adult Social Care: first contact',
    description:
      'How to request a care needs assessment or raise a concern about an adult, including self-neglect. Staff can make a referral online.',
    org: 'asc',
    attendingTypes: ['phone', 'online'],
    categories: ['advice', 'social care'],
    audiences: ['everyone'],
    howToJoin: 'referral_needed',
    contactName: 'Contact centre',
    hours: 'Monday to Friday, 9:00–17:00',
  },
  {
    slug: 'demo-vac-social-prescribing-referral',
    title: 'How to Refer to Social Prescribing in Camden',
    description:
      'Referral routes, forms and eligibility for Camden\u2019s social prescribing and care navigation services, delivered by Voluntary Action Camden and Age UK Camden.',
    org: 'vac',
    attendingTypes: ['online'],
    categories: ['social prescribing', 'guide'],
    audiences: ['everyone'],
    contactName: 'Social prescribing team',
  },
  {
    slug: 'demo-camden-digital-support-line',
    title: 'Camden Digital Support Phone Line',
    description:
      'Phone help for residents getting online: setting up a device, video calling family, using the NHS App and booking a place at a library drop-in.',
    org: 'libraries',
    attendingTypes: ['phone'],
    categories: ['digital skills', 'phone line'],
    audiences: ['everyone', 'older_people'],
    howToJoin: 'self_referral',
    contactName: 'Digital support line',
    hours: 'Tuesday and Thursday, 10:00–13:00',
  },
  {
    slug: 'demo-community-champions-directory',
    title: 'Find Your Local Community Champion',
    description:
      'A map and list of Community Champions by estate and neighbourhood, who can welcome a resident to a local group or share health information.',
    org: 'champions',
    attendingTypes: ['online'],
    categories: ['volunteering', 'guide'],
    audiences: ['everyone'],
    contactName: 'Community Champions team',
  },
  {
    slug: 'demo-easy-read-friendship-guide',
    title: 'Making Friends: an easy read guide',
    description:
      'An easy read guide for adults with learning disabilities about finding clubs, staying safe and keeping in touch with friends, from the Living a Good Life project.',
    org: 'asc',
    attendingTypes: ['online'],
    categories: ['learning disabilities', 'guide'],
    audiences: ['learning_disabilities'],
    contactName: 'Learning disabilities service',
    accessibility: ['easy_read'],
  },
  {
    slug: 'demo-camden-cost-of-living-help',
    title: 'Cost of Living Help in Camden',
    description:
      'Where to get help with food, energy bills, debt and benefits in Camden, including warm spaces and the council\u2019s support fund.',
    org: 'council',
    attendingTypes: ['online', 'phone'],
    categories: ['advice', 'cost of living'],
    audiences: ['everyone'],
    contactName: 'Money advice team',
  },
  {
    slug: 'demo-camden-bereavement-directory',
    title: 'Bereavement Support in Camden: a directory',
    description:
      'Local and national bereavement groups, counselling and practical help after a death, compiled for staff and residents.',
    org: 'bereavement',
    attendingTypes: ['online'],
    categories: ['bereavement', 'guide'],
    audiences: ['everyone'],
    contactName: 'Network coordinator',
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// Assembly

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Mostly confirmed within the last year; about one in ten 14–20 months ago, so staleness can be demonstrated. */
function assuredDate(now: Date, id: string, canBeStale = true): Date {
  const rnd = prng(`assured:${id}`);
  const stale = rnd() < 0.1 && canBeStale;
  const daysAgo = stale ? intBetween(rnd, 425, 600) : intBetween(rnd, 3, 330);
  return DateTime.fromJSDate(now, { zone: ZONE }).minus({ days: daysAgo }).startOf('day').toJSDate();
}

function org(key: OrgKey): OrganisationInput {
  return { ...ORGS[key] };
}

function contactFor(key: OrgKey, name: string) {
  const o = ORGS[key];
  return { name, ...(o.phone ? { phone: o.phone } : {}), ...(o.email ? { email: o.email } : {}) };
}

function buildActivity(spec: Spec, now: Date): CatalogueEntryInput {
  const [tplKey, venueKey, ruleText, opens, closes, opts = {}] = spec;
  const tpl: Template = TEMPLATES[tplKey];
  const v = venue(venueKey);
  const place = opts.place ?? v.place;
  const c0: Ctx = { place, venue: v, when: '' };
  const externalId = `demo-${slug(tpl.title(c0))}`;

  let schedule: ScheduleInput | undefined;
  let occurrences: OccurrenceInput[] = [];
  if (ruleText === NO_RULE) {
    schedule = { description: tpl.noFixedSessions ?? 'By arrangement', timezone: ZONE };
  } else {
    const rule = parseRule(ruleText, externalId);
    schedule = scheduleFor(rule, opens, closes);
    occurrences = occurrencesFor(rule, opens, closes, now);
  }
  const when = schedule.description ?? '';

  let status: 'active' | 'temporarily_closed' = 'active';
  let alert: string | undefined;
  const pausedReason = opts.paused;
  if (pausedReason) {
    const restart = DateTime.fromJSDate(now, { zone: ZONE }).plus({ weeks: 5 }).startOf('week').toJSDate();
    status = 'temporarily_closed';
    alert = `Paused while ${pausedReason}; sessions are expected to restart from ${londonDay(restart)}.`;
    occurrences = occurrences.map((o) =>
      o.start < restart ? { ...o, status: 'cancelled' as const, note: `Paused: ${pausedReason}.` } : o,
    );
  } else if (opts.skipOne && occurrences.length > 2) {
    const skipped = occurrences[2]!;
    const reason = opts.skipOne;
    alert = `No session on ${londonDay(skipped.start)} because ${reason}.`;
    occurrences = occurrences.map((o) =>
      o === skipped ? { ...o, status: 'cancelled' as const, note: `Cancelled: ${reason}.` } : o,
    );
  }

  const c: Ctx = { place, venue: v, when };
  const description = [tpl.description(c), opts.note].filter(Boolean).join(' ');
  const location = venueLocation(v);
  if (tpl.extraAccessibility) {
    location.accessibility = [...new Set([...(location.accessibility ?? []), ...tpl.extraAccessibility])];
  }

  return {
    externalId,
    kind: 'activity',
    title: tpl.title(c),
    description,
    url: `https://example.org/camden/activities/${externalId.replace(/^demo-/, '')}`,
    status,
    ...(alert ? { alert } : {}),
    organisation: org(tpl.org),
    location,
    categories: tpl.categories,
    audiences: tpl.audiences,
    languages: tpl.languages ?? ['english'],
    cost: opts.cost ?? tpl.cost,
    howToJoin: tpl.howToJoin,
    attendingTypes: opts.attendingTypes ?? tpl.attendingTypes ?? ['in_person'],
    contact: contactFor(tpl.org, tpl.contactName),
    ...(tpl.eligibility ? { eligibility: tpl.eligibility } : {}),
    ...(tpl.minimumAge !== undefined ? { minimumAge: tpl.minimumAge } : {}),
    ...(tpl.maximumAge !== undefined ? { maximumAge: tpl.maximumAge } : {}),
    assuredDate: assuredDate(now, externalId),
    schedule,
    occurrences,
  };
}

function buildOnline(spec: OnlineSpec, now: Date): CatalogueEntryInput {
  const rule = parseRule(spec.rule, spec.slug);
  const schedule = scheduleFor(rule, spec.opens, spec.closes);
  const online = spec.attendingTypes.includes('online');
  return {
    externalId: spec.slug,
    kind: 'activity',
    title: spec.title,
    description: `${spec.description} ${schedule.description}.`,
    url: `https://example.org/camden/activities/${spec.slug.replace(/^demo-/, '')}`,
    organisation: org(spec.org),
    ...(online ? { location: virtualLocation(spec.slug.replace(/^demo-/, ''), `${spec.title} (Zoom)`) } : {}),
    categories: spec.categories,
    audiences: spec.audiences,
    languages: spec.languages,
    cost: spec.cost,
    howToJoin: spec.howToJoin,
    attendingTypes: spec.attendingTypes,
    contact: contactFor(spec.org, 'Group host'),
    ...(spec.eligibility ? { eligibility: spec.eligibility } : {}),
    assuredDate: assuredDate(now, spec.slug),
    schedule,
    occurrences: occurrencesFor(rule, spec.opens, spec.closes, now),
  };
}

/** The next weekday on or after `d`. */
function weekday(d: DateTime): DateTime {
  let x = d;
  while (x.weekday > 5) x = x.plus({ days: 1 });
  return x;
}

function trainingSessions(spec: TrainingSpec, now: Date): OccurrenceInput[] {
  const rnd = prng(`training:${spec.slug}`);
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  const out: OccurrenceInput[] = [];
  // Spread sessions over roughly the next 12 weeks, starting at least 5 days out.
  const span = 84;
  const step = Math.floor(span / spec.sessions);
  for (let i = 0; i < spec.sessions; i++) {
    const offset = 5 + i * step + intBetween(rnd, 0, Math.max(0, step - 8));
    let day1 = weekday(today.plus({ days: offset }));
    // Multi-day courses run on consecutive weekdays within one week.
    while (day1.weekday + (spec.days ?? 1) - 1 > 5) day1 = weekday(day1.plus({ days: 1 }));
    let lastDay = day1;
    for (let d = 1; d < (spec.days ?? 1); d++) lastDay = weekday(lastDay.plus({ days: 1 }));
    const start = at(day1, spec.opens).toJSDate();
    const end = at(lastDay, spec.closes).toJSDate();
    const deadline = at(day1.minus({ days: 2 }), '17:00').toJSDate();
    const [lo, hi] = spec.capacity;
    const multi = (spec.days ?? 1) > 1;
    out.push({
      key: start.toISOString(),
      start,
      end,
      allDay: false,
      status: 'scheduled',
      capacity: intBetween(rnd, lo, hi),
      bookingDeadline: deadline,
      ...(multi
        ? {
            note: `Two consecutive days: ${londonDay(start)} and ${londonDay(end)}, ${spec.opens}\u2013${spec.closes} each day.`,
          }
        : {}),
    });
  }
  return out;
}

function buildTraining(spec: TrainingSpec, now: Date): CatalogueEntryInput {
  const online = spec.where === 'online';
  const occurrences = trainingSessions(spec, now);
  const length = (spec.days ?? 1) > 1 ? `${spec.days} days` : `${spec.opens}\u2013${spec.closes}`;
  return {
    externalId: spec.slug,
    kind: 'training',
    title: spec.title,
    description: `${spec.description} ${online ? 'Delivered live on Microsoft Teams' : 'In person'}; ${length}. Book a place by the deadline shown for each date.`,
    url: `https://example.org/camden/training/${spec.slug.replace(/^demo-/, '')}`,
    organisation: org(spec.org),
    location: online
      ? virtualLocation(spec.slug.replace(/^demo-/, ''), `${spec.title} (Microsoft Teams)`)
      : venueLocation(venue(spec.where)),
    categories: spec.categories,
    audiences: ['everyone'],
    languages: ['english'],
    cost: spec.cost ?? { isFree: true, description: 'Free for Camden staff and volunteers' },
    howToJoin: 'booking',
    attendingTypes: online ? ['online'] : ['in_person'],
    contact: contactFor(spec.org, 'Training bookings'),
    eligibility: spec.eligibility ?? STAFF,
    assuredDate: assuredDate(now, spec.slug, false),
    schedule: { description: `${occurrences.length} dates over the next three months`, timezone: ZONE },
    occurrences,
    providedBy: spec.providedBy,
    prerequisites: spec.prerequisites ?? [],
  };
}

function buildResource(spec: ResourceSpec, now: Date): CatalogueEntryInput {
  const location = spec.venue ? venueLocation(venue(spec.venue)) : undefined;
  if (location && spec.accessibility)
    location.accessibility = [...(location.accessibility ?? []), ...spec.accessibility];
  const description = spec.hours ? `${spec.description} Open ${spec.hours}.` : spec.description;
  return {
    externalId: spec.slug,
    kind: 'resource',
    title: spec.title,
    description,
    url: `https://example.org/camden/resources/${spec.slug.replace(/^demo-/, '')}`,
    organisation: org(spec.org),
    ...(location ? { location } : {}),
    categories: spec.categories,
    audiences: spec.audiences,
    languages: spec.languages ?? ['english'],
    cost: FREE,
    ...(spec.howToJoin ? { howToJoin: spec.howToJoin } : {}),
    attendingTypes: spec.attendingTypes,
    contact: contactFor(spec.org, spec.contactName),
    ...(spec.eligibility ? { eligibility: spec.eligibility } : {}),
    assuredDate: assuredDate(now, spec.slug),
    ...(spec.hours ? { schedule: { description: spec.hours, timezone: ZONE } } : {}),
    occurrences: [],
  };
}

/**
 * The demo catalogue as of `now`: standing activities with their sessions over the next eight weeks, training with
 * dated, bookable sessions over the next three months, and resources. Deterministic for a given `now`.
 */
export function buildDemoCatalogue(now: Date): CatalogueEntryInput[] {
  const entries: CatalogueEntryInput[] = [
    ...SPECS.map((s) => buildActivity(s, now)),
    ...ONLINE.map((s) => buildOnline(s, now)),
    ...TRAINING.map((s) => buildTraining(s, now)),
    ...RESOURCES.map((s) => buildResource(s, now)),
  ];
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.externalId)) throw new Error(`demo catalogue: duplicate externalId ${e.externalId}`);
    seen.add(e.externalId);
  }
  return entries;
}
