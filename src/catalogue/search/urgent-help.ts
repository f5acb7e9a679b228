import { normaliseQueryText } from './parse-query.ts';
import type { CatalogueSearch, SearchResponse } from './types.ts';

/**
 * Safety first: a question that shows someone may come to harm (suicidal thoughts, self-harm, an overdose, abuse,
 * not being safe at home, a crisis now) is answered first with the numbers to call, then with any listings.
 *
 * The detector is pure and local. It reads the normalised question (case, accents and apostrophes dropped), allows
 * one-letter typos in the few words that carry the risk ("sucidal", "overdosed"), and does not fire on questions
 * that only share words with a risk: "crisis loan", "carers in crisis group", "alcohol support", "harm reduction
 * service", "hit the gym", "killing time". Mentions of a risk as a subject of work (training, awareness, policy,
 * volunteering, "suicide prevention training for staff") or of bereavement ("bereaved by suicide") are not a person
 * at risk, so they do not fire either, unless the question also says someone is at risk now.
 *
 * Nothing here is logged or stored: callers get the lines to show and nothing about the question.
 */

export type UrgentLine = { name: string; phone: string };
export type UrgentHelp = { lines: UrgentLine[] };
export type RiskKind = 'suicide' | 'self_harm' | 'overdose' | 'abuse' | 'crisis' | 'danger';

export const URGENT_LINES = {
  emergency: { name: 'Emergency services, if anyone is in immediate danger', phone: '999' },
  samaritans: { name: 'Samaritans, any time, free', phone: '116 123' },
  nhs111: { name: 'NHS 111, option 2 for a mental health crisis', phone: '111' },
  domesticAbuse: { name: 'National Domestic Abuse Helpline, any time, free', phone: '0808 2000 247' },
} as const satisfies Record<string, UrgentLine>;

/** Which lines fit which risk; 999 always comes first. */
const LINES_FOR: Record<RiskKind, readonly (keyof typeof URGENT_LINES)[]> = {
  suicide: ['samaritans', 'nhs111'],
  self_harm: ['samaritans', 'nhs111'],
  overdose: ['nhs111', 'samaritans'],
  crisis: ['nhs111', 'samaritans'],
  abuse: ['domesticAbuse', 'samaritans'],
  danger: ['domesticAbuse', 'samaritans'],
};

const SELF = '(?:my ?self|him ?self|her ?self|them ?selves|them ?self|themself|your ?self|ourselves)';
const PERSON =
  '(?:partner|husband|wife|boyfriend|girlfriend|ex|son|daughter|father|mother|dad|mum|brother|sister|carer|family|parents?|grandson|granddaughter|nephew|neighbour|landlord|stepfather|stepdad)';
const PRONOUN =
  '(?:he|she|they|i|we|client|resident|patient|someone|somebody|person|man|woman|lady|gentleman|son|daughter|friend|mum|dad)';

type Rule = {
  kind: RiskKind;
  re: RegExp /** Fires even when the question is about training or a service. */;
  strong?: boolean;
};

/** Patterns on normalised text (lower case, no apostrophes, punctuation as spaces). */
const RULES: readonly Rule[] = [
  // Someone's own words or state: these fire whatever else the question says.
  {
    kind: 'suicide',
    strong: true,
    re: new RegExp(
      `\\b(?:kill(?:ing|ed|s)?|hang(?:ing|ed|s)?|harm(?:ing|ed|s)?|hurt(?:ing|s)?|cut(?:ting|s)?|burn(?:ing|s|t)?|starv(?:e|ing|es)|poison(?:ing|ed|s)?) ${SELF}\\b` +
        '(?! (?:off|out|free|loose|short|back|in a fall|falling|when (?:he|she|they|i) fell|playing|at work|at the gym|lifting|laughing))',
    ),
  },
  {
    kind: 'suicide',
    strong: true,
    re: /\b(?:end(?:ing|s|ed)?|take|taking|took|taken) (?:my|his|her|their|your) (?:own )?li(?:fe|ves)\b/,
  },
  {
    kind: 'suicide',
    strong: true,
    re: /\bend(?:ing|s|ed)? it all\b|\b(?:thinking (?:of|about)|talk(?:ing|s|ed)? (?:of|about)|considering|planning|plans) ending it\b|\b(?:wants?|wanting|going|planning|plans|tried|trying) to end it\b(?! (?:early|there|here|soon|on|with|now|before))/,
  },
  {
    kind: 'suicide',
    strong: true,
    re: /\b(?:wants?|wanting|wanted|going|planning|plans|tried|trying|threaten(?:ing|ed|s)?) to (?:die(?! (?:at home|in (?:a |the )?(?:hospice|peace|own bed|her own bed|his own bed)|with dignity))|kill (?:my|him|her|them) ?self|end (?:my life|his life|her life|their life))\b/,
  },
  {
    kind: 'suicide',
    strong: true,
    re: /\b(?:talk(?:ing|s|ed)? about|thinking about|thinks about|thoughts of|threaten(?:ing|ed|s)?) (?:suicide|killing (?:my|him|her|them) ?self|ending (?:it|my life|his life|her life|their life))\b/,
  },
  {
    kind: 'suicide',
    strong: true,
    re: /\b(?:better off (?:if (?:i|he|she|they) (?:was|were) )?dead|(?:better off|happier) without (?:me|him|her|them)|no reason to live|nothing to live for|no point (?:in )?living|not worth living|doesnt want to (?:live|be alive|be here)|dont want to (?:live|be alive|be here)|does not want to (?:live|be here)|do not want to (?:live|be here)|(?:cant|can not|cannot) go on(?: (?:like this|anymore|any more|living|and|with life))?$|(?:cant|can not|cannot) go on (?:like this|anymore|any more|living|with life)|wish (?:i|he|she|they) (?:was|were) dead|wishes (?:he|she|they) (?:was|were) dead)\b/,
  },
  {
    kind: 'suicide',
    strong: true,
    re: /\b(?:is|am|are|im|feel(?:s|ing)?|felt|been|becoming|sounds?|seems?|getting|gets|very|quite|really|actively) (?:very |quite |really |a bit |actively )?suicidal\b/,
  },
  { kind: 'suicide', strong: true, re: /\bsuicidal (?:tonight|today|right now|again)\b/ },
  {
    kind: 'suicide',
    strong: true,
    re: /\b(?:attempted|attempting|attempt(?:ed)? at) (?:suicide|to kill)\b|\bsuicide attempt\b/,
  },
  {
    kind: 'self_harm',
    strong: true,
    re: new RegExp(
      `\\b${PRONOUN}(?: is| are| am| s| has been| have been| keeps| kept| started| still| was)? self harming\\b`,
    ),
  },
  {
    kind: 'self_harm',
    strong: true,
    re: /\b(?:is|are|am|im|been|started|keeps|still|was) self harm(?:ing)?\b|\bself harm(?:ing|ed)? (?:again|tonight|today|now|badly)\b|\bhas self harmed\b|\bself harmed\b/,
  },
  {
    kind: 'overdose',
    strong: true,
    re: /\b(?:took|taken|taking|take|has had|had|swallowed) (?:an |a )?(?:overdose|od)\b|\boverdosed\b|\b(?:took|taken|swallowed|downed) (?:too many|lots of|loads of|a load of|a lot of|a handful of|a bottle of|a packet of|a box of|all (?:her|his|my|their|the)) (?:pills|tablets|paracetamol|painkillers|sleeping pills|meds|medication|medicine)\b/,
  },
  {
    kind: 'suicide',
    strong: true,
    re: /\b(?:going|wants?|wanting|threaten(?:ing|ed|s)?|planning|plans|talk(?:ing|s|ed)? about|thinking about|tried|trying) (?:to )?(?:jump(?:ing)? (?:off|from|in front of)|throw(?:ing)? (?:my|him|her|them) ?sel(?:f|ves) (?:off|under|in front of)|step(?:ping)? in front of|walk(?:ing)? in front of)\b|\bjump (?:off|from) (?:a|the) (?:bridge|building|roof|balcony|cliff|tower)\b|\bwants? (?:it all|it|everything) to (?:end|stop)\b|\b(?:cant|can not|cannot) take (?:it|this) any ?more\b/,
  },
  {
    kind: 'abuse',
    strong: true,
    re: /\b(?:not|isnt|doesnt feel|dont feel|never feels?|does not feel|do not feel|no longer) safe (?:at home|in (?:her|his|my|their|the) (?:home|house|flat)|to go home|with (?:her|his|my|their) (?:partner|husband|wife|boyfriend|girlfriend|son|daughter|family|carer))\b/,
  },
  {
    kind: 'abuse',
    strong: true,
    re: /\bunsafe at home\b|\b(?:scared|afraid|frightened|terrified) (?:to go home|of (?:her|his|my|their) (?:partner|husband|wife|boyfriend|girlfriend|son|daughter|ex|carer|dad|mum|father|mother|family))\b/,
  },
  {
    kind: 'abuse',
    strong: true,
    re: /\b(?:being|been|was|is|getting|gets|got) (?:hit(?! hard| by (?:a |the |rising |high |bills|costs|prices|price))|beaten|punched|kicked|slapped|strangled|choked|attacked|assaulted|abused|raped)\b/,
  },
  {
    kind: 'abuse',
    strong: true,
    re: new RegExp(
      `\\b${PERSON} (?:(?:is|keeps|has been|was|kept|started|(?:is )?always) )?(?:hits|hit|hitting|beats|beat|beating|punches|punched|punching|kicks|kicked|kicking|slaps|slapped|slapping|hurts|hurt|hurting|chokes|choked|choking|strangled|strangling|threatens|threatened|threatening|abuses|abused|abusing|attacks|attacked|attacking|rapes|raped|controls|controlling|bullies|bullying|assaulted) (?:her|him|them|me|my|us)\\b`,
    ),
  },
  {
    kind: 'abuse',
    strong: true,
    re: new RegExp(
      `\\b${PERSON} (?:is|was|gets|has been|can be|becomes) (?:violent|abusive|aggressive|controlling)\\b|\\bviolent (?:to|towards|with) (?:her|him|them|me)\\b`,
    ),
  },
  {
    kind: 'abuse',
    strong: true,
    re: /\b(?:being|been|was|is) (?:being )?(?:mistreated|exploited|stalked|groomed)\b|\bbeing neglected\b/,
  },
  {
    kind: 'abuse',
    strong: true,
    re: new RegExp(
      `^(?!.*\\b(?:fall|fell|falls|easily|blood thinners|warfarin)\\b)(?=.*\\b(?:bruises|bruised|bruising|black eye|injuries)\\b)(?=.*\\b${PERSON}\\b)`,
    ),
  },
  {
    kind: 'abuse',
    strong: true,
    re: /\b(?:abusive|violent|controlling) (?:partner|husband|wife|boyfriend|girlfriend|relationship|son|daughter|ex|home|family|carer)\b|\bcoercive control(?:ling)?\b|\bforced (?:to marry|marriage)\b|\bthreatened to kill\b|\bsexually assaulted\b|\b(?:was|been|being|got) raped\b/,
  },
  {
    kind: 'danger',
    strong: true,
    re: /\b(?:is|are|am|im|in) (?:immediate |real |serious )?danger\b(?! of (?!(?:harm|being hurt|being harmed|being killed|being attacked|her life|his life|their life)\b))|\b(?:her|his|their|my) life is at risk\b|\brisk to (?:her|his|their) life\b/,
  },
  { kind: 'danger', re: /\bat risk of (?:harm|suicide|being hurt|violence|abuse)\b/ },
  {
    kind: 'crisis',
    strong: true,
    re: /\b(?:is|are|am|im|currently|been|having|has) (?:in )?(?:a )?(?:mental health )?crisis (?:tonight|now|right now|today|at the moment)\b|\bcrisis tonight\b|\b(?:mental health|mh|emotional|psychiatric|suicidal) crisis\b(?! (?:training|course|plan|planning|pathway|service design))|\b(?:is|am|are|im) in crisis\b(?! (?:group|cafe|café|fund|loan|team|line|service))|\bbreakdown (?:tonight|now|right now)\b|\bhaving a breakdown\b/,
  },
  // A risk named as a topic: fires unless the question is about training, policy, volunteering or bereavement.
  { kind: 'suicide', re: /\bsuicid(?:e|al)\b/ },
  { kind: 'self_harm', re: /\bself harm(?:ing|ed)?\b/ },
  {
    kind: 'overdose',
    re: /(?<!\b(?:cake|chocolate|sugar|sweet|caffeine|carb|fun|culture|screen) )\boverdos(?:e|ed|es|ing)\b(?! of (?:chocolate|cake|sugar|sweets|fun|culture|tea|coffee))/,
  },
  {
    kind: 'abuse',
    re: /\bsafe house\b|\brefuge\b|\bdomestic (?:abuse|violence)\b|\b(?:elder|financial|sexual|emotional|physical|child|domestic) abuse\b|\bbeing abused\b|\bdv\b/,
  },
];

/** A risk named as a subject of work or of grief, not of a person at risk now. */
const NOT_A_PERSON_AT_RISK =
  /\b(?:training|trainings|train|trained|trainer|course|courses|workshop|workshops|webinar|awareness|e learning|elearning|cpd|qualification|accredited|module|conference|lecture|talk on|research|statistics|stats|policy|policies|strategy|toolkit|safetalk|asist|first aid|for staff|for volunteers|for professionals|for practitioners|for frontline|volunteer|volunteers|volunteering|fundraising|fundraiser|charity run|campaign|prevention day|awareness day|awareness week|bereaved by|bereavement|bereaved|lost (?:her|his|their|a|my) \w+ to|after suicide|survivors of suicide|loss to suicide)\b/;

/** "Harm reduction", "substance abuse", "drug abuse": services by name, not a person at risk. */
const SERVICE_NAMES =
  /\b(?:harm reduction|harm minimisation|substance abuse|substance misuse|drug abuse|alcohol abuse|solvent abuse)\b/g;

/** The words that carry a risk, corrected when typed with one letter wrong (not for common words one edit away). */
const RISK_WORDS = ['suicidal', 'suicide', 'overdose', 'overdosed', 'overdoses', 'selfharm', 'selfharming'];
const NEAR_MISSES = new Set([
  'overdoes',
  'overdue',
  'overdone',
  'overdraw',
  'overhear',
  'overhead',
  'overhung',
  'overdid',
  'suited',
]);

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one substitution
    // one transposition
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}

/** The question as the rules read it: normalised, risk words' typos fixed, named services taken out. */
export function normaliseForRisk(question: string): string {
  const words = normaliseQueryText(question.slice(0, 2000)).split(' ');
  const fixed = words.map((w) => {
    if (w.length < 6 || NEAR_MISSES.has(w) || RISK_WORDS.includes(w)) return w;
    const hit = RISK_WORDS.find((r) => editDistanceAtMostOne(w, r));
    return hit ?? w;
  });
  return fixed
    .join(' ')
    .replace(/\bselfharm(ing)?\b/g, 'self harm$1')
    .replace(/\bself harming\b/g, 'self harming')
    .replace(SERVICE_NAMES, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The risks a question shows, or none (pure). */
export function detectRisks(question: string): RiskKind[] {
  const text = normaliseForRisk(question);
  if (!text) return [];
  const aboutWork = NOT_A_PERSON_AT_RISK.test(text);
  const kinds = new Set<RiskKind>();
  for (const rule of RULES) {
    if (!rule.strong && aboutWork) continue;
    if (rule.re.test(text)) kinds.add(rule.kind);
  }
  return [...kinds];
}

/** The lines to show for a question, 999 first; undefined when it shows no risk (pure). */
export function urgentHelpFor(question: string): UrgentHelp | undefined {
  const kinds = detectRisks(question);
  if (kinds.length === 0) return undefined;
  const keys = new Set<keyof typeof URGENT_LINES>(['emergency']);
  // Abuse lines first when abuse is named; mental health lines first otherwise.
  const ordered = [...kinds].sort(
    (a, b) => Number(b === 'abuse' || b === 'danger') - Number(a === 'abuse' || a === 'danger'),
  );
  for (const kind of ordered) for (const key of LINES_FOR[kind]) keys.add(key);
  return { lines: [...keys].map((k) => ({ ...URGENT_LINES[k] })) };
}

/**
 * The catalogue search with urgent help added: a response to a question that shows a risk of harm carries `urgent`
 * with the lines to show before any listings. Everything else passes through unchanged.
 */
export function withUrgentHelp(search: CatalogueSearch): CatalogueSearch {
  return {
    async search(request): Promise<SearchResponse> {
      const response = await search.search(request);
      const urgent = urgentHelpFor(request.text);
      return urgent ? { ...response, urgent } : response;
    },
    getResult: (id, now) => search.getResult(id, now),
  };
}
