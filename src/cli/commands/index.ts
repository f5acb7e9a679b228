import type { Command } from '../command.ts';
import {
  attendanceCommand,
  bookCommand,
  bookingsCommand,
  cancelCommand,
  sessionsCommand,
  trainingReportCommand,
} from './bookings.ts';
import { chatCommand } from './chat.ts';
import { digestCommand } from './digest.ts';
import { entriesCommand } from './entries.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { occurrencesCommand } from './occurrences.ts';
import { searchCommand } from './search.ts';
import { flagsCommand } from './flags.ts';
import { followUpsCommand, shareCommand } from './follow-ups.ts';
import { reportCommand } from './report.ts';
import { seedDemoCommand } from './seed-demo.ts';
import { sourcesCommand } from './sources.ts';
import { subscribeCommand } from './subscribe.ts';
import { subscriptionsCommand } from './subscriptions.ts';
import { unsubscribeCommand } from './unsubscribe.ts';
import { leafletCommand, smsCommand } from './shortlist.ts';
import { verifyCommand } from './verify.ts';

export const COMMANDS: Command[] = [
  importCommand,
  occurrencesCommand,
  entriesCommand,
  seedDemoCommand,
  exportCommand,
  sessionsCommand,
  bookCommand,
  cancelCommand,
  bookingsCommand,
  attendanceCommand,
  trainingReportCommand,
  chatCommand,
  searchCommand,
  reportCommand,
  flagsCommand,
  verifyCommand,
  shareCommand,
  followUpsCommand,
  smsCommand,
  leafletCommand,
  subscribeCommand,
  subscriptionsCommand,
  unsubscribeCommand,
  digestCommand,
  sourcesCommand,
];
