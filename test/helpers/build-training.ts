import type { CatalogueEntryInput } from '../../src/catalogue/model.ts';

/** A training entry with dated sessions, for booking tests. */
export function buildTraining(
  externalId: string,
  title: string,
  sessions: { start: string; end: string; capacity: number; deadline?: string }[],
  extra: Partial<CatalogueEntryInput> = {},
): CatalogueEntryInput {
  return {
    externalId,
    kind: 'training',
    title,
    description: `${title} for Camden staff and volunteers.`,
    howToJoin: 'booking',
    location: {
      externalId: 'crowndale',
      name: 'Crowndale Centre',
      address1: '218 Eversholt Street',
      postalCode: 'NW1 1BD',
      ward: 'St Pancras & Somers Town',
      accessibility: ['step_free'],
    },
    occurrences: sessions.map((s) => ({
      key: new Date(s.start).toISOString(),
      start: new Date(s.start),
      end: new Date(s.end),
      capacity: s.capacity,
      ...(s.deadline ? { bookingDeadline: new Date(s.deadline) } : {}),
    })),
    ...extra,
  };
}
