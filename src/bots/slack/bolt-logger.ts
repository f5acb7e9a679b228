import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../logger.ts';

/**
 * Bolt and the Web API client log through ours (redacted, JSON on stderr) instead of the console. Bolt's arguments
 * are joined into one message; errors keep only their message, never a payload.
 */
export function toBoltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  let name = 'slack';
  const text = (args: unknown[]) =>
    args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : safeJson(a))).join(' ');
  return {
    debug: (...args) => logger.debug(text(args), { lib: name }),
    info: (...args) => logger.info(text(args), { lib: name }),
    warn: (...args) => logger.warn(text(args), { lib: name }),
    error: (...args) => logger.error(text(args), { lib: name }),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 500) ?? String(value);
  } catch {
    return String(value);
  }
}
