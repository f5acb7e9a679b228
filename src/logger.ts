import fs from 'node:fs';
import { pino } from 'pino';
import { redactText, redactValue } from './privacy/redact.ts';

export type Logger = {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(module: string): Logger;
};

/**
 * One structured logger (pino, JSON lines on stderr so stdout stays clean for `--json`). Every message and field is
 * passed through the redactor: staff questions and imported records may hold personal data.
 */
export function createLogger(options: { level?: string; destination?: { write(line: string): unknown } } = {}): Logger {
  const base = pino(
    { level: options.level ?? process.env.LOG_LEVEL ?? 'info', base: undefined },
    (options.destination as pino.DestinationStream | undefined) ?? pino.destination(2),
  );
  return wrap(base);
}

function wrap(p: pino.Logger): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) p[level](redactValue(fields) as object, redactText(msg));
    else p[level](redactText(msg));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (module) => wrap(p.child({ module })),
  };
}

/** For tests and quiet CLI runs. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

export type LogSink = {
  write(line: string): void;
  /** From now on every line goes to this file (appended), none to the terminal. */
  toFile(file: string): void;
  /** From now on only warnings and errors reach the terminal. */
  warningsOnly(): void;
};

const WARN = 40;

/**
 * Where the server's log lines go: stderr, until the terminal chat takes over the terminal, when they move to a
 * file (or, with no folder to put one in, only warnings stay), so that they never land in the conversation.
 */
export function createLogSink(terminal: { write(text: string): unknown } = process.stderr): LogSink {
  let fd: number | undefined;
  let minimum = 0;
  return {
    write(line) {
      if (fd !== undefined) fs.writeSync(fd, line);
      else if (minimum === 0 || Number(/^\{"level":(\d+)/.exec(line)?.[1] ?? WARN) >= minimum) terminal.write(line);
    },
    toFile(file) {
      fd = fs.openSync(file, 'a', 0o600);
    },
    warningsOnly() {
      minimum = WARN;
    },
  };
}
