import { isUuid } from '../db/ids.ts';
import type { Store } from '../db/open-store.ts';
import type { Logger } from '../logger.ts';
import { sanitiseQuestion } from '../privacy/sanitise-question.ts';
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
export function createSqlInsightsRecorder(store: Store, options: SqlInsightsRecorderOptions): InsightsRecorder {
  const log = options.logger.child('insights');
  const keepDays = options.keepQuestionsDays ?? 0;

  return {
    async recordSearch(event: SearchObservation) {
      try {
        const s = toSearchStat(event);
        await store.sql.query(
          `INSERT INTO search_stat (hour, wards, categories, audiences, access, languages, days, time_of_day, result_count, relaxed, no_results, platform)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [s.hour, s.wards, s.categories, s.audiences, s.access, s.languages, s.days, s.timeOfDay, s.resultCount, s.relaxed, s.noResults, s.platform],
        );
        if (keepDays > 0 && event.question) {
          const text = sanitiseQuestion(event.question);
          if (text) {
            await store.sql.query(
              `INSERT INTO redacted_question (hour, text, no_results, relaxed, expires_at) VALUES ($1, $2, $3, $4, $5)`,
              [s.hour, text, s.noResults, s.relaxed, new Date(event.at.getTime() + keepDays * 86_400_000)],
            );
          }
        }
      } catch (error) {
        log.warn('search statistic not recorded', { error });
      }
    },
    async recordResultEvent(event: ResultObservation) {
      try {
        if (!isUuid(event.entryId) || !RESULT_EVENT_KINDS.includes(event.kind)) return;
        await store.sql.query(`INSERT INTO result_event (entry_id, kind, hour) VALUES ($1, $2, $3)`, [
          event.entryId,
          event.kind,
          toHourBucket(event.at),
        ]);
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
  store: Store,
  now: Date,
  options: { keepQuestionsDays: number; keepStatsDays: number },
): Promise<PurgeReport> {
  const questions = await store.sql.query<{ id: string }>(
    options.keepQuestionsDays > 0
      ? `DELETE FROM redacted_question WHERE expires_at <= $1 OR hour < $2 RETURNING id`
      : `DELETE FROM redacted_question WHERE $1::timestamptz IS NOT NULL OR $2::timestamptz IS NOT NULL RETURNING id`,
    [now, new Date(now.getTime() - options.keepQuestionsDays * 86_400_000)],
  );
  let searchStats = 0;
  let resultEvents = 0;
  if (options.keepStatsDays > 0) {
    const before = new Date(now.getTime() - options.keepStatsDays * 86_400_000);
    searchStats = (await store.sql.query(`DELETE FROM search_stat WHERE hour < $1 RETURNING id`, [before])).rows.length;
    resultEvents = (await store.sql.query(`DELETE FROM result_event WHERE hour < $1 RETURNING id`, [before])).rows.length;
  }
  return { redactedQuestions: questions.rows.length, searchStats, resultEvents };
}

/** A recorder that records nothing (insights switched off, and tests that do not look at them). */
export const noInsights: InsightsRecorder = {
  async recordSearch() {},
  async recordResultEvent() {},
};

