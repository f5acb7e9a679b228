import type { Database } from '../db/sql.ts';
import { BookingService, type CourseReport } from '../catalogue/booking/booking-service.ts';
import { coursesFromSettings } from '../catalogue/booking/courses.ts';
import { listFlags, type FlagView } from './flags.ts';
import { freshnessReport, type FreshnessReport } from './freshness-report.ts';
import { gapsReport, type GapRow } from './gaps-report.ts';
import { searchesReport, type SearchesReport } from './searches-report.ts';
import { outcomeFunnel, type OutcomeFunnel } from './outcomes-report.ts';

export type InsightsOverview = {
  searches: SearchesReport;
  gaps: GapRow[];
  training: CourseReport[];
  freshness: FreshnessReport;
  flags: FlagView[];
  /** Searched → shared → went, by category and ward, and the listings most often found unsuitable. */
  outcomes: OutcomeFunnel;
};

export type OverviewSettings = {
  trainingTargets?: string | undefined;
  trainingValidity?: string | undefined;
  staleMonths?: number;
};

/** People trained per course against targets, with attendance rates (from the bookings). */
export function trainingReport(store: Database, now: Date, settings: OverviewSettings): Promise<CourseReport[]> {
  return new BookingService(store, { courses: coursesFromSettings(settings) }).trainingReport(now);
}

/** Everything the insights page shows, for one period. */
export async function insightsOverview(
  store: Database,
  range: { from: Date; to: Date },
  now: Date,
  settings: OverviewSettings,
): Promise<InsightsOverview> {
  return {
    searches: await searchesReport(store, range.from, range.to),
    gaps: await gapsReport(store, { ...range, limit: 50 }),
    training: await trainingReport(store, now, settings),
    freshness: await freshnessReport(store, now, settings.staleMonths ? { staleMonths: settings.staleMonths } : {}),
    flags: await listFlags(store, { status: 'open' }),
    outcomes: await outcomeFunnel(store, range),
  };
}
