/**
 * The `hsds` import format: Open Referral (HSDS 3.0 / ORUK 3.0, HSDS 1.1 / ORUK v1) in every shape partners publish:
 * a single full service, a paginated service list (pages of a URL are followed before anything is written), a
 * service_at_location record or list, an organisation with its services, a CSV data package (its folder or its
 * `datapackage.json`) and HSDS "tabular" JSON.
 */
import type { CatalogueEntryInput, Rejection } from '../model.ts';
import { FeedRefusedError } from './parse-ical.ts';
import {
  asDescriptor,
  loadTables,
  servicesFromTables,
  tablesFromTabularJson,
  unlinkedRows,
} from './parse-hsds-datapackage.ts';
import { applySignpostExtension } from './hsds-extension.ts';
import { expandSchedules } from './parse-hsds-schedule.ts';
import {
  isRecord,
  type JsonRecord,
  RejectedRecord,
  records,
  schedulesOf,
  textOf,
  toEntry,
} from './parse-hsds-service.ts';

export type HsdsContext = {
  now: Date;
  horizonDays?: number;
  origin: string;
  /** Reads a file or URL relative to the input (data package resources, further pages). */
  load(ref: string): Promise<string>;
  /** At most this many pages of a paginated URL (default 500). */
  maxPages?: number;
};

export type ParsedHsds = { entries: CatalogueEntryInput[]; rejected: Rejection[] };

const isUrl = (s: string): boolean => /^(https?|webcal):\/\//i.test(s);

export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const head = text.trimStart().slice(0, 200);
    if (/^</.test(head)) throw new FeedRefusedError(`${what} is not Open Referral JSON: it looks like an HTML page.`);
    throw new FeedRefusedError(
      `${what} is not valid JSON (truncated or malformed): ${(error as Error).message.slice(0, 120)}.`,
    );
  }
}

type Envelope = {
  items: unknown[];
  totalItems?: number;
  totalPages?: number;
  /** 1-based. */
  page?: number;
  size?: number;
  lastPage?: boolean;
  /** The directory numbers its pages from 0 (Spring's default) rather than from 1 (ORUK v1's), in `?page=` too. */
  zeroBased?: boolean;
};

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * HSDS 3 (`contents`, `total_items`…) and ORUK v1 / Spring (`content`, `totalElements`, `number`) pages. ORUK v1
 * numbers pages from 1 (Buckinghamshire's Outpost: `number: 1, first: true`); Spring's default numbers them from 0,
 * which shows as `number: 0`, or as the last page numbered one less than `totalPages`.
 */
function asEnvelope(json: unknown): Envelope | undefined {
  if (!isRecord(json)) return undefined;
  if (Array.isArray(json.contents)) {
    return clean({
      items: json.contents,
      totalItems: num(json.total_items),
      totalPages: num(json.total_pages),
      page: num(json.page_number),
      size: num(json.size),
      lastPage: typeof json.last_page === 'boolean' ? json.last_page : undefined,
    });
  }
  if (Array.isArray(json.content)) {
    const number = num(json.number);
    const totalPages = num(json.totalPages);
    const zeroBased =
      number === 0 ||
      (json.last === true && totalPages !== undefined && number === totalPages - 1 && json.first !== true);
    return clean({
      items: json.content,
      totalItems: num(json.totalElements),
      totalPages,
      page: number === undefined ? undefined : json.first === true ? 1 : zeroBased ? number + 1 : number,
      zeroBased: zeroBased || undefined,
      size: num(json.size),
      lastPage: typeof json.last === 'boolean' ? json.last : undefined,
    });
  }
  return undefined;
}

function clean(e: { items: unknown[] } & Record<string, unknown>): Envelope {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as Envelope;
}

type Kind = 'service' | 'service_at_location' | 'organization' | 'other';

function kindOf(item: JsonRecord): Kind {
  if (isRecord(item.service) && (isRecord(item.location) || 'location_id' in item)) return 'service_at_location';
  if (Array.isArray(item.services)) return 'organization';
  const serviceKeys = [
    'status',
    'organization',
    'organization_id',
    'schedules',
    'regular_schedules',
    'service_at_locations',
    'cost_options',
    'fees',
    'eligibility_description',
    'application_process',
  ];
  if (serviceKeys.some((k) => k in item)) return 'service';
  const otherKeys = [
    'website',
    'legal_status',
    'logo',
    'term_uri',
    'vocabulary',
    'taxonomy',
    'location_type',
    'addresses',
    'organization_identifiers',
  ];
  if (otherKeys.some((k) => k in item)) return 'other';
  return 'id' in item && 'name' in item ? 'service' : 'other';
}

/** Service records from one JSON value; `what` names what the value turned out to be when it holds none. */
function servicesIn(items: JsonRecord[]): { services: JsonRecord[]; others: number } {
  const services: JsonRecord[] = [];
  let others = 0;
  for (const item of items) {
    switch (kindOf(item)) {
      case 'service':
        services.push(item);
        break;
      case 'service_at_location': {
        const service = item.service as JsonRecord;
        const location = isRecord(item.location) ? item.location : undefined;
        services.push({
          ...service,
          service_at_locations: [
            ...records(service.service_at_locations),
            { id: item.id, ...(location ? { location } : {}), schedules: item.schedules ?? [] },
          ],
        });
        break;
      }
      case 'organization': {
        const { services: own, ...org } = item;
        for (const s of records(own))
          services.push({ ...s, organization: isRecord(s.organization) ? s.organization : org });
        break;
      }
      default:
        others++;
    }
  }
  return { services, others };
}

function pageUrl(origin: string, page: number): string {
  const url = new URL(origin);
  url.searchParams.set('page', String(page));
  return url.toString();
}

/** The whole `hsds` parse: reads further pages or tables through `context.load`, then maps and expands. */
export async function parseHsds(text: string, context: HsdsContext): Promise<ParsedHsds> {
  const what = context.origin.split(/[\\/]/).pop() || 'The input';
  const json = parseJsonText(text, what);
  const rejected: Rejection[] = [];
  let services: JsonRecord[];

  const descriptor = asDescriptor(json);
  const tabular = isRecord(json) ? tablesFromTabularJson(json) : undefined;
  const envelope = asEnvelope(json);
  if (descriptor) {
    const tables = await loadTables(descriptor, context.load);
    services = servicesFromTables(tables);
    rejected.push(...unlinkedRows(tables));
  } else if (tabular) {
    services = servicesFromTables(tabular);
    rejected.push(...unlinkedRows(tabular));
  } else if (envelope) {
    services = await collectPages(envelope, context, rejected, what);
  } else if (Array.isArray(json)) {
    const found = servicesIn(records(json));
    if (found.services.length === 0 && json.length > 0)
      throw new FeedRefusedError(`${what} holds no Open Referral services.`);
    services = found.services;
  } else if (isRecord(json)) {
    if (!('id' in json) && textOf(json.version) && ('openapi_url' in json || 'profile' in json)) {
      if (isUrl(context.origin)) {
        const servicesUrl = `${context.origin.replace(/\/+$/, '')}/services`;
        return parseHsds(await context.load(servicesUrl), { ...context, origin: servicesUrl });
      }
      throw new FeedRefusedError(
        `${what} is an Open Referral API's description (version ${textOf(json.version)}), not data: import its /services URL instead.`,
      );
    }
    const found = servicesIn([json]);
    if (found.services.length === 0) {
      throw new FeedRefusedError(
        `${what} is an Open Referral record but not a service (an organisation, location or taxonomy term); import services.`,
      );
    }
    services = found.services;
  } else {
    throw new FeedRefusedError(`${what} is not Open Referral data.`);
  }
  return toEntries(services, context, rejected);
}

async function collectPages(
  first: Envelope,
  context: HsdsContext,
  rejected: Rejection[],
  what: string,
): Promise<JsonRecord[]> {
  const pages: Envelope[] = [first];
  const maxPages = context.maxPages ?? 500;
  const totalPages = first.totalPages;
  if (isUrl(context.origin) && totalPages !== undefined && totalPages > (first.page ?? 1) && first.lastPage !== true) {
    if (totalPages > maxPages) {
      throw new FeedRefusedError(
        `The directory has ${totalPages} pages, more than the ${maxPages} this import reads; nothing was imported.`,
      );
    }
    for (let page = (first.page ?? 1) + 1; page <= totalPages; page++) {
      const asked = pageUrl(context.origin, first.zeroBased ? page - 1 : page);
      const next = asEnvelope(parseJsonText(await context.load(asked), `Page ${page}`));
      if (!next)
        throw new FeedRefusedError(`Page ${page} of the directory is not a service list; nothing was imported.`);
      pages.push(next);
      if (next.items.length === 0 || next.lastPage === true) break;
    }
  } else if (totalPages !== undefined && totalPages > 1 && first.lastPage !== true) {
    rejected.push({
      ref: 'envelope',
      reason: `${what} is page ${first.page ?? 1} of ${totalPages}; only this page was imported (import the directory's URL to read every page)`,
    });
  }

  const services: JsonRecord[] = [];
  let others = 0;
  for (const page of pages) {
    const items = records(page.items);
    const found = servicesIn(items);
    services.push(...found.services);
    others += found.others + (page.items.length - items.length);
    // A page may be shorter than `size` (the last one), never longer.
    if (page.size !== undefined && page.items.length > page.size) {
      rejected.push({
        ref: `envelope page ${page.page ?? pages.indexOf(page) + 1}`,
        reason: `the envelope says size ${page.size} but the page holds ${page.items.length} items; all ${page.items.length} were read`,
      });
    }
  }
  if (services.length === 0 && others > 0) {
    throw new FeedRefusedError(`${what} is a list of organisations, locations or taxonomy terms, not services.`);
  }
  if (others > 0) {
    rejected.push({
      ref: 'envelope',
      reason: `${others} item${others === 1 ? ' is' : 's are'} not a service (an organisation, location, term or not a record) and ${others === 1 ? 'was' : 'were'} not imported`,
    });
  }
  const read = pages.reduce((n, p) => n + p.items.length, 0);
  const readAll = pages.length === (totalPages ?? pages.length);
  if (first.totalItems !== undefined && readAll && read !== first.totalItems) {
    rejected.push({
      ref: 'envelope',
      reason: `the envelope says total_items ${first.totalItems} but ${pages.length === 1 ? 'it holds' : `its ${pages.length} pages hold`} ${read}`,
    });
  }
  return services;
}

function toEntries(services: JsonRecord[], context: HsdsContext, rejected: Rejection[]): ParsedHsds {
  const entries: CatalogueEntryInput[] = [];
  const requests: { ref: string; schedules: ReturnType<typeof schedulesOf> }[] = [];
  const extensions = new Map<string, unknown>();
  const seen = new Set<string>();
  services.forEach((service, index) => {
    const ref = textOf(service.id) ?? `service #${index + 1}`;
    try {
      const entry = toEntry(service);
      // Duplicate ids are reported once by applyImport; only the first record's schedules are expanded.
      if (!seen.has(entry.externalId)) {
        seen.add(entry.externalId);
        requests.push({ ref: entry.externalId, schedules: schedulesOf(service) });
        if (service.signpost !== undefined) extensions.set(entry.externalId, service.signpost);
      }
      entries.push(entry);
    } catch (error) {
      if (!(error instanceof RejectedRecord)) throw error;
      rejected.push({ ref, reason: error.message });
    }
  });
  const expanded = expandSchedules(requests, {
    now: context.now,
    ...(context.horizonDays ? { horizonDays: context.horizonDays } : {}),
  });
  const used = new Set<string>();
  for (const entry of entries) {
    if (used.has(entry.externalId)) continue;
    used.add(entry.externalId);
    const result = expanded.get(entry.externalId);
    if (!result) continue;
    entry.occurrences = result.occurrences;
    if (result.schedule) entry.schedule = result.schedule;
    for (const problem of result.problems) rejected.push({ ref: entry.externalId, reason: problem });
    // What HSDS has no field for (src/catalogue/ingest/hsds-extension.ts), applied once the schedules are expanded.
    if (extensions.has(entry.externalId)) {
      const problem = applySignpostExtension(entry, extensions.get(entry.externalId), context.now);
      if (problem) rejected.push({ ref: entry.externalId, reason: problem });
    }
  }
  return { entries, rejected };
}
