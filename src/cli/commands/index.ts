import type { Command } from '../command.ts';

/**
 * Every command by name, with the module that defines it: a command loads only its own module (and what that
 * imports), so `search` does not pay for the PDF, chat or import code of the others. The help loads them all.
 */
export type CommandEntry = { name: string; load(): Promise<Command> };

const entry = (name: string, load: () => Promise<Command>): CommandEntry => ({
  name,
  async load() {
    const command = await load();
    if (command.name !== name) throw new Error(`The command listed as "${name}" is named "${command.name}".`);
    return command;
  },
});

export const COMMANDS: CommandEntry[] = [
  entry('import', async () => (await import('./import.ts')).importCommand),
  entry('occurrences', async () => (await import('./occurrences.ts')).occurrencesCommand),
  entry('entries', async () => (await import('./entries.ts')).entriesCommand),
  entry('seed-demo', async () => (await import('./seed-demo.ts')).seedDemoCommand),
  entry('export', async () => (await import('./export.ts')).exportCommand),
  entry('sessions', async () => (await import('./bookings.ts')).sessionsCommand),
  entry('book', async () => (await import('./bookings.ts')).bookCommand),
  entry('cancel', async () => (await import('./bookings.ts')).cancelCommand),
  entry('bookings', async () => (await import('./bookings.ts')).bookingsCommand),
  entry('attendance', async () => (await import('./bookings.ts')).attendanceCommand),
  entry('training-report', async () => (await import('./bookings.ts')).trainingReportCommand),
  entry('chat', async () => (await import('./chat.ts')).chatCommand),
  entry('search', async () => (await import('./search.ts')).searchCommand),
  entry('report', async () => (await import('./report.ts')).reportCommand),
  entry('flags', async () => (await import('./flags.ts')).flagsCommand),
  entry('verify', async () => (await import('./verify.ts')).verifyCommand),
  entry('share', async () => (await import('./follow-ups.ts')).shareCommand),
  entry('follow-ups', async () => (await import('./follow-ups.ts')).followUpsCommand),
  entry('sms', async () => (await import('./shortlist.ts')).smsCommand),
  entry('leaflet', async () => (await import('./shortlist.ts')).leafletCommand),
  entry('subscribe', async () => (await import('./subscribe.ts')).subscribeCommand),
  entry('subscriptions', async () => (await import('./subscriptions.ts')).subscriptionsCommand),
  entry('unsubscribe', async () => (await import('./unsubscribe.ts')).unsubscribeCommand),
  entry('digest', async () => (await import('./digest.ts')).digestCommand),
  entry('sources', async () => (await import('./sources.ts')).sourcesCommand),
];
