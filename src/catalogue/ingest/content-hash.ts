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

function stableJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
