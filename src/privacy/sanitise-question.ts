import { AREAS, WARDS } from '../catalogue/geography/camden.ts';
import { redactText } from './redact.ts';

/**
 * Prepares a staff question for storage (only when coordinators opted in to keeping redacted questions): everything
 * the log redactor removes, and also every capitalised word that is not a place in Camden, a day, a month, a
 * language or a known acronym, because a capitalised word in the middle of a question is most often a name
 * ("lunch club for Agnes in Kilburn" → "lunch club for [name] in Kilburn"). Ages are reduced to decades.
 * The result is at most 300 characters.
 */
export const MAX_SANITISED_LENGTH = 300;

const KEEP = new Set(
  [
    ...WARDS.flatMap((w) => [w.name, ...w.aliases]),
    ...AREAS.flatMap((a) => [a.name, ...a.aliases]),
    'Camden',
    'London',
    'Hampstead',
    'Heath',
    'Regent',
    'Regents',
    'Park',
    'Road',
    'High',
    'Street',
    'Town',
    'Cross',
    'Monday',
    'Tuesday',
    'Wednesday',
    'Thursday',
    'Friday',
    'Saturday',
    'Sunday',
    'Mondays',
    'Tuesdays',
    'Wednesdays',
    'Thursdays',
    'Fridays',
    'Saturdays',
    'Sundays',
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
    'Christmas',
    'Easter',
    'Ramadan',
    'Eid',
    'Diwali',
    'Bengali',
    'Bangla',
    'Bangladeshi',
    'Sylheti',
    'Somali',
    'Arabic',
    'Cantonese',
    'Chinese',
    'Mandarin',
    'Polish',
    'Spanish',
    'Portuguese',
    'Brazilian',
    'Kurdish',
    'Turkish',
    'Urdu',
    'French',
    'English',
    'Irish',
    'Caribbean',
    'African',
    'Asian',
    'Black',
    'Muslim',
    'Jewish',
    'Christian',
    'Hindu',
    'Sikh',
    'Latin',
    'American',
    'British',
    'Sign',
    'Language',
    'NHS',
    'DOB',
    'GP',
    'GPs',
    'MECC',
    'MHFA',
    'LD',
    'MH',
    'BSL',
    'LGBT',
    'LGBTQ',
    'ESOL',
    'ADHD',
    'COPD',
    'OT',
    'AA',
    'NA',
    'I',
    'I’m',
    "I'm",
    'Age',
    'UK',
    'Mind',
    'Alzheimer’s',
    "Alzheimer's",
    'Alzheimers',
    'Society',
    'Ageing',
    'Better',
    'Zoom',
    'Teams',
    'Slack',
    'Making',
    'Every',
    'Contact',
    'Count',
    'Mental',
    'Health',
    'First',
    'Aid',
    'Dementia',
    'Friends',
  ].flatMap((w) => w.split(/\s+/)),
);
const KEEP_LOWER = new Set([...KEEP].map((w) => w.toLowerCase()));

/** Ordinary words that start staff questions; any other capitalised first word may be a name and is removed. */
const STARTERS = new Set(
  (
    'a an the any anything anywhere something somewhere someone somebody some is are was were does do did can could would should will ' +
    'has have had where what when which who how why please hi hello hey thanks thank looking searching search find finding show need ' +
    'needs needed want wants wanted help support my our his her their she he they we you i resident residents client clients patient ' +
    'patients man men woman women lady ladies gentleman person people older elderly young lonely isolated free cheap lunch lunches ' +
    'dementia memory befriending friendship social exercise chair seated gentle walking yoga art arts music singing gardening craft ' +
    'crafts cooking coffee tea cafe café club clubs group groups activity activities class classes course courses training session ' +
    'sessions drop drop-in advice carers carer bereavement grief mental wellbeing anxiety depression digital computer english esol ' +
    'book share details more next tomorrow today tonight this weekend weekends morning mornings afternoon afternoons evening evenings ' +
    'weekly daily step step-free wheelchair accessible quiet online phone telephone near nearby around local in on at for with ' +
    'also and or but not no yes ok okay thank just only new recently widowed living lives housebound deaf blind disabled ' +
    'over under after before during every each other another same similar good best nice things thing place places venue venues ' +
    'events event services service info information'
  ).split(' '),
);

/** A capitalised word (possibly with an apostrophe or hyphen) that is not a placeholder like [name]. */
const CAPITALISED = /(?<![[\p{L}\p{N}])(\p{Lu}[\p{L}\p{N}'’-]*)/gu;
const DISTRICT = /^[A-Z]{1,2}\d[A-Z\d]?$/;
const AGE = /\b(\d{2,3})(\s*(?:-|\s)?\s*(?:years?|yrs?|y\/o|yo)(?:\s*-?\s*old)?|s)\b/gi;
const AGED = /\b(aged|age|is|turned|turning)\s+(\d{2,3})\b/gi;
/** Any other bare two- or three-digit number (an age, a house number) that is not money, a time or "over 60s". */
const BARE_NUMBER = /(?<![£$\d.:/-])\b(\d{2,3})\b(?![\d%:.]|s\b|\s*(?:am|pm|mins?|minutes|hours?|miles?|km)\b)/gi;

function decade(n: string): string {
  const value = Number(n);
  return value >= 10 && value < 130 ? `${Math.floor(value / 10) * 10}s` : '[number]';
}

export function sanitiseQuestion(text: string): string {
  let out = redactText(text.replace(/\s+/g, ' ').trim());
  out = out.replace(AGED, (_m, word: string, n: string) => `${word} ${decade(n)}`);
  out = out.replace(AGE, (m, n: string, unit: string) => (/^s$/i.test(unit) ? m : `${decade(n)}`));
  out = out.replace(BARE_NUMBER, (_m, n: string) => decade(n));
  // Sentence starts are capitalised anyway; only the first word of each sentence may be an ordinary word.
  out = out.replace(CAPITALISED, (word: string, _w: string, offset: number, whole: string) => {
    const base = word.replace(/['’]s$/, '').replace(/[.-]+$/, '');
    if (KEEP.has(base) || KEEP.has(word) || DISTRICT.test(base)) return word;
    const head = base.split('-')[0] ?? base;
    if (base.includes('-') && KEEP.has(head)) return word;
    const before = whole.slice(0, offset).trimEnd();
    const sentenceStart = before === '' || /[.!?:;]$/.test(before);
    if (sentenceStart && STARTERS.has(base.toLowerCase())) return word;
    if (KEEP_LOWER.has(base.toLowerCase()) && /^\p{Lu}{2,}$/u.test(base)) return word;
    return '[name]';
  });
  out = out.replace(/\[name\](?:\s+\[name\])+/g, '[name]');
  return out.length > MAX_SANITISED_LENGTH ? `${out.slice(0, MAX_SANITISED_LENGTH - 1)}…` : out;
}
