import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { Conversation } from '../bots/core/ports.ts';
import type { PrismaCatalogueRepository } from '../catalogue/prisma-catalogue-repository.ts';
import type { ImportReport } from '../catalogue/model.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/sql.ts';
import type { SubscriptionRepository } from '../scheduler/subscriptions.ts';
import type { Logger } from '../logger.ts';

export type CliOutput = { write(text: string): void };

export type CliContext = {
  config: Config;
  now: Date;
  json: boolean;
  stdout: CliOutput;
  stderr: CliOutput;
  logger: Logger;
  /**
   * What a command is given of the store, built by the runner (run-cli.ts, the CLI's composition root), which opens
   * and migrates the store on first use and closes it: the SQL seam for use cases and query modules…
   */
  database(): Promise<Database>;
  /** …digest subscriptions and the catalogue's simple reads (both through the Prisma client)… */
  subscriptions(): Promise<SubscriptionRepository>;
  catalogue(): Promise<PrismaCatalogueRepository>;
  /** …the chat conversation, built as the server builds it… */
  chat(clock: Clock): Promise<Conversation>;
  /** …and the demo catalogue, loaded (or refreshed) into the store. */
  seedDemo(): Promise<ImportReport>;
  /** Reads a line from the terminal (interactive commands). */
  stdin: NodeJS.ReadableStream;
  /** The folder the command was run in (where files it writes go). */
  cwd: string;
};

export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

export type ParsedArgs = {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
};

/** One CLI command: its flags (beyond the global --now/--json) and what it does. */
export type Command = {
  name: string;
  summary: string;
  usage: string;
  options: CommandOptions;
  /** Returns the JSON value printed with --json; `text` is printed otherwise. */
  run(ctx: CliContext, args: ParsedArgs): Promise<{ json: unknown; text: string }>;
};

/** A problem with how the command was called: printed with the usage, exit code 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An expected failure of a well-formed command (an unknown id): one line on stderr, exit code 1. */
export class CommandError extends Error {
  override name = 'CommandError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
