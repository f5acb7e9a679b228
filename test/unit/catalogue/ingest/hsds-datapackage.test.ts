import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogueEntryInputSchema } from '../../../../src/catalogue/model.ts';
import {
  canonicalTable,
  parseCsvTable,
  servicesFromTables,
  type Tables,
} from '../../../../src/catalogue/ingest/parse-hsds-datapackage.ts';
import { type JsonRecord, schedulesOf, toEntry } from '../../../../src/catalogue/ingest/parse-hsds-service.ts';
import { refusal } from '../../../helpers/refusal.ts';

const HSDS = path.resolve('test/fixtures/hsds');

/** The tables a package's descriptor lists, read as the importer reads them (first listing of each table wins). */
function packageTables(folder: string): Tables {
  const dir = path.join(HSDS, folder);
  const descriptor = JSON.parse(readFileSync(path.join(dir, 'datapackage.json'), 'utf8')) as {
    resources: { name?: string; path: string }[];
  };
  const tables: Tables = new Map();
  for (const r of descriptor.resources) {
    const table = canonicalTable(r.name ?? r.path) ?? canonicalTable(r.path);
    if (table && !tables.has(table))
      tables.set(table, parseCsvTable(readFileSync(path.join(dir, r.path), 'utf8'), r.path));
  }
  return tables;
}

describe('canonicalTable', () => {
  it.each([
    ['services.csv', 'services'],
    ['service', 'services'],
    ['organizations.csv', 'organizations'],
    ['service_at_location.csv', 'service_at_location'],
    ['services_at_location.csv', 'service_at_location'],
    ['regular_schedules.csv', 'schedules'],
    ['schedule.csv', 'schedules'],
    ['physical_addresses.csv', 'addresses'],
    ['address.csv', 'addresses'],
    ['postal_addresses.csv', 'postal_addresses'],
    ['accessibility_for_disabilities.csv', 'accessibility'],
    ['taxonomy.csv', 'taxonomies'],
    ['taxonomy_term', 'taxonomy_terms'],
    ['attribute.csv', 'attributes'],
    ['services_taxonomy.csv', 'services_taxonomy'],
    ['eligibility.csv', 'eligibility'],
    ['service_areas.csv', 'service_areas'],
  ])('maps %j to %j', (name, table) => {
    expect(canonicalTable(name)).toBe(table);
  });

  it('ignores folders, case, a .json extension and hyphens', () => {
    expect(canonicalTable('data/csv/Physical-Addresses.CSV')).toBe('addresses');
    expect(canonicalTable('tables/Services.json')).toBe('services');
    expect(canonicalTable('cost-options')).toBe('cost_options');
  });

  it('gives nothing for tables the importer does not read', () => {
    for (const name of [
      'holiday_schedules.csv',
      'funding.csv',
      'programs.csv',
      'metadata.csv',
      'meta_table_descriptions.csv',
      'readme.txt',
    ]) {
      expect(canonicalTable(name)).toBeUndefined();
    }
  });
});

describe('parseCsvTable', () => {
  it('reads rows keyed by trimmed, lower-cased headers, with a BOM and blank lines', () => {
    const rows = parseCsvTable(
      '\uFEFFID, Name ,Service_ID\r\n\r\ns1, Lunch club ,x\r\n\r\ns2,"Tea, cake and chat",y\r\n',
      'services.csv',
    );
    expect(rows).toEqual([
      { id: 's1', name: 'Lunch club', service_id: 'x' },
      { id: 's2', name: 'Tea, cake and chat', service_id: 'y' },
    ]);
  });

  it('keeps quoted line breaks and doubled quotes, as the HSDS phone example has them', () => {
    const rows = parseCsvTable('id,number,description\np1,"""+44 1234 234567""","Reception\nweekdays"\n', 'phones.csv');
    expect(rows).toEqual([{ id: 'p1', number: '"+44 1234 234567"', description: 'Reception\nweekdays' }]);
  });

  it('tolerates rows shorter or longer than the header', () => {
    const rows = parseCsvTable('id,name,url\ns1,Walk\ns2,Choir,https://example.org,extra\n', 'services.csv');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: 's1', name: 'Walk' });
    expect(rows[1]).toMatchObject({ id: 's2', name: 'Choir', url: 'https://example.org' });
  });

  it('gives no rows for a header alone', () => {
    expect(parseCsvTable('id,service_id,taxonomy_id,taxonomy_detail\n', 'services_taxonomy.csv')).toEqual([]);
  });

  it('refuses unreadable CSV with one sentence naming the file', () => {
    const error = refusal(() => parseCsvTable('id,name\ns1,"Lunch club\n', 'services.csv'));
    expect(error.message).toMatch(/^services\.csv is not readable CSV: /);
    expect(error.message).not.toContain('\n');
  });

  it('reads every table of the official HSDS 3.0 package', () => {
    const services = parseCsvTable(
      readFileSync(path.join(HSDS, 'hsds-3.0_openreferral-spec/csv/services.csv'), 'utf8'),
      'services.csv',
    );
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({
      id: 'ac148810-d857-441c-9679-408f346de14b',
      name: 'Community Counselling',
      minimum_age: '12',
    });
  });
});

describe('servicesFromTables', () => {
  const tables = (t: Record<string, JsonRecord[]>): Tables => new Map(Object.entries(t));

  it('joins a service to its organisation, locations, schedules, phones, contacts and the rest', () => {
    const [service, ...rest] = servicesFromTables(
      tables({
        services: [{ id: 's1', organization_id: 'o1', name: 'Lunch club' }],
        organizations: [
          { id: 'o1', name: 'Highgate Neighbours' },
          { id: 'o2', name: 'Someone else' },
        ],
        service_at_location: [{ id: 'sal1', service_id: 's1', location_id: 'l1' }],
        locations: [{ id: 'l1', name: 'Highgate Newtown Community Centre' }],
        addresses: [{ id: 'a1', location_id: 'l1', address_1: '25 Bertram Street' }],
        postal_addresses: [{ id: 'pa1', location_id: 'l1', address_1: 'PO Box 1' }],
        accessibility: [{ id: 'ac1', location_id: 'l1', accessibility: 'step_free' }],
        schedules: [
          { id: 'sc1', service_id: 's1', service_at_location_id: 'sal1', freq: 'WEEKLY', byday: 'TU' },
          { id: 'sc2', service_at_location_id: 'sal1', freq: 'WEEKLY', byday: 'TH' },
          { id: 'sc3', service_id: 's2', freq: 'DAILY' },
        ],
        phones: [
          { id: 'p1', service_id: 's1', number: '020 7000 0001' },
          { id: 'p2', contact_id: 'c1', number: '020 7000 0002' },
          { id: 'p3', organization_id: 'o1', number: '020 7000 0003' },
          { id: 'p4', location_id: 'l1', number: '020 7000 0004' },
        ],
        contacts: [{ id: 'c1', service_id: 's1', name: 'Centre desk' }],
        languages: [{ id: 'lang1', service_id: 's1', name: 'Bengali' }],
        cost_options: [{ id: 'co1', service_id: 's1', amount: '0' }],
        eligibility: [{ id: 'e1', service_id: 's1', eligibility: 'older adults' }],
        service_areas: [{ id: 'sa1', service_id: 's1', name: 'Highgate' }],
      }),
    );
    expect(rest).toEqual([]);
    expect(service).toMatchObject({
      id: 's1',
      name: 'Lunch club',
      organization: {
        id: 'o1',
        name: 'Highgate Neighbours',
        phones: [{ id: 'p3', organization_id: 'o1', number: '020 7000 0003' }],
      },
      languages: [{ id: 'lang1', service_id: 's1', name: 'Bengali' }],
      cost_options: [{ id: 'co1', service_id: 's1', amount: '0' }],
      phones: [{ id: 'p1', service_id: 's1', number: '020 7000 0001' }],
      contacts: [{ id: 'c1', name: 'Centre desk', phones: [{ id: 'p2', contact_id: 'c1', number: '020 7000 0002' }] }],
      eligibilitys: [{ id: 'e1', eligibility: 'older adults' }],
      service_areas: [{ id: 'sa1', name: 'Highgate' }],
    });
    // A schedule with the service's id sits on the service only; one keyed to the service_at_location alone sits there.
    expect((service!.schedules as JsonRecord[]).map((s) => s.id)).toEqual(['sc1']);
    expect(service!.service_at_locations).toEqual([
      {
        id: 'sal1',
        service_id: 's1',
        location_id: 'l1',
        location: {
          id: 'l1',
          name: 'Highgate Newtown Community Centre',
          addresses: [{ id: 'a1', location_id: 'l1', address_1: '25 Bertram Street' }],
          postal_addresses: [{ id: 'pa1', location_id: 'l1', address_1: 'PO Box 1' }],
          accessibility: [{ id: 'ac1', location_id: 'l1', accessibility: 'step_free' }],
        },
        schedules: [{ id: 'sc2', service_at_location_id: 'sal1', freq: 'WEEKLY', byday: 'TH' }],
      },
    ]);
    // The nested record reads as one entry with both schedules.
    expect(schedulesOf(service!).map((s) => s.byday)).toEqual(['TU', 'TH']);
    expect(toEntry(service!)).toMatchObject({
      organisation: { name: 'Highgate Neighbours', phone: '020 7000 0003' },
      location: {
        name: 'Highgate Newtown Community Centre',
        address1: '25 Bertram Street',
        accessibility: ['step_free'],
        ward: 'Highgate',
      },
      contact: { name: 'Centre desk', phone: '020 7000 0001' },
      languages: ['bengali'],
      cost: { amount: 0, isFree: true },
      eligibility: 'older adults',
    });
  });

  it('resolves attribute terms and their taxonomy name, and HSDS 1.1 services_taxonomy rows', () => {
    const [service] = servicesFromTables(
      tables({
        services: [{ id: 's1', name: 'Chair yoga' }],
        attributes: [
          { id: 'at1', link_id: 's1', taxonomy_term_id: 't1' },
          { id: 'at2', link_id: 's1', taxonomy_term_id: 'missing', value: 'Exercise' },
          { id: 'at3', link_id: 'other', taxonomy_term_id: 't1' },
        ],
        taxonomy_terms: [{ id: 't1', name: 'Over 60s', taxonomy_id: 'tx1' }],
        taxonomies: [{ id: 'tx1', name: 'Audience' }],
        services_taxonomy: [{ id: 'st1', service_id: 's1', taxonomy_id: 'tx1' }],
      }),
    );
    expect(service!.attributes).toEqual([
      {
        id: 'at1',
        link_id: 's1',
        taxonomy_term_id: 't1',
        taxonomy_term: { id: 't1', name: 'Over 60s', taxonomy_id: 'tx1', taxonomy: 'Audience' },
      },
      { id: 'at2', link_id: 's1', taxonomy_term_id: 'missing', value: 'Exercise' },
    ]);
    expect(service!.service_taxonomys).toEqual([
      { id: 'st1', service_id: 's1', taxonomy_id: 'tx1', taxonomy: { id: 'tx1', name: 'Audience' } },
    ]);
    const entry = toEntry(service!);
    expect(entry.audiences).toEqual(['older_people']);
    expect(entry.categories).toEqual(['exercise', 'audience']);
  });

  it('keeps a term’s own taxonomy text over its taxonomy table name', () => {
    const [service] = servicesFromTables(
      tables({
        services: [{ id: 's1', name: 'x' }],
        attributes: [{ id: 'at1', link_id: 's1', taxonomy_term_id: 't1' }],
        taxonomy_terms: [{ id: 't1', name: 'Befriending', taxonomy: 'Camden categories', taxonomy_id: 'tx1' }],
        taxonomies: [{ id: 'tx1', name: 'Other' }],
      }),
    );
    expect((service!.attributes as JsonRecord[])[0]?.taxonomy_term).toMatchObject({ taxonomy: 'Camden categories' });
  });

  it('keeps every service row, duplicates and unknown references included, with empty lists where nothing joins', () => {
    const services = servicesFromTables(
      tables({
        services: [
          { id: 's1', organization_id: 'nobody', name: 'A' },
          { id: 's1', name: 'A again' },
          { name: 'No id' },
        ],
        service_at_location: [{ id: 'sal1', service_id: 's1', location_id: 'nowhere' }],
      }),
    );
    expect(services.map((s) => s.name)).toEqual(['A', 'A again', 'No id']);
    expect(services[0]).not.toHaveProperty('organization');
    expect(services[0]!.service_at_locations).toEqual([
      { id: 'sal1', service_id: 's1', location_id: 'nowhere', schedules: [] },
    ]);
    expect(services[2]).toMatchObject({
      service_at_locations: [],
      schedules: [],
      languages: [],
      phones: [],
      contacts: [],
      attributes: [],
    });
  });

  it('gives no services without a services table', () => {
    expect(servicesFromTables(new Map())).toEqual([]);
  });

  it('joins the HSDS 1.1 sample package (ORUK v1 table names) into entries', () => {
    const services = servicesFromTables(packageTables('hsds-1.1_sample-datapackage'));
    expect(services).toHaveLength(13);
    const helpline = services.find((s) => s.id === 'c89eb05c-62dd-4b64-b494-0cc347b6ea7f')!;
    expect(helpline).toMatchObject({
      name: 'Never Homeless Helpline',
      organization: { name: 'Sanctuary Example City' },
    });
    // The three regular_schedules rows carry the service id: on the service, not repeated on its service_at_location.
    expect((helpline.schedules as JsonRecord[]).map((s) => s.weekday)).toEqual(['1', '2', '3']);
    expect((helpline.service_at_locations as JsonRecord[])[0]?.schedules).toEqual([]);

    const entry = toEntry(helpline);
    expect(CatalogueEntryInputSchema.safeParse(entry).success).toBe(true);
    expect(entry).toMatchObject({
      title: 'Never Homeless Helpline',
      organisation: { name: 'Sanctuary Example City', email: 'sanctuary@example.com', url: 'http://example.com' },
      location: {
        name: 'Sanctuary on 5th Street',
        address1: 'Address 1',
        address2: 'Address 2',
        city: 'New York City',
        postalCode: '10001',
        accessibility: ['parking'],
        accessibilityNote: 'Disabled parking: Some details regarding the parking lot',
      },
      contact: { name: 'Contact 1', email: 'contact1@example.com' },
      languages: ['english', 'spanish'],
      eligibility: 'adult',
    });
    expect(schedulesOf(helpline)).toEqual([
      { freq: 'WEEKLY', byday: 'MO', opensAt: '09:00:00', closesAt: '17:00:00' },
      { freq: 'WEEKLY', byday: 'TU', opensAt: '09:00:00', closesAt: '17:00:00' },
      { freq: 'WEEKLY', byday: 'WE', opensAt: '09:00:00', closesAt: '17:00:00' },
    ]);
  });

  it('joins the official HSDS 3.0 package into the same entry as its JSON example, less what the tables leave out', () => {
    const [service] = servicesFromTables(packageTables('hsds-3.0_openreferral-spec/csv'));
    const fromCsv = toEntry(service!);
    const fromJson = toEntry(
      JSON.parse(
        readFileSync(path.join(HSDS, 'hsds-3.0_openreferral-spec/json/service_full.json'), 'utf8'),
      ) as JsonRecord,
    );
    for (const field of [
      'externalId',
      'title',
      'description',
      'url',
      'alert',
      'eligibility',
      'minimumAge',
      'maximumAge',
      'assuredDate',
      'cost',
      'languages',
      'attendingTypes',
    ] as const) {
      expect(fromCsv[field], field).toEqual(fromJson[field]);
    }
    expect(fromCsv.organisation).toEqual(fromJson.organisation);
    expect(fromCsv.location).toMatchObject({
      name: 'MyCity Civic Center',
      address1: '1-30 Main Street',
      accessibility: ['wheelchair_accessible', 'hearing_loop'],
    });
    expect(schedulesOf(service!)).toHaveLength(1);
  });

  it('reads the ORUK 3.0 profile package through its descriptor’s singular tables only', () => {
    const t = packageTables('oruk-3.0_uk-profile/csv');
    expect(t.get('addresses')).toHaveLength(1);
    expect(t.get('schedules')).toHaveLength(1);
    const services = servicesFromTables(t);
    expect(services).toHaveLength(1);
    expect(schedulesOf(services[0]!)).toHaveLength(1);
    expect(toEntry(services[0]!).location).toMatchObject({ address1: '1-30 Main Street', city: 'MyCity' });
  });
});
