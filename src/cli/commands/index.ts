import type { Command } from '../command.ts';
import { entriesCommand } from './entries.ts';
import { importCommand } from './import.ts';
import { occurrencesCommand } from './occurrences.ts';
import { seedDemoCommand } from './seed-demo.ts';

export const COMMANDS: Command[] = [importCommand, occurrencesCommand, entriesCommand, seedDemoCommand];
