import { parseArgs } from 'node:util';
import { countSources } from '../catalogue/demo/demo-queries.ts';
import { parseLondonDateTime } from '../catalogue/time.ts';
import { ConfigError, loadConfig } from '../config.ts';
import type { Store } from '../db/open-store.ts';
import { StoreError } from '../db/sql.ts';
import { createLogger, type Logger } from '../logger.ts';
import { type CliContext, type CliOutput, type Command, CommandError, type ParsedArgs, UsageError } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { terminalText } from '../bots/terminal/terminal-text.ts';
import { newCorrelationId } from '../correlation-id.ts';

export type CliIo = {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  logger?: Logger;
  /** An open store to use instead of opening DATABASE_URL's (the server's, for a command sent to it); left open. */
  store?: Store;
  /** The folder the command was run in; default the process's. */
  cwd?: string;
};

const GLOBAL_OPTIONS = {
  now: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function helpText(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Signpost: Camden’s neighbourhood activity catalogue',
    '',
    'Usage: signpost <command> [options] [--now <ISO 8601>] [--json]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --now to fix the clock (e.g. --now 2026-12-01T09:00:00Z) and --json for machine-readable output.',
    'DATABASE_URL chooses the store: unset → ./data (embedded), pglite:<folder>, pglite:memory, postgres://…',
  ].join('\n');
}

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 error or bad usage, 2 input refused. */
export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  // Everything a command prints (titles from feeds, error messages quoting input) is terminal-safe; JSON escapes its own.
  const io: CliIo = {
    ...rawIo,
    stdout: { write: (text: string) => rawIo.stdout.write(terminalText(text)) },
    stderr: { write: (text: string) => rawIo.stderr.write(terminalText(text)) },
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${await helpText()}\n`);
    return name ? 0 : 1;
  }
  const listed = COMMANDS.find((c) => c.name === name);
  if (!listed) {
    io.stderr.write(`Unknown command "${name}". Run with --help to see the commands.\n`);
    return 1;
  }
  const command = await listed.load();

  let args: ParsedArgs;
  try {
    args = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\nUsage: signpost ${command.usage}\n`);
    return 1;
  }
  if (args.values.help) {
    io.stdout.write(`Usage: signpost ${command.usage}\n${command.summary}\n`);
    return 0;
  }
  const json = args.values.json === true;
  const nowText = typeof args.values.now === 'string' ? args.values.now : undefined;
  const now = nowText ? parseLondonDateTime(nowText) : new Date();
  if (!now) {
    io.stderr.write(`--now "${nowText}" is not an ISO 8601 time (e.g. 2026-12-01T09:00:00Z).\n`);
    return 1;
  }

  let store: Store | undefined;
  let opening: Promise<Store> | undefined;
  let logger: Logger | undefined = io.logger;
  try {
    const config = loadConfig(io.env);
    logger ??= createLogger({ level: io.env.LOG_LEVEL ?? 'warn' });
    const log = logger;
    // Opened once, however many parts of the command ask for it and however early: a command may start opening it
    // (on the store's own thread) while it reads its input, and the store is closed below even if it fails meanwhile.
    const open = (): Promise<Store> => {
      if (io.store) return Promise.resolve(io.store);
      opening ??= (async () => {
        const { openStore } = await import('../db/open-store.ts');
        // A command's own process has no event loop anyone waits on: its store thread keeps the normal priority.
        const opened = await openStore(config.store, { storeThreadNiceness: 0 });
        store = opened;
        // The first use of the default store loads the demo catalogue; its importer is loaded only then.
        if (config.isDefaultStore && command.name !== 'seed-demo' && (await countSources(opened.sql)) === 0) {
          await (await import('../catalogue/demo/seed-demo.ts')).seedDemo(opened, now);
        }
        return opened;
      })();
      return opening;
    };
    const ctx: CliContext = {
      config,
      now,
      json,
      stdout: io.stdout,
      stderr: io.stderr,
      stdin: io.stdin,
      cwd: io.cwd ?? process.cwd(),
      logger,
      database: open,
      subscriptions: async () =>
        (await import('../scheduler/prisma-subscription-repository.ts')).createPrismaSubscriptionRepository(
          await open(),
        ),
      catalogue: async () =>
        new (await import('../catalogue/prisma-catalogue-repository.ts')).PrismaCatalogueRepository(
          (await open()).prisma,
        ),
      chat: async (clock) => {
        const { createChatConversation } = await import('../chat-conversation.ts');
        return createChatConversation({ config, store: await open(), clock, logger: log }).conversation;
      },
      seedDemo: async () => (await import('../catalogue/demo/seed-demo.ts')).seedDemo(await open(), now),
    };
    const result = await command.run(ctx, args);
    io.stdout.write(json ? `${JSON.stringify(result.json, null, 2)}\n` : result.text ? `${result.text}\n` : '');
    return 0;
  } catch (error) {
    return await reportError(error, command, json, io, logger);
  } finally {
    // A store still opening when the command failed is waited for, so that it is closed (and its folder released).
    await opening?.catch(() => {});
    await store?.close().catch(() => {});
  }
}

async function reportError(
  error: unknown,
  command: Command,
  json: boolean,
  io: CliIo,
  logger: Logger | undefined,
): Promise<number> {
  const emit = (code: string, message: string, exit: number) => {
    io.stderr.write(`${message}\n`);
    if (json) io.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    return exit;
  };
  if (error instanceof UsageError) {
    io.stderr.write(`${error.message}\nUsage: signpost ${command.usage}\n`);
    return 1;
  }
  const { FeedRefusedError } = await import('../catalogue/ingest/parse-ical.ts');
  if (error instanceof FeedRefusedError) {
    logger?.warn('input refused', { command: command.name, reason: error.message });
    return emit('IMPORT.REFUSED', `Refused: ${error.message} Nothing was imported.`, 2);
  }
  if (error instanceof CommandError) return emit(error.code, error.message, 1);
  if (error instanceof StoreError) return emit(error.code, error.message, 1);
  if (error instanceof ConfigError) return emit('CONFIG.INVALID', error.message, 1);
  const correlationId = newCorrelationId();
  logger?.error('command failed', { command: command.name, correlationId, error });
  return emit('INTERNAL', `Something went wrong (reference ${correlationId}): ${(error as Error).message}`, 1);
}
