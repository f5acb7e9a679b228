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

/** How a listing reached a resident: the chat's *Share with resident*, an SMS text or a printed leaflet. */
export const SHARE_VIAS = ['share', 'sms', 'leaflet'] as const;
export type ShareVia = (typeof SHARE_VIAS)[number];

/**
 * One share of a listing with a resident, as a feature that shares reports it. `userRef` is the member of staff's
 * platform id (Slack user id, Teams user id, terminal name): it is kept only until the follow-up question is sent
 * (or 30 days), never with the outcome. Nothing about the resident is ever passed.
 */
export type ShareInput = {
  entryId: string;
  platform: 'slack' | 'teams' | 'terminal';
  userRef: string;
  via: ShareVia;
  /** Teams: the conversation it was shared in; only a personal chat with the bot (`a:…`) gets the follow-up. */
  channelRef?: string;
  /** Slack team id or Teams tenant id the share was made in (deliveries use its token). */
  workspace?: string;
};

/**
 * The port every sharing feature calls (the chat's share button, SMS, leaflets, Slack's share): counts the share and
 * schedules the "Did the resident go?" follow-up. Never throws into its caller: a failure is logged.
 */
export type ShareRecorder = {
  recordShare(share: ShareInput): Promise<void>;
};
