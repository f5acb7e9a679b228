import { describe, expect, it } from 'vitest';
import {
  createMessageExtension,
  SEARCH_COMMAND_ID,
  SEARCH_PARAMETER,
} from '../../../../src/bots/teams/message-extension.ts';
import type { CatalogueSearch } from '../../../../src/catalogue/search/types.ts';
import { fixedClock } from '../../../../src/clock.ts';
import { silentLogger } from '../../../../src/logger.ts';
import { buildResult } from '../../../helpers/build-result.ts';
import { createCaptureLogger } from '../../../helpers/capture-logger.ts';
import { createFakeSearch } from '../../../helpers/fake-search.ts';

const clock = fixedClock(new Date('2026-11-30T09:00:00Z'));
const publicUrl = 'https://signpost.camden.test';
const query = (words: unknown, queryOptions?: object) => ({
  commandId: SEARCH_COMMAND_ID,
  parameters: [{ name: SEARCH_PARAMETER, value: words }],
  ...(queryOptions ? { queryOptions } : {}),
});

describe('the Teams message extension', () => {
  it('asks the search for at most 25 results and 500 characters, however much Teams asks for', async () => {
    const search = createFakeSearch([buildResult()]);
    const extension = createMessageExtension({ search, clock, logger: silentLogger, publicUrl });
    await extension.query(query(`lunch ${'x'.repeat(2000)}`, { skip: 100_000, count: 1000 }));
    await extension.query(query(42));
    expect(search.requests.map((r) => [r.text.length, r.limit, r.offset])).toEqual([
      [500, 25, 500],
      [0, 10, 0],
    ]);
  });

  it('says it could not read a query that is not one, instead of failing the invoke', async () => {
    const extension = createMessageExtension({ search: createFakeSearch([]), clock, logger: silentLogger, publicUrl });
    const answer = await extension.query({ parameters: 'lunch' });
    expect(answer.composeExtension).toMatchObject({ type: 'message' });
  });

  it('answers in time for Teams: a search still running says so rather than letting Teams give up', async () => {
    const stuck: CatalogueSearch = { search: () => new Promise(() => {}), getResult: async () => undefined };
    const extension = createMessageExtension({
      search: stuck,
      clock,
      logger: silentLogger,
      publicUrl,
      answerWithinMs: 20,
    });
    const answer = await extension.query(query('lunch club'));
    expect(answer.composeExtension).toEqual({
      type: 'message',
      text: 'Signpost is taking too long to search just now. Please try again in a moment.',
    });
  });

  it('answers a failed search with an apology whose reference is in the log', async () => {
    const search = createFakeSearch([buildResult()]);
    search.failWith = new Error('connection refused');
    const logger = createCaptureLogger();
    const extension = createMessageExtension({ search, clock, logger, publicUrl });
    const answer = await extension.query(query('lunch club'));
    expect(answer.composeExtension?.type).toBe('message');
    const reference = /Reference ([0-9a-f]{8})/.exec(answer.composeExtension?.text ?? '')?.[1];
    expect(reference).toBeDefined();
    expect(logger.lines.some((l) => l.level === 'error' && JSON.stringify(l).includes(reference!))).toBe(true);
    expect(answer.composeExtension?.text).not.toContain('connection refused');
  });
});
