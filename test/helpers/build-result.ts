import type { SearchResponse, SearchResult, Understood } from '../../src/catalogue/search/types.ts';

let counter = 0;

/** A search result with realistic defaults: a weekly lunch club in Kentish Town. */
export function buildResult(overrides: Partial<SearchResult> = {}): SearchResult {
  counter++;
  return {
    id: `entry-${counter}`,
    kind: 'activity',
    title: 'Tuesday Lunch Club',
    description: 'A hot two-course lunch and good company, with a quiz after.',
    organisation: 'Age UK Camden',
    next: { start: '2026-12-01T12:00:00+00:00', end: '2026-12-01T14:00:00+00:00', allDay: false },
    upcoming: [
      { start: '2026-12-01T12:00:00+00:00', end: '2026-12-01T14:00:00+00:00', allDay: false },
      { start: '2026-12-08T12:00:00+00:00', end: '2026-12-08T14:00:00+00:00', allDay: false },
      { start: '2026-12-15T12:00:00+00:00', end: '2026-12-15T14:00:00+00:00', allDay: false },
    ],
    scheduleText: 'Tuesdays 12:00–14:00',
    venue: 'Kentish Town Community Centre',
    address: '17 Busby Place, London',
    ward: 'Kentish Town South',
    postcode: 'NW5 2SP',
    distanceKm: null,
    cost: 'Free',
    access: ['step_free', 'accessible_toilet'],
    accessNote: null,
    howToJoin: 'drop_in',
    attendingTypes: ['in_person'],
    audiences: ['older_people'],
    languages: ['english'],
    contact: { name: 'Maya', phone: '020 7946 0123', email: 'lunch@example.org' },
    url: 'https://example.org/lunch',
    lastConfirmed: '2026-09-01',
    status: 'active',
    alert: null,
    isDemo: false,
    score: 1,
    ...overrides,
  };
}

export function buildUnderstood(overrides: Partial<Understood> = {}): Understood {
  return { terms: [], audiences: [], categories: [], access: [], languages: [], formats: [], kinds: [], ...overrides };
}

export function buildResponse(results: SearchResult[], overrides: Partial<SearchResponse> = {}): SearchResponse {
  return { understood: buildUnderstood(), relaxed: [], results, total: results.length, ...overrides };
}
