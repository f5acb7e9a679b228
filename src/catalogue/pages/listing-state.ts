import type { Database } from '../../db/sql.ts';
import { isUuid } from '../../db/ids.ts';
import { selectListingState } from './listing-queries.ts';

/**
 * Whether an id was ever a listing here, and whether it is still listed, closed or removed from its source. Search
 * (`CatalogueSearch.getResult`) hides closed and removed entries; a page for a shared link still has to say what
 * became of them. `coordinates` are the venue's, for a map link.
 */
export type ListingState =
  | { state: 'listed'; title: string; coordinates: { latitude: number; longitude: number } | null }
  | { state: 'closed'; title: string }
  | { state: 'removed'; title: string; removedAt: Date };

/** The state of one listing by id; undefined when the id is malformed or was never in the catalogue. */
export async function findListingState(store: Pick<Database, 'sql'>, id: string): Promise<ListingState | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await selectListingState(store.sql, id);
  if (!row) return undefined;
  if (row.removed_at !== null) return { state: 'removed', title: row.name, removedAt: new Date(row.removed_at) };
  if (row.status === 'closed') return { state: 'closed', title: row.name };
  const { latitude, longitude } = row;
  const valid =
    latitude !== null &&
    longitude !== null &&
    Number.isFinite(latitude) &&
    Number.isFinite(longitude) &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180;
  return { state: 'listed', title: row.name, coordinates: valid ? { latitude, longitude } : null };
}
