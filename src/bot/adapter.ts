import {
  BotCallbackHandlerKey,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  DeliveryModes,
  StatusCodes,
  TurnContext,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
} from 'botbuilder';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { languageFromLocale } from '../conversation/conversation-engine.js';
import type { Language, Localizer } from '../i18n/i18n.js';
import { turnLanguage } from './support-bot.js';
import type { Logger } from '../logger.js';
import { turnLogFields } from './turn-observability.js';
import { ETagConflictError } from '../storage/sqlite-storage.js';
import { KeyedLockTimeoutError } from '../conversation/keyed-lock.js';

/** What botbuilder's authentication yields for a request: claims, caller, connector factory. */
export type AuthenticatedRequest = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** A token validation in flight, refused with `unavailable` if still unsettled at its deadline. */
interface Waiting {
  readonly deadline: number;
  readonly reject: (err: unknown) => void;
}

/** The authentication part of botbuilder's BotFrameworkAuthentication this adapter uses. */
type RequestAuthentication = ConstructorParameters<typeof CloudAdapter>[0] & Pick<ConfigurationBotFrameworkAuthentication, 'authenticateRequest'>;

/** Longest wait for token validation (it may fetch Bot Framework's signing keys) before answering 503. */
export const AUTHENTICATION_TIMEOUT_MS = 10_000;

/**
 * botbuilder's CloudAdapter with authentication as a step of its own, so the HTTP route decides
 * what a caller is told: CloudAdapter.process answers a forged token with 500 and the library's
 * raw message, and gives the route no look at the claims.
 */
export class SupportCloudAdapter extends CloudAdapter {
  readonly #auth: RequestAuthentication;
  readonly #timeoutMs: number;
  /** Validations in flight, until they settle or pass their deadline. */
  readonly #waiting = new Set<Waiting>();
  #sweep: NodeJS.Timeout | undefined;

  constructor(auth: RequestAuthentication, options: { authenticationTimeoutMs?: number } = {}) {
    super(auth);
    this.#auth = auth;
    this.#timeoutMs = options.authenticationTimeoutMs ?? AUTHENTICATION_TIMEOUT_MS;
  }

  /**
   * Validates the request's `Authorization` header for this activity (botbuilder's rules: issuer,
   * signature, lifetime, audience, the signing key's endorsement of the channel id, and for channel
   * tokens the `serviceurl` claim), then checks that a `serviceurl` claim, whatever the token, names
   * the activity's service URL. Throws AppError `unauthorized` (the token is not good) or
   * `unavailable` (the signing keys could not be read, or validation took too long).
   */
  async authenticate(activity: Activity, authHeader: string): Promise<AuthenticatedRequest> {
    let result: AuthenticatedRequest;
    try {
      // Without a token there is nothing to validate and no signing key to fetch: botbuilder answers
      // at once (anonymous when authentication is off, refused otherwise), so no timer is armed.
      result = authHeader.trim() ? await this.#withTimeout(this.#auth.authenticateRequest(activity, authHeader)) : await this.#auth.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw authenticationFailure(err, authHeader);
    }
    const claimedServiceUrl = result.claimsIdentity.getClaimValue('serviceurl');
    if (claimedServiceUrl !== null && claimedServiceUrl !== activity.serviceUrl) {
      throw new AppError('unauthorized', 'Unauthorized', { reason: 'serviceurl_claim_mismatch' });
    }
    return result;
  }

  /**
   * `validation`, or `unavailable` once it has taken longer than the timeout. One sweep timer
   * serves every validation in flight, where a timer set and cleared per request, with a race, was
   * about 1 % of a turn's CPU (issue 16); a validation that hangs is refused within a quarter of the
   * timeout after it (at most a second) instead of exactly on time.
   */
  #withTimeout(validation: Promise<AuthenticatedRequest>): Promise<AuthenticatedRequest> {
    return new Promise((resolve, reject) => {
      const waiting: Waiting = { deadline: performance.now() + this.#timeoutMs, reject };
      this.#waiting.add(waiting);
      this.#sweep ??= setInterval(() => this.#refuseLate(), Math.min(1_000, Math.max(5, this.#timeoutMs / 4))).unref();
      validation.then(
        (value) => {
          this.#waiting.delete(waiting);
          resolve(value);
        },
        (err: unknown) => {
          this.#waiting.delete(waiting);
          reject(err);
        },
      );
    });
  }

  /** Refuses the validations past their deadline; stops sweeping once none is left. */
  #refuseLate(): void {
    // The monotonic clock: a wall clock set back would keep a hanging validation waiting.
    const now = performance.now();
    for (const waiting of this.#waiting) {
      if (waiting.deadline > now) continue;
      this.#waiting.delete(waiting);
      waiting.reject(new AppError('unavailable', 'Token validation timed out', { reason: 'timeout' }));
    }
    if (this.#waiting.size === 0 && this.#sweep) {
      clearInterval(this.#sweep);
      this.#sweep = undefined;
    }
  }

  /**
   * Runs one turn of an authenticated request; the invoke or expectReplies answer, if any.
   *
   * With `deliveryMode: "expectReplies"` the replies are buffered on the context and returned in
   * the HTTP answer: nothing goes through the Bot Connector, so the turn is run without the
   * connector and user token clients CloudAdapter.processActivity builds for every turn (an HTTP
   * pipeline each, about a tenth of a turn's CPU). Everything else of processActivity is kept: the
   * callerId, the identity, audience, callback and connector factory in turnState, the middleware,
   * the buffered replies as the answer. Other delivery modes go through processActivity unchanged.
   */
  async runTurn(request: AuthenticatedRequest, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    if (activity.deliveryMode !== DeliveryModes.ExpectReplies) return this.processActivity(request, activity, logic);
    (activity as { callerId?: string }).callerId = request.callerId;
    const context = new TurnContext(this, activity);
    context.turnState.set(this.BotIdentityKey, request.claimsIdentity);
    context.turnState.set(BotCallbackHandlerKey, logic);
    context.turnState.set(this.ConnectorFactoryKey, request.connectorFactory);
    context.turnState.set(this.OAuthScopeKey, request.audience);
    await this.runMiddleware(context, logic);
    return { status: StatusCodes.OK, body: { activities: context.bufferedReplyActivities } };
  }
}

/**
 * botbuilder's token validation writes every refused token to stderr itself, unstructured: the
 * whole signing key for a bad signature, the error object for an expired token. A forged request
 * would cost a multi-line stderr dump each; the route already logs one structured line instead.
 * Only those two messages are dropped; everything else still reaches console.error.
 */
function quietTokenValidationConsole(): void {
  const marker = Symbol.for('tfa-support-bot.quietTokenValidationConsole');
  const current = console.error as typeof console.error & { [marker]?: true };
  if (current[marker]) return;
  const quiet = Object.assign(
    (...args: unknown[]) => {
      const [first] = args;
      if (args.length === 1 && typeof first === 'string' && first.startsWith('Error finding key for token. Available keys:')) return;
      if (args.length === 1 && first instanceof Error && first.name === 'TokenExpiredError') return;
      current.apply(console, args);
    },
    { [marker]: true as const },
  );
  console.error = quiet;
}

/**
 * botbuilder fails authentication with an AuthenticationError (statusCode 401, or 500 when the
 * signing keys could not be loaded), a jsonwebtoken error (bad signature, not yet valid) or a
 * network error from fetching the keys. Only a short reason goes on: never the token.
 */
function authenticationFailure(err: unknown, authHeader: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as { name?: unknown; message?: unknown; statusCode?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const token = authHeader.replace(/^\S+\s+/, '');
  const raw = typeof e?.message === 'string' ? e.message : '';
  // The library's message goes to the log only, and only when it cannot carry the token.
  const detail = token.length >= 8 && raw.includes(token) ? '' : raw.slice(0, 200);
  const keysUnavailable = name === 'FetchError' || (typeof e?.statusCode === 'number' && e.statusCode >= 500);
  return keysUnavailable
    ? new AppError('unavailable', 'Service unavailable', { reason: 'signing_keys_unavailable', error: name, detail })
    : new AppError('unauthorized', 'Unauthorized', { reason: 'token_refused', error: name, detail });
}

/**
 * The CloudAdapter with credentials from configuration. With no app id it is the Emulator's
 * unauthenticated mode (config refuses that in production unless explicitly allowed).
 */
export function createAdapter(config: Config, localizer: Localizer, logger: Logger): SupportCloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  if (!config.bot.unauthenticated) quietTokenValidationConsole();
  const adapter = new SupportCloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  adapter.onTurnError = turnErrorHandler(localizer, logger, config.defaultLocale);
  return adapter;
}

/**
 * Logs the failure (ids and error, never the customer's text) and apologises in the
 * customer's language. It must not throw itself: botbuilder would send the raw error text
 * back to the caller.
 */
export function turnErrorHandler(localizer: Localizer, logger: Logger, defaultLanguage: Language = 'ja') {
  return async (context: TurnContext, error: Error): Promise<void> => {
    // Another turn of the same conversation wrote first, or held it past the lock's bounded wait
    // (another instance's turn): the customer is asked to send it again, the log only warns.
    const lockTimeout = error instanceof KeyedLockTimeoutError;
    const conflict = error instanceof ETagConflictError || lockTimeout;
    const ids = turnLogFields(context);
    logger[conflict ? 'warn' : 'error'](
      {
        ...ids,
        err: conflict ? undefined : { name: error.name, message: error.message, stack: error.stack },
        channel: context.activity.channelId,
        conversation: context.activity.conversation?.id,
        activityId: context.activity.id,
      },
      lockTimeout ? 'conversation busy: turn lock not acquired in time' : conflict ? 'concurrent write refused' : 'turn failed',
    );
    try {
      // The conversation's own language when it was read before the failure, else the channel's.
      const t = localizer.forLanguage(turnLanguage(context) ?? languageFromLocale(context.activity.locale) ?? defaultLanguage);
      await context.sendActivity(t(conflict ? 'common:errors.busy' : 'common:errors.generic'));
    } catch (sendError) {
      logger.warn({ ...ids, err: { message: (sendError as Error).message } }, 'could not tell the customer about the failure');
    }
  };
}
