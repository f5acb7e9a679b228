import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepWebUrls } from '../../../../src/catalogue/ingest/keep-web-urls.ts';
import { CatalogueEntryInputSchema, type CatalogueEntryInput } from '../../../../src/catalogue/model.ts';
import {
  accessibilityFeatures,
  audiencesIn,
  cleanEmail,
  cleanPhone,
  cleanUrl,
  howToJoinOf,
  type JsonRecord,
  languageName,
  RejectedRecord,
  schedulesOf,
  SIGNPOST_TAXONOMY,
  textOf,
  toEntry,
} from '../../../../src/catalogue/ingest/parse-hsds-service.ts';

const HSDS = path.resolve('test/fixtures/hsds');
const sample = (file: string): JsonRecord => JSON.parse(readFileSync(path.join(HSDS, file), 'utf8')) as JsonRecord;

/** Maps and checks the result against the domain schema, as the importer will. */
function entryOf(service: JsonRecord): CatalogueEntryInput {
  const entry = toEntry(service);
  const check = CatalogueEntryInputSchema.safeParse(entry);
  if (!check.success) throw new Error(check.error.message);
  return entry;
}
const rejection = (service: JsonRecord): string => {
  try {
    toEntry(service);
  } catch (e) {
    if (e instanceof RejectedRecord) return e.message;
    throw e;
  }
  throw new Error('expected the record to be rejected');
};

describe('textOf', () => {
  it('trims strings and treats empty ones as missing', () => {
    expect(textOf('  Lunch club  ')).toBe('Lunch club');
    expect(textOf('')).toBeUndefined();
    expect(textOf(' \n\t ')).toBeUndefined();
    // A no-break space is whitespace to trim().
    expect(textOf('\u00a0')).toBeUndefined();
  });

  it('spells out finite numbers and booleans', () => {
    expect(textOf(3)).toBe('3');
    expect(textOf(0)).toBe('0');
    expect(textOf(-0.5)).toBe('-0.5');
    expect(textOf(true)).toBe('true');
    expect(textOf(false)).toBe('false');
    expect(textOf(Number.NaN)).toBeUndefined();
    expect(textOf(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('gives nothing for null, undefined, objects and arrays', () => {
    expect(textOf(null)).toBeUndefined();
    expect(textOf(undefined)).toBeUndefined();
    expect(textOf({ name: 'x' })).toBeUndefined();
    expect(textOf(['x'])).toBeUndefined();
  });

  it('leaves HTML and entities as they are (cleaning is the mapper’s job)', () => {
    expect(textOf(' <p>Tea &amp; chat</p> ')).toBe('<p>Tea &amp; chat</p>');
    expect(textOf('&nbsp;')).toBe('&nbsp;');
  });
});

describe('cleanUrl', () => {
  it('keeps http and https addresses as given', () => {
    expect(cleanUrl('http://example.com/counselling')).toBe('http://example.com/counselling');
    expect(cleanUrl(' https://www.camden.gov.uk/adult-social-care ')).toBe(
      'https://www.camden.gov.uk/adult-social-care',
    );
  });

  it('adds https to a bare www address', () => {
    expect(cleanUrl('www.ageuk.org.uk/camden')).toBe('https://www.ageuk.org.uk/camden');
    expect(cleanUrl('WWW.example.org')).toBe('https://WWW.example.org');
  });

  it('adds https to an address written as a bare host name, as 211 directories export them', () => {
    expect(cleanUrl('ymcasouthflorida.org')).toBe('https://ymcasouthflorida.org');
    expect(cleanUrl('AARP.org/taxaide')).toBe('https://AARP.org/taxaide');
    expect(cleanUrl('monroe.floridahealth.gov/')).toBe('https://monroe.floridahealth.gov/');
    expect(cleanUrl('someone@example.com')).toBeUndefined();
    expect(cleanUrl('example.org/a@b')).toBeUndefined();
    expect(cleanUrl('not a site.org')).toBeUndefined();
    expect(cleanUrl('version1.2')).toBeUndefined();
  });

  it('drops addresses that are not web links', () => {
    expect(cleanUrl('example/counselling')).toBeUndefined(); // the ORUK validator's "Fail" mock
    expect(cleanUrl('javascript:alert(1)')).toBeUndefined();
    expect(cleanUrl('mailto:someone@example.com')).toBeUndefined();
    expect(cleanUrl('ftp://example.com/file')).toBeUndefined();
    expect(cleanUrl('http://')).toBeUndefined();
    expect(cleanUrl('')).toBeUndefined();
    expect(cleanUrl(42)).toBeUndefined();
    expect(cleanUrl(`https://example.com/${'a'.repeat(2000)}`)).toBeUndefined();
  });
});

describe('cleanEmail', () => {
  it('keeps plausible addresses and strips mailto:', () => {
    expect(cleanEmail('email@example.com')).toBe('email@example.com');
    expect(cleanEmail(' MAILTO:Info@AgeUKCamden.org.uk ')).toBe('Info@AgeUKCamden.org.uk');
  });

  it('drops addresses without @, without a domain dot, or with spaces', () => {
    expect(cleanEmail('email-example_com')).toBeUndefined(); // the ORUK validator's "Fail" mock
    expect(cleanEmail('someone@localhost')).toBeUndefined();
    expect(cleanEmail('some one@example.com')).toBeUndefined();
    expect(cleanEmail('a@b@example.com')).toBeUndefined();
    expect(cleanEmail('')).toBeUndefined();
    expect(cleanEmail(null)).toBeUndefined();
    expect(cleanEmail(`${'a'.repeat(320)}@example.com`)).toBeUndefined();
  });
});

describe('cleanPhone', () => {
  it('strips the stray quotes the HSDS examples carry', () => {
    expect(cleanPhone('"+44 1234 234567"')).toBe('+44 1234 234567');
    expect(cleanPhone('""020 7974 4444""')).toBe('020 7974 4444');
  });

  it('keeps numbers given as JSON numbers', () => {
    expect(cleanPhone(2079744444)).toBe('2079744444');
  });

  it('drops text with fewer than three digits in a row', () => {
    expect(cleanPhone('n/a')).toBeUndefined();
    expect(cleanPhone('call us')).toBeUndefined();
    expect(cleanPhone('""')).toBeUndefined();
    expect(cleanPhone(undefined)).toBeUndefined();
  });

  it('clips very long values to 100 characters', () => {
    const long = cleanPhone(`020 7974 4444 ${'x'.repeat(200)}`);
    expect(long).toHaveLength(100);
    expect(long?.endsWith('…')).toBe(true);
  });
});

describe('accessibilityFeatures', () => {
  it('finds features in the official HSDS accessibility text', () => {
    expect(
      accessibilityFeatures(
        'The building is equipped with induction loops for hearing aids. Wheelchair access is possible on all levels.',
      ),
    ).toEqual(['wheelchair_accessible', 'hearing_loop']);
    expect(accessibilityFeatures('Switch hearing aid to T-coil to access the induction loop facility.')).toEqual([
      'hearing_loop',
    ]);
  });

  it('maps common phrasings to the controlled vocabulary, in vocabulary order', () => {
    expect(accessibilityFeatures('Level access, a lift to all floors and an accessible toilet')).toEqual([
      'step_free',
      'accessible_toilet',
    ]);
    expect(accessibilityFeatures('Quiet room available; large print and easy-read leaflets')).toEqual([
      'quiet_space',
      'large_print',
      'easy_read',
    ]);
    expect(accessibilityFeatures('Carers go free. Blue badge parking outside.')).toEqual(['carer_free', 'parking']);
    expect(accessibilityFeatures('disabled access via ramp')).toEqual(['wheelchair_accessible', 'step_free']);
  });

  it('finds nothing in unrelated text', () => {
    expect(accessibilityFeatures('Tea, biscuits and a warm welcome')).toEqual([]);
    expect(accessibilityFeatures('')).toEqual([]);
  });
});

describe('audiencesIn', () => {
  it('takes our own codes exactly, in any case or spacing', () => {
    expect(audiencesIn('older_people')).toEqual(['older_people']);
    expect(audiencesIn('Older people')).toEqual(['older_people']);
    expect(audiencesIn('parents-of-young-children')).toEqual(['parents_of_young_children']);
    expect(audiencesIn('carers')).toEqual(['carers']);
  });

  it('recognises the phrasings directories use', () => {
    expect(audiencesIn('Over 60s')).toEqual(['older_people']);
    expect(audiencesIn('For people in later life')).toEqual(['older_people']);
    expect(audiencesIn('Adults with learning disabilities')).toEqual(['learning_disabilities']);
    expect(audiencesIn('Bangladeshi elders')).toEqual(['ethnic_minorities']);
    expect(audiencesIn('LGBTQ+ over 50s')).toEqual(['older_people', 'lgbtq']);
    expect(audiencesIn('Parents and toddlers')).toEqual(['parents_of_young_children']);
    expect(audiencesIn("Men's Shed")).toEqual(['men']);
    expect(audiencesIn("Women's group")).toEqual(['women']);
    expect(audiencesIn('Exercise for women')).toEqual(['women']);
    expect(audiencesIn('All ages')).toEqual(['everyone']);
  });

  it('does not read "transport" as transgender or "women" as men', () => {
    expect(audiencesIn('Transport provided')).toEqual([]);
    expect(audiencesIn('women')).toEqual(['women']);
  });

  it('reads "women only" and "men only", and does not find groups inside other words', () => {
    expect(audiencesIn('Women only')).toEqual(['women']);
    expect(audiencesIn('Men only')).toEqual(['men']);
    expect(audiencesIn('For refugees and asylum seekers')).toEqual(['ethnic_minorities']);
    expect(audiencesIn('No apparent charge')).toEqual([]);
    expect(audiencesIn('Caucasian')).toEqual([]);
    expect(audiencesIn('Bring a blackboard')).toEqual([]);
  });

  it('finds nothing in text that names no group', () => {
    expect(audiencesIn('adult')).toEqual([]); // HSDS 1.1 sample eligibility
    expect(audiencesIn('')).toEqual([]);
  });
});

describe('howToJoinOf', () => {
  it('takes our own codes exactly', () => {
    expect(howToJoinOf('drop_in')).toBe('drop_in');
    expect(howToJoinOf('referral_needed')).toBe('referral_needed');
  });

  it('reads referral, self-referral, drop-in and booking from application_process text', () => {
    expect(howToJoinOf('A referral is required from your GP')).toBe('referral_needed');
    expect(howToJoinOf('By GP referral only')).toBe('referral_needed');
    expect(howToJoinOf('You must be referred by a social worker')).toBe('referral_needed');
    expect(howToJoinOf('Self-referral welcome: fill in the form')).toBe('self_referral');
    expect(howToJoinOf('Drop in, no need to book')).toBe('drop_in');
    expect(howToJoinOf('Just turn up on the day')).toBe('drop_in');
    expect(howToJoinOf('Please book a place on Eventbrite')).toBe('booking');
    expect(howToJoinOf('Register online')).toBe('booking');
  });

  it('gives nothing when the text does not say', () => {
    expect(howToJoinOf('Call for further information')).toBeUndefined(); // HSDS 1.1 sample
    expect(howToJoinOf('')).toBeUndefined();
    expect(howToJoinOf(undefined)).toBeUndefined();
  });
});

describe('languageName', () => {
  it('lower-cases and cleans a plain name', () => {
    expect(languageName('English')).toBe('english');
    expect(languageName(' <b>Polish</b> ')).toBe('polish');
    expect(languageName('')).toBeUndefined();
  });

  it('prefers an HSDS 3.0 name, then the HSDS 1.1 `language` column, then the code', () => {
    expect(languageName({ id: 'l1', name: 'Urdu', code: 'ur' })).toBe('urdu');
    expect(languageName({ id: 'l2', language: 'Spanish' })).toBe('spanish');
    expect(languageName({ code: 'bn' })).toBe('bengali');
    expect(languageName({ code: 'SOM' })).toBe('somali');
    expect(languageName({ code: 'bsl' })).toBe('british sign language');
  });

  it('gives nothing for an unknown code or an empty record', () => {
    expect(languageName({ code: 'xx' })).toBeUndefined();
    expect(languageName({})).toBeUndefined();
  });
});

describe('schedulesOf', () => {
  it('reads HSDS 3.0 schedules of the service and of its service_at_locations, as text', () => {
    const schedules = schedulesOf(sample('hsds-3.0_openreferral-spec/json/service_full.json'));
    expect(schedules).toHaveLength(2);
    expect(schedules[0]).toEqual({
      freq: 'WEEKLY',
      interval: '1',
      byday: 'TH,FR',
      bymonthday: '2,3,4',
      dtstart: '2005-01-01',
      until: '2005-01-01',
      count: '3',
      validFrom: '2005-01-01',
      validTo: '2005-01-01',
      opensAt: '10:00:00',
      closesAt: '18:00:00',
      description:
        'The service is available from 10 am to 6pm weekdays. The service is not available on public holidays.',
      notes:
        'Some of our staff will be unavailable during their lunch break which may be any 30 minute period between 1200 and 1400',
      wkst: 'TU',
    });
    expect(schedules[1]).toEqual(schedules[0]);
  });

  it('reads the ORUK 3.0 profile, which has no count, until or wkst', () => {
    const [schedule] = schedulesOf(sample('oruk-3.0_uk-profile/json/service_full.json'));
    expect(schedule).toMatchObject({ freq: 'WEEKLY', byday: 'TH,FR', opensAt: '10:00:00', closesAt: '18:00:00' });
    expect(schedule).not.toHaveProperty('count');
    expect(schedule).not.toHaveProperty('until');
    expect(schedule).not.toHaveProperty('wkst');
  });

  it('turns HSDS 1.1 regular_schedules (one row per weekday, 1 = Monday) into weekly rules', () => {
    const schedules = schedulesOf({
      id: 's1',
      regular_schedules: [
        { id: 'r1', weekday: 1, opens_at: '09:00:00', closes_at: '17:00:00' },
        { id: 'r2', weekday: '7', opens_at: '10:00', closes_at: '12:00' },
        { id: 'r3', weekday: 'Wednesday', opens_at: '13:00' },
      ],
    });
    expect(schedules).toEqual([
      { freq: 'WEEKLY', byday: 'MO', opensAt: '09:00:00', closesAt: '17:00:00' },
      { freq: 'WEEKLY', byday: 'SU', opensAt: '10:00', closesAt: '12:00' },
      { freq: 'WEEKLY', byday: 'Wednesday', opensAt: '13:00' },
    ]);
  });

  it('keeps a weekday row’s own freq and byday when it has them', () => {
    expect(schedulesOf({ regular_schedules: [{ weekday: 2, byday: '1TU', freq: 'MONTHLY' }] })).toEqual([
      { freq: 'MONTHLY', byday: '1TU' },
    ]);
  });

  it('reads regular_schedules inside service_at_locations, and cleans descriptions to one line', () => {
    const schedules = schedulesOf({
      service_at_locations: [
        {
          id: 'sal',
          regular_schedules: [{ weekday: 3, opens_at: '14:00', description: '<p>Afternoons,<br>term time</p>' }],
        },
      ],
    });
    expect(schedules).toEqual([
      { freq: 'WEEKLY', byday: 'WE', opensAt: '14:00', description: 'Afternoons, term time' },
    ]);
  });

  it('gives no schedules for a service without any, and skips entries that are not objects', () => {
    expect(schedulesOf({ id: 's1' })).toEqual([]);
    expect(schedulesOf({ schedules: ['weekly', null, 3] })).toEqual([]);
  });
});

describe('toEntry', () => {
  it('maps the official HSDS 3.0 service_full example', () => {
    const entry = entryOf(sample('hsds-3.0_openreferral-spec/json/service_full.json'));
    expect(entry).toMatchObject({
      externalId: 'ac148810-d857-441c-9679-408f346de14b',
      kind: 'activity',
      title: 'Community Counselling',
      status: 'active',
      url: 'http://example.com/counselling',
      alert:
        'Following COVID-19 we have moved most of our counselling sessions online. Please contact the reception if you require further information.',
      eligibility:
        'This service is intended for all people aged 12 and over who require counselling services in the MyCity area',
      minimumAge: 12,
      maximumAge: 100,
      assuredDate: new Date('2005-01-01T00:00:00Z'),
      languages: ['urdu'],
      contact: { name: 'Ann Persona', email: 'email@example.com', phone: '+44 1234 234567' },
    });
    // Trailing space trimmed.
    expect(entry.description).toMatch(/^Counselling Services provided by trained professionals\..*circumstances\.$/);
    expect(entry.organisation).toEqual({
      externalId: 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610',
      name: 'Example Organization Inc.',
      description:
        'Example Org is a non-profit organization dedicated to providing services to qualified beneficiaries',
      email: 'email@example.com',
      url: 'http://example.com',
      phone: '+44 1234 234567',
    });
    // The only address is a postal one: used rather than none. Latitude 100 is dropped.
    expect(entry.location).toEqual({
      externalId: '3a19ff88-4620-4d17-9830-ac1d859eb5d5',
      locationType: 'physical',
      name: 'MyCity Civic Center',
      address1: '1-30 Main Street',
      address2: 'MyVillage',
      city: 'MyCity',
      postalCode: 'ABC 1234',
      url: 'http://example.com',
      accessibility: ['wheelchair_accessible', 'hearing_loop'],
      accessibilityNote:
        'The building is equipped with induction loops for hearing aids. Wheelchair access is possible on all levels. Switch hearing aid to T-coil to access the induction loop facility.',
    });
    // fees_description is prose (no "free"); the one cost option is £35.
    expect(entry.cost).toMatchObject({ amount: 35, isFree: false });
    expect(entry.cost?.description).toMatch(/^Non-NHS patients are expected to pay/);
    // The schedule's attending_type says "in-person or remotely via video conferencing".
    expect(entry.attendingTypes).toEqual(['in_person', 'online']);
    // The placeholder taxonomy term is called "name": not a category.
    expect(entry.categories).toEqual([]);
    expect(entry.audiences).toEqual([]);
    // "ask your GP for a referral letter … ring our reception to arrange an appointment" names no single route.
    expect(entry.howToJoin).toBeUndefined();
    expect(entry.occurrences).toEqual([]);
  });

  it('maps the ORUK 3.0 profile example, describing the cost from its cost option', () => {
    const entry = entryOf(sample('oruk-3.0_uk-profile/json/service_full.json'));
    expect(entry.title).toBe('Community Counselling');
    expect(entry.organisation?.name).toBe('Example Organization Inc.');
    expect(entry.cost).toEqual({
      amount: 35,
      isFree: false,
      description: 'Under 18s and Over 60s £35 per 1 hour session',
    });
  });

  it('drops the bad url and e-mail of the ORUK validator "Fail" mock but keeps the service', () => {
    const entry = entryOf(sample('oruk-3.0_validator-mocks/fail_service_full.json'));
    expect(entry.title).toBe('Community Counselling');
    // The parser passes the bad address on; the import drops it with a note in the report.
    const notes: { ref: string; reason: string }[] = [];
    keepWebUrls(entry, 'svc', notes);
    expect(entry.url).toBeUndefined();
    expect(notes).toEqual([
      { ref: 'svc', reason: expect.stringMatching(/web address "example\/counselling" was dropped/) },
    ]);
    expect(entry.description).toBe('');
  });

  it('maps a full Camden service: organisation, location, accessibility, languages, cost, contact, taxonomy terms', () => {
    const entry = entryOf({
      id: 'svc-42',
      name: '  <b>Tuesday&nbsp;Lunch Club</b> ',
      description: '<p>Hot lunch &amp; a chat.</p><p>All welcome.</p>',
      url: 'www.example.org/lunch',
      email: 'lunch@example.org',
      status: 'active',
      application_process: 'Drop in, no need to book',
      eligibility_description: 'Older people living in Camden',
      minimum_age: '60',
      assured_date: '2026-10-01T12:00:00Z',
      organization: {
        id: 'org-1',
        name: 'Highgate Neighbours',
        website: 'https://highgate.example.org',
        phones: [{ number: '020 7000 0001' }],
      },
      service_areas: [{ id: 'sa-1', name: 'Highgate' }],
      service_at_locations: [
        {
          id: 'sal-1',
          location: {
            id: 'loc-1',
            location_type: 'physical',
            name: 'Highgate Newtown Community Centre',
            latitude: '51.5645',
            longitude: -0.1445,
            addresses: [
              { address_1: 'PO Box 1', postal_code: 'N6 9ZZ', address_type: 'postal' },
              {
                address_1: '25 Bertram Street',
                address_2: 'Highgate',
                city: 'London',
                postal_code: 'n195dq',
                address_type: 'physical',
              },
            ],
            accessibility: [
              { accessibility: 'step_free', details: 'Ramp at the side door' },
              { description: 'Hearing loop in the main hall' },
            ],
          },
        },
      ],
      languages: [{ name: 'English' }, { code: 'bn' }, 'Somali'],
      cost_options: [{ option: 'Lunch', amount: 0, amount_description: 'free for members' }],
      contacts: [{ name: 'Centre desk', email: 'mailto:desk@example.org', phones: [{ number: '"020 7000 0002"' }] }],
      attributes: [
        { taxonomy_term: { name: 'Lunch clubs', taxonomy: 'Camden categories' } },
        { taxonomy_term: { name: 'Social', taxonomy_detail: { name: 'Activity type' } } },
        { taxonomy_term: { name: 'Carers', taxonomy: 'Audience' } },
        { value: 'Befriending', link_type: 'category' },
      ],
    });
    expect(entry).toMatchObject({
      externalId: 'svc-42',
      kind: 'activity',
      title: 'Tuesday Lunch Club',
      description: 'Hot lunch & a chat.\n\nAll welcome.',
      url: 'https://www.example.org/lunch',
      status: 'active',
      howToJoin: 'drop_in',
      eligibility: 'Older people living in Camden',
      minimumAge: 60,
      assuredDate: new Date('2026-10-01T00:00:00Z'),
      organisation: {
        externalId: 'org-1',
        name: 'Highgate Neighbours',
        url: 'https://highgate.example.org',
        phone: '020 7000 0001',
      },
      contact: { name: 'Centre desk', email: 'desk@example.org', phone: '020 7000 0002' },
      cost: { amount: 0, isFree: true, description: 'Lunch £0 free for members' },
      attendingTypes: ['in_person'],
    });
    expect(entry.location).toEqual({
      externalId: 'loc-1',
      locationType: 'physical',
      name: 'Highgate Newtown Community Centre',
      address1: '25 Bertram Street',
      address2: 'Highgate',
      city: 'London',
      postalCode: 'N19 5DQ',
      ward: 'Highgate',
      latitude: 51.5645,
      longitude: -0.1445,
      accessibility: ['step_free', 'hearing_loop'],
      accessibilityNote: 'Ramp at the side door Hearing loop in the main hall',
    });
    expect(entry.languages).toEqual(['english', 'bengali', 'somali']);
    expect(entry.categories).toEqual(['lunch clubs', 'social', 'befriending']);
    // The "Carers" term sits in an audience taxonomy; the eligibility text is not read when terms name an audience.
    expect(entry.audiences).toEqual(['carers']);
  });

  it('infers audiences from eligibility and age when no term names one', () => {
    const entry = entryOf({
      id: 's1',
      name: 'Chair yoga',
      eligibility_description: 'Carers and over 55s',
      minimum_age: 50,
    });
    expect(entry.audiences).toEqual(['older_people', 'carers']);
    expect(entryOf({ id: 's2', name: 'Walking group', minimum_age: 65 }).audiences).toEqual(['older_people']);
    // Outpost's min_age and max_age; a range that ends in youth is for young people, up to 4 for parents and babies.
    const youth = entryOf({ id: 's3', name: 'Uptown Coffee Bar - Drop In', min_age: 13, max_age: 25 });
    expect(youth).toMatchObject({ minimumAge: 13, maximumAge: 25, audiences: ['young_people'] });
    expect(entryOf({ id: 's4', name: 'Bounce and Rhyme', max_age: 4 }).audiences).toEqual([
      'parents_of_young_children',
    ]);
    expect(entryOf({ id: 's5', name: 'Lunch club', min_age: 18 }).audiences).toEqual([]);
    expect(entryOf({ id: 's3', name: 'Drop-in', eligibility_description: 'Everyone' }).audiences).toEqual([]);
  });

  it('takes the postcode district’s ward when it has only one, and a service area’s ward otherwise', () => {
    const at = (postal_code: string, areas: JsonRecord[] = []) =>
      entryOf({
        id: 's',
        name: 'Club',
        service_areas: areas,
        locations: [{ id: 'l', addresses: [{ address_1: '1 High St', postal_code }] }],
      }).location;
    expect(at('N6 5HG')?.ward).toBe('Highgate');
    expect(at('NW5 1TL')?.ward).toBeUndefined(); // NW5 spans six wards
    expect(at('NW5 1TL', [{ name: 'Kentish Town North' }])?.ward).toBe('Kentish Town North');
    // HSDS 1.1 / ORUK v1 name the area in `service_area`.
    expect(at('NW5 1TL', [{ service_area: 'Gospel Oak' }])?.ward).toBe('Gospel Oak');
    expect(at('NW5 1TL', [{ uri: 'https://example.org/wards/E05013658' }])?.ward).toBe('Gospel Oak');
  });

  it('marks a virtual location online and prefers a physical one as the place', () => {
    const online = entryOf({
      id: 's',
      name: 'Online coffee morning',
      locations: [{ id: 'v', location_type: 'virtual', url: 'https://zoom.example/j/1' }],
    });
    expect(online.attendingTypes).toEqual(['online']);
    expect(online.location).toMatchObject({
      externalId: 'v',
      locationType: 'virtual',
      url: 'https://zoom.example/j/1',
    });

    const both = entryOf({
      id: 's',
      name: 'Hybrid choir',
      locations: [
        { id: 'v', location_type: 'virtual' },
        { id: 'p', name: 'St Pancras Church' },
      ],
    });
    expect(both.location?.externalId).toBe('p');
    expect(both.attendingTypes).toEqual(['in_person', 'online']);
  });

  it('names a location without an id from its name', () => {
    const entry = entryOf({ id: 's', name: 'Club', locations: [{ name: 'Queen’s Crescent Library' }] });
    expect(entry.location?.externalId).toBe('loc:queen’s crescent library');
  });

  it('rejects a service with no name, or a name that is only markup, with a reason', () => {
    expect(rejection({ id: 'svc-1' })).toBe('the service has an empty name');
    expect(rejection({ id: 'svc-1', name: '   ' })).toBe('the service has an empty name');
    expect(rejection({ id: 'svc-1', name: '&nbsp;' })).toBe('the service has an empty name');
    expect(rejection({ id: 'svc-1', name: '<p></p>' })).toBe('the service has an empty name');
  });

  it('rejects a service with no id', () => {
    expect(rejection({ name: 'Lunch club' })).toBe('the service has no id');
    expect(rejection({ id: '', name: 'Lunch club' })).toBe('the service has no id');
  });

  it('keeps a service whose organisation is missing or unnamed, without one', () => {
    const minimal = entryOf({ id: 7, name: 'Knit and natter' });
    expect(minimal.organisation).toBeUndefined();
    expect(minimal).toMatchObject({
      externalId: '7',
      kind: 'activity',
      title: 'Knit and natter',
      description: '',
      status: 'active',
      attendingTypes: ['in_person'],
      contact: {},
      cost: {},
      categories: [],
      audiences: [],
      languages: [],
    });
    expect(entryOf({ id: 's', name: 'x', organization: { id: 'org-9' } }).organisation).toBeUndefined();
    // The British spelling is read too, and an organisation without an id is named from its name.
    expect(entryOf({ id: 's', name: 'x', organisation: { name: 'Age UK Camden' } }).organisation).toEqual({
      externalId: 'org:age uk camden',
      name: 'Age UK Camden',
    });
  });

  it.each([
    ['inactive', 'closed'],
    ['defunct', 'closed'],
    ['Temporarily closed', 'temporarily_closed'],
    ['temporarily_closed', 'temporarily_closed'],
    ['paused', 'temporarily_closed'],
    ['active', 'active'],
    ['something else', 'active'],
  ])('reads status %j as %j', (status, expected) => {
    expect(entryOf({ id: 's', name: 'x', status }).status).toBe(expected);
  });

  it('infers training and resources from titles and categories', () => {
    expect(entryOf({ id: 's', name: 'Mental Health First Aid (two days)' }).kind).toBe('training');
    expect(
      entryOf({ id: 's', name: 'Making Every Contact Count', attributes: [{ taxonomy_term: { name: 'MECC' } }] }).kind,
    ).toBe('training');
    expect(entryOf({ id: 's', name: 'Loneliness toolkit' }).kind).toBe('resource');
    // A "guide" with a place to go is something to attend.
    expect(entryOf({ id: 's', name: 'Guided walk guide', service_at_locations: [{ id: 'sal' }] }).kind).toBe(
      'activity',
    );
  });

  it('marks a helpline with a phone number as a phone service', () => {
    const entry = entryOf({ id: 's', name: 'Silver Line Helpline', phones: [{ number: '0800 4 70 80 90' }] });
    expect(entry.attendingTypes).toEqual(['phone']);
    expect(entry.contact).toEqual({ phone: '0800 4 70 80 90' });
    expect(entry.kind).toBe('resource');
  });

  it('reads cost: free from text, the lowest amount, and paid', () => {
    expect(entryOf({ id: 's', name: 'x', fees_description: 'Free of charge' }).cost).toEqual({
      isFree: true,
      description: 'Free of charge',
    });
    expect(entryOf({ id: 's', name: 'x', cost_options: [{ amount: 5 }, { amount: '3.50' }] }).cost).toEqual({
      amount: 3.5,
      isFree: false,
      description: '£5; £3.50',
    });
    // Text that says "free" alongside a price settles nothing.
    expect(entryOf({ id: 's', name: 'x', fees: 'Free for carers', cost_options: [{ amount: 4 }] }).cost).toEqual({
      amount: 4,
      description: 'Free for carers',
    });
  });

  it('reads an assured_date only when it is a real calendar date', () => {
    expect(entryOf({ id: 's', name: 'x', assured_date: '2026-03-01' }).assuredDate).toEqual(
      new Date('2026-03-01T00:00:00Z'),
    );
    expect(entryOf({ id: 's', name: 'x', assured_date: '2026-02-30' }).assuredDate).toBeUndefined();
    expect(entryOf({ id: 's', name: 'x', assured_date: 'last year' }).assuredDate).toBeUndefined();
  });

  it('reads the ORUK v1 / HSDS 1.1 shape: physical_addresses, eligibilitys, service_taxonomys, language strings', () => {
    const entry = entryOf({
      id: 'v1-1',
      name: 'Somali elders group',
      fees: 'No charge',
      locations: [
        {
          id: 'loc',
          physical_addresses: [{ address_1: 'Kentish Town Community Centre', postal_code: 'NW5 3EH' }],
          accessibility_for_disabilities: [{ accessibility: 'wheelchair_access', details: 'Lift to first floor' }],
        },
      ],
      eligibilitys: [{ eligibility: 'Somali community' }, { eligibility: 'older adults' }],
      service_taxonomys: [{ taxonomy: { name: 'Social groups', vocabulary: 'esd' } }],
      languages: ['Somali', 'English'],
      regular_schedules: [{ weekday: 4, opens_at: '11:00', attending_type: 'In person' }],
    });
    expect(entry.location).toMatchObject({
      address1: 'Kentish Town Community Centre',
      postalCode: 'NW5 3EH',
      accessibility: ['wheelchair_accessible', 'step_free'],
    });
    expect(entry.location?.accessibilityNote).toBe('wheelchair_access Lift to first floor');
    expect(entry.eligibility).toBe('Somali community; older adults');
    expect(entry.audiences).toEqual(['older_people', 'ethnic_minorities']);
    expect(entry.categories).toEqual(['social groups']);
    expect(entry.languages).toEqual(['somali', 'english']);
    expect(entry.cost).toEqual({ isFree: true, description: 'No charge' });
  });

  it('reads our own taxonomies exactly and infers nothing from free text for them', () => {
    const term = (taxonomy: string, name: string) => ({ taxonomy_term: { taxonomy, name } });
    const entry = entryOf({
      id: 'exported-1',
      name: 'Mental Health First Aid refresher',
      eligibility_description: 'Carers over 60',
      locations: [{ id: 'l', accessibility: [{ description: 'Wheelchair access and a hearing loop' }] }],
      phones: [{ number: '020 7000 0003' }],
      attributes: [
        term(SIGNPOST_TAXONOMY.kind, 'resource'),
        term(SIGNPOST_TAXONOMY.audience, 'lgbtq'),
        term(SIGNPOST_TAXONOMY.category, 'Wellbeing'),
        term(SIGNPOST_TAXONOMY.accessibility, 'quiet_space'),
        term(SIGNPOST_TAXONOMY.howToJoin, 'booking'),
        term(SIGNPOST_TAXONOMY.attendingType, 'phone'),
        term(SIGNPOST_TAXONOMY.cost, 'paid'),
      ],
      cost_options: [{ amount: 0 }],
    });
    expect(entry).toMatchObject({
      kind: 'resource',
      audiences: ['lgbtq'],
      categories: ['wellbeing'],
      howToJoin: 'booking',
      attendingTypes: ['phone'],
      cost: { amount: 0, isFree: false },
    });
    expect(entry.location?.accessibility).toEqual(['quiet_space']);
  });
});
