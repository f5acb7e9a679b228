import { describe, expect, it } from 'vitest';
import {
  deriveFacets,
  deriveLocation,
  findPostcodeIn,
  locateByPostcode,
  townOfAddress,
  withDerivedFacets,
} from '../../../../src/catalogue/ingest/derive-facets.ts';
import { CatalogueEntryInputSchema, type LocationInput } from '../../../../src/catalogue/model.ts';
import type { Concept } from '../../../../src/catalogue/search/vocabulary.ts';

// Titles (and one description) as published in real directories and calendars: the Folkestone & Hythe community
// directory, Buckinghamshire's Outpost services and the PlaceCal feeds. They are
// written here as test inputs; no file outside the repository is read.

describe('deriveFacets: categories and audiences from titles', () => {
  it('reads the examples staff gave', () => {
    expect(deriveFacets({ title: "Ladies' Knit and Natter" })).toEqual({
      categories: ['crafts'],
      audiences: ['women'],
    });
    const teaDance = deriveFacets({ title: 'Over 60s Tea Dance' });
    expect(teaDance.audiences).toEqual(['older_people']);
    const carers = deriveFacets({ title: "Carers' Coffee Morning" });
    expect(carers.audiences).toEqual(['carers']);
    expect(carers.categories).toContain('carers');
  });

  it.each([
    ['Rethink Carers Support Group', ['carers'], ['carers']],
    ['Activities for Carers', ['carers'], ['carers']],
    ['Little Treasures Toddler Group', ['parents'], ['parents_of_young_children']],
    ['Who let the dads out', ['parents'], ['parents_of_young_children']],
    ["St Mary's Church Mother and Toddler Group", ['parents'], ['parents_of_young_children']],
    ['BeYou LGBTQ+ Support Meet Ups', ['lgbtq+'], ['lgbtq']],
    ['Folkestone Womens Forum', [], ['women']],
    ['Female Walking Football', ['walking'], ['women']],
    ["Over 50's lunch - Wingrave", ['lunch club'], ['older_people']],
    ['Seniors Badminton and Short Tennis', [], ['older_people']],
    ['Knit & Crochet Craft Group', ['crafts'], []],
    ['Thursday Community Lunch', ['lunch club'], []],
    ['Village Lunch Club', ['lunch club'], []],
    ['Weekday Walking Group', ['walking'], []],
    ["Let's Talk Dementia", ['dementia'], []],
    ['Dementia Singing for the Brain - Aylesbury', ['dementia', 'music'], []],
    ['Falls Prevention', ['falls prevention'], []],
    ['DadSpace Mental Health Support Group', ['mental health'], []],
    // An opera concert is a performance; "Mothers" inside "Mothers Day" names no audience.
    ['Mothers Day Concertini with Rogue Opera', ['performances'], []],
  ])('%s', (title, categories, audiences) => {
    const derived = deriveFacets({ title });
    for (const c of categories) expect(derived.categories).toContain(c);
    expect(derived.audiences.sort()).toEqual([...audiences].sort());
  });

  it('gives nothing for titles that name no topic or group, or use the words in passing', () => {
    // A repair café is a kind of group the thesaurus knows.
    expect(deriveFacets({ title: 'Folkestone Repair Cafe' }).categories).toEqual(['repair']);
    for (const title of ['Beetle Drive', 'Ukrainian Community School', 'Friends of Kingsnorth Gardens']) {
      expect(deriveFacets({ title }), title).toEqual({ categories: [], audiences: [] });
    }
    // A need the services thesaurus names is a topic.
    expect(deriveFacets({ title: 'Weight loss group' }).categories).toContain('weight management');
    // "The Man Who…" is a film, not a men's group.
    expect(deriveFacets({ title: 'Film club: The Man Who Fell to Earth' }).audiences).toEqual([]);
  });

  it('takes audiences from a description only when stated plainly', () => {
    const monday = deriveFacets({
      title: 'Monday Club - Haddenham',
      description:
        'A weekly group for retired people - tea and chat, and a varied programme of activities and speakers.',
    });
    expect(monday.audiences).toEqual(['older_people']);
    expect(
      deriveFacets({ title: 'Coffee morning', description: 'A friendly morning for over 60s.' }).audiences,
    ).toEqual(['older_people']);
    expect(deriveFacets({ title: 'Swim session', description: 'Women only. Lifeguards on duty.' }).audiences).toEqual([
      'women',
    ]);
    expect(
      deriveFacets({ title: 'Drop in', description: 'Open to carers and the people they look after.' }).audiences,
    ).toEqual(['carers']);
    // "For 60+ years" is not an age; "parents/carers" are parents.
    expect(
      deriveFacets({
        title: 'Good Samaritans Bingo - Aston Abbotts',
        description: 'Held in the village for 60+ years.',
      }).audiences,
    ).toEqual([]);
    expect(
      deriveFacets({ title: 'Workshops', description: 'Bitesize workshops for parents/carers.' }).audiences,
    ).toEqual(['parents_of_young_children']);
    expect(
      deriveFacets({
        title: 'Walk and Talk',
        description: 'Monthly social walk for the Fellas - a community for men in Folkestone.',
      }).audiences,
    ).toEqual(['men']);
    // Mentioned, not addressed: no audience.
    const passing = deriveFacets({
      title: 'Book Club - Wendover',
      description: 'We have a mix that read on Kindles; some of our members are carers and some are retired.',
    });
    expect(passing.audiences).toEqual([]);
  });

  it('reads "parents and carers" as parents, and "men and women" as everyone', () => {
    const parents = deriveFacets({
      title: 'Parent Support Drop ins',
      description:
        'A monthly drop-in session for parents and carers to come for information, advice, and signposting around family life.',
    });
    expect(parents.audiences).toEqual(['parents_of_young_children']);
    expect(parents.categories).not.toContain('carers');
    expect(deriveFacets({ title: "Men's and Women's Walking Netball" }).audiences).toEqual([]);
  });

  it('needs a description to name a topic twice before it gives a category', () => {
    expect(deriveFacets({ title: 'Wednesday drop-in', description: 'Bring your knitting.' }).categories).toEqual([]);
    expect(
      deriveFacets({ title: 'Wednesday drop-in', description: 'Bring your knitting, or try crochet.' }).categories,
    ).toEqual(['crafts']);
  });

  it('never reads a street address as a topic', () => {
    const derived = deriveFacets({
      title: 'Coffee morning',
      description: 'At 12 Chester Gardens, off Garden Road, NW5 1AA. Gardens Court entrance.',
      location: { externalId: 'l', locationType: 'physical', address1: 'Lyndhurst Gardens', accessibility: [] },
    });
    expect(derived.categories).not.toContain('gardening');
    expect(
      deriveFacets({ title: 'Quiz night at 5 Garden Walk', description: 'Meet at 7 Garden Walk.' }).categories,
    ).toEqual(['games']);
    // Distances are not addresses.
    expect(deriveFacets({ title: '5 Mile Walk' }).categories).toEqual(['walking']);
  });

  describe('with a given vocabulary', () => {
    const vocabulary: Concept[] = [
      { key: 'knit', facet: 'topic', label: 'knitting', phrases: ['knit'], categories: ['knitting'] },
      {
        key: 'natter',
        facet: 'topic',
        label: 'knit and natter',
        phrases: ['knit and natter'],
        categories: ['crafts', 'social'],
      },
      { key: 'women', facet: 'audience', label: 'women', phrases: ['ladies'], audiences: ['women'] },
      { key: 'no-facets', facet: 'topic', label: 'and', phrases: ['and'] },
    ];

    it('matches whole phrases on normalised text, the longest first', () => {
      expect(deriveFacets({ title: 'LADIES’ KNIT-AND-NATTER' }, vocabulary)).toEqual({
        categories: ['crafts', 'social'],
        audiences: ['women'],
      });
      expect(deriveFacets({ title: 'Knitters welcome' }, vocabulary).categories).toEqual([]);
    });

    it('counts a title phrase above description mentions', () => {
      const derived = deriveFacets({ title: 'Knit', description: 'Knit and natter. Knit and natter.' }, vocabulary);
      expect(derived.categories[0]).toBe('knitting');
      expect(derived.categories).toEqual(expect.arrayContaining(['crafts', 'social']));
    });
  });
});

describe('withDerivedFacets', () => {
  const entry = (fields: Record<string, unknown>) =>
    CatalogueEntryInputSchema.parse({ externalId: 'e', kind: 'activity', title: 'Over 60s Tea Dance', ...fields });

  it('fills what is missing and keeps what the source gave', () => {
    const untagged = withDerivedFacets(entry({}));
    expect(untagged.audiences).toEqual(['older_people']);
    const tagged = withDerivedFacets(entry({ categories: ['dance'], audiences: ['everyone'] }));
    expect(tagged.categories).toEqual(['dance']);
    expect(tagged.audiences).toEqual(['everyone']);
    const half = withDerivedFacets(entry({ categories: ['dance'] }));
    expect(half.categories).toEqual(['dance']);
    expect(half.audiences).toEqual(['older_people']);
  });

  it('returns the same object when there is nothing to add', () => {
    const plain = entry({ title: 'Beetle Drive' });
    expect(withDerivedFacets(plain)).toBe(plain);
  });
});

describe('postcodes', () => {
  const location = (fields: Partial<LocationInput>): LocationInput => ({
    externalId: 'l',
    locationType: 'physical',
    accessibility: [],
    ...fields,
  });

  it('finds the postcode an address ends with', () => {
    expect(findPostcodeIn('Conway Hall, 25 Red Lion Square, London WC1R 4RL')).toBe('WC1R 4RL');
    expect(findPostcodeIn('ARC, 20 Southey Rd, Christchurch BH23 3EH')).toBe('BH23 3EH');
    expect(findPostcodeIn('Room 2B, 3rd floor, nw52aa')).toBe('NW5 2AA');
    expect(findPostcodeIn('Mudeford Quay Green')).toBeUndefined();
  });

  it("gives a district's ward when it has only one, and the centre of its Camden part", () => {
    expect(locateByPostcode('WC1R 4RL')).toMatchObject({
      ward: 'Holborn & Covent Garden',
      wards: ['Holborn & Covent Garden'],
    });
    const nw5 = locateByPostcode('NW5 1LB');
    expect(nw5.ward).toBeUndefined();
    expect(nw5.wards).toEqual(expect.arrayContaining(['Kentish Town North', 'Kentish Town South', 'Gospel Oak']));
    expect(nw5.centroid).toBeDefined();
    // Mostly in another borough: the venue may not be in Camden at all.
    expect(locateByPostcode('N6 5HJ')).toEqual({ wards: [] });
    expect(locateByPostcode('BH23 3EH')).toEqual({ wards: [] });
  });

  it('sets the postcode, ward and approximate point of a venue that has none, keeping given ones', () => {
    const derived = deriveLocation(location({ address1: 'Conway Hall, 25 Red Lion Square, London WC1R 4RL' }));
    expect(derived).toMatchObject({ postalCode: 'WC1R 4RL', ward: 'Holborn & Covent Garden' });
    expect(derived.latitude).toBeCloseTo(51.52, 1);
    const given = deriveLocation(
      location({ postalCode: 'WC1R 4RL', ward: 'Bloomsbury', latitude: 51.5, longitude: -0.12 }),
    );
    expect(given).toMatchObject({ ward: 'Bloomsbury', latitude: 51.5, longitude: -0.12 });
    const online = location({ locationType: 'virtual', name: 'Online WC1R 4RL' });
    expect(deriveLocation(online)).toBe(online);
  });

  it('reads the town that ends an address given without one, never a street, a county or a postcode', () => {
    const town = (address1: string) => townOfAddress(location({ address1 }));
    expect(town('Range Road, Hythe')).toBe('Hythe');
    expect(town('Opposite Boots, 24-26 Sandgate Road, Folkestone')).toBe('Folkestone');
    expect(town('12 High St, Hythe CT21 5AB')).toBe('Hythe');
    expect(town('The Bayle')).toBeUndefined();
    expect(town('Station Road, Mill Lane')).toBeUndefined();
    expect(town('Folkestone, Kent')).toBeUndefined();
    expect(deriveLocation(location({ address1: 'Baker Road, Cheriton' })).city).toBe('Cheriton');
    expect(deriveLocation(location({ address1: 'Baker Road, Cheriton', city: 'Folkestone' })).city).toBe('Folkestone');
  });

  it('writes a given postcode the standard way, and keeps one that is not shaped like a postcode', () => {
    expect(deriveLocation(location({ postalCode: 'ct203bn' })).postalCode).toBe('CT20 3BN');
    expect(deriveLocation(location({ postalCode: 'NW5  2AB' })).postalCode).toBe('NW5 2AB');
    expect(deriveLocation(location({ postalCode: 'see website' })).postalCode).toBe('see website');
    expect(
      deriveLocation(location({ postalCode: 'see website', address1: '25 Red Lion Square, WC1R 4RL' })).postalCode,
    ).toBe('see website');
  });
});
