/**
 * Camden's geography, as plain data: the 20 wards on the 2022 boundaries, the neighbourhood names people actually use,
 * and the postcode districts that cover the borough. Used to recognise places in staff questions and to rank by distance.
 *
 * Centroids are approximate (a few hundred metres is good enough for "nearest" and for ranking); they are not
 * boundary-accurate and must not be used to decide which ward an address is in for anything official.
 */

export type LatLon = { lat: number; lon: number };

export type Ward = {
  /** Official name as used by the council and ONS, e.g. "Holborn & Covent Garden". */
  name: string;
  /** ONS GSS ward code (WD22CD). */
  code: string;
  centroid: LatLon;
  /** Alternative spellings and shorthand people type. */
  aliases: readonly string[];
};

export type Area = {
  /** The neighbourhood name people use, e.g. "Swiss Cottage". */
  name: string;
  aliases: readonly string[];
  /** Official ward name(s) the area falls in (mostly) — the first is the best single match. */
  wards: readonly string[];
  centroid: LatLon;
  /** True when much of the area lies outside Camden (e.g. Tufnell Park, Cricklewood). */
  partlyOutsideCamden: boolean;
};

export type PostcodeDistrict = {
  /** Outward code, e.g. "NW5", "WC1H". "WC1", "WC2" and "EC1" are kept as umbrella entries for partial input. */
  district: string;
  /** Approximate centroid of the Camden part of the district. */
  centroid: LatLon;
  /** Official ward names the Camden part of the district overlaps. */
  wards: readonly string[];
  /** True when most of the district is in a neighbouring borough. */
  partlyOutsideCamden: boolean;
};

/**
 * The 20 wards created by the London Borough of Camden (Electoral Changes) Order 2020, first used in May 2022.
 *
 * ONS codes run E05013652–E05013671 in alphabetical order of ward name. Codes for Belsize, Camden Town, Fortune Green,
 * Frognal, Gospel Oak, Hampstead Town, Haverstock, Holborn & Covent Garden, Kentish Town South, Kilburn, Primrose Hill,
 * Regent's Park, St Pancras & Somers Town, South Hampstead and West Hampstead were checked against published
 * postcode/school/police data. Highgate (…661), Kentish Town North (…663) and King's Cross (…666) are the only codes
 * left between verified neighbours. Bloomsbury (…653) and Camden Square (…654) follow the alphabetical pattern but
 * were NOT independently verified, so their relative order is inferred.
 */
export const WARDS: readonly Ward[] = [
  { name: 'Belsize', code: 'E05013652', centroid: { lat: 51.549, lon: -0.1715 }, aliases: ['Belsize Village'] },
  { name: 'Bloomsbury', code: 'E05013653', centroid: { lat: 51.5225, lon: -0.1325 }, aliases: [] },
  {
    name: 'Camden Square',
    code: 'E05013654',
    centroid: { lat: 51.5445, lon: -0.1305 },
    aliases: ['Camden Sq', 'Cantelowes'],
  },
  { name: 'Camden Town', code: 'E05013655', centroid: { lat: 51.5405, lon: -0.1455 }, aliases: [] },
  { name: 'Fortune Green', code: 'E05013656', centroid: { lat: 51.5565, lon: -0.2005 }, aliases: [] },
  {
    name: 'Frognal',
    code: 'E05013657',
    centroid: { lat: 51.5555, lon: -0.1855 },
    aliases: ['Frognal and Fitzjohns', 'Redington Frognal'],
  },
  { name: 'Gospel Oak', code: 'E05013658', centroid: { lat: 51.5545, lon: -0.1535 }, aliases: [] },
  {
    name: 'Hampstead Town',
    code: 'E05013659',
    centroid: { lat: 51.5585, lon: -0.1765 },
    aliases: ['Hampstead', 'Hampstead Village'],
  },
  { name: 'Haverstock', code: 'E05013660', centroid: { lat: 51.5475, lon: -0.1525 }, aliases: [] },
  { name: 'Highgate', code: 'E05013661', centroid: { lat: 51.5645, lon: -0.1445 }, aliases: [] },
  {
    name: 'Holborn & Covent Garden',
    code: 'E05013662',
    centroid: { lat: 51.517, lon: -0.1185 },
    aliases: ['Holborn', 'Covent Garden', 'Holborn and Covent Garden'],
  },
  {
    name: 'Kentish Town North',
    code: 'E05013663',
    centroid: { lat: 51.5545, lon: -0.1405 },
    aliases: ['KT North', 'Kentish Town N'],
  },
  {
    name: 'Kentish Town South',
    code: 'E05013664',
    centroid: { lat: 51.546, lon: -0.1385 },
    aliases: ['KT South', 'Kentish Town S'],
  },
  { name: 'Kilburn', code: 'E05013665', centroid: { lat: 51.5415, lon: -0.1945 }, aliases: [] },
  {
    name: "King's Cross",
    code: 'E05013666',
    centroid: { lat: 51.5275, lon: -0.1215 },
    aliases: ['Kings Cross', 'Kingscross', 'KX'],
  },
  { name: 'Primrose Hill', code: 'E05013667', centroid: { lat: 51.5405, lon: -0.1595 }, aliases: [] },
  {
    name: "Regent's Park",
    code: 'E05013668',
    centroid: { lat: 51.528, lon: -0.141 },
    aliases: ['Regents Park', "Regent's Park Estate", 'Regents Park Estate'],
  },
  {
    name: 'St Pancras & Somers Town',
    code: 'E05013669',
    centroid: { lat: 51.5335, lon: -0.1315 },
    aliases: ['St Pancras', 'Somers Town', 'Saint Pancras', 'St Pancras and Somers Town'],
  },
  { name: 'South Hampstead', code: 'E05013670', centroid: { lat: 51.5425, lon: -0.1805 }, aliases: ['S Hampstead'] },
  {
    name: 'West Hampstead',
    code: 'E05013671',
    centroid: { lat: 51.5485, lon: -0.1935 },
    aliases: ['West Hamp', 'W Hampstead'],
  },
];

const area = (
  name: string,
  wards: readonly string[],
  lat: number,
  lon: number,
  aliases: readonly string[] = [],
  partlyOutsideCamden = false,
): Area => ({ name, aliases, wards, centroid: { lat, lon }, partlyOutsideCamden });

/** Neighbourhood names staff and residents use, which rarely match ward names. */
export const AREAS: readonly Area[] = [
  area('Kentish Town', ['Kentish Town South', 'Kentish Town North'], 51.5503, -0.1405, ['Kentish Twn']),
  area('Swiss Cottage', ['South Hampstead', 'Belsize'], 51.5432, -0.1745),
  area('Somers Town', ['St Pancras & Somers Town'], 51.5318, -0.1318),
  area('Belsize Park', ['Belsize', 'Haverstock'], 51.5498, -0.1655),
  area('Belsize', ['Belsize'], 51.5478, -0.1722, ['Belsize Village']),
  area('West Hampstead', ['West Hampstead', 'Fortune Green'], 51.5475, -0.1915, ['W Hampstead', 'West Hamp']),
  area('Hampstead', ['Hampstead Town', 'Frognal'], 51.5567, -0.1779, ['Hampstead Village']),
  area('Tufnell Park', ['Kentish Town North', 'Highgate'], 51.5565, -0.1385, [], true),
  area('Chalk Farm', ['Primrose Hill', 'Haverstock', 'Camden Town'], 51.5442, -0.1534),
  area('Gospel Oak', ['Gospel Oak'], 51.5553, -0.1512),
  area('Dartmouth Park', ['Highgate', 'Kentish Town North'], 51.5605, -0.1425),
  area('Primrose Hill', ['Primrose Hill'], 51.5412, -0.1585),
  area('Kilburn', ['Kilburn', 'West Hampstead'], 51.5435, -0.1955, ['Kilburn High Road'], true),
  area('South End Green', ['Hampstead Town', 'Gospel Oak'], 51.5556, -0.1655, ['Southend Green']),
  area('Fitzrovia', ['Bloomsbury'], 51.5205, -0.1365, [], true),
  area('Bloomsbury', ['Bloomsbury', 'Holborn & Covent Garden'], 51.5215, -0.1275),
  area('Holborn', ['Holborn & Covent Garden'], 51.5178, -0.1175),
  area('Covent Garden', ['Holborn & Covent Garden'], 51.5145, -0.1245, ['Seven Dials'], true),
  area('Euston', ["Regent's Park", 'St Pancras & Somers Town'], 51.5282, -0.1337),
  area('Mornington Crescent', ['St Pancras & Somers Town', "Regent's Park", 'Camden Town'], 51.5343, -0.1386),
  area('Agar Grove', ['Camden Square'], 51.5432, -0.1305, ['Agar Grove Estate']),
  area("Queen's Crescent", ['Gospel Oak', 'Haverstock'], 51.5512, -0.1535, ['Queens Crescent', 'Queens Cres']),
  area('Fortune Green', ['Fortune Green'], 51.5573, -0.1985),
  area('Cricklewood', ['Fortune Green'], 51.5545, -0.2075, [], true),
  area('Highgate', ['Highgate'], 51.5675, -0.1465, ['Highgate Village'], true),
  area('Camden Town', ['Camden Town', 'St Pancras & Somers Town'], 51.5392, -0.1426, [
    'Camden High Street',
    'Camden Market',
  ]),
  area("King's Cross", ["King's Cross", 'St Pancras & Somers Town'], 51.5308, -0.1238, ['Kings Cross', 'KX']),
  area('St Giles', ['Holborn & Covent Garden'], 51.5158, -0.1285, ['St Giles High Street']),
  area("Regent's Park Estate", ["Regent's Park"], 51.5295, -0.1418, [
    'Regents Park Estate',
    'Regent\u2019s Park Estate',
  ]),
  area('Maitland Park', ['Haverstock'], 51.5488, -0.1538, ['Maitland Park Estate']),
  area('Frognal', ['Frognal'], 51.5545, -0.1835, ['Redington']),
  area('Finchley Road', ['Frognal', 'South Hampstead', 'West Hampstead'], 51.5472, -0.1805, ['Finchley Rd']),
  area("Child's Hill", ['Fortune Green', 'Frognal'], 51.5625, -0.1985, ['Childs Hill'], true),
  area('Camden Road', ['Camden Square', 'Kentish Town South'], 51.5445, -0.1355),
  area('Gray\u2019s Inn Road', ["King's Cross", 'Holborn & Covent Garden'], 51.5245, -0.1175, [
    "Gray's Inn Road",
    'Grays Inn Road',
  ]),
  area('Hatton Garden', ['Holborn & Covent Garden'], 51.5195, -0.1085),
  area('Lismore Circus', ['Gospel Oak'], 51.5525, -0.1555),
  area('Highgate Newtown', ['Highgate'], 51.5625, -0.1395),
  area('Mill Lane', ['Fortune Green', 'West Hampstead'], 51.5525, -0.2005),
  area('Abbey Road Estate', ['Kilburn'], 51.5395, -0.1895, ['Abbey Estate']),
  area('Somers Town Estate', ['St Pancras & Somers Town'], 51.5322, -0.1325),
  // Stations staff give as landmarks ("near Goodge Street"), at the station.
  area('Goodge Street', ['Bloomsbury'], 51.5205, -0.1347, ['Goodge St']),
  area('Tottenham Court Road', ['Bloomsbury', 'Holborn & Covent Garden'], 51.5165, -0.131, ['Tottenham Ct Rd'], true),
  area('Warren Street', ["Regent's Park", 'Bloomsbury'], 51.5247, -0.1384, ['Warren St'], true),
  area('Euston Square', ["Regent's Park", 'Bloomsbury'], 51.5256, -0.1359),
  area('Russell Square', ['Bloomsbury', "King's Cross"], 51.523, -0.1244),
  area('Chancery Lane', ['Holborn & Covent Garden'], 51.5185, -0.1111, [], true),
  area('St Pancras', ['St Pancras & Somers Town', "King's Cross"], 51.531, -0.126, ['St Pancras International']),
  area('Kentish Town West', ['Haverstock', 'Kentish Town South'], 51.5465, -0.1467),
  area('Archway', ['Highgate'], 51.5653, -0.1353, [], true),
  area('Brondesbury', ['Kilburn'], 51.5452, -0.2023, [], true),
];

const district = (
  code: string,
  lat: number,
  lon: number,
  wards: readonly string[],
  partlyOutsideCamden = false,
): PostcodeDistrict => ({ district: code, centroid: { lat, lon }, wards, partlyOutsideCamden });

/** Postcode districts (outward codes) covering Camden, with the centroid of their Camden part. */
export const POSTCODE_DISTRICTS: readonly PostcodeDistrict[] = [
  district(
    'NW1',
    51.5335,
    -0.1435,
    [
      'Camden Town',
      'Camden Square',
      "Regent's Park",
      'St Pancras & Somers Town',
      'Primrose Hill',
      'Kentish Town South',
    ],
    true,
  ),
  district('NW3', 51.5515, -0.1735, [
    'Belsize',
    'Hampstead Town',
    'Frognal',
    'South Hampstead',
    'Gospel Oak',
    'Haverstock',
    'Primrose Hill',
  ]),
  district('NW5', 51.5525, -0.1425, [
    'Kentish Town North',
    'Kentish Town South',
    'Gospel Oak',
    'Haverstock',
    'Highgate',
    'Camden Square',
  ]),
  district('NW6', 51.5455, -0.1945, ['Kilburn', 'West Hampstead', 'Fortune Green', 'South Hampstead'], true),
  district('NW8', 51.5385, -0.1745, ['South Hampstead', 'Primrose Hill'], true),
  district('NW2', 51.5555, -0.2055, ['Fortune Green'], true),
  district('N6', 51.5685, -0.1475, ['Highgate'], true),
  district('N7', 51.5475, -0.1285, ['Camden Square', 'Kentish Town South'], true),
  district('N19', 51.5615, -0.1385, ['Highgate', 'Kentish Town North'], true),
  district('N1C', 51.5355, -0.1255, ["King's Cross", 'St Pancras & Somers Town']),
  district('WC1', 51.5225, -0.1235, ['Bloomsbury', 'Holborn & Covent Garden', "King's Cross"]),
  district('WC1A', 51.5175, -0.1265, ['Bloomsbury', 'Holborn & Covent Garden']),
  district('WC1B', 51.5195, -0.1245, ['Bloomsbury', 'Holborn & Covent Garden']),
  district('WC1E', 51.5215, -0.1325, ['Bloomsbury']),
  district('WC1H', 51.5265, -0.1265, ["King's Cross", 'Bloomsbury']),
  district('WC1N', 51.5225, -0.1205, ['Holborn & Covent Garden', "King's Cross"]),
  district('WC1R', 51.5195, -0.1145, ['Holborn & Covent Garden']),
  district('WC1V', 51.5178, -0.1168, ['Holborn & Covent Garden']),
  district('WC1X', 51.5265, -0.1155, ["King's Cross", 'Holborn & Covent Garden'], true),
  district('WC2', 51.5148, -0.1225, ['Holborn & Covent Garden'], true),
  district('WC2A', 51.5158, -0.1155, ['Holborn & Covent Garden'], true),
  district('WC2B', 51.5152, -0.1215, ['Holborn & Covent Garden'], true),
  district('WC2E', 51.5138, -0.1235, ['Holborn & Covent Garden'], true),
  district('WC2H', 51.5148, -0.1285, ['Holborn & Covent Garden'], true),
  district('W1T', 51.5205, -0.1365, ['Bloomsbury'], true),
  district('EC1', 51.5195, -0.1085, ['Holborn & Covent Garden'], true),
  district('EC1N', 51.5195, -0.1085, ['Holborn & Covent Garden'], true),
];

/** Lower-case, `&` → "and", apostrophes dropped, "saint" → "st", punctuation collapsed to single spaces. */
export function normalisePlaceName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['\u2018\u2019`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\bsaint\b/g, 'st')
    .replace(/\bsq\b/g, 'square')
    .replace(/\brd\b/g, 'road')
    .trim()
    .replace(/\s+ward$/, '')
    .replace(/\s+/g, ' ');
}

const wardIndex = new Map<string, Ward>();
for (const ward of WARDS) {
  for (const n of [ward.name, ...ward.aliases]) {
    const key = normalisePlaceName(n);
    if (!wardIndex.has(key)) wardIndex.set(key, ward);
  }
}
// Codes work too.
for (const ward of WARDS) wardIndex.set(ward.code.toLowerCase(), ward);

/** A ward by official name, alias or ONS code, ignoring case, punctuation and "&" vs "and". */
export function findWard(name: string): Ward | undefined {
  return wardIndex.get(normalisePlaceName(name));
}

const areaIndex = new Map<string, Area>();
for (const a of AREAS) {
  for (const n of [a.name, ...a.aliases]) {
    const key = normalisePlaceName(n);
    if (!areaIndex.has(key)) areaIndex.set(key, a);
  }
}

/** A neighbourhood by name or alias, with the same normalisation as {@link findWard}. */
export function findArea(name: string): Area | undefined {
  return areaIndex.get(normalisePlaceName(name));
}

/** Great-circle distance in kilometres (haversine, mean Earth radius). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const R = 6371.0088;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The ward whose centroid is nearest the point (an approximation near ward edges). */
export function wardForPoint(lat: number, lon: number): Ward {
  const p = { lat, lon };
  let best = WARDS[0]!;
  let bestKm = Infinity;
  for (const ward of WARDS) {
    const km = distanceKm(p, ward.centroid);
    if (km < bestKm) {
      best = ward;
      bestKm = km;
    }
  }
  return best;
}

const OUTWARD = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
const INWARD = /^[0-9][A-Z]{2}$/;
const FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;

/** A full UK postcode in canonical form ("nw52ab" → "NW5 2AB"), or undefined when it isn't one. */
export function normalisePostcode(s: string): string | undefined {
  const compact = s.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const m = FULL.exec(compact);
  if (!m) return undefined;
  return `${m[1]} ${m[2]}`;
}

/**
 * The outward code (district) of a full or partial UK postcode: "nw5 2ab" → "NW5", "WC1H 9JE" → "WC1H", "nw5" → "NW5",
 * "NW5 2" → "NW5". Undefined when the text is not shaped like a postcode.
 */
export function postcodeDistrict(postcode: string): string | undefined {
  const trimmed = postcode.trim().toUpperCase();
  if (trimmed === '') return undefined;
  const full = normalisePostcode(trimmed);
  if (full) return full.split(' ')[0];
  const parts = trimmed.split(/\s+/);
  const first = parts[0]!.replace(/[^A-Z0-9]/g, '');
  if (parts.length === 1) return OUTWARD.test(first) ? first : undefined;
  // "NW5 2" (a sector) or "NW5 2A": outward code plus the start of an inward code.
  const rest = parts.slice(1).join('');
  if (parts.length === 2 && OUTWARD.test(first) && /^[0-9][A-Z]?$/.test(rest)) return first;
  if (parts.length === 2 && OUTWARD.test(first) && INWARD.test(rest)) return first;
  return undefined;
}

const districtIndex = new Map(POSTCODE_DISTRICTS.map((d) => [d.district, d] as const));

/**
 * The Camden postcode district for a full or partial postcode, falling back from a sub-district to its umbrella entry
 * ("EC1M 4AA" → EC1, "WC2N" → WC2). Undefined for districts that don't reach Camden.
 */
export function findPostcodeDistrict(postcode: string): PostcodeDistrict | undefined {
  const code = postcodeDistrict(postcode);
  if (!code) return undefined;
  const exact = districtIndex.get(code);
  if (exact) return exact;
  if (/[A-Z]$/.test(code)) return districtIndex.get(code.slice(0, -1));
  return undefined;
}
