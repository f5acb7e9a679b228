import type { Database } from '../../db/sql.ts';
import type { CatalogueSearch } from '../search/types.ts';
import { selectTrust } from './trust.ts';

/** The search with each result's trust (origin, last confirmation, open reports) attached, for every reply and page. */
export function withTrust(search: CatalogueSearch, store: Database): CatalogueSearch {
  return {
    async search(request) {
      const response = await search.search(request);
      if (response.results.length === 0) return response;
      const trust = await selectTrust(
        store.sql,
        response.results.map((r) => r.id),
        request.now,
      );
      return {
        ...response,
        results: response.results.map((r) => (trust.has(r.id) ? { ...r, trust: trust.get(r.id)! } : r)),
      };
    },
    async getResult(id, now) {
      const result = await search.getResult(id, now);
      if (!result) return result;
      const trust = (await selectTrust(store.sql, [result.id], now)).get(result.id);
      return trust ? { ...result, trust } : result;
    },
  };
}
