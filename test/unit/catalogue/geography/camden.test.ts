import { describe, expect, it } from 'vitest';
import {
  AREAS,
  POSTCODE_DISTRICTS,
  WARDS,
  distanceKm,
  findArea,
  findPostcodeDistrict,
  findWard,
  normalisePostcode,
  postcodeDistrict,
  wardForPoint,
} from '../../../../src/catalogue/geography/camden.ts';

const OFFICIAL = [
  'Belsize',
  'Bloomsbury',
  'Camden Square',
  'Camden Town',
  'Fortune Green',
  'Frognal',
  'Gospel Oak',
  'Hampstead Town',
  'Haverstock',
  'Highgate',
  'Holborn & Covent Garden',
  'Kentish Town North',
  'Kentish Town South',
  'Kilburn',
  "King's Cross",
  'Primrose Hill',
  "Regent's Park",
  'St Pancras & Somers Town',
  'South Hampstead',
  'West Hampstead',
];

const inCamdenBox = (p: { lat: number; lon: number }) =>
  p.lat > 51.51 && p.lat < 51.58 && p.lon > -0.22 && p.lon < -0.1;

describe('WARDS', () => {
  it('has the 20 wards on the 2022 boundaries, with unique names and codes', () => {
    expect(WARDS).toHaveLength(20);
    expect(new Set(WARDS.map((w) => w.name)).size).toBe(20);
    expect(new Set(WARDS.map((w) => w.code)).size).toBe(20);
    expect([...WARDS.map((w) => w.name)].sort()).toEqual([...OFFICIAL].sort());
  });

  it('uses the E05013652–E05013671 series in alphabetical order', () => {
    const sorted = [...WARDS].sort((a, b) => a.code.localeCompare(b.code));
    expect(sorted[0]!.code).toBe('E05013652');
    expect(sorted[19]!.code).toBe('E05013671');
    sorted.forEach((w, i) => expect(w.code).toBe(`E050136${52 + i}`));
    expect(findWard('Kilburn')!.code).toBe('E05013665');
    expect(findWard("Regent's Park")!.code).toBe('E05013668');
  });

  it('puts every centroid inside Camden', () => {
    for (const w of WARDS) expect(inCamdenBox(w.centroid), w.name).toBe(true);
    for (const a of AREAS) expect(inCamdenBox(a.centroid), a.name).toBe(true);
    for (const d of POSTCODE_DISTRICTS) expect(inCamdenBox(d.centroid), d.district).toBe(true);
  });

  it('maps each ward centroid to itself', () => {
    for (const w of WARDS) expect(wardForPoint(w.centroid.lat, w.centroid.lon).name).toBe(w.name);
  });
});

describe('findWard', () => {
  it.each([
    ['Kentish Town North', 'Kentish Town North'],
    ['kentish town north', 'Kentish Town North'],
    ['Holborn and Covent Garden', 'Holborn & Covent Garden'],
    ['holborn & covent garden', 'Holborn & Covent Garden'],
    ['Holborn', 'Holborn & Covent Garden'],
    ['Covent Garden', 'Holborn & Covent Garden'],
    ['Kings Cross', "King's Cross"],
    ['king\u2019s cross', "King's Cross"],
    ['Regents Park', "Regent's Park"],
    ['St. Pancras and Somers Town', 'St Pancras & Somers Town'],
    ['Saint Pancras & Somers Town', 'St Pancras & Somers Town'],
    ['Somers Town', 'St Pancras & Somers Town'],
    ['St Pancras', 'St Pancras & Somers Town'],
    ['Camden Sq', 'Camden Square'],
    ['Camden Sq.', 'Camden Square'],
    ['  gospel-oak  ', 'Gospel Oak'],
    ['Highgate ward', 'Highgate'],
    ['E05013658', 'Gospel Oak'],
  ])('%s → %s', (input, expected) => {
    expect(findWard(input)?.name).toBe(expected);
  });

  it('returns undefined for places that are not wards', () => {
    expect(findWard('Islington')).toBeUndefined();
    expect(findWard('')).toBeUndefined();
    expect(findWard('Camden')).toBeUndefined();
  });
});

describe('AREAS', () => {
  it('has around 35 neighbourhoods, each mapped to real wards', () => {
    expect(AREAS.length).toBeGreaterThanOrEqual(35);
    const names = new Set(WARDS.map((w) => w.name));
    for (const a of AREAS) {
      expect(a.wards.length, a.name).toBeGreaterThan(0);
      for (const w of a.wards) expect(names.has(w), `${a.name} → ${w}`).toBe(true);
    }
    expect(new Set(AREAS.map((a) => a.name.toLowerCase())).size).toBe(AREAS.length);
  });

  it('places each area centroid in one of its wards', () => {
    for (const a of AREAS) expect(a.wards, a.name).toContain(wardForPoint(a.centroid.lat, a.centroid.lon).name);
  });

  it('finds areas by name and alias', () => {
    expect(findArea('swiss cottage')?.wards).toContain('South Hampstead');
    expect(findArea('Queens Crescent')?.name).toBe("Queen's Crescent");
    expect(findArea('Tufnell Park')?.partlyOutsideCamden).toBe(true);
    expect(findArea('Somers Town')?.wards).toEqual(['St Pancras & Somers Town']);
    expect(findArea('Narnia')).toBeUndefined();
  });
});

describe('POSTCODE_DISTRICTS', () => {
  it('covers the districts that reach Camden, each with real wards', () => {
    const codes = POSTCODE_DISTRICTS.map((d) => d.district);
    for (const c of ['NW1', 'NW3', 'NW5', 'NW6', 'NW8', 'N6', 'N7', 'N19', 'WC1H', 'WC1X', 'WC2H', 'NW2', 'N1C']) {
      expect(codes).toContain(c);
    }
    expect(new Set(codes).size).toBe(codes.length);
    const names = new Set(WARDS.map((w) => w.name));
    for (const d of POSTCODE_DISTRICTS)
      for (const w of d.wards) expect(names.has(w), `${d.district} → ${w}`).toBe(true);
  });

  it('places each district centroid in one of its wards', () => {
    for (const d of POSTCODE_DISTRICTS) {
      expect(d.wards, d.district).toContain(wardForPoint(d.centroid.lat, d.centroid.lon).name);
    }
  });
});

describe('postcodes', () => {
  it.each([
    ['nw5 2ab', 'NW5'],
    ['NW5 2AB', 'NW5'],
    ['nw52ab', 'NW5'],
    ['WC1H 9JE', 'WC1H'],
    ['wc1h9je', 'WC1H'],
    ['N1C 4AG', 'N1C'],
    ['n19 5dh', 'N19'],
    ['NW5', 'NW5'],
    ['nw3', 'NW3'],
    ['WC2B', 'WC2B'],
    ['NW5 2', 'NW5'],
    [' NW1  1BD ', 'NW1'],
  ])('postcodeDistrict(%s) → %s', (input, expected) => {
    expect(postcodeDistrict(input)).toBe(expected);
  });

  it.each(['', 'hello', 'Kentish Town', '12345', 'NW', 'NWW5 2AB', 'NW5 2A B C'])(
    'postcodeDistrict(%s) is undefined',
    (input) => {
      expect(postcodeDistrict(input)).toBeUndefined();
    },
  );

  it('normalises full postcodes only', () => {
    expect(normalisePostcode('nw52ab')).toBe('NW5 2AB');
    expect(normalisePostcode(' wc1h  9je ')).toBe('WC1H 9JE');
    expect(normalisePostcode('n1c4ag')).toBe('N1C 4AG');
    expect(normalisePostcode('NW5')).toBeUndefined();
    expect(normalisePostcode('not a postcode')).toBeUndefined();
  });

  it('resolves Camden districts, falling back to umbrella entries', () => {
    expect(findPostcodeDistrict('NW5 2AA')?.wards).toContain('Kentish Town South');
    expect(findPostcodeDistrict('WC1H 9JE')?.district).toBe('WC1H');
    expect(findPostcodeDistrict('EC1M 4AA')?.district).toBe('EC1');
    expect(findPostcodeDistrict('SW1A 1AA')).toBeUndefined();
    expect(findPostcodeDistrict('nonsense')).toBeUndefined();
  });
});

describe('distanceKm and wardForPoint', () => {
  it('computes haversine distances', () => {
    const a = { lat: 51.5, lon: -0.12 };
    expect(distanceKm(a, a)).toBe(0);
    // One degree of latitude is about 111 km.
    expect(distanceKm({ lat: 51, lon: 0 }, { lat: 52, lon: 0 })).toBeCloseTo(111.2, 0);
    // Kentish Town station to Camden Town station: roughly 1.3 km.
    const km = distanceKm({ lat: 51.5503, lon: -0.1405 }, { lat: 51.5392, lon: -0.1426 });
    expect(km).toBeGreaterThan(1.1);
    expect(km).toBeLessThan(1.4);
    expect(distanceKm(a, { lat: 51.51, lon: -0.13 })).toBeCloseTo(distanceKm({ lat: 51.51, lon: -0.13 }, a), 10);
  });

  it('finds the nearest ward', () => {
    expect(wardForPoint(51.5567, -0.178).name).toBe('Hampstead Town'); // Hampstead tube
    expect(wardForPoint(51.5308, -0.1238).name).toBe("King's Cross"); // King's Cross station
    expect(wardForPoint(51.5433, -0.1943).name).toBe('Kilburn');
    expect(wardForPoint(51.58, -0.25).name).toBe('Fortune Green'); // outside Camden still gives the nearest
  });
});
