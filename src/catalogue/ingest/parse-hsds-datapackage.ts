/**
 * Open Referral tabular data (HSDS 3.0 / ORUK 3.0 CSV data packages, HSDS 1.1 / ORUK v1 data packages, and the
 * HSDS "tabular" JSON that holds the same tables) → nested service records, in the shape `toEntry` reads.
 *
 * Only the resources the descriptor lists are read: the ORUK profile's folder holds legacy and new tables side by
 * side (`address.csv` and `addresses.csv`), and globbing would double-count.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { FeedRefusedError } from './parse-ical.ts';
import { isRecord, type JsonRecord, records, textOf } from './parse-hsds-service.ts';

export type Tables = Map<string, JsonRecord[]>;

/** Table names across HSDS versions → one canonical name. */
const TABLE_ALIASES: Readonly<Record<string, string>> = {
  organization: 'organizations',
  organizations: 'organizations',
  service: 'services',
  services: 'services',
  service_at_location: 'service_at_location',
  services_at_location: 'service_at_location',
  location: 'locations',
  locations: 'locations',
  address: 'addresses',
  addresses: 'addresses',
  physical_address: 'addresses',
  physical_addresses: 'addresses',
  postal_address: 'postal_addresses',
  postal_addresses: 'postal_addresses',
  schedule: 'schedules',
  schedules: 'schedules',
  regular_schedule: 'schedules',
  regular_schedules: 'schedules',
  phone: 'phones',
  phones: 'phones',
  contact: 'contacts',
  contacts: 'contacts',
  language: 'languages',
  languages: 'languages',
  accessibility: 'accessibility',
  accessibility_for_disabilities: 'accessibility',
  taxonomy_term: 'taxonomy_terms',
  taxonomy_terms: 'taxonomy_terms',
  taxonomy: 'taxonomies',
  taxonomies: 'taxonomies',
  attribute: 'attributes',
  attributes: 'attributes',
  services_taxonomy: 'services_taxonomy',
  service_taxonomy: 'services_taxonomy',
  cost_option: 'cost_options',
  cost_options: 'cost_options',
  eligibility: 'eligibility',
  service_area: 'service_areas',
  service_areas: 'service_areas',
};

export function canonicalTable(nameOrPath: string): string | undefined {
  const base = nameOrPath
    .split('/')
    .pop()!
    .replace(/\.(csv|json)$/i, '')
    .toLowerCase()
    .replace(/-/g, '_');
  return TABLE_ALIASES[base];
}

export function parseCsvTable(text: string, name: string): JsonRecord[] {
  try {
    return parseCsv(text, {
      columns: (header: string[]) =>
        header.map((h) =>
          h
            .replace(/^\uFEFF/, '')
            .trim()
            .toLowerCase(),
        ),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
    }) as JsonRecord[];
  } catch (error) {
    throw new FeedRefusedError(
      `${name} is not readable CSV: ${(error as Error).message.split('\n')[0]?.slice(0, 160)}`,
    );
  }
}

export type Descriptor = { version?: string; resources: { name?: string; path: string }[] };

/** A frictionless data package descriptor, or undefined when the JSON is something else. */
export function asDescriptor(json: unknown): Descriptor | undefined {
  if (!isRecord(json) || !Array.isArray(json.resources)) return undefined;
  const resources = records(json.resources)
    .map((r) => ({ name: textOf(r.name), path: Array.isArray(r.path) ? textOf(r.path[0]) : textOf(r.path) }))
    .filter((r): r is { name: string | undefined; path: string } => !!r.path)
    .map((r) => (r.name ? { name: r.name, path: r.path } : { path: r.path }));
  const version = textOf(json.version);
  return { ...(version ? { version } : {}), resources };
}

/** Reads every table a descriptor lists that we use, through `load` (relative to the descriptor). */
export async function loadTables(descriptor: Descriptor, load: (ref: string) => Promise<string>): Promise<Tables> {
  const tables: Tables = new Map();
  for (const resource of descriptor.resources) {
    const table = canonicalTable(resource.name ?? resource.path) ?? canonicalTable(resource.path);
    if (!table || tables.has(table)) continue;
    if (/^(?:\/|[a-z]:\\|\.\.)/i.test(resource.path)) {
      throw new FeedRefusedError(`The data package points outside its folder (${resource.path.slice(0, 80)}).`);
    }
    tables.set(table, parseCsvTable(await load(resource.path), resource.path));
  }
  if (!tables.has('services')) throw new FeedRefusedError('The data package has no services table (services.csv).');
  return tables;
}

/** HSDS "tabular" JSON: `{"services.csv": [rows…], …}`. */
export function tablesFromTabularJson(json: JsonRecord): Tables | undefined {
  const tables: Tables = new Map();
  for (const [key, value] of Object.entries(json)) {
    const table = canonicalTable(key);
    if (table && Array.isArray(value) && !tables.has(table)) tables.set(table, records(value));
  }
  return tables.has('services') ? tables : undefined;
}

function groupBy(rows: JsonRecord[] | undefined, key: string): Map<string, JsonRecord[]> {
  const map = new Map<string, JsonRecord[]>();
  for (const row of rows ?? []) {
    const k = textOf(row[key]);
    if (!k) continue;
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

function indexBy(rows: JsonRecord[] | undefined): Map<string, JsonRecord> {
  const map = new Map<string, JsonRecord>();
  for (const row of rows ?? []) {
    const id = textOf(row.id);
    if (id && !map.has(id)) map.set(id, row);
  }
  return map;
}

/** Tables whose rows belong to a service by `service_id`. */
const SERVICE_LINKED = [
  'service_at_location',
  'languages',
  'cost_options',
  'contacts',
  'services_taxonomy',
  'eligibility',
  'service_areas',
];

/**
 * Rows the join leaves out because the service (or service-at-location) they name is not in the package: each
 * table's count is reported, so no record disappears without a word.
 */
export function unlinkedRows(tables: Tables): { ref: string; reason: string }[] {
  const services = new Set((tables.get('services') ?? []).map((s) => textOf(s.id)).filter((id): id is string => !!id));
  const sals = new Set(
    (tables.get('service_at_location') ?? [])
      .filter((r) => services.has(textOf(r.service_id) ?? ''))
      .map((r) => textOf(r.id))
      .filter((id): id is string => !!id),
  );
  const out: { ref: string; reason: string }[] = [];
  const report = (table: string, rows: JsonRecord[], what: string) => {
    if (rows.length === 0) return;
    const examples = [...new Set(rows.map((r) => textOf(r.id)).filter(Boolean))].slice(0, 3).join(', ');
    out.push({
      ref: `${table} table`,
      reason: `${rows.length} row${rows.length === 1 ? '' : 's'} name${rows.length === 1 ? 's' : ''} ${what} the package does not have, so ${rows.length === 1 ? 'it was' : 'they were'} not imported${examples ? ` (${examples}${rows.length > 3 ? ', …' : ''})` : ''}`,
    });
  };
  for (const table of SERVICE_LINKED) {
    report(
      table,
      (tables.get(table) ?? []).filter((r) => textOf(r.service_id) && !services.has(textOf(r.service_id)!)),
      'a service',
    );
  }
  report(
    'schedules',
    (tables.get('schedules') ?? []).filter((r) => {
      const service = textOf(r.service_id);
      const sal = textOf(r.service_at_location_id);
      return (service || sal) && !(service && services.has(service)) && !(sal && sals.has(sal));
    }),
    'a service',
  );
  return out;
}

/** Joins the tables into one nested record per service row (duplicates and all: the importer reports those). */
export function servicesFromTables(tables: Tables): JsonRecord[] {
  const t = (name: string) => tables.get(name);
  const organizations = indexBy(t('organizations'));
  const locations = indexBy(t('locations'));
  const terms = indexBy(t('taxonomy_terms'));
  const taxonomies = indexBy(t('taxonomies'));
  const addressesByLocation = groupBy(t('addresses'), 'location_id');
  const postalByLocation = groupBy(t('postal_addresses'), 'location_id');
  const accessibilityByLocation = groupBy(t('accessibility'), 'location_id');
  const salByService = groupBy(t('service_at_location'), 'service_id');
  const schedulesByService = groupBy(t('schedules'), 'service_id');
  const schedulesBySal = groupBy(t('schedules'), 'service_at_location_id');
  const languagesByService = groupBy(t('languages'), 'service_id');
  const costsByService = groupBy(t('cost_options'), 'service_id');
  const contactsByService = groupBy(t('contacts'), 'service_id');
  const phonesByService = groupBy(t('phones'), 'service_id');
  const phonesByContact = groupBy(t('phones'), 'contact_id');
  const phonesByOrg = groupBy(t('phones'), 'organization_id');
  const attributesByLink = groupBy(t('attributes'), 'link_id');
  const servicesTaxonomy = groupBy(t('services_taxonomy'), 'service_id');
  const eligibilityByService = groupBy(t('eligibility'), 'service_id');
  const areasByService = groupBy(t('service_areas'), 'service_id');

  const locationRecord = (id: string): JsonRecord | undefined => {
    const loc = locations.get(id);
    if (!loc) return undefined;
    return {
      ...loc,
      addresses: addressesByLocation.get(id) ?? [],
      postal_addresses: postalByLocation.get(id) ?? [],
      accessibility: accessibilityByLocation.get(id) ?? [],
    };
  };

  return (t('services') ?? []).map((service) => {
    const id = textOf(service.id) ?? '';
    const orgId = textOf(service.organization_id);
    const org = orgId ? organizations.get(orgId) : undefined;
    const sals = (salByService.get(id) ?? []).map((sal) => {
      const salId = textOf(sal.id) ?? '';
      const locId = textOf(sal.location_id);
      const location = locId ? locationRecord(locId) : undefined;
      const ownSchedules = (schedulesBySal.get(salId) ?? []).filter((s) => textOf(s.service_id) !== id);
      return { ...sal, ...(location ? { location } : {}), schedules: ownSchedules };
    });
    const attributes = (attributesByLink.get(id) ?? []).map((a) => {
      const termId = textOf(a.taxonomy_term_id);
      const term = termId ? terms.get(termId) : undefined;
      const taxonomyId = textOf(term?.taxonomy_id);
      const taxonomyName = taxonomyId ? textOf(taxonomies.get(taxonomyId)?.name) : undefined;
      return {
        ...a,
        ...(term
          ? {
              taxonomy_term: { ...term, ...(taxonomyName && !textOf(term.taxonomy) ? { taxonomy: taxonomyName } : {}) },
            }
          : {}),
      };
    });
    const serviceTaxonomys = (servicesTaxonomy.get(id) ?? []).map((st) => {
      const taxId = textOf(st.taxonomy_id);
      const tax = taxId ? (taxonomies.get(taxId) ?? terms.get(taxId)) : undefined;
      return { ...st, ...(tax ? { taxonomy: tax } : {}) };
    });
    return {
      ...service,
      ...(org ? { organization: { ...org, phones: phonesByOrg.get(orgId!) ?? [] } } : {}),
      service_at_locations: sals,
      schedules: schedulesByService.get(id) ?? [],
      languages: languagesByService.get(id) ?? [],
      cost_options: costsByService.get(id) ?? [],
      contacts: (contactsByService.get(id) ?? []).map((c) => ({
        ...c,
        phones: phonesByContact.get(textOf(c.id) ?? '') ?? [],
      })),
      phones: phonesByService.get(id) ?? [],
      attributes,
      service_taxonomys: serviceTaxonomys,
      eligibilitys: eligibilityByService.get(id) ?? [],
      service_areas: areasByService.get(id) ?? [],
    };
  });
}
