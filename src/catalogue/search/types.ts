import type { EntryKind } from '../model.ts';
import type { Trust } from '../trust/trust.ts';

/** What the query parser understood from a staff question. Every field is optional; empty arrays mean "any". */
export type Understood = {
  /** Every content word of the question (stop words, days, times, places, cost and access words aside). */
  terms: string[];
  /** The question's content, phrase by phrase, as searched: each counts at full weight, with its concept's synonyms. */
  slots?: Slot[];
  /** A time window in Europe/London, ISO 8601 with offset; `label` is how to say it back ("on Tuesday"). */
  when?: { from: string; to: string; label: string };
  /** Days of the week asked for, 1 = Monday … 7 = Sunday (ISO), e.g. "on Tuesdays". */
  weekdays?: number[];
  timeOfDay?: 'morning' | 'afternoon' | 'evening';
  /**
   * Time words read as a day or time of day ("weekend", "evening", "morning"): listings whose title has them rank a
   * little higher ("Quay Weekend", "Skittles Evening", "Coffee Morning"), though they never filter as words.
   */
  timeWords?: string[];
  place?: {
    label: string;
    wards: string[];
    postcode?: string;
    latitude?: number;
    longitude?: number;
  };
  /**
   * A street or venue named after a place word ("on Fortess Road", "at Holborn Library"), normalised: listings at it
   * rank first, then those near it. Its words are where, never what.
   */
  venue?: string;
  /**
   * A postcode or outward code that Camden's geography does not know ("HP27", "CT20 1SQ"), normalised: listings at
   * the catalogue's venues with it rank first. Read as a word when no venue has it.
   */
  postcodeElsewhere?: string;
  audiences: string[];
  categories: string[];
  free?: boolean;
  /** Pounds, from "under £5". */
  maxCost?: number;
  access: string[];
  /** Languages asked for as a constraint ("in Somali", "Somali speaking"): a filter. */
  languages: string[];
  /** Languages only named ("Somali women's group"): listings in them rank higher. */
  preferLanguages?: string[];
  /** in_person | online | phone */
  formats: string[];
  kinds: EntryKind[];
  /** Recognised topics by vocabulary key (e.g. "lunch-club", "befriending"); their synonyms are searched too. */
  topics?: string[];
  /** Thesaurus concepts asked for that nothing in the catalogue offers (counted, anonymously, as unmet needs). */
  unmet?: string[];
  /** Several-word vocabulary phrases recognised (e.g. "carers assessment"); entries with all their words rank higher. */
  phrases?: string[];
};

/** One thing a question asks for, as written. */
export type Slot = {
  /** The words as written (normalised): they count at full weight. */
  text: string;
  /** The thesaurus concept they name, whose other phrases count as synonyms at a lower weight. */
  concept?: string;
  /** Other spellings at full weight: a compound written joined or apart ("day centre", "daycentre"). */
  alternatives?: string[];
  /** The word as typed, when it was not a known word and was corrected ("befriening"). */
  corrected?: string;
};

export type SearchRequest = {
  text: string;
  now: Date;
  limit?: number;
  offset?: number;
};

/** Why a result matched: the question's own words it contains, the concepts it matched by synonym, the distance. */
export type Why = {
  /** Words of the question found in the listing, with the strongest field: "title", "category", "organisation", "description". */
  words: { text: string; field: 'title' | 'category' | 'organisation' | 'description' }[];
  /** Thesaurus concepts matched only through a synonym or a wider term, by key. */
  concepts: string[];
  /** Wider concepts searched because nothing was listed for the one asked ("dance fitness" for zumba), by key. */
  wider: string[];
  /** exact: the title is the question's words; all: the title has every word of the question. */
  title: 'exact' | 'all' | null;
  /** Typos read as other words: [{typed, read}]. */
  corrected: { typed: string; read: string }[];
  distanceKm: number | null;
};

/** One search hit, with what a resident needs to know. */
export type SearchResult = {
  id: string;
  kind: EntryKind;
  title: string;
  description: string;
  organisation: string | null;
  /** The next occurrence after now (ISO 8601 with the Europe/London offset), or null for standing services. */
  next: { start: string; end: string; allDay: boolean } | null;
  /** Up to three upcoming occurrences. */
  upcoming: { start: string; end: string; allDay: boolean }[];
  /** Human schedule, e.g. "Tuesdays 12:00–14:00", when the source gave one. */
  scheduleText: string | null;
  venue: string | null;
  address: string | null;
  ward: string | null;
  postcode: string | null;
  distanceKm: number | null;
  /** "Free", "£3", "Pay what you can"… */
  cost: string | null;
  /** Controlled accessibility features, e.g. ["step_free", "hearing_loop"]. */
  access: string[];
  accessNote: string | null;
  /** drop_in | self_referral | referral_needed | booking */
  howToJoin: string | null;
  attendingTypes: string[];
  audiences: string[];
  languages: string[];
  contact: { name?: string; email?: string; phone?: string };
  url: string | null;
  /** YYYY-MM-DD of the last confirmation, or null. */
  lastConfirmed: string | null;
  status: string;
  alert: string | null;
  isDemo: boolean;
  score: number;
  /** Why it matched (search results only; a result looked up by id has none). */
  why?: Why;
  /** Where it comes from, when it was last confirmed and what staff reported (set by catalogue/trust's `withTrust`). */
  trust?: Trust;
};

export type SearchResponse = {
  understood: Understood;
  /** Filters dropped to find something, in plain words, e.g. "ward Kilburn → nearby wards". */
  relaxed: string[];
  results: SearchResult[];
  /** How many results there are in all (for "N more"). */
  total: number;
  /**
   * Set when the question shows a risk of harm (see urgent-help.ts): the numbers to call, shown before any listings.
   * Absent otherwise.
   */
  urgent?: { lines: { name: string; phone: string }[] };
};

/** The port the conversation core uses; implemented over the database by the search module. */
export type CatalogueSearch = {
  search(request: SearchRequest): Promise<SearchResponse>;
  /** One entry as a result (for details and sharing), or undefined when it no longer exists. */
  getResult(id: string, now: Date): Promise<SearchResult | undefined>;
};
