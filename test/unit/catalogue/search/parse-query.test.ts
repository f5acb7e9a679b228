import { describe, expect, it } from 'vitest';
import { describeUnderstood } from '../../../../src/catalogue/search/describe-query.ts';
import { normaliseQueryText, parseQuery } from '../../../../src/catalogue/search/parse-query.ts';

// Monday 23 November 2026, 09:00 in London (GMT).
const NOW = new Date('2026-11-23T09:00:00Z');

describe('parseQuery', () => {
  it('understands the example from the issue', () => {
    const u = parseQuery('free lunch club near Kentish Town on Tuesdays, step-free', NOW);
    expect(u).toMatchObject({
      // Every content word counts: "lunch club" names a concept and is still searched as words; "step-free" is a
      // filter whose words only rank (they are no search term).
      terms: ['lunch'],
      slots: [
        { text: 'lunch club', concept: 'lunch-club' },
        { text: 'step free', concept: 'step-free' },
      ],
      categories: ['lunch club'],
      topics: ['lunch-club'],
      free: true,
      weekdays: [2],
      access: ['step_free'],
      place: { label: 'Kentish Town', wards: ['Kentish Town South', 'Kentish Town North'] },
    });
    expect(u.when).toBeUndefined();
    expect(describeUnderstood(u)).toBe('lunch club · free · step-free · in Kentish Town · on Tuesdays');
  });

  it('takes language, gender and loneliness from a description of the resident, dropping filler', () => {
    const u = parseQuery("something for a Bengali-speaking man who's lonely", NOW);
    expect(u.languages).toEqual(['bengali', 'sylheti']);
    expect(u.audiences).toEqual(['men']);
    expect(u.topics).toEqual(['bengali', 'men', 'lonely']);
    expect(u.categories).toContain('befriending');
    expect(u.terms).toEqual(['bengali', 'man', 'lonely']);
  });

  it.each([
    ['dementa cafe this week', 'dementia'],
    ['befreinding', 'befriending'],
    ['seated excercise', 'seated-exercise'],
    ['lunch clubb', 'lunch-club'],
    ['luncheon club', 'lunch-club'],
    ['community meal', 'lunch-club'],
    ['telephone friendship', 'befriending'],
    ['chair exercise', 'seated-exercise'],
    ['MH support', 'mental-health'],
    ['isolated', 'lonely'],
  ])('recognises "%s" as the %s topic', (text, topic) => {
    expect(parseQuery(text, NOW).topics).toContain(topic);
  });

  it.each([
    ['LD social club', 'learning_disabilities'],
    ['something for over 60s', 'older_people'],
    ['for the elderly', 'older_people'],
    ['aged 65+', 'older_people'],
    ['older people', 'older_people'],
    ['unpaid carer', 'carers'],
    ['lgbtq+ group', 'lgbtq'],
    ['new mum', 'parents_of_young_children'],
    ['teenagers', 'young_people'],
  ])('"%s" is for %s', (text, audience) => {
    expect(parseQuery(text, NOW).audiences).toContain(audience);
  });

  it('reads a phrase of several words worded another way by its stems, never one word alone', () => {
    expect(parseQuery('make and mend workshop', NOW).topics).toContain('mens-shed');
    // One word's stem alone can be another word's: these keep their own meaning.
    expect(parseQuery('care needs assessment', NOW).topics ?? []).not.toContain('carers');
    expect(parseQuery('guided walk', NOW).topics ?? []).not.toContain('scouting');
  });

  it('reads "older men" and "older women" as both audiences', () => {
    expect(parseQuery('group for older men', NOW).audiences).toEqual(expect.arrayContaining(['older_people', 'men']));
    expect(parseQuery('older women walking', NOW).audiences).toEqual(expect.arrayContaining(['older_people', 'women']));
  });

  it('reads a hearing aid user as hard of hearing, not as a venue asked to have a loop', () => {
    const u = parseQuery('hearing aid users group', NOW);
    expect(u.access).toEqual([]);
    expect(u.topics).toContain('deaf');
    expect(u.terms).toEqual(expect.arrayContaining(['hearing', 'aid']));
    expect(parseQuery('with a hearing loop', NOW).access).toEqual(['hearing_loop']);
  });

  it.each([
    ['wheelchair user', ['step_free', 'wheelchair_accessible']],
    ['with a hearing loop', ['hearing_loop']],
    ['somewhere quiet', ['quiet_space']],
    ['step free access', ['step_free']],
  ])('access needs in "%s"', (text, access) => {
    expect(parseQuery(text, NOW).access).toEqual(access);
  });

  it('reads cost limits, and does not read "step-free" as free', () => {
    expect(parseQuery('lunch under £5', NOW)).toMatchObject({ maxCost: 5 });
    expect(parseQuery('less than £3.50 please', NOW)).toMatchObject({ maxCost: 3.5 });
    expect(parseQuery('cheap lunch', NOW)).toMatchObject({ maxCost: 5 });
  });

  it('reads a quoted price as the most it may cost, never as a word or a time', () => {
    const q = parseQuery('£4 a session football for women', NOW);
    expect(q).toMatchObject({ maxCost: 4, terms: ['football', 'women'] });
    expect(q.timeOfDay).toBeUndefined();
    expect(parseQuery('£2.50 soft play', NOW)).toMatchObject({ maxCost: 2.5, terms: ['soft', 'play'] });
    expect(parseQuery('yoga for 50p', NOW)).toMatchObject({ maxCost: 0.5 });
    expect(parseQuery('swimming 3 pounds each', NOW)).toMatchObject({ maxCost: 3 });
    expect(parseQuery('lunch under £5, ideally £3 a week', NOW)).toMatchObject({ maxCost: 5 });
    const from = parseQuery('piano lessons at home from £15', NOW);
    expect(from.maxCost).toBeUndefined();
    expect(from.terms).not.toContain('£15');
  });

  it('reads "once a week" and "every fortnight" as how often, not as a date', () => {
    for (const q of [
      'lunch club once a week',
      'a group twice a month',
      'art class 2 a week',
      'every fortnight choir',
    ]) {
      const u = parseQuery(q, NOW);
      expect(u.when, q).toBeUndefined();
      expect(u.timeOfDay, q).toBeUndefined();
      expect(u.terms, q).not.toContain('once');
    }
    expect(parseQuery('lunch club once a week on tuesdays', NOW).weekdays).toEqual([2]);
    expect(parseQuery('step-free lunch', NOW).free).toBeUndefined();
    expect(parseQuery('free of charge', NOW).free).toBe(true);
  });

  it('reads languages and formats', () => {
    expect(parseQuery('in Somali', NOW).languages).toEqual(['somali']);
    expect(parseQuery('Cantonese speaking', NOW).languages).toContain('cantonese');
    expect(parseQuery('online group', NOW).formats).toEqual(['online']);
    expect(parseQuery('something by phone', NOW).formats).toEqual(['phone']);
    expect(parseQuery('face to face', NOW).formats).toEqual(['in_person']);
  });

  it('reads kinds', () => {
    expect(parseQuery('MHFA course', NOW)).toMatchObject({ kinds: ['training'], topics: ['mhfa'] });
    expect(parseQuery('loneliness toolkit', NOW).kinds).toEqual(['resource']);
    expect(parseQuery('a guide for staff', NOW).kinds).toEqual(['resource', 'training']);
  });

  describe('places', () => {
    it.each([
      ['near Swiss Cottage', 'Swiss Cottage', ['South Hampstead', 'Belsize']],
      ['in Somers Town', 'Somers Town', ['St Pancras & Somers Town']],
      ['Belsize Park', 'Belsize Park', ['Belsize', 'Haverstock']],
      ['West Hampstead', 'West Hampstead', ['West Hampstead', 'Fortune Green']],
      ['Kentish Twon', 'Kentish Town', ['Kentish Town South', 'Kentish Town North']],
      ['in Bloomsbury ward', 'Bloomsbury', ['Bloomsbury', 'Holborn & Covent Garden']],
      ["King's Cross", "King's Cross", ["King's Cross", 'St Pancras & Somers Town']],
    ])('"%s" → %s', (text, label, wards) => {
      expect(parseQuery(text, NOW).place).toMatchObject({ label, wards });
    });

    it('reads postcode districts and full postcodes', () => {
      expect(parseQuery('something in NW5', NOW).place).toMatchObject({ label: 'NW5', postcode: 'NW5' });
      expect(parseQuery('near n19', NOW).place).toMatchObject({
        label: 'N19',
        wards: ['Highgate', 'Kentish Town North'],
      });
      expect(parseQuery('WC1H', NOW).place?.wards).toEqual(["King's Cross", 'Bloomsbury']);
      const full = parseQuery('lives at nw3 4xn', NOW);
      expect(full.place).toMatchObject({ label: 'NW3 4XN', postcode: 'NW3 4XN' });
      expect(full.place?.latitude).toBeCloseTo(51.55, 1);
      expect(full.terms).toEqual(['lives']);
    });

    it('ignores postcodes outside Camden and the borough name itself', () => {
      expect(parseQuery('SE1 lunch', NOW).place).toBeUndefined();
      expect(parseQuery('Camden lunch club', NOW).place).toBeUndefined();
    });

    it('keeps a postcode elsewhere to look up among venues, or as a word when told no venue has it', () => {
      const district = parseQuery('scouts HP5', NOW);
      expect(district.postcodeElsewhere).toBe('HP5');
      expect(district.terms).not.toContain('hp5');
      expect(parseQuery('lunch club ct20 1sq', NOW).postcodeElsewhere).toBe('CT20 1SQ');
      const word = parseQuery('scouts HP5', NOW, { postcodes: false });
      expect(word.postcodeElsewhere).toBeUndefined();
      expect(word.terms).toContain('hp5');
    });
  });

  describe('days and times in Europe/London', () => {
    it('today, tomorrow morning, tonight', () => {
      expect(parseQuery('today', NOW).when).toEqual({
        from: '2026-11-23T09:00:00+00:00',
        to: '2026-11-24T00:00:00+00:00',
        label: 'today',
      });
      const u = parseQuery('tomorrow morning', NOW);
      expect(u.when).toEqual({ from: '2026-11-24T00:00:00+00:00', to: '2026-11-25T00:00:00+00:00', label: 'tomorrow' });
      expect(u.timeOfDay).toBe('morning');
      expect(parseQuery('tonight', NOW)).toMatchObject({ timeOfDay: 'evening', when: { label: 'tonight' } });
    });

    it('this weekend, next week, this week', () => {
      expect(parseQuery('this weekend', NOW).when).toEqual({
        from: '2026-11-28T00:00:00+00:00',
        to: '2026-11-30T00:00:00+00:00',
        label: 'this weekend',
      });
      expect(parseQuery('next week', NOW).when).toEqual({
        from: '2026-11-30T00:00:00+00:00',
        to: '2026-12-07T00:00:00+00:00',
        label: 'next week',
      });
      expect(parseQuery('this week', NOW).when).toEqual({
        from: '2026-11-23T09:00:00+00:00',
        to: '2026-11-30T00:00:00+00:00',
        label: 'this week',
      });
    });

    it('a weekend day asks "this weekend" from now to Monday', () => {
      const saturday = new Date('2026-11-28T15:00:00Z');
      expect(parseQuery('this weekend', saturday).when).toEqual({
        from: '2026-11-28T15:00:00+00:00',
        to: '2026-11-30T00:00:00+00:00',
        label: 'this weekend',
      });
    });

    it('weekday names are days of the week; "next Friday" is one date', () => {
      expect(parseQuery('on Tuesday', NOW)).toMatchObject({ weekdays: [2] });
      expect(parseQuery('on Tuesday', NOW).when).toBeUndefined();
      expect(parseQuery('Tuesdays and Thursdays', NOW).weekdays).toEqual([2, 4]);
      expect(parseQuery('every sunday', NOW).weekdays).toEqual([7]);
      expect(parseQuery('tai chi saturday', NOW)).toMatchObject({ weekdays: [6], topics: ['tai-chi'] });
      expect(parseQuery('at weekends', NOW).weekdays).toEqual([6, 7]);
      expect(parseQuery('next friday', NOW).when).toEqual({
        from: '2026-12-04T00:00:00+00:00',
        to: '2026-12-05T00:00:00+00:00',
        label: 'on Friday 4 December',
      });
    });

    it('evenings, mornings and afternoons', () => {
      expect(parseQuery('evenings', NOW).timeOfDay).toBe('evening');
      expect(parseQuery('on Friday evening', NOW)).toMatchObject({ weekdays: [5], timeOfDay: 'evening' });
      expect(parseQuery('in the afternoon', NOW).timeOfDay).toBe('afternoon');
      expect(parseQuery('Monday mornings', NOW)).toMatchObject({ weekdays: [1], timeOfDay: 'morning' });
      expect(parseQuery('quiz at 2pm', NOW).timeOfDay).toBe('afternoon');
    });

    it('explicit dates', () => {
      expect(parseQuery('on 3 December', NOW).when).toEqual({
        from: '2026-12-03T00:00:00+00:00',
        to: '2026-12-04T00:00:00+00:00',
        label: 'on Thursday 3 December',
      });
    });

    it('months: the next one of that name, the rest of this one, or the year given', () => {
      expect(parseQuery('lunch club in March', NOW)).toMatchObject({
        terms: ['lunch'],
        categories: ['lunch club'],
        when: { from: '2027-03-01T00:00:00+00:00', to: '2027-04-01T00:00:00+01:00', label: 'in March 2027' },
      });
      expect(parseQuery('during december', NOW).when).toEqual({
        from: '2026-12-01T00:00:00+00:00',
        to: '2027-01-01T00:00:00+00:00',
        label: 'in December',
      });
      expect(parseQuery('mhfa course in feb', NOW).when?.label).toBe('in February 2027');
      expect(parseQuery('in November', NOW).when).toEqual({
        from: '2026-11-23T09:00:00+00:00',
        to: '2026-12-01T00:00:00+00:00',
        label: 'in November',
      });
      expect(parseQuery('next November', NOW).when?.from).toBe('2027-11-01T00:00:00+00:00');
      expect(parseQuery('throughout January 2028', NOW).when?.label).toBe('in January 2028');
      // A day in the month is one date, as before.
      expect(parseQuery('in March 3rd', NOW).when?.label).toBe('on Wednesday 3 March');
    });

    it('does not read names or words as months', () => {
      for (const q of [
        'for June who is lonely',
        'lunch for Jan',
        'march for peace',
        'may be suitable',
        'April Court sheltered housing',
      ]) {
        expect(parseQuery(q, NOW).when, q).toBeUndefined();
      }
    });

    it('keeps London wall-clock days across the spring clock change', () => {
      // Saturday 27 March 2027, 10:00 GMT; clocks go forward at 01:00 on Sunday 28 March.
      const beforeChange = new Date('2027-03-27T10:00:00Z');
      expect(parseQuery('tomorrow', beforeChange).when).toEqual({
        from: '2027-03-28T00:00:00+00:00',
        to: '2027-03-29T00:00:00+01:00',
        label: 'tomorrow',
      });
      expect(parseQuery('next week', beforeChange).when).toEqual({
        from: '2027-03-29T00:00:00+01:00',
        to: '2027-04-05T00:00:00+01:00',
        label: 'next week',
      });
      expect(parseQuery('this weekend', beforeChange).when).toEqual({
        from: '2027-03-27T10:00:00+00:00',
        to: '2027-03-29T00:00:00+01:00',
        label: 'this weekend',
      });
    });

    it('keeps London wall-clock days across the autumn clock change', () => {
      // Saturday 30 October 2027, 23:30 BST; clocks go back at 02:00 on Sunday 31 October.
      const lateSaturday = new Date('2027-10-30T22:30:00Z');
      expect(parseQuery('today', lateSaturday).when).toEqual({
        from: '2027-10-30T23:30:00+01:00',
        to: '2027-10-31T00:00:00+01:00',
        label: 'today',
      });
      expect(parseQuery('tomorrow', lateSaturday).when).toEqual({
        from: '2027-10-31T00:00:00+01:00',
        to: '2027-11-01T00:00:00+00:00',
        label: 'tomorrow',
      });
      // Half past midnight GMT on 1 November is still the 1st in London (Monday).
      expect(parseQuery('on Monday', new Date('2027-11-01T00:30:00Z')).weekdays).toEqual([1]);
    });

    it('does not read "may" or ages as dates', () => {
      expect(parseQuery('she may like a lunch club', NOW).when).toBeUndefined();
      expect(parseQuery('over 60s', NOW).when).toBeUndefined();
      expect(parseQuery('over 60s', NOW).timeOfDay).toBeUndefined();
    });
  });

  it('keeps unknown words as terms and drops filler', () => {
    expect(parseQuery("who's looking for zumba", NOW).terms).toEqual(['zumba']);
    expect(parseQuery('Something for a resident', NOW).terms).toEqual([]);
  });

  it('is deterministic', () => {
    const text = 'quiet Somali women group in Kentish Town next week, free';
    expect(parseQuery(text, NOW)).toEqual(parseQuery(text, NOW));
  });

  it('normalises accents, apostrophes and punctuation', () => {
    expect(normaliseQueryText('Café – St. Pancras’ “Over-60s”!')).toBe('cafe st pancras over 60s');
  });
});

describe('parseQuery keeps every content word', () => {
  it('reads running as the activity, not as what is on or who organises it', () => {
    const topics = (q: string) => parseQuery(q, NOW).topics ?? [];
    expect(topics('running for kids on a saturday')).toContain('running');
    expect(topics('woman who wants to start running')).toContain('running');
    expect(topics("what's running on tuesday")).not.toContain('running');
    expect(topics('lunch club run by volunteers')).not.toContain('running');
    expect(topics('I run a coffee morning')).not.toContain('running');
  });

  it('reads "in the day" as when, not as a word to find, and the armed forces community as a need', () => {
    expect(parseQuery('somewhere warm to sit in the day', NOW).slots?.map((x) => x.text)).not.toContain('day');
    expect(parseQuery('man who has just left the army', NOW).topics).toContain('veterans');
    expect(parseQuery('salvation army shop', NOW).topics ?? []).not.toContain('veterans');
  });

  it('leaves out words text search never indexes, but not from a thesaurus phrase', () => {
    expect(parseQuery('wig after chemotherapy', NOW).terms).toEqual(['wig', 'chemotherapy']);
    expect(parseQuery('after school club', NOW).slots?.[0]?.text).toBe('after school club');
  });

  it.each([
    ["Somali women's group", ['somali', 'womens']],
    ["ladies' knit & natter", ['ladies', 'knit', 'natter']],
    ['tea dance', ['tea', 'dance']],
    ['Black and Asian elders', ['black', 'asian', 'elders']],
  ])('"%s" → terms %j', (text, terms) => {
    expect(parseQuery(text, NOW).terms).toEqual(terms);
  });

  it('filters by a language only when the question asks for it', () => {
    expect(parseQuery('Somali women', NOW)).toMatchObject({ languages: [], preferLanguages: ['somali'] });
    expect(parseQuery('lunch club in Somali', NOW).languages).toEqual(['somali']);
    expect(parseQuery('Somali speaking befriender', NOW).languages).toEqual(['somali']);
  });

  it("reads the strategy's own wording and frontline abbreviations", () => {
    expect(parseQuery('Black, Asian and minority ethnic elders', NOW).audiences).toContain('ethnic_minorities');
    expect(parseQuery('LD', NOW).audiences).toEqual(['learning_disabilities']);
    expect(parseQuery('MH support', NOW).topics).toContain('mental-health');
    expect(parseQuery('ESOL', NOW).topics).toContain('esol');
    expect(parseQuery('pensioners', NOW).audiences).toEqual(['older_people']);
    expect(parseQuery('retired', NOW).audiences).toEqual(['older_people']);
    expect(parseQuery('luncheon club', NOW).topics).toEqual(['lunch-club']);
    expect(parseQuery('friendship calls', NOW).topics).toEqual(['befriending']);
  });

  it.each(['station', 'working', 'reducing', 'tea', 'gardens'])(
    'never corrects the known word "%s" into another',
    (word) => {
      const u = parseQuery(`${word} group`, NOW);
      expect(u.slots?.[0]).toEqual({ text: word });
      expect(u.place).toBeUndefined();
    },
  );

  it('corrects unknown words only, and says what it read', () => {
    expect(parseQuery('befriening', NOW).slots).toEqual([
      { text: 'befriending', concept: 'befriending', corrected: 'befriening' },
    ]);
    // A word the catalogue knows is kept as it is, even when no dictionary has it.
    expect(parseQuery('zumbaa', NOW, { catalogueWords: new Set(['zumbaa']) }).slots).toEqual([{ text: 'zumbaa' }]);
  });

  it('reads a street address as where, never as a topic', () => {
    const u = parseQuery('coffee morning near 12 Oakley Gardens', NOW);
    expect(u.topics).toEqual(['coffee-morning']);
    expect(u.terms).not.toContain('gardens');
  });

  it('takes a misspelt place only after a place word or beside an exact part of its name', () => {
    expect(parseQuery('lunch near Hampstaed', NOW).place?.label).toBe('Hampstead');
    expect(parseQuery('Hampstaed lunch', NOW).place).toBeUndefined();
    expect(parseQuery('Kentish Twon lunch', NOW).place?.label).toBe('Kentish Town');
  });

  it('knows the stations staff give as landmarks, and "am dram" is not the morning', () => {
    expect(parseQuery('coffee morning near Goodge Street', NOW).place).toMatchObject({
      label: 'Goodge Street',
      wards: ['Bloomsbury'],
    });
    expect(parseQuery('tai chi near Archway', NOW).place?.label).toBe('Archway');
    const drama = parseQuery('am dram', NOW);
    expect(drama.timeOfDay).toBeUndefined();
    expect(drama.topics).toContain('drama');
  });

  it('reads a clock time with its day as that part of the day, and "now" in a story as no day', () => {
    expect(parseQuery('tuesday 10am', NOW)).toMatchObject({ weekdays: [2], timeOfDay: 'morning' });
    expect(parseQuery('saturday at 7pm', NOW)).toMatchObject({ weekdays: [6], timeOfDay: 'evening' });
    expect(parseQuery('she works during the day', NOW).when).toBeUndefined();
    expect(parseQuery('young carer of 16', NOW).topics).toContain('carers');
    const story = parseQuery('widower who now lives on ready meals', NOW);
    expect(story.when).toBeUndefined();
    expect(story.timeOfDay).toBeUndefined();
  });

  it('reads a town whose name ends in an everyday word as the whole name ("in Miami Beach")', () => {
    expect(parseQuery('english classes in Miami Beach', NOW).venue).toBe('miami beach');
    expect(parseQuery('lunch club in Longwick tomorrow', NOW).venue).toBe('longwick');
  });

  it("reads a street address's street as the venue asked, its words never topics", () => {
    const u = parseQuery('378 cheriton road', NOW);
    expect(u.venue).toBe('cheriton road');
    expect(u.slots ?? []).toEqual([]);
    expect(parseQuery('378 cheriton road', NOW, { venues: false }).venue).toBeUndefined();
  });

  it('offers both forms of a compound', () => {
    expect(parseQuery('lunchclub', NOW).slots?.[0]).toMatchObject({ text: 'lunch club', alternatives: ['lunchclub'] });
    expect(parseQuery('day centre', NOW).slots?.[0]?.alternatives).toContain('daycentre');
  });

  it("reads a possessive plural as the word: children's, young people's", () => {
    expect(parseQuery("children's choir", NOW).audiences).toEqual(['young_people']);
    expect(parseQuery("young people's mental health", NOW).topics).toEqual(['young', 'mental-health']);
  });

  it("reads a child's age as who the resident is", () => {
    const teen = parseQuery('somewhere safe for a 15 year old after school', NOW);
    expect(teen.audiences).toEqual(['young_people']);
    expect(teen.terms).not.toContain('15');
    expect(parseQuery('theatre show for a 4 year old', NOW).audiences).toEqual(['parents_of_young_children']);
    expect(parseQuery('lunch club for a 75 year old', NOW).audiences).toEqual(['older_people']);
  });

  it('knows everyday service words from the thesaurus, keeping the words themselves', () => {
    const cases: [string, string][] = [
      ['help him feel steadier on his feet', 'falls'],
      ['someone to visit her at home', 'befriending'],
      ['supervised contact', 'contact-centre'],
      ['social supermarket', 'community-pantry'],
      ['food parcels', 'food-bank'],
      ['community fridge', 'surplus-food'],
      ['litter picking', 'litter-pick'],
      ['am dram', 'drama'],
      ['will writing', 'wills'],
      ['mammogram', 'breast-screening'],
      ['NA meetings', 'narcotics-anonymous'],
      ['postnatal depression', 'perinatal-mental-health'],
      ['university of the third age', 'u3a'],
    ];
    for (const [q, key] of cases) {
      const u = parseQuery(q, NOW);
      expect(u.topics, q).toContain(key);
      expect(u.slots?.find((x) => x.concept === key)?.text, q).toBeTruthy();
    }
    // "my mum" is an older parent, not a parent of a baby.
    expect(parseQuery('someone to visit my mum at home', NOW).audiences).toEqual(['older_people']);
  });

  it('reads a street or venue after a place word as where, never as a topic', () => {
    expect(parseQuery('exercise class on Drury Lane', NOW)).toMatchObject({
      venue: 'drury lane',
      topics: ['exercise'],
    });
    expect(parseQuery('something on fortess road', NOW).slots).toEqual([]);
    // "Holborn Library": the venue, and Holborn as the place for when no venue has that name; library is no topic.
    const library = parseQuery("what's on at Holborn Library", NOW);
    expect(library).toMatchObject({
      venue: 'holborn library',
      place: { label: 'Holborn', wards: ['Holborn & Covent Garden'] },
    });
    expect(library.topics).toBeUndefined();
    // A village elsewhere is looked up as a venue and still counts as a word; Camden places and topics are as before.
    expect(parseQuery('tea and a chat in Lyminge', NOW)).toMatchObject({
      venue: 'lyminge',
      terms: expect.arrayContaining(['lyminge']),
    });
    expect(parseQuery('lunch in Kilburn', NOW).venue).toBeUndefined();
    expect(parseQuery('lunch at a community centre', NOW).venue).toBeUndefined();
    expect(parseQuery('walk in the park', NOW).venue).toBeUndefined();
    expect(parseQuery('classes in russian', NOW).venue).toBeUndefined();
    // Without venues (nothing in the catalogue by that name), the words are words again.
    expect(parseQuery('something on fortess road', NOW, { venues: false }).terms).toEqual(['fortess', 'road']);
  });

  it('searches the other spelling of a British or American word too, and never an unrelated word', () => {
    const alternatives = (q: string) => (parseQuery(q, NOW).slots ?? []).flatMap((x) => x.alternatives ?? []);
    expect(alternatives('community centre')).toContain('community center');
    expect(alternatives('cognitive behavioral therapy')).toContain('cognitive behavioural therapy');
    expect(alternatives('bereavement counselling')).toContain('counseling');
    expect(alternatives('paediatric nurse')).toContain('pediatric');
    expect(alternatives('immunizations for a baby')).toContain('immunisations');
    // "filter" is no "filtre", "letter" no "lettre", "dominoes" no "domines", "flour" no "flor".
    for (const q of ['water filter', 'letter writing', 'dominoes', 'flour and baking', 'senior', 'exercise'])
      expect(alternatives(q), q).toEqual([]);
  });

  it('keeps a time word that can be part of a name for ranking, and still reads it as a time', () => {
    const weekend = parseQuery('mudeford quay weekend', NOW);
    expect(weekend).toMatchObject({ weekdays: [6, 7], timeWords: ['weekend'] });
    expect(weekend.terms).toEqual(['mudeford', 'quay']);
    expect(parseQuery('skittles evening', NOW)).toMatchObject({ timeOfDay: 'evening', timeWords: ['evening'] });
    // "after work" is a time, not a name word.
    expect(parseQuery('yoga after work', NOW).timeWords).toBeUndefined();
  });

  it('reads a bare name no word list knows as a town to look up among venues, and keeps it as a word', () => {
    expect(parseQuery('foodbank folkestone', NOW)).toMatchObject({
      venue: 'folkestone',
      terms: expect.arrayContaining(['foodbank', 'folkestone']),
    });
    // Camden places, thesaurus words and English words are not towns to look up.
    expect(parseQuery('lunch club kilburn', NOW).venue).toBeUndefined();
    expect(parseQuery('zumba', NOW).venue).toBeUndefined();
    expect(parseQuery('skittles', NOW).venue).toBeUndefined();
    // A word inside English words ("rape": grape, therapy) would match venues by accident: it is only a word.
    expect(parseQuery('rape crisis support', NOW).venue).toBeUndefined();
    expect(parseQuery('foodbank folkestone', NOW, { venues: false }).venue).toBeUndefined();
  });

  it('knows the health-service words staff use and the US terms directories file them under', () => {
    const topics = (q: string) => parseQuery(q, NOW).topics ?? [];
    expect(topics('jabs for a baby')).toContain('vaccinations');
    expect(topics('nhs dentist')).toContain('dentist');
    expect(topics('hearing test')).toContain('hearing-test');
    expect(topics('walk in centre')).toContain('urgent-care');
    expect(topics('chemist')).toContain('pharmacy');
    expect(topics('eye test for my mum')).toContain('optician');
    expect(topics('meals on wheels')).toContain('meals-on-wheels');
    expect(parseQuery('jabs', NOW).categories).toContain('childhood immunizations');
  });

  it('reads at most 500 characters of a pasted question', () => {
    const u = parseQuery(`yoga ${'and '.repeat(5000)}zumba`, NOW);
    expect(u.terms).toEqual(['yoga']);
  });
});
