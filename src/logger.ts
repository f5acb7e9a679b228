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
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const base = pino(
    { level: options.level ?? process.env.LOG_LEVEL ?? 'info', base: undefined },
    (options.destination as pino.DestinationStream | undefined) ?? pino.destination(2),
  );
  return wrap(base);
}

function wrap(p: pino.Logger): Logger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (msg: string, fields?: Record<string, unknown>) => {
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
