import type { Logger } from '../../src/logger.ts';

export type LogLine = { level: string; msg: string; fields?: Record<string, unknown> };

/** A Logger that keeps what it was given, for asserting on log lines. */
export function createCaptureLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, msg, ...(fields ? { fields } : {}) });
  };
  const logger: Logger & { lines: LogLine[] } = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}
