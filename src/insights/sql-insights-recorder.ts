import type { Database } from '../db/sql.ts';
import { isUuid } from '../db/ids.ts';
import type { Logger } from '../logger.ts';
import { sanitiseQuestion } from '../privacy/sanitise-question.ts';
import {
  deleteRedactedQuestions,
  deleteResultEventsBefore,
  deleteSearchStatsBefore,
  insertRedactedQuestion,
  insertResultEvent,
  insertSearchStat,
} from './insights-queries.ts';
import { type InsightsRecorder, RESULT_EVENT_KINDS, type ResultObservation, type SearchObservation } from './ports.ts';
import { toHourBucket, toSearchStat } from './to-search-stat.ts';

export type SqlInsightsRecorderOptions = {
  logger: Logger;
  /** Days to keep a sanitised copy of each question; 0 (the default) never stores question text at all. */
  keepQuestionsDays?: number;
};

/**
 * Records anonymous search statistics and result events in the store. Failures are logged and swallowed: insights
 * must never cost a member of staff their answer.
 */
export function createSqlInsightsRecorder(
  store: Pick<Database, 'sql'>,
  options: SqlInsightsRecorderOptions,
): InsightsRecorder {
  const log = options.logger.child('insights');
  const keepDays = options.keepQuestionsDays ?? 0;

  return {
    async recordSearch(event: SearchObservation) {
      try {
        const s = toSearchStat(event);
        await insertSearchStat(store.sql, s);
        if (keepDays > 0 && event.question) {
          const text = sanitiseQuestion(event.question);
          if (text) {
            await insertRedactedQuestion(store.sql, {
              hour: s.hour,
              text,
              noResults: s.noResults,
              relaxed: s.relaxed,
              expiresAt: new Date(event.at.getTime() + keepDays * 86_400_000),
            });
          }
        }
      } catch (error) {
        log.warn('search statistic not recorded', { error });
      }
    },
    async recordResultEvent(event: ResultObservation) {
      try {
        if (!isUuid(event.entryId) || !RESULT_EVENT_KINDS.includes(event.kind)) return;
        await insertResultEvent(store.sql, event.entryId, event.kind, toHourBucket(event.at));
      } catch (error) {
        log.warn('result event not recorded', { error });
      }
    },
  };
}

export type PurgeReport = { redactedQuestions: number; searchStats: number; resultEvents: number };

/**
 * Deletes kept questions whose time is up (and all of them when keeping is switched off), and statistics older than
 * `keepStatsDays`. Run daily by the scheduler and by `signpost report purge`.
 */
export async function purgeInsights(
  store: Pick<Database, 'sql'>,
  now: Date,
  options: { keepQuestionsDays: number; keepStatsDays: number },
): Promise<PurgeReport> {
  const redactedQuestions = await deleteRedactedQuestions(
    store.sql,
    now,
    new Date(now.getTime() - options.keepQuestionsDays * 86_400_000),
    options.keepQuestionsDays <= 0,
  );
  let searchStats = 0;
  let resultEvents = 0;
  if (options.keepStatsDays > 0) {
    const before = new Date(now.getTime() - options.keepStatsDays * 86_400_000);
    searchStats = await deleteSearchStatsBefore(store.sql, before);
    resultEvents = await deleteResultEventsBefore(store.sql, before);
  }
  return { redactedQuestions, searchStats, resultEvents };
}

/** A recorder that records nothing (insights switched off, and tests that do not look at them). */
export const noInsights: InsightsRecorder = {
  async recordSearch() {},
  async recordResultEvent() {},
};
