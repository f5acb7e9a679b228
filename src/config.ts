import { parseTrainingValidity } from './catalogue/booking/courses.ts';
import { z } from 'zod';
import { parseDatabaseUrl, type StoreLocation } from './db/database-url.ts';
import { type FeedAllowList, parseFeedAllowList } from './catalogue/ingest/feed-address-policy.ts';
import { DEFAULT_VERIFY_AFTER_MONTHS } from './catalogue/verify/verify-queue.ts';

const optionalText = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().trim().optional(),
);

/** Slack settings; any of the first three turns Slack on, and then the rest are checked together. */
const SlackEnvShape = {
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalText,
  SLACK_COORDINATOR_USER_IDS: optionalText,
  SLACK_COORDINATOR_USERGROUP: optionalText,
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
};

/** "Add to Slack": installs to any number of workspaces, each with its own bot token kept in the database. */
export type SlackOAuthConfig = Readonly<{ clientId: string; clientSecret: string; stateSecret: string }>;

export type SlackConfig = Readonly<{
  /** One workspace: its bot token. Null when workspaces install the app themselves (`oauth`). */
  botToken: string | null;
  /** Set: the OAuth install (/slack/install) and one installation per workspace. Absent or null: `botToken`. */
  oauth?: SlackOAuthConfig | null;
  /** Needed for HTTP events; Socket Mode connections are authenticated by the app token instead. */
  signingSecret: string | null;
  /** Set: Socket Mode (no public URL needed). Unset: HTTP events at /slack/events on the shared server. */
  appToken: string | null;
  /** Web API base URL ending in "/", e.g. a local stand-in; default Slack's. */
  apiUrl: string | null;
  coordinatorUserIds: readonly string[];
  coordinatorUsergroup: string | null;
}>;

/** Names of the variables that turn Slack on, for the start-up banner. */
export const SLACK_ENV_NAMES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_ID',
] as const;

const SlackSettingsSchema = z
  .object({
    SLACK_BOT_TOKEN: z
      .string()
      .regex(/^xoxb-/, 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-')
      .optional(),
    SLACK_CLIENT_ID: z
      .string()
      .regex(
        /^\d+\.\d+$/,
        "SLACK_CLIENT_ID must be the Client ID from the app's Basic Information page (digits.digits)",
      )
      .optional(),
    SLACK_CLIENT_SECRET: z
      .string()
      .regex(
        /^[0-9a-f]{16,}$/i,
        "SLACK_CLIENT_SECRET must be the hex Client Secret from the app's Basic Information page",
      )
      .optional(),
    SLACK_STATE_SECRET: z
      .string()
      .min(16, "SLACK_STATE_SECRET must be at least 16 random characters (it signs the install link's state)")
      .optional(),
    SLACK_SIGNING_SECRET: z
      .string()
      .regex(
        /^[0-9a-f]{16,}$/i,
        "SLACK_SIGNING_SECRET must be the hex Signing Secret from the app's Basic Information page",
      )
      .optional(),
    SLACK_APP_TOKEN: z
      .string()
      .regex(/^xapp-/, 'SLACK_APP_TOKEN must be an app-level token starting with xapp- (Socket Mode)')
      .optional(),
    SLACK_API_URL: z.url({ error: 'SLACK_API_URL must be an http(s) URL such as https://slack.com/api/' }).optional(),
    SLACK_COORDINATOR_USER_IDS: z
      .string()
      .regex(
        /^[UW][A-Z0-9]+(\s*,\s*[UW][A-Z0-9]+)*$/,
        'SLACK_COORDINATOR_USER_IDS must be Slack user ids (U…) separated by commas',
      )
      .optional(),
    SLACK_COORDINATOR_USERGROUP: z
      .string()
      .regex(/^S[A-Z0-9]+$/, 'SLACK_COORDINATOR_USERGROUP must be a user group id (S…)')
      .optional(),
  })
  .superRefine((e, ctx) => {
    const oauth = e.SLACK_CLIENT_ID || e.SLACK_CLIENT_SECRET || e.SLACK_STATE_SECRET;
    if (oauth) {
      for (const name of ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const) {
        if (!e[name]) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message:
              name === 'SLACK_STATE_SECRET'
                ? "SLACK_STATE_SECRET is missing: set it to a long random string (it signs the install link's state)"
                : `${name} is missing: copy it from the app's Basic Information page (App Credentials)`,
          });
        }
      }
      if (e.SLACK_BOT_TOKEN) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_BOT_TOKEN'],
          message:
            'Set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (installs through /slack/install), not both',
        });
      }
      if (e.SLACK_APP_TOKEN) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_APP_TOKEN'],
          message:
            'The Slack install (SLACK_CLIENT_ID) needs HTTP mode: unset SLACK_APP_TOKEN and set SLACK_SIGNING_SECRET',
        });
      }
    } else if (!e.SLACK_BOT_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message:
          "SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page " +
          '(or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install through /slack/install)',
      });
    }
    if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          "SLACK_SIGNING_SECRET is missing: copy the Signing Secret from the app's Basic Information page (or set SLACK_APP_TOKEN for Socket Mode)",
      });
    }
  });

function toSlackConfig(e: { [K in keyof typeof SlackEnvShape]?: string | undefined }): {
  config: SlackConfig | null;
  problems: string[];
} {
  if (!SLACK_ENV_NAMES.some((name) => e[name])) return { config: null, problems: [] };
  const parsed = SlackSettingsSchema.safeParse(e);
  if (!parsed.success) return { config: null, problems: parsed.error.issues.map((i) => i.message) };
  const s = parsed.data;
  return {
    problems: [],
    config: Object.freeze({
      botToken: s.SLACK_BOT_TOKEN ?? null,
      oauth:
        s.SLACK_CLIENT_ID && s.SLACK_CLIENT_SECRET && s.SLACK_STATE_SECRET
          ? Object.freeze({
              clientId: s.SLACK_CLIENT_ID,
              clientSecret: s.SLACK_CLIENT_SECRET,
              stateSecret: s.SLACK_STATE_SECRET,
            })
          : null,
      signingSecret: s.SLACK_SIGNING_SECRET ?? null,
      appToken: s.SLACK_APP_TOKEN ?? null,
      apiUrl: s.SLACK_API_URL ? s.SLACK_API_URL.replace(/\/?$/, '/') : null,
      coordinatorUserIds: Object.freeze(s.SLACK_COORDINATOR_USER_IDS?.split(',').map((id) => id.trim()) ?? []),
      coordinatorUsergroup: s.SLACK_COORDINATOR_USERGROUP ?? null,
    }),
  };
}

const EnvSchema = z.object({
  DATABASE_URL: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** Host names or CIDR ranges that partner feeds may be fetched from although private (an intranet feed). */
  FEED_ALLOW_PRIVATE_HOSTS: z.string().optional(),
  /** When set, /feeds/* need it (`?token=` or a Bearer header). */
  FEEDS_TOKEN: z
    .string()
    .trim()
    .min(12, 'FEEDS_TOKEN must be at least 12 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Months of occurrences to expand ahead of now when importing recurring events. */
  IMPORT_HORIZON_DAYS: z.coerce.number().int().min(1).max(3660).default(365),
  /** Hours a freed training place is held for the next person on the waitlist. */
  BOOKING_OFFER_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 14)
    .default(24),
  /** Course targets, e.g. "MECC=200;Mental Health First Aid=60". */
  TRAINING_TARGETS: z.string().optional(),
  /** How long each course stays in date, e.g. "Mental Health First Aid=3y;MECC=24m": refreshers are offered before. */
  TRAINING_VALIDITY: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        parseTrainingValidity(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  // Microsoft Teams (Bot Framework): unset means local, unauthenticated use with the Bot Framework Emulator.
  MicrosoftAppId: z.string().trim().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppTenantId: z.string().trim().optional(),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  /** This server's public address (links in chat such as calendar invites); default http://localhost:PORT. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Without MicrosoftAppId, serve the Bot Framework Emulator on this machine (`true`); otherwise Teams answers 401. */
  TEAMS_EMULATOR: z.enum(['true', 'false', '']).optional(),
  /** Teams service URL hosts allowed besides Bot Framework's own (comma-separated; `*.example.org` for a domain). */
  TEAMS_SERVICE_URL_HOSTS: z.string().optional(),
  /** Teams coordinators: AAD object ids (or Teams user ids), comma-separated. */
  TEAMS_COORDINATOR_IDS: z.string().optional(),
  ...SlackEnvShape,
  // Insights for coordinators: the /insights page's sign-in token and how long anything is kept.
  INSIGHTS_TOKEN: z
    .string()
    .trim()
    .min(12, 'INSIGHTS_TOKEN must be at least 12 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  INSIGHTS_KEEP_REDACTED_QUESTIONS_DAYS: z.coerce.number().int().min(0).max(90).default(0),
  INSIGHTS_KEEP_STATS_DAYS: z.coerce.number().int().min(0).default(1095),
  INSIGHTS_STALE_MONTHS: z.coerce.number().int().min(1).max(60).default(12),
  /** Months after which a listing nobody has confirmed joins the coordinators' verification queue. */
  VERIFY_AFTER_MONTHS: z.coerce.number().int().min(1).max(60).default(DEFAULT_VERIFY_AFTER_MONTHS),
  /** Days after a member of staff shares a listing before they are asked whether the resident went. */
  FOLLOW_UP_DAYS: z.coerce.number().int().min(1).max(29).default(14),
  /** Signs leaflet links (`/leaflets/<id>.pdf`); unset: a random key per start, so links end with a restart. */
  LEAFLET_LINK_SECRET: z
    .string()
    .trim()
    .min(16, 'LEAFLET_LINK_SECRET must be at least 16 random characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Days a leaflet link works. */
  LEAFLET_LINK_DAYS: z.coerce.number().int().min(1).max(30).default(7),
});

/** Bot Framework credentials; `null` when MicrosoftAppId is unset (local Emulator mode, no token checks). */
export type TeamsCredentials = Readonly<{
  appId: string;
  appPassword: string;
  tenantId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
}>;

export type Config = Readonly<{
  store: StoreLocation;
  /** True when DATABASE_URL is unset: the embedded store in ./data, which gets the demo catalogue on first run. */
  isDefaultStore: boolean;
  port: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  importHorizonDays: number;
  /** FEED_ALLOW_PRIVATE_HOSTS: private hosts and ranges feeds may still be fetched from. */
  feedAllowPrivateHosts: FeedAllowList;
  /** FEEDS_TOKEN: null leaves the public feeds open. */
  feedsToken: string | null;
  offerHours: number;
  trainingTargets: string | undefined;
  trainingValidity: string | undefined;
  teams: TeamsCredentials | null;
  /** TEAMS_EMULATOR=true: the Bot Framework Emulator may use /api/messages without credentials, from this machine. */
  teamsEmulator: boolean;
  teamsServiceUrlHosts: readonly string[];
  /** The server's public base URL, without a trailing slash. */
  publicUrl: string;
  /** Who counts as a coordinator in Teams (AAD object ids or Teams user ids). */
  teamsCoordinators: ReadonlySet<string>;
  /** Null when no Slack variable is set: Slack is off. */
  slack: SlackConfig | null;
  insights: Readonly<{ token: string | null; keepQuestionsDays: number; keepStatsDays: number; staleMonths: number }>;
  /** Months without a confirmation before a listing is in the verification queue. */
  verifyAfterMonths: number;
  followUpDays: number;
  /** Leaflet links for Teams: LEAFLET_LINK_SECRET (null: random per start) and LEAFLET_LINK_DAYS. */
  leaflets: Readonly<{ linkSecret: string | null; linkDays: number }>;
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
  const slack = toSlackConfig(e);
  if (slack.problems.length > 0) throw new ConfigError(`Slack settings: ${slack.problems.join('; ')}`);
  let store: StoreLocation;
  try {
    store = parseDatabaseUrl(e.DATABASE_URL);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const teams = parseTeamsCredentials(e);
  let feedAllowPrivateHosts: FeedAllowList;
  try {
    feedAllowPrivateHosts = parseFeedAllowList(e.FEED_ALLOW_PRIVATE_HOSTS);
  } catch (error) {
    throw new ConfigError(`Invalid settings: FEED_ALLOW_PRIVATE_HOSTS: ${(error as Error).message}`);
  }
  return Object.freeze({
    store,
    isDefaultStore: !e.DATABASE_URL?.trim(),
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    importHorizonDays: e.IMPORT_HORIZON_DAYS,
    feedAllowPrivateHosts,
    feedsToken: e.FEEDS_TOKEN ?? null,
    offerHours: e.BOOKING_OFFER_HOURS,
    trainingTargets: e.TRAINING_TARGETS,
    trainingValidity: e.TRAINING_VALIDITY,
    teams,
    teamsEmulator: e.TEAMS_EMULATOR === 'true',
    teamsServiceUrlHosts: (e.TEAMS_SERVICE_URL_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    teamsCoordinators: new Set(
      (e.TEAMS_COORDINATOR_IDS ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
    slack: slack.config,
    insights: Object.freeze({
      token: e.INSIGHTS_TOKEN ?? null,
      keepQuestionsDays: e.INSIGHTS_KEEP_REDACTED_QUESTIONS_DAYS,
      keepStatsDays: e.INSIGHTS_KEEP_STATS_DAYS,
      staleMonths: e.INSIGHTS_STALE_MONTHS,
    }),
    verifyAfterMonths: e.VERIFY_AFTER_MONTHS,
    followUpDays: e.FOLLOW_UP_DAYS,
    leaflets: Object.freeze({ linkSecret: e.LEAFLET_LINK_SECRET ?? null, linkDays: e.LEAFLET_LINK_DAYS }),
  });
}

function parseTeamsCredentials(e: z.infer<typeof EnvSchema>): TeamsCredentials | null {
  if (!e.MicrosoftAppId) {
    if (e.MicrosoftAppPassword)
      throw new ConfigError('Invalid settings: MicrosoftAppPassword is set but MicrosoftAppId is not');
    return null;
  }
  const appType = e.MicrosoftAppType ?? 'MultiTenant';
  if (appType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) {
    throw new ConfigError('Invalid settings: MicrosoftAppId is set but MicrosoftAppPassword is not');
  }
  if (appType === 'SingleTenant' && !e.MicrosoftAppTenantId) {
    throw new ConfigError('Invalid settings: MicrosoftAppType SingleTenant needs MicrosoftAppTenantId');
  }
  return Object.freeze({
    appId: e.MicrosoftAppId,
    appPassword: e.MicrosoftAppPassword ?? '',
    appType,
    ...(e.MicrosoftAppTenantId ? { tenantId: e.MicrosoftAppTenantId } : {}),
  });
}
