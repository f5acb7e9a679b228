import type { Understood } from '../catalogue/search/types.ts';

export const RESULT_EVENT_KINDS = ['opened', 'shared', 'booked'] as const;
export type ResultEventKind = (typeof RESULT_EVENT_KINDS)[number];

export const FLAG_KINDS = ['closed', 'wrong_details'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** One search as the conversation saw it. `question` is only used (sanitised) when keeping questions is opted in. */
export type SearchObservation = {
  at: Date;
  platform: string;
  understood: Understood;
  /** All results found (not just the page shown). */
  total: number;
  /** Filters dropped to find something; empty when none. */
  relaxed: readonly string[];
  question?: string;
};

export type ResultObservation = { at: Date; entryId: string; kind: ResultEventKind };

/**
 * The port the conversation core calls to record anonymous statistics. Implementations must never throw into the
 * conversation and must never store the question text unless coordinators opted in (and then only sanitised).
 */
export type InsightsRecorder = {
  recordSearch(event: SearchObservation): Promise<void>;
  recordResultEvent(event: ResultObservation): Promise<void>;
};
