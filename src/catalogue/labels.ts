/**
 * Plain words for the catalogue's controlled vocabularies, so no internal code ("step_free", "self_referral") ever
 * reaches a reader: replies, digests, forms and query descriptions all take their words from here.
 */
export const ACCESS_WORDS: Record<string, string> = {
  step_free: 'Step-free access',
  wheelchair_accessible: 'Wheelchair accessible',
  accessible_toilet: 'Accessible toilet',
  hearing_loop: 'Hearing loop',
  quiet_space: 'Quiet space',
  large_print: 'Large print',
  easy_read: 'Easy read',
  carer_free: 'Carers go free',
  parking: 'Parking',
};

/** Short forms for headings ("step-free"). */
export const ACCESS_SHORT: Record<string, string> = {
  step_free: 'step-free',
  wheelchair_accessible: 'wheelchair accessible',
  accessible_toilet: 'accessible toilet',
  hearing_loop: 'hearing loop',
  quiet_space: 'quiet space',
  large_print: 'large print',
  easy_read: 'easy read',
  carer_free: 'carers go free',
  parking: 'parking',
};

export const HOW_TO_JOIN_WORDS: Record<string, string> = {
  drop_in: 'You can just turn up',
  self_referral: 'Get in touch to join (no referral needed)',
  referral_needed: 'Needs a referral from a professional',
  booking: 'Booking needed',
};

export const AUDIENCE_WORDS: Record<string, string> = {
  older_people: 'older people',
  learning_disabilities: 'people with learning disabilities',
  ethnic_minorities: 'ethnic minority communities',
  carers: 'carers',
  lgbtq: 'LGBTQ+ people',
  young_people: 'young people',
  parents_of_young_children: 'parents of young children',
  men: 'men',
  women: 'women',
  everyone: 'everyone',
};

export const FORMAT_WORDS: Record<string, string> = { in_person: 'in person', online: 'online', phone: 'by phone' };

export const KIND_WORDS: Record<string, string> = {
  activity: 'activities',
  training: 'training',
  resource: 'resources',
};

/** "older people" → "Older people". */
export function sentenceCase(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}
