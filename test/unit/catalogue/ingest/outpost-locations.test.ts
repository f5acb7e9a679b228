import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { locationOf } from '../../../../src/catalogue/ingest/hsds-service-parts.ts';

// Buckinghamshire's Outpost directory (ORUK v1 shape) writes each location's address on the location itself, its
// point as GeoJSON and its access features by name; see test/fixtures/real/SOURCES.md.
type Service = { name: string; locations: Record<string, unknown>[] };
const FIXTURE = new URL(
  '../../../fixtures/real/buckinghamshire-outpost/scout-x_cypress_services.json',
  import.meta.url,
);
const services = (JSON.parse(readFileSync(FIXTURE, 'utf8').replace(/^\uFEFF/, '')) as { content: Service[] }).content;
const locationFor = (name: string) => {
  const service = services.find((s) => s.name === name);
  if (!service?.locations[0]) throw new Error(`no location for ${name}`);
  return locationOf(service.locations[0], [])!.location;
};

describe('Outpost locations', () => {
  it('keep the address, town and postcode written on the location', () => {
    const location = locationFor('Chepping View Primary Academy');
    expect(location.city).toBe('High Wycombe');
    expect(location.postalCode).toBe('HP12 4PR');
    expect(location.address1).toBeTruthy();
  });

  it('read the GeoJSON point, longitude first', () => {
    const location = locationFor('Abbotsbrook Pre-School');
    expect(location.latitude).toBeGreaterThan(51);
    expect(location.latitude).toBeLessThan(52.2);
    expect(location.longitude).toBeGreaterThan(-1.2);
    expect(location.longitude).toBeLessThan(0);
  });

  it('read access features by their names', () => {
    expect(locationFor('Abbotsbrook Pre-School').accessibility).toEqual(
      expect.arrayContaining(['accessible_toilet', 'wheelchair_accessible']),
    );
    expect(locationFor('Chepping View Primary Academy').accessibility).toContain('parking');
  });

  it('still prefer HSDS address records over fields on the location', () => {
    const location = locationOf(
      {
        id: 'x',
        city: 'On the location',
        physical_addresses: [{ address_1: '1 High Street', city: 'Amersham', postal_code: 'HP6 5AA' }],
      },
      [],
    )!.location;
    expect(location.city).toBe('Amersham');
    expect(location.postalCode).toBe('HP6 5AA');
  });
});
