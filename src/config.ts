import { z } from 'zod';
import { parseDatabaseUrl, type StoreLocation } from './db/database-url.ts';

const EnvSchema = z.object({
  DATABASE_URL: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** Months of occurrences to expand ahead of now when importing recurring events. */
  IMPORT_HORIZON_DAYS: z.coerce.number().int().min(1).max(3660).default(365),
});

export type Config = Readonly<{
  store: StoreLocation;
  /** True when DATABASE_URL is unset: the embedded store in ./data, which gets the demo catalogue on first run. */
  isDefaultStore: boolean;
  port: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  importHorizonDays: number;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the environment once, failing fast with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid settings: ${problems}`);
  }
  const e = parsed.data;
  let store: StoreLocation;
  try {
    store = parseDatabaseUrl(e.DATABASE_URL);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return Object.freeze({
    store,
    isDefaultStore: !e.DATABASE_URL?.trim(),
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    importHorizonDays: e.IMPORT_HORIZON_DAYS,
  });
}
