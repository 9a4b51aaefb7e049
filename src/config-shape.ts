/**
 * The shape of the validated configuration that src/config.ts builds from the environment (it
 * alone reads process.env). Kept apart so the reader stays one screen of rules.
 */
import type { BrandTexts, Language } from './i18n/i18n.js';

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly bot: {
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    readonly appId: string;
    readonly appPassword: string;
    readonly tenantId: string;
    /** True when no app id is set: the Emulator's unauthenticated mode. */
    readonly unauthenticated: boolean;
    /** Unauthenticated on purpose (ALLOW_UNAUTHENTICATED=true): warned about loudly at every start. */
    readonly allowUnauthenticated: boolean;
    /** Where replies may go (see src/security/service-url-allowlist.ts). */
    readonly serviceUrls: ServiceUrlSettings;
  };
  /** SQLite file, used when {@link Config.databaseUrl} is unset. */
  readonly databaseFile: string;
  /** PostgreSQL connection URL (DATABASE_URL); holds a password: never log it. */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL pool sizes per instance: the stores' pool and the turn lock's (DATABASE_POOL_MAX, DATABASE_LOCK_POOL_MAX). */
  readonly databasePools: { readonly stores: number; readonly lock: number };
  readonly defaultLocale: Language;
  readonly brand: Readonly<Record<Language, BrandTexts>>;
  /** Hours withdrawals are usually paused after support switches the 2FA method (told to the customer); 0: not told. */
  readonly resetWithdrawalHoldHours: number;
  /** The desk's verification target: tickets waiting longer are overdue. */
  readonly verificationSlaHours: number;
  /** Hours verification usually takes, told to the customer; 0: not told. */
  readonly verificationHoursTold: number;
  /** Youngest age the identity claims' date of birth may show; 0: not checked. */
  readonly minCustomerAge: number;
  /** Ask customers for the optional 1–5 rating (after a confirmed resolution, after a ticket is done). */
  readonly satisfactionRating: boolean;
  /** Also how long the reports keep the (redacted) messages the bot did not understand. */
  readonly transcriptRetentionDays: number;
  /** Minutes without a reply after which the reports count an unfinished conversation as abandoned. */
  readonly abandonAfterMinutes: number;
  /** Longest message text kept in a transcript before it is cut with a marker. */
  readonly transcriptMaxTextChars: number;
  readonly directLine: { readonly secret: string; readonly tokenTtlSeconds: number; readonly streams: WebChatStreamConfig };
  /** Public origin without a trailing slash, e.g. `https://chat.example.com`. */
  readonly publicBaseUrl: string;
  /** Rate limits of the public surfaces (see src/server/rate-limit.ts). */
  readonly rateLimits: RateLimitConfig;
  readonly teams: TeamsAppConfig;
  readonly desk: DeskConfig;
  /** Ticket alerts in the agents' Teams channel, or null when DESK_TEAMS_* are not set. */
  readonly deskAlerts: DeskAlertsConfig | null;
  /** Where GET /metrics is served, and its token (see src/server/metrics-route.ts). */
  readonly metrics: MetricsConfig;
}

/** METRICS_*: with neither a token nor a listener, /metrics is not served at all. */
export interface MetricsConfig {
  /** The Bearer token scrapers send (METRICS_TOKEN), or null; a secret: never log it. */
  readonly token: string | null;
  /** The internal listener (METRICS_HOST:METRICS_PORT), or null to serve on the public port (token required). */
  readonly listener: { readonly host: string; readonly port: number } | null;
}

/** Requests per minute per client address (and per conversation where one applies). */
export interface RateLimitConfig {
  /** Web chat token generation and refresh. */
  readonly tokensPerMinute: number;
  /** Web chat conversation start and resume. */
  readonly conversationsPerMinute: number;
  /** Web chat activities posted in one conversation. */
  readonly messagesPerMinute: number;
  /** Web chat activities posted from one address, all conversations together. */
  readonly messagesPerMinutePerAddress: number;
  /** Support desk sign-in attempts (token form, OpenID start). */
  readonly deskSignInPerMinute: number;
  /** Reverse proxies in front whose X-Forwarded-For is believed (0: the connection's address). */
  readonly trustProxy: number;
}

/** BOT_SERVICE_URL_ALLOWLIST, resolved: host patterns, and whether plain http to loopback is allowed (not in production). */
export interface ServiceUrlSettings {
  readonly patterns: readonly string[];
  readonly httpLoopback: boolean;
}

/** Where and how new and changed tickets are announced to the agents (see src/desk/alerts). */
export interface DeskAlertsConfig {
  /** The Bot Connector endpoint of the channel's region, e.g. `https://smba.trafficmanager.net/jp/`. */
  readonly serviceUrl: string;
  /** The agents' channel, e.g. `19:…@thread.tacv2`. */
  readonly conversationId: string;
  /** The channel's Microsoft Entra tenant id, or `''` when unknown (sent as channelData.tenant.id). */
  readonly tenantId: string;
  /** Language of the cards. */
  readonly language: Language;
}

/** The support desk's sign-in (see src/desk/auth). */
export interface DeskConfig {
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  /** Whether the sign-in page offers the API-token form (DESK_TOKEN_SIGNIN; default: only without OIDC). */
  readonly tokenSignIn: boolean;
  /** The identity provider, or null when agents sign in with API tokens only. */
  readonly oidc: OidcConfig | null;
}

/** OpenID Connect client settings (authorization code flow with PKCE). */
export interface OidcConfig {
  /** Issuer URL; discovery reads `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `<PUBLIC_BASE_URL>/desk/auth/callback`, registered at the identity provider. */
  readonly redirectUrl: string;
}

/** What the Teams app package is built from (see scripts/teams-package.ts). */
export interface TeamsAppConfig {
  /** The Teams app's own id (a GUID); defaults to MicrosoftAppId. Empty when neither is set. */
  readonly appId: string;
  readonly version: string;
  /** Short names (at most 30 characters) and short descriptions (at most 80) per language. */
  readonly name: Readonly<Record<Language, string>>;
  readonly description: Readonly<Record<Language, string>>;
  readonly developerName: string;
  readonly websiteUrl: string;
  readonly privacyUrl: string;
  readonly termsOfUseUrl: string;
  readonly accentColor: string;
}

/** Web chat's WebSocket streams on one instance (see src/channel/directline/activity-streams.ts). */
export interface WebChatStreamConfig {
  /** Open streams at most, all conversations together. */
  readonly max: number;
  /** Open streams of one conversation at most. */
  readonly perConversation: number;
  /** Seconds between pings, and between checks for activities a stream may have missed. */
  readonly keepAliveSeconds: number;
}
