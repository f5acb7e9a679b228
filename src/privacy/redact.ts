/**
 * Removes likely personal data from text before it is logged: e-mail addresses, UK phone numbers, NHS numbers and
 * full postcodes (reduced to their district). Used on every log line.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const NHS_NUMBER = /\b\d{3}[ -]?\d{3}[ -]?\d{4}\b/g;
const PHONE = /(?:\+44\s?\(?0?\)?|\(?0)(?:\d[\s-]?\)?){9,10}\d?\b/g;
const POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?)\s*\d[A-Z]{2}\b/gi;

export function redactText(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(NHS_NUMBER, '[number]')
    .replace(PHONE, '[phone]')
    .replace(POSTCODE, (_m, district: string) => district.toUpperCase());
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, depth + 1);
  return out;
}
