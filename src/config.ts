// Longer than 250 lines because it is the one zod schema of every environment key with its cross-checks (the resulting shape is in config-shape.ts).
import { z } from 'zod';
import { AppError } from './errors.js';
import { LANGUAGES } from './i18n/language.js';
import { DEFAULT_SCREEN_LABELS, SCREEN_LABEL_KEYS, type ScreenLabelKey } from './i18n/screen-labels.js';
import type { Config, DeskAlertsConfig, MetricsConfig, OidcConfig } from './config-shape.js';
import { BOT_FRAMEWORK_SERVICE_HOSTS, isHostPattern, LOOPBACK_HOSTS, serviceUrlPolicy } from './security/service-url-allowlist.js';
import { secretWeakness } from './security/secret-strength.js';
import { deepFreeze } from './deep-freeze.js';

/**
 * The only reader of process.env. Everything is validated once at start-up and frozen, so a
 * wrong value stops the process with a message naming the key instead of failing mid-conversation.
 * Every key is documented in .env.example.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const nonEmpty = z.string().trim().min(1);

/** A PostgreSQL connection URL (the value itself is never echoed: it may hold a password). */
function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/** SCREEN_LABELS_*: a JSON object of screen label overrides, each a non-empty string, no unknown keys. */
const screenLabels = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'a JSON object such as {"changeToApp":"「アプリへ変更」 (Change to app)"}' });
      return z.NEVER;
    }
  })
  .pipe(z.strictObject(Object.fromEntries(SCREEN_LABEL_KEYS.map((k) => [k, nonEmpty.optional()])) as Record<ScreenLabelKey, z.ZodOptional<typeof nonEmpty>>));

/** Absolute lifetime of a support desk console session, whatever the activity (a working day). */
export const DESK_SESSION_MAX_HOURS = 12;

/** The one path the identity provider sends agents back to (see src/server/desk-auth-routes.ts). */
export const DESK_OIDC_CALLBACK_PATH = '/desk/auth/callback';

const OIDC_KEYS = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const;

const DESK_TEAMS_KEYS = ['DESK_TEAMS_SERVICE_URL', 'DESK_TEAMS_CONVERSATION_ID'] as const;

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: nonEmpty.default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppId: z.string().trim().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppTenantId: z.string().trim().default(''),
  /** Running without an app id accepts unauthenticated requests (Emulator mode): refused in production unless forced. */
  ALLOW_UNAUTHENTICATED: bool.default(false),
  /**
   * Hosts the bot may send replies to (an activity's serviceUrl), comma-separated: `host` or
   * `*.domain` (subdomains). Default: Bot Framework's own hosts, plus loopback outside production.
   */
  BOT_SERVICE_URL_ALLOWLIST: z
    .string()
    .transform((v) => v.split(',').map((h) => h.trim()).filter((h) => h !== ''))
    .refine((hosts) => hosts.length > 0 && hosts.every(isHostPattern), 'comma-separated hosts or *.domain patterns')
    .optional(),

  DATABASE_FILE: nonEmpty.default('./data/bot.sqlite'),
  /**
   * PostgreSQL, for several bot instances on one database (`postgres://user:password@host:5432/db`).
   * Unset: SQLite under DATABASE_FILE. Set: the whole app runs on PostgreSQL (src/app.ts `openApp`).
   */
  DATABASE_URL: z.string().trim().refine(isPostgresUrl, 'a postgres:// or postgresql:// URL').optional(),
  /** Connections of one instance's stores pool on PostgreSQL (turns, desk, outbox share it). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(500).default(10),
  /**
   * Connections of one instance's turn-lock pool on PostgreSQL: one per conversation with a turn
   * running or waiting, so it bounds how many conversations an instance serves at once.
   */
  DATABASE_LOCK_POOL_MAX: z.coerce.number().int().min(2).max(1000).default(20),

  DEFAULT_LOCALE: z.enum(LANGUAGES).default('ja'),
  EXCHANGE_NAME_JA: nonEmpty.default('GMOコイン'),
  EXCHANGE_NAME_EN: nonEmpty.default('GMO Coin'),
  SUPPORT_URL: z.string().url().default('https://support.coin.z.com/hc/ja'),
  /** Written as the text shows it, quotes included; English quotes the Japanese menu and glosses it. */
  SECURITY_MENU_PATH_JA: nonEmpty.default('「口座情報」→「セキュリティ」'),
  SECURITY_MENU_PATH_EN: nonEmpty.default('「口座情報」→「セキュリティ」 (Account → Security)'),
  /** The exchange's screen and button names the change steps quote: JSON, any keys of src/i18n/screen-labels.ts over its defaults. */
  SCREEN_LABELS_JA: screenLabels.optional(),
  SCREEN_LABELS_EN: screenLabels.optional(),

  /**
   * The exchange's policies the customer is told, settings rather than facts of the guide: each is
   * worded "usually" with a pointer to SUPPORT_URL, and 0 leaves its sentence (or check) out.
   * Withdrawals are usually paused this long after the 2FA method is switched by support.
   */
  RESET_WITHDRAWAL_HOLD_HOURS: z.coerce.number().int().min(0).max(24 * 30).default(24),
  /** How long an agent usually needs to verify identity: the desk's target (overdue after it). */
  VERIFICATION_SLA_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(48),
  /** The verification time told to the customer; default VERIFICATION_SLA_HOURS, 0: not told. */
  VERIFICATION_HOURS_TOLD: z.coerce.number().int().min(0).max(24 * 14).optional(),
  /** Youngest age a date of birth in the identity claims may show; 0: not checked. */
  MIN_CUSTOMER_AGE: z.coerce.number().int().min(0).max(100).default(18),
  /** The optional 1–5 rating after a confirmed resolution and after a ticket is done. */
  SATISFACTION_RATING: z.enum(['on', 'off']).default('on'),

  TRANSCRIPT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Minutes without a reply after which the reports count an unfinished conversation as abandoned. */
  ABANDON_AFTER_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  /** Longest message text kept in a transcript; the rest is cut and marked "…[truncated]". */
  TRANSCRIPT_MAX_TEXT_CHARS: z.coerce.number().int().min(100).max(100_000).default(2000),

  /** Signs local Direct Line tokens (web chat). At least 32 characters; required in production. */
  DIRECTLINE_SECRET: z.string().default(''),
  // At least 20 minutes: the Direct Line client in Web Chat refreshes its token every 15 minutes.
  DIRECTLINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1200).max(24 * 3600).default(1800),
  /** The origin customers reach this server at (web chat serviceUrl, Teams validDomains). Default http://HOST:PORT. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Open web chat streams (WebSockets) this instance holds at most; past it a new one is refused with 429. */
  WEBCHAT_STREAMS_MAX: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** Open streams one web chat conversation may hold on this instance (a tab, plus a reconnect overlapping it). */
  WEBCHAT_STREAMS_PER_CONVERSATION: z.coerce.number().int().min(1).max(20).default(3),
  /** Seconds between a stream's pings (a connection that missed one is closed), and its check for anything missed. */
  WEBCHAT_STREAM_KEEPALIVE_SECONDS: z.coerce.number().int().min(5).max(300).default(30),

  /** Reverse proxies in front of this server whose X-Forwarded-For is believed (0: use the connection's address). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Requests per minute per client address (and per conversation where one applies); bursts up to the same number. */
  RATE_LIMIT_TOKENS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  RATE_LIMIT_CONVERSATIONS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Messages per minute in one web chat conversation; a fast typist sends far fewer. */
  RATE_LIMIT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Messages per minute from one address, all its conversations together (customers behind one NAT share it). */
  RATE_LIMIT_MESSAGES_PER_MINUTE_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(600),
  /** Desk sign-in starts per address (token form, OpenID start); agents of one office share an address. */
  RATE_LIMIT_DESK_SIGNIN_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),

  /** Teams app package (`npm run teams:package`); every value has a default built from the keys above. */
  TEAMS_APP_ID: z.string().uuid().optional(),
  TEAMS_APP_VERSION: z.string().regex(/^\d+\.\d+\.\d+$/, 'semantic version such as 1.0.0').default('1.0.0'),
  TEAMS_APP_NAME_JA: z.string().trim().min(1).max(30).optional(),
  TEAMS_APP_NAME_EN: z.string().trim().min(1).max(30).optional(),
  TEAMS_APP_DESCRIPTION_JA: z.string().trim().min(1).max(80).optional(),
  TEAMS_APP_DESCRIPTION_EN: z.string().trim().min(1).max(80).optional(),
  TEAMS_DEVELOPER_NAME: z.string().trim().min(1).max(32).optional(),
  TEAMS_DEVELOPER_WEBSITE_URL: z.string().url().optional(),
  TEAMS_PRIVACY_URL: z.string().url().optional(),
  TEAMS_TERMS_OF_USE_URL: z.string().url().optional(),
  TEAMS_ACCENT_COLOR: z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'colour such as #0B3D7A').default('#0B3D7A'),

  /** Support desk sign-in with OpenID Connect (e.g. Microsoft Entra ID): all four or none. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URL: z.string().url().optional(),
  /** A console session ends after this many minutes without a request (and after 12 hours in any case). */
  DESK_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(DESK_SESSION_MAX_HOURS * 60).default(30),
  /** Whether /desk/login also offers sign-in with a personal API token; default: only without OIDC. */
  DESK_TOKEN_SIGNIN: bool.optional(),

  /**
   * GET /metrics (Prometheus) is never open by default: METRICS_TOKEN (a Bearer token, at least 32
   * characters) and/or METRICS_PORT (an internal listener on METRICS_HOST, default 127.0.0.1).
   */
  METRICS_TOKEN: z.string().min(32, 'at least 32 characters (e.g. openssl rand -base64 32)').optional(),
  METRICS_HOST: nonEmpty.optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),

  /** Ticket alerts in the agents' Teams channel (src/desk/alerts): service URL and conversation id, both or neither. */
  DESK_TEAMS_SERVICE_URL: z.string().url().optional(),
  DESK_TEAMS_CONVERSATION_ID: z.string().trim().min(1).max(512).optional(),
  /** The channel's tenant; default MicrosoftAppTenantId. */
  DESK_TEAMS_TENANT_ID: z.string().trim().min(1).optional(),
  /** Language of the alert cards; default DEFAULT_LOCALE. */
  DESK_ALERT_LANGUAGE: z.enum(LANGUAGES).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export type { Config, DeskAlertsConfig, DeskConfig, MetricsConfig, OidcConfig, RateLimitConfig, TeamsAppConfig } from './config-shape.js';

/**
 * Parses and validates an environment. Throws AppError('config_invalid') listing every bad key
 * (values are never echoed: some are secrets).
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(stripEmpty(source));
  if (!parsed.success) {
    const keys = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('config_invalid', `Invalid configuration:\n  ${keys.join('\n  ')}`, { keys });
  }
  const e = parsed.data;
  const unauthenticated = e.MicrosoftAppId === '';
  if (unauthenticated && e.NODE_ENV === 'production' && !e.ALLOW_UNAUTHENTICATED) {
    throw new AppError(
      'config_invalid',
      'Invalid configuration:\n  MicrosoftAppId: required in production (set ALLOW_UNAUTHENTICATED=true only behind a trusted proxy)',
      { keys: ['MicrosoftAppId'] },
    );
  }
  if (e.MicrosoftAppId !== '' && e.MicrosoftAppType !== 'UserAssignedMSI' && e.MicrosoftAppPassword === '') {
    throw new AppError('config_invalid', 'Invalid configuration:\n  MicrosoftAppPassword: required with MicrosoftAppId', {
      keys: ['MicrosoftAppPassword'],
    });
  }
  if (e.MicrosoftAppType === 'SingleTenant' && e.MicrosoftAppTenantId === '') {
    throw new AppError('config_invalid', 'Invalid configuration:\n  MicrosoftAppTenantId: required for SingleTenant', {
      keys: ['MicrosoftAppTenantId'],
    });
  }
  if (e.DIRECTLINE_SECRET !== '' && e.DIRECTLINE_SECRET.length < 32) {
    throw new AppError('config_invalid', 'Invalid configuration:\n  DIRECTLINE_SECRET: at least 32 characters', {
      keys: ['DIRECTLINE_SECRET'],
    });
  }
  if (e.DIRECTLINE_SECRET === '' && e.NODE_ENV === 'production') {
    throw new AppError('config_invalid', 'Invalid configuration:\n  DIRECTLINE_SECRET: required in production', {
      keys: ['DIRECTLINE_SECRET'],
    });
  }
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(/\/+$/, '');
  if (e.NODE_ENV === 'production') refuseWeakProductionSettings(e, publicBaseUrl);
  const serviceUrls = {
    patterns: e.BOT_SERVICE_URL_ALLOWLIST ?? [...BOT_FRAMEWORK_SERVICE_HOSTS, ...(e.NODE_ENV === 'production' ? [] : LOOPBACK_HOSTS)],
    httpLoopback: e.NODE_ENV !== 'production',
  };
  const oidc = oidcConfig(e, publicBaseUrl);
  const deskAlerts = deskAlertsConfig(e);
  if (deskAlerts && !serviceUrlPolicy(serviceUrls.patterns, serviceUrls).allows(deskAlerts.serviceUrl)) {
    throw new AppError('config_invalid', 'Invalid configuration:\n  DESK_TEAMS_SERVICE_URL: its host must be in BOT_SERVICE_URL_ALLOWLIST', {
      keys: ['DESK_TEAMS_SERVICE_URL'],
    });
  }
  const metrics = metricsConfig(e);
  const config: Config = {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    bot: {
      appType: e.MicrosoftAppType,
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      tenantId: e.MicrosoftAppTenantId,
      unauthenticated,
      allowUnauthenticated: unauthenticated && e.ALLOW_UNAUTHENTICATED,
      serviceUrls,
    },
    databaseFile: e.DATABASE_FILE,
    databaseUrl: e.DATABASE_URL,
    databasePools: { stores: e.DATABASE_POOL_MAX, lock: e.DATABASE_LOCK_POOL_MAX },
    defaultLocale: e.DEFAULT_LOCALE,
    brand: {
      ja: {
        exchangeName: e.EXCHANGE_NAME_JA,
        securityMenuPath: e.SECURITY_MENU_PATH_JA,
        supportContact: e.SUPPORT_URL,
        screen: { ...DEFAULT_SCREEN_LABELS.ja, ...definedOnly(e.SCREEN_LABELS_JA) },
      },
      en: {
        exchangeName: e.EXCHANGE_NAME_EN,
        securityMenuPath: e.SECURITY_MENU_PATH_EN,
        supportContact: e.SUPPORT_URL,
        screen: { ...DEFAULT_SCREEN_LABELS.en, ...definedOnly(e.SCREEN_LABELS_EN) },
      },
    },
    resetWithdrawalHoldHours: e.RESET_WITHDRAWAL_HOLD_HOURS,
    verificationSlaHours: e.VERIFICATION_SLA_HOURS,
    verificationHoursTold: e.VERIFICATION_HOURS_TOLD ?? e.VERIFICATION_SLA_HOURS,
    minCustomerAge: e.MIN_CUSTOMER_AGE,
    satisfactionRating: e.SATISFACTION_RATING === 'on',
    transcriptRetentionDays: e.TRANSCRIPT_RETENTION_DAYS,
    abandonAfterMinutes: e.ABANDON_AFTER_MINUTES,
    transcriptMaxTextChars: e.TRANSCRIPT_MAX_TEXT_CHARS,
    // Development without a secret still works: a random per-process secret (tokens die on restart).
    directLine: {
      secret: e.DIRECTLINE_SECRET,
      tokenTtlSeconds: e.DIRECTLINE_TOKEN_TTL_SECONDS,
      streams: { max: e.WEBCHAT_STREAMS_MAX, perConversation: e.WEBCHAT_STREAMS_PER_CONVERSATION, keepAliveSeconds: e.WEBCHAT_STREAM_KEEPALIVE_SECONDS },
    },
    publicBaseUrl,
    rateLimits: {
      tokensPerMinute: e.RATE_LIMIT_TOKENS_PER_MINUTE,
      conversationsPerMinute: e.RATE_LIMIT_CONVERSATIONS_PER_MINUTE,
      messagesPerMinute: e.RATE_LIMIT_MESSAGES_PER_MINUTE,
      messagesPerMinutePerAddress: e.RATE_LIMIT_MESSAGES_PER_MINUTE_PER_ADDRESS,
      deskSignInPerMinute: e.RATE_LIMIT_DESK_SIGNIN_PER_MINUTE,
      trustProxy: e.TRUST_PROXY,
    },
    teams: {
      appId: e.TEAMS_APP_ID ?? e.MicrosoftAppId,
      version: e.TEAMS_APP_VERSION,
      name: {
        ja: e.TEAMS_APP_NAME_JA ?? truncate(`${e.EXCHANGE_NAME_JA} 2段階認証サポート`, 30),
        en: e.TEAMS_APP_NAME_EN ?? truncate(`${e.EXCHANGE_NAME_EN} 2FA Support`, 30),
      },
      description: {
        ja: e.TEAMS_APP_DESCRIPTION_JA ?? truncate(`${e.EXCHANGE_NAME_JA}の2段階認証のお困りごとをチャットでご案内します。`, 80),
        en: e.TEAMS_APP_DESCRIPTION_EN ?? truncate(`Help with ${e.EXCHANGE_NAME_EN} two-factor authentication, by chat.`, 80),
      },
      developerName: e.TEAMS_DEVELOPER_NAME ?? truncate(e.EXCHANGE_NAME_EN, 32),
      websiteUrl: e.TEAMS_DEVELOPER_WEBSITE_URL ?? e.SUPPORT_URL,
      privacyUrl: e.TEAMS_PRIVACY_URL ?? e.SUPPORT_URL,
      termsOfUseUrl: e.TEAMS_TERMS_OF_USE_URL ?? e.SUPPORT_URL,
      accentColor: e.TEAMS_ACCENT_COLOR.toUpperCase(),
    },
    desk: {
      sessionIdleMinutes: e.DESK_SESSION_IDLE_MINUTES,
      sessionMaxHours: DESK_SESSION_MAX_HOURS,
      // Without an identity provider the token form is the only way into the console.
      tokenSignIn: e.DESK_TOKEN_SIGNIN ?? oidc === null,
      oidc,
    },
    deskAlerts,
    metrics,
  };
  return deepFreeze(config);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Settings that work but are unsafe in production, all named in one refusal: a guessable web chat
 * secret, an app id that cannot be a real Entra app registration, a plain-http public origin.
 */
function refuseWeakProductionSettings(e: Env, publicBaseUrl: string): void {
  const problems: string[] = [];
  const weakness = e.DIRECTLINE_SECRET === '' ? null : secretWeakness(e.DIRECTLINE_SECRET);
  if (weakness) problems.push(`DIRECTLINE_SECRET: too weak for production (${weakness}); use e.g. openssl rand -base64 32`);
  if (e.MicrosoftAppId !== '' && !GUID.test(e.MicrosoftAppId)) problems.push('MicrosoftAppId: must be a GUID (the Entra app registration id)');
  if (new URL(publicBaseUrl).protocol !== 'https:') problems.push('PUBLIC_BASE_URL: must be an https URL in production');
  if (problems.length === 0) return;
  throw new AppError('config_invalid', `Invalid configuration:\n  ${problems.join('\n  ')}`, { keys: problems.map((p) => p.slice(0, p.indexOf(':'))) });
}

/**
 * The OIDC keys come as a set: a partial set is a half-finished set-up, refused naming what is
 * missing. The redirect URL must be this server's callback on PUBLIC_BASE_URL, or the session
 * cookie would be set for another host and the console's Origin check would refuse every form.
 */
function oidcConfig(e: Env, publicBaseUrl: string): OidcConfig | null {
  const missing = OIDC_KEYS.filter((k) => e[k] === undefined);
  if (missing.length === OIDC_KEYS.length) return null;
  const refuse = (keys: readonly string[], why: string): never => {
    throw new AppError('config_invalid', `Invalid configuration:\n  ${keys.map((k) => `${k}: ${why}`).join('\n  ')}`, { keys });
  };
  if (missing.length > 0) refuse(missing, `required with the other OIDC_ keys (${OIDC_KEYS.join(', ')})`);
  const issuer = new URL(e.OIDC_ISSUER!);
  if (e.NODE_ENV === 'production' && issuer.protocol !== 'https:') refuse(['OIDC_ISSUER'], 'must be https in production');
  const redirect = new URL(e.OIDC_REDIRECT_URL!);
  if (redirect.origin !== new URL(publicBaseUrl).origin || redirect.pathname !== DESK_OIDC_CALLBACK_PATH || redirect.search !== '') {
    refuse(['OIDC_REDIRECT_URL'], `must be ${publicBaseUrl}${DESK_OIDC_CALLBACK_PATH} (PUBLIC_BASE_URL + ${DESK_OIDC_CALLBACK_PATH})`);
  }
  return { issuer: e.OIDC_ISSUER!, clientId: e.OIDC_CLIENT_ID!, clientSecret: e.OIDC_CLIENT_SECRET!, redirectUrl: redirect.href };
}

/**
 * The agents' channel needs both its service URL and its conversation id: one without the other is
 * a half-finished set-up, refused naming what is missing. The bot's token goes to that URL, so
 * production requires https.
 */
function deskAlertsConfig(e: Env): DeskAlertsConfig | null {
  const missing = DESK_TEAMS_KEYS.filter((k) => e[k] === undefined);
  if (missing.length === DESK_TEAMS_KEYS.length) return null;
  const refuse = (keys: readonly string[], why: string): never => {
    throw new AppError('config_invalid', `Invalid configuration:\n  ${keys.map((k) => `${k}: ${why}`).join('\n  ')}`, { keys });
  };
  if (missing.length > 0) refuse(missing, `required with ${DESK_TEAMS_KEYS.filter((k) => !missing.includes(k)).join(', ')} (both or neither)`);
  if (e.NODE_ENV === 'production' && new URL(e.DESK_TEAMS_SERVICE_URL!).protocol !== 'https:') refuse(['DESK_TEAMS_SERVICE_URL'], 'must be https in production');
  return {
    serviceUrl: e.DESK_TEAMS_SERVICE_URL!,
    conversationId: e.DESK_TEAMS_CONVERSATION_ID!,
    tenantId: e.DESK_TEAMS_TENANT_ID ?? e.MicrosoftAppTenantId,
    language: e.DESK_ALERT_LANGUAGE ?? e.DEFAULT_LOCALE,
  };
}

/** Where /metrics is served and with which token (see src/server/metrics-route.ts). */
function metricsConfig(e: Env): MetricsConfig {
  const refuse = (key: string, why: string): never => {
    throw new AppError('config_invalid', `Invalid configuration:\n  ${key}: ${why}`, { keys: [key] });
  };
  if (e.METRICS_HOST !== undefined && e.METRICS_PORT === undefined) refuse('METRICS_HOST', 'needs METRICS_PORT (the internal listener)');
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) refuse('METRICS_PORT', 'must differ from PORT (the public port)');
  if (e.METRICS_TOKEN !== undefined && e.NODE_ENV === 'production') {
    const weakness = secretWeakness(e.METRICS_TOKEN);
    if (weakness) refuse('METRICS_TOKEN', `too weak for production (${weakness}); use e.g. openssl rand -base64 32`);
  }
  return {
    token: e.METRICS_TOKEN ?? null,
    listener: e.METRICS_PORT === undefined ? null : { host: e.METRICS_HOST ?? '127.0.0.1', port: e.METRICS_PORT },
  };
}

/** Cuts a default that would exceed a Teams manifest limit (an explicit value over the limit is refused instead). */
function truncate(text: string, max: number): string {
  return [...text].length <= max ? text : [...text].slice(0, max).join('').trimEnd();
}

/** `KEY=` in a .env file means "not set", so the default applies instead of failing validation. */
function stripEmpty(source: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** The keys of an override object that carry a value (zod leaves absent optional keys out, but be sure). */
function definedOnly<T extends Record<string, string | undefined>>(o: T | undefined): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, string>>;
}
