import type { AccessibilityFeature, AttendingType, Audience, EntryKind } from '../model.ts';

/**
 * The frontline vocabulary the query parser recognises, as plain data: what staff type ("lunch club", "LD", "over
 * 60s", "step-free", "Bengali speaking") and what it means for the catalogue (categories, audiences, access
 * features, languages, formats, kinds), plus the words to look for in the full-text index.
 *
 * Phrases are matched on normalised text (lower case, accents and apostrophes dropped, hyphens as spaces), longest
 * phrase first. Single words of five letters or more are also matched with small typos (fuse.js over this list).
 */
export type Concept = {
  /** Stable name, for tests and logs. */
  key: string;
  phrases: readonly string[];
  categories?: readonly string[];
  audiences?: readonly Audience[];
  access?: readonly AccessibilityFeature[];
  languages?: readonly string[];
  formats?: readonly AttendingType[];
  kinds?: readonly EntryKind[];
  /** Words (or "a b" phrases) to look for in the full-text index when this concept is asked for. */
  search?: readonly string[];
};

const c = (key: string, phrases: readonly string[], rest: Omit<Concept, 'key' | 'phrases'> = {}): Concept => ({
  key,
  phrases,
  ...rest,
});

/** Topics: categories of activity, with the words that find them in titles and descriptions. */
export const TOPICS: readonly Concept[] = [
  c('lunch-club', ['lunch club', 'lunch clubs', 'luncheon', 'luncheon club', 'community meal', 'community lunch', 'community meals', 'lunch', 'lunches', 'hot meal', 'hot meals', 'meal', 'meals', 'dinner'], {
    categories: ['lunch club'],
    search: ['lunch', 'luncheon', 'meal'],
  }),
  c('food', ['food', 'eat', 'eating'], { categories: ['food'], search: ['food', 'lunch', 'meal'] }),
  c('befriending', ['befriending', 'befriend', 'befriender', 'friendship', 'friendships', 'telephone friendship', 'telephone befriending', 'phone befriending', 'phone friendship', 'companionship', 'someone to talk to', 'home visit', 'home visits', 'home visiting', 'visiting scheme', 'good neighbours'], {
    categories: ['befriending'],
    search: ['befriending', 'friendship', 'friend', 'visiting'],
  }),
  c('lonely', ['lonely', 'loneliness', 'isolated', 'isolation', 'socially isolated', 'lives alone', 'living alone', 'on their own', 'on his own', 'on her own', 'housebound', 'make friends', 'making friends', 'meet people', 'meeting people', 'company', 'friends'], {
    categories: ['social', 'befriending', 'loneliness'],
    search: ['lonely', 'loneliness', 'isolation', 'social', 'befriending', 'friendship', 'friend'],
  }),
  c('social', ['social', 'socialise', 'socialising', 'get together', 'social club', 'social group'], { categories: ['social'], search: ['social'] }),
  c('dementia', ['dementia', 'dementia cafe', 'dementia cafes', 'memory cafe', 'memory cafes', 'memory', 'memory loss', 'memory problems', 'alzheimers', 'alzheimer'], {
    categories: ['dementia'],
    search: ['dementia', 'memory'],
  }),
  c('mental-health', ['mental health', 'mh', 'mental wellbeing', 'wellbeing', 'emotional wellbeing', 'anxiety', 'anxious', 'depression', 'depressed', 'low mood', 'stress', 'stressed', 'mental illness'], {
    categories: ['mental health'],
    search: ['mental health', 'wellbeing', 'anxiety', 'depression'],
  }),
  c('peer-support', ['peer support', 'support group', 'support groups'], { categories: ['peer support'], search: ['peer', 'support group'] }),
  c('exercise', ['exercise', 'exercises', 'fitness', 'keep fit', 'keeping fit', 'active', 'get active', 'physical activity', 'movement'], {
    categories: ['exercise'],
    search: ['exercise', 'fitness'],
  }),
  c('seated-exercise', ['chair exercise', 'chair exercises', 'chair based exercise', 'chair based', 'seated exercise', 'seated exercises', 'sitting exercise', 'exercise sitting down'], {
    categories: ['exercise'],
    search: ['seated exercise', 'seated', 'chair'],
  }),
  c('falls', ['falls', 'falls prevention', 'fall', 'fallen', 'had a fall', 'balance', 'strength and balance', 'unsteady'], {
    categories: ['falls prevention'],
    search: ['falls', 'balance'],
  }),
  c('tai-chi', ['tai chi', 'taichi'], { categories: ['tai chi'], search: ['tai chi'] }),
  c('yoga', ['yoga', 'chair yoga', 'relaxation', 'mindfulness', 'meditation'], { categories: ['yoga'], search: ['yoga', 'mindfulness', 'relaxation'] }),
  c('walking', ['walk', 'walks', 'walking', 'health walk', 'health walks', 'walking group', 'rambling'], { categories: ['walking'], search: ['walk'] }),
  c('digital', ['digital', 'digital skills', 'computer', 'computers', 'internet', 'ipad', 'tablet', 'smartphone', 'get online', 'getting online', 'go online', 'going online', 'nhs app', 'it help', 'tech help', 'video calls', 'video calling', 'email'], {
    categories: ['digital skills'],
    search: ['digital', 'online', 'computer'],
  }),
  c('advice', ['advice', 'benefits', 'benefit', 'pension credit', 'attendance allowance', 'forms', 'form filling', 'letters', 'money advice', 'money', 'debt', 'debts'], {
    categories: ['advice'],
    search: ['advice', 'benefits', 'money'],
  }),
  c('cost-of-living', ['cost of living', 'energy bills', 'bills', 'food bank', 'foodbank', 'warm space', 'warm spaces', 'warm hub', 'warm bank', 'struggling financially'], {
    categories: ['cost of living', 'warm space'],
    search: ['cost of living', 'warm', 'bills'],
  }),
  c('carers', ['carer', 'carers', 'caring', 'unpaid carer', 'unpaid carers', 'cares for', 'caring for', 'looks after', 'looking after', 'carers assessment'], {
    audiences: ['carers'],
    categories: ['carers'],
    search: ['carer'],
  }),
  c('crafts', ['craft', 'crafts', 'knitting', 'knit', 'crochet', 'sewing', 'knit and natter'], { categories: ['crafts'], search: ['craft', 'knit'] }),
  c('mens-shed', ['mens shed', 'mens sheds', 'shed', 'woodwork', 'diy', 'making and mending'], { categories: ['men'], search: ['shed', 'woodwork'] }),
  c('gardening', ['garden', 'gardening', 'gardens', 'allotment', 'growing', 'plants', 'green spaces'], { categories: ['gardening'], search: ['garden'] }),
  c('coffee-morning', ['coffee morning', 'coffee mornings', 'coffee', 'cuppa', 'tea', 'a chat', 'chat'], { categories: ['social'], search: ['coffee', 'chat'] }),
  c('bereavement', ['bereavement', 'bereaved', 'grief', 'grieving', 'loss', 'widow', 'widowed', 'widower', 'lost his wife', 'lost her husband', 'lost someone', 'died'], {
    categories: ['bereavement'],
    search: ['bereavement', 'grief'],
  }),
  c('music', ['music', 'singing', 'sing', 'choir', 'songs', 'sing along'], { categories: ['music'], search: ['music', 'sing', 'choir'] }),
  c('arts', ['art', 'arts', 'painting', 'drawing', 'creative', 'drama', 'theatre'], { categories: ['arts'], search: ['art', 'drama'] }),
  c('film', ['film', 'films', 'cinema', 'movie', 'movies', 'film club'], { categories: ['film'], search: ['film'] }),
  c('reading', ['book club', 'book group', 'reading group', 'books', 'reading'], { categories: ['reading'], search: ['reading', 'book'] }),
  c('games', ['games', 'board games', 'bingo', 'dominoes', 'cards', 'quiz', 'mahjong'], { categories: ['games'], search: ['games', 'bingo', 'dominoes'] }),
  c('cooking', ['cooking', 'cook', 'cookery', 'cooking class'], { categories: ['cooking'], search: ['cook'] }),
  c('esol', ['esol', 'english class', 'english classes', 'learn english', 'learning english', 'english conversation', 'english practice', 'practise english', 'practice english', 'improve english', 'speak english better'], {
    categories: ['esol', 'language'],
    search: ['english', 'esol', 'conversation'],
  }),
  c('social-prescribing', ['social prescribing', 'social prescriber', 'link worker', 'link workers', 'care navigator', 'care navigation'], {
    categories: ['social prescribing'],
    search: ['social prescribing', 'link worker'],
  }),
  c('suicide', ['suicide', 'suicide prevention', 'suicidal', 'self harm'], { categories: ['suicide prevention'], search: ['suicide'] }),
  c('safeguarding', ['safeguarding', 'abuse', 'neglect', 'self neglect', 'scams', 'scam'], { categories: ['safeguarding'], search: ['safeguarding', 'neglect', 'scam'] }),
  c('volunteering', ['volunteer', 'volunteers', 'volunteering', 'community champion', 'community champions'], {
    categories: ['volunteering'],
    search: ['volunteer', 'champion'],
  }),
  c('deaf', ['deaf', 'hard of hearing', 'hearing impaired', 'sign language'], { categories: ['deaf'], search: ['deaf'] }),
  c('culture', ['culturally specific', 'ethnic minority', 'ethnic minorities', 'bame', 'global majority'], {
    audiences: ['ethnic_minorities'],
    categories: ['culturally specific'],
  }),
  c('mecc', ['mecc', 'making every contact count', 'healthy conversations', 'health conversations'], {
    categories: ['mecc'],
    kinds: ['training'],
    search: ['mecc', 'making every contact count'],
  }),
  c('mhfa', ['mhfa', 'mental health first aid', 'mental health first aider', 'mental health first aiders'], {
    categories: ['mental health'],
    kinds: ['training'],
    search: ['mental health first aid'],
  }),
  c('dementia-friends', ['dementia friends', 'dementia friend', 'dementia awareness'], { categories: ['dementia'], kinds: ['training'], search: ['dementia friends'] }),
  c('trauma', ['trauma', 'trauma informed'], { search: ['trauma'] }),
  c('helpline', ['helpline', 'helplines', 'help line', 'phone line', 'advice line', 'support line', 'listening line'], {
    categories: ['phone line'],
    search: ['helpline', 'line'],
  }),
];

/** Who a resident is: audiences, most of them a filter (see `SOFT_AUDIENCES`). */
export const AUDIENCE_WORDS: readonly Concept[] = [
  c('older', ['older', 'older people', 'older person', 'older adults', 'older residents', 'elderly', 'elder', 'elders', 'pensioner', 'pensioners', 'oap', 'oaps', 'senior', 'seniors', 'senior citizen', 'over 50', 'over 50s', 'over 55s', 'over 60', 'over 60s', 'over 65', 'over 65s', 'over 70s', 'over 75s', 'over 80s', 'retired', 'later life'], {
    audiences: ['older_people'],
  }),
  c('learning-disabilities', ['ld', 'learning disability', 'learning disabilities', 'learning disabled', 'learning difficulty', 'learning difficulties', 'learning disability day'], {
    audiences: ['learning_disabilities'],
    categories: ['learning disabilities'],
    search: ['learning disabilities'],
  }),
  c('lgbtq', ['lgbt', 'lgbtq', 'lgbtqi', 'lgbtq+', 'gay', 'lesbian', 'bisexual', 'trans', 'transgender', 'queer'], { audiences: ['lgbtq'], categories: ['lgbtq+'] }),
  c('young', ['young people', 'young person', 'youth', 'youth club', 'teenager', 'teenagers', 'teen', 'teens', 'young adult', 'young adults', 'teenage'], {
    audiences: ['young_people'],
    categories: ['youth'],
  }),
  c('parents', ['parent', 'parents', 'baby', 'babies', 'toddler', 'toddlers', 'new mum', 'new mums', 'new parent', 'new parents', 'mum', 'mums', 'mother', 'mothers', 'dad', 'dads', 'under 5s', 'under fives'], {
    audiences: ['parents_of_young_children'],
    categories: ['parents'],
  }),
  c('men', ['man', 'men', 'male', 'gentleman', 'gentlemen', 'husband', 'mens', 'older man', 'older men'], { audiences: ['men'] }),
  c('women', ['woman', 'women', 'female', 'ladies', 'lady', 'wife', 'womens', 'women only'], { audiences: ['women'] }),
];

/**
 * Audiences that describe the resident rather than a need: they boost matching groups but never exclude mixed ones
 * (a lonely man is welcome at most lunch clubs). A group only for the other gender is still left out.
 */
export const SOFT_AUDIENCES: readonly Audience[] = ['men', 'women'];

export const ACCESS_WORDS: readonly Concept[] = [
  c('step-free', ['step free', 'stepfree', 'no steps', 'without steps', 'level access', 'ramp', 'ramped', 'accessible', 'walking frame', 'zimmer', 'mobility scooter', 'scooter'], { access: ['step_free'] }),
  c('wheelchair', ['wheelchair', 'wheelchairs', 'wheelchair accessible', 'wheelchair access', 'wheelchair user', 'wheelchair users', 'uses a wheelchair', 'in a wheelchair'], {
    access: ['wheelchair_accessible'],
  }),
  c('accessible-toilet', ['accessible toilet', 'accessible toilets', 'disabled toilet', 'disabled toilets', 'accessible loo'], { access: ['accessible_toilet'] }),
  c('hearing-loop', ['hearing loop', 'hearing loops', 'induction loop', 'loop system', 'hearing aid', 'hearing aids'], { access: ['hearing_loop'] }),
  c('quiet', ['quiet', 'quiet space', 'quiet room', 'calm space', 'low stimulation', 'not too noisy', 'not noisy'], { access: ['quiet_space'] }),
  c('large-print', ['large print', 'big print'], { access: ['large_print'] }),
  c('easy-read', ['easy read'], { access: ['easy_read'] }),
  c('parking', ['parking', 'car park', 'blue badge'], { access: ['parking'] }),
];

/** Languages, by the names staff type; the values are the catalogue's lower-case language names. */
export const LANGUAGE_WORDS: readonly Concept[] = [
  c('bengali', ['bengali', 'bangla', 'bangladeshi', 'bengali speaking', 'bengali speaker', 'speaks bengali', 'in bengali'], { languages: ['bengali', 'sylheti'] }),
  c('sylheti', ['sylheti', 'sylheti speaking', 'speaks sylheti', 'in sylheti'], { languages: ['sylheti', 'bengali'] }),
  c('somali', ['somali', 'somali speaking', 'speaks somali', 'in somali'], { languages: ['somali'] }),
  c('arabic', ['arabic', 'arabic speaking', 'speaks arabic', 'in arabic'], { languages: ['arabic'] }),
  c('cantonese', ['cantonese', 'chinese', 'mandarin', 'chinese speaking', 'speaks chinese', 'speaks cantonese', 'in cantonese', 'in chinese'], { languages: ['cantonese', 'mandarin', 'chinese'] }),
  c('polish', ['polish', 'polish speaking', 'speaks polish', 'in polish'], { languages: ['polish'] }),
  c('spanish', ['spanish', 'spanish speaking', 'speaks spanish', 'in spanish', 'latin american', 'latino'], { languages: ['spanish'] }),
  c('portuguese', ['portuguese', 'portuguese speaking', 'speaks portuguese', 'in portuguese', 'brazilian'], { languages: ['portuguese'] }),
  c('kurdish', ['kurdish', 'kurdish speaking', 'speaks kurdish', 'in kurdish', 'kurd', 'kurds'], { languages: ['kurdish'] }),
  c('turkish', ['turkish', 'turkish speaking', 'speaks turkish', 'in turkish'], { languages: ['turkish'] }),
  c('urdu', ['urdu', 'urdu speaking', 'speaks urdu', 'in urdu'], { languages: ['urdu'] }),
  c('french', ['french', 'french speaking', 'speaks french', 'in french'], { languages: ['french'] }),
  c('bsl', ['bsl', 'british sign language'], { languages: ['bsl'] }),
];

export const FORMAT_WORDS: readonly Concept[] = [
  c('online', ['online', 'on line', 'zoom', 'video call', 'video', 'virtual', 'virtually', 'on teams', 'from home', 'at home online'], { formats: ['online'] }),
  c('phone', ['by phone', 'phone', 'telephone', 'by telephone', 'over the phone', 'on the phone', 'phone call', 'phone calls', 'ring', 'call'], { formats: ['phone'] }),
  c('in-person', ['in person', 'face to face', 'in real life'], { formats: ['in_person'] }),
];

export const KIND_WORDS: readonly Concept[] = [
  c('training', ['training', 'trainings', 'course', 'courses', 'training course', 'staff training', 'for staff', 'e learning', 'cpd', 'learn how to', 'upskill'], { kinds: ['training'] }),
  c('resource', ['guide', 'guides', 'resource', 'resources', 'toolkit', 'toolkits', 'tool kit', 'leaflet', 'leaflets', 'factsheet', 'fact sheet', 'directory', 'information sheet', 'prompt cards', 'conversation cards'], { kinds: ['resource'] }),
];

/** Every concept, in the order ties are broken (earlier wins for the same phrase). */
export const CONCEPTS: readonly Concept[] = [...KIND_WORDS, ...ACCESS_WORDS, ...LANGUAGE_WORDS, ...AUDIENCE_WORDS, ...TOPICS, ...FORMAT_WORDS];

/** Words that carry no meaning for search: filler in staff questions. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but for of to in on at by with from into onto near nearby around close closest nearest local locally ' +
    'something anything someone somebody anyone anybody thing things stuff place places somewhere where what whats which who whos ' +
    'whose when how is are was were be been being am do does did has have had having can could would should will shall may might must ' +
    'i me my we us our you your he him his she her they them their it its this that these those there here ' +
    'resident residents client clients patient patients service user users customer tenant tenants person people ' +
    'looking look find finding want wants wanted need needs needed needing like likes would love please help helping get getting go going ' +
    'any some all more much many very really quite just also only other another else ' +
    'good nice great suitable available happening running runs run on offer offered options option ideas idea suggestions ' +
    'group groups club clubs activity activities session sessions event events thing service services support ' +
    'camden london borough area areas ward wards nr approx about up out over under than ' +
    'speaking speaks speak speaker spoken language languages recently currently feeling feels ' +
    's t d ll re ve m o so if as not no yes ok okay thanks thank hi hello hey is'
  ).split(/\s+/),
);

/** Words staff use that are not filler but should never be fuzzily corrected into a concept. */
export const KEEP_AS_IS: ReadonlySet<string> = new Set(['health', 'centre', 'center', 'community', 'weekly', 'monthly']);
