import type { CatalogueSearch } from '../search/types.ts';
import { type ListingEssentials, listingEssentials } from './listing-essentials.ts';

/**
 * The listings behind a list of entry ids, in the list's order, as a resident needs them. Ids that are no longer
 * listed (closed, removed, never were) come back in `missing`.
 */
export async function loadListings(
  search: CatalogueSearch,
  entryIds: readonly string[],
  options: { now: Date; publicUrl: string },
): Promise<{ listings: ListingEssentials[]; missing: string[] }> {
  const listings: ListingEssentials[] = [];
  const missing: string[] = [];
  for (const id of entryIds) {
    const result = await search.getResult(id, options.now);
    if (result) listings.push(listingEssentials(result, options.publicUrl, options.now));
    else missing.push(id);
  }
  return { listings, missing };
}
