import type { CatalogueSearch, SearchRequest, SearchResult, Understood } from '../../src/catalogue/search/types.ts';
import { buildUnderstood } from './build-result.ts';

export type FakeSearch = CatalogueSearch & {
  /** Every request received, for assertions. */
  requests: SearchRequest[];
  /** Makes the next calls throw, as a broken database would. */
  failWith?: Error;
};

/**
 * An in-memory CatalogueSearch: a result matches when any word of the question (3+ letters) is in its title or
 * description; an empty match returns nothing. `understand` lets a test say what the parser "understood".
 */
export function createFakeSearch(
  results: SearchResult[],
  options: { understand?: (text: string) => Partial<Understood>; relaxed?: string[] } = {},
): FakeSearch {
  const fake: FakeSearch = {
    requests: [],
    async search(request) {
      fake.requests.push(request);
      if (fake.failWith) throw fake.failWith;
      const words = request.text.toLowerCase().match(/[a-z]{3,}/g) ?? [];
      const hits = results.filter((r) => words.some((w) => `${r.title} ${r.description}`.toLowerCase().includes(w)));
      const offset = request.offset ?? 0;
      const limit = request.limit ?? 10;
      return {
        understood: buildUnderstood({ terms: words, ...options.understand?.(request.text) }),
        relaxed: options.relaxed ?? [],
        results: hits.slice(offset, offset + limit),
        total: hits.length,
      };
    },
    async getResult(id) {
      if (fake.failWith) throw fake.failWith;
      return results.find((r) => r.id === id);
    },
  };
  return fake;
}
