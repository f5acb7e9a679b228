import { FeedRefusedError } from '../../src/catalogue/ingest/parse-ical.ts';

/** The refusal `fn` throws (a whole input turned away); any other outcome fails the test. */
export function refusal(fn: () => unknown): FeedRefusedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FeedRefusedError) return e;
    throw e;
  }
  throw new Error('expected the input to be refused');
}
