/** Reading the fields of untyped partner JSON: text, numbers, web addresses, e-mail addresses and phone numbers. */
import { truncate as clip } from '../../truncate.ts';
import { cleanText } from './clean-text.ts';

export type JsonRecord = Record<string, unknown>;

export const isRecord = (v: unknown): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v);
export const records = (v: unknown): JsonRecord[] => (Array.isArray(v) ? v.filter(isRecord) : isRecord(v) ? [v] : []);

/** A field as trimmed text: strings as they are, numbers and booleans spelt out; empty → undefined. */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();
/** A text field, cleaned (HTML, entities) and cut to `max` characters. */
export const clean = (v: unknown, max: number): string | undefined => {
  const t = textOf(v);
  if (!t) return undefined;
  return clip(cleanText(t), max) || undefined;
};
/** A text field as one cleaned line. */
export const cleanLine = (v: unknown, max: number): string | undefined => {
  const t = clean(v, 100_000);
  return t ? clip(oneLine(t), max) : undefined;
};

/** A web address written without its scheme, as many directories do: "ymcasouthflorida.org", "aarp.org/taxaide". */
const BARE_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?::\d{1,5})?(?:[/?#][^\s@]*)?$/i;

export function cleanUrl(v: unknown): string | undefined {
  const t = textOf(v);
  if (!t || t.length > 2000) return undefined;
  const withScheme = /^www\./i.test(t) || BARE_HOST.test(t) ? `https://${t}` : t;
  try {
    const url = new URL(withScheme);
    return url.protocol === 'http:' || url.protocol === 'https:' ? withScheme : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A web address as the record gives it, tidied by `cleanUrl` where it can be; anything else is passed on as it is
 * (cut to 2,000 characters) so that the import drops it with a note in the report rather than without a word.
 */
export function urlForImport(v: unknown): string | undefined {
  const t = textOf(v)?.trim();
  return cleanUrl(t) ?? (t ? t.slice(0, 2000) : undefined);
}

export function cleanEmail(v: unknown): string | undefined {
  const t = textOf(v)?.replace(/^mailto:/i, '');
  return t && t.length <= 320 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t) ? t : undefined;
}

export function cleanPhone(v: unknown): string | undefined {
  const t = textOf(v)
    ?.replace(/^"+|"+$/g, '')
    .trim();
  return t && /\d{3}/.test(t) ? clip(t, 100) : undefined;
}

export const numberOf = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
