import { createHash } from 'node:crypto';
import { type CatalogueEntryData, OccurrenceInputSchema } from '../model.ts';

/** A stable hash of a plain value: object keys sorted, dates as ISO text, undefined dropped. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('base64url');
}

const OCCURRENCE_FIELDS = Object.keys(
  OccurrenceInputSchema.shape,
) as (keyof CatalogueEntryData['occurrences'][number])[];

/**
 * An entry's hash: its own fields as stable JSON, then one compact line per session (an entry can have hundreds;
 * sorted-key JSON with ISO dates for each was most of an import's hashing time).
 */
export function entryContentHash(entry: CatalogueEntryData): string {
  const { occurrences, ...rest } = entry;
  let text = stableJson(rest);
  for (const o of occurrences) {
    text += '\n';
    for (const field of OCCURRENCE_FIELDS) {
      const v = o[field];
      text += `${v instanceof Date ? v.getTime() : v === undefined ? '' : typeof v === 'string' ? JSON.stringify(v) : String(v)}\t`;
    }
  }
  return createHash('sha256').update(text).digest('base64url');
}

/** Loops rather than entries/filter/map/join: an import hashes every entry, and this was most of that time. */
export function stableJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${stableJson(value[i])}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${stableJson(v)}`;
  }
  return `${out}}`;
}
