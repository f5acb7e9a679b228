import type { PrismaClient } from '../db/prisma-client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Contact, Cost, EntryKind, EntryStatus } from './model.ts';
import { toLondonDate, toLondonIso } from './time.ts';

/** An entry as the CLI, search and chat show it. */
export type EntryView = {
  id: string;
  externalId: string;
  kind: EntryKind;
  title: string;
  description: string;
  status: EntryStatus;
  alert: string | null;
  organisation: { name: string; url: string | null; email: string | null; phone: string | null } | null;
  venue: {
    name: string | null;
    address: string | null;
    postcode: string | null;
    ward: string | null;
    latitude: number | null;
    longitude: number | null;
    online: boolean;
    accessibility: string[];
    accessibilityNote: string | null;
  } | null;
  categories: string[];
  audiences: string[];
  languages: string[];
  cost: Cost;
  howToJoin: string | null;
  attendingTypes: string[];
  contact: Contact;
  eligibility: string | null;
  lastConfirmed: string | null;
  schedule: unknown;
  providedBy: string | null;
  prerequisites: string[];
  url: string | null;
  source: string;
  isDemo: boolean;
};

export type OccurrenceView = {
  entryId: string;
  title: string;
  start: string;
  end: string;
  allDay: boolean;
  source: string;
  status?: string;
};

const entryInclude = { organization: true, location: true, source: true } satisfies Prisma.ServiceInclude;
type ServiceRow = Prisma.ServiceGetPayload<{ include: typeof entryInclude }>;

export function toEntryView(row: ServiceRow): EntryView {
  const loc = row.location;
  const address = loc ? [loc.address1, loc.address2, loc.city].filter(Boolean).join(', ') || null : null;
  return {
    id: row.id,
    externalId: row.externalId,
    kind: row.kind as EntryKind,
    title: row.name,
    description: row.description,
    status: row.status as EntryStatus,
    alert: row.alert,
    organisation: row.organization
      ? {
          name: row.organization.name,
          url: row.organization.url,
          email: row.organization.email,
          phone: row.organization.phone,
        }
      : null,
    venue: loc
      ? {
          name: loc.name,
          address,
          postcode: loc.postalCode,
          ward: loc.ward,
          latitude: loc.latitude,
          longitude: loc.longitude,
          online: loc.locationType === 'virtual',
          accessibility: loc.accessibility,
          accessibilityNote: loc.accessibilityNote,
        }
      : null,
    categories: row.categories,
    audiences: row.audiences,
    languages: row.languages,
    cost: {
      ...(row.isFree !== null ? { isFree: row.isFree } : {}),
      ...(row.costAmount !== null ? { amount: Number(row.costAmount) } : {}),
      ...(row.feesDescription ? { description: row.feesDescription } : {}),
    },
    howToJoin: row.howToJoin,
    attendingTypes: row.attendingTypes,
    contact: {
      ...(row.contactName ? { name: row.contactName } : {}),
      ...(row.contactEmail ? { email: row.contactEmail } : {}),
      ...(row.contactPhone ? { phone: row.contactPhone } : {}),
    },
    eligibility: row.eligibility,
    lastConfirmed: row.assuredDate ? row.assuredDate.toISOString().slice(0, 10) : null,
    schedule: row.scheduleRule,
    providedBy: row.providedBy,
    prerequisites: row.prerequisites,
    url: row.url,
    source: row.source.name,
    isDemo: row.source.isDemo,
  };
}

/** Reads the catalogue through Prisma (writes go through the bulk importer). */
export class PrismaCatalogueRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async listEntries(filter: { source?: string; includeRemoved?: boolean } = {}): Promise<EntryView[]> {
    const rows = await this.prisma.service.findMany({
      where: {
        ...(filter.source ? { source: { name: filter.source } } : {}),
        ...(filter.includeRemoved ? {} : { removedAt: null }),
      },
      include: entryInclude,
      orderBy: [{ source: { name: 'asc' } }, { name: 'asc' }, { externalId: 'asc' }],
    });
    return rows.map(toEntryView);
  }

  async getEntry(id: string): Promise<EntryView | undefined> {
    const row = await this.prisma.service.findUnique({ where: { id }, include: entryInclude });
    return row ? toEntryView(row) : undefined;
  }

  /** Occurrences starting in [from, to), in start order; cancelled ones only when asked for. */
  async listOccurrences(filter: {
    from: Date;
    to: Date;
    source?: string;
    includeCancelled?: boolean;
  }): Promise<OccurrenceView[]> {
    const rows = await this.prisma.occurrence.findMany({
      where: {
        start: { gte: filter.from, lt: filter.to },
        ...(filter.includeCancelled ? {} : { status: { not: 'cancelled' } }),
        service: {
          removedAt: null,
          ...(filter.source ? { source: { name: filter.source } } : {}),
        },
      },
      include: { service: { select: { id: true, name: true, source: { select: { name: true } } } } },
      orderBy: [{ start: 'asc' }, { service: { name: 'asc' } }, { key: 'asc' }],
    });
    return rows.map((o) => ({
      entryId: o.service.id,
      title: o.title ?? o.service.name,
      start: o.allDay ? toLondonDate(o.start) : toLondonIso(o.start),
      end: o.allDay ? toLondonDate(o.end) : toLondonIso(o.end),
      allDay: o.allDay,
      source: o.service.source.name,
      ...(filter.includeCancelled ? { status: o.status } : {}),
    }));
  }

  async countSources(): Promise<number> {
    return this.prisma.source.count();
  }
}
