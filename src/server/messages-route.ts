import type { Activity, ActivityHandler } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { SupportCloudAdapter } from '../bot/adapter.js';
import { answerJson } from '../bot/answer-json.js';
import { DIRECTLINE_CHANNEL_ID } from '../channel/directline/index.js';
import { AppError, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ServiceUrlPolicy } from '../security/service-url-allowlist.js';
import { ActivitySchema, invalidFields, isPlainlyValidActivity } from './activity-schema.js';
import { sendError } from './http-error.js';
import { enforce, type RateLimits } from './rate-limit.js';

export interface MessagesRouteDeps {
  readonly adapter: SupportCloudAdapter;
  readonly bot: ActivityHandler;
  /** Service URLs the bot may reply to and remember (BOT_SERVICE_URL_ALLOWLIST). */
  readonly serviceUrls: ServiceUrlPolicy;
  readonly logger: Logger;
  /**
   * Messages per conversation (RATE_LIMIT_MESSAGES_PER_MINUTE), counted after authentication so a
   * stranger cannot spend a real conversation's budget. Not per address: in production every
   * request comes from Microsoft's Bot Connector.
   */
  readonly rateLimits?: Pick<RateLimits, 'messagesPerConversation'>;
}

/** Fixed bodies: a refused caller learns nothing from the library or from the policy's details. */
const UNAUTHORIZED = { code: 'unauthorized', message: 'Unauthorized' } as const;
const UNAVAILABLE = { code: 'unavailable', message: 'Service unavailable' } as const;
const LOCAL_CHANNEL_REFUSED = { code: 'forbidden', message: 'This channel is not served here' } as const;
const SERVICE_URL_REFUSED = { code: 'forbidden', message: 'Service URL not allowed' } as const;

/**
 * `POST /api/messages`: the Bot Framework endpoint (Azure Bot Service, Teams, the Emulator). In order:
 * the activity's shape (400), the local web chat's channel id (403: that channel has its own
 * routes, and its users' conversations must not be reachable from here), the token (401, or 503
 * when Bot Framework's signing keys cannot be read), the service URL against the allow-list (403:
 * nothing is sent to, or remembered for, another host), the conversation's message budget (429 with
 * Retry-After), then the turn.
 */
export function registerMessagesRoute(server: Server, deps: MessagesRouteDeps): void {
  const { adapter, bot, serviceUrls, logger, rateLimits } = deps;
  server.post('/api/messages', async (req: Request, res: Response) => {
    if (!isPlainlyValidActivity(req.body)) {
      const parsed = ActivitySchema.safeParse(req.body);
      if (!parsed.success) {
        sendError(res, new AppError('invalid_input', 'Not a valid activity', { fields: invalidFields(parsed.error) }), logger);
        return;
      }
    }
    const activity = withDates(req.body as Activity);
    const where = { channel: activity.channelId, conversation: activity.conversation.id, activityId: activity.id };
    if (activity.channelId === DIRECTLINE_CHANNEL_ID) {
      logger.warn({ ...where, reason: 'local_channel' }, 'bot framework request refused');
      res.send(403, LOCAL_CHANNEL_REFUSED);
      return;
    }
    const authHeader = req.header('Authorization') ?? '';
    let authenticated;
    try {
      authenticated = await adapter.authenticate(activity, authHeader);
    } catch (err) {
      const unavailable = isAppError(err) && err.code === 'unavailable';
      // Structured, with botbuilder's reason but never the token; the caller gets a fixed body.
      logger.warn({ ...where, status: unavailable ? 503 : 401, ...(isAppError(err) ? err.details : {}) }, 'bot framework request refused');
      if (unavailable) res.header('Retry-After', '30');
      else res.header('WWW-Authenticate', 'Bearer');
      res.send(unavailable ? 503 : 401, unavailable ? UNAVAILABLE : UNAUTHORIZED);
      return;
    }
    if (!serviceUrls.allows(activity.serviceUrl)) {
      logger.warn({ ...where, reason: 'service_url_not_allowed', serviceHost: hostOf(activity.serviceUrl) }, 'bot framework request refused');
      res.send(403, SERVICE_URL_REFUSED);
      return;
    }
    try {
      if (rateLimits) enforce(rateLimits.messagesPerConversation, `bf:${activity.channelId}:${activity.conversation.id}`);
      const answer = await adapter.runTurn(authenticated, activity, (context) => bot.run(context));
      const status = answer?.status ?? 200;
      if (answer?.body !== undefined) {
        const json = answerJson(answer.body);
        res.sendRaw(status, json, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(json)) });
      } else {
        res.status(status);
        res.end();
      }
    } catch (err) {
      if (!res.headersSent) sendError(res, err, logger);
      else logger.error({ err: { message: (err as Error).message } }, 'activity processing failed after reply');
    }
  });
}

/** What CloudAdapter.process did before authenticating: ISO strings become Dates, the raw text is kept. */
function withDates(activity: Activity): Activity {
  const a = activity as Activity & Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['localTimestamp', 'rawLocalTimestamp'], ['expiration', 'rawExpiration']] as const) {
    if (typeof a[field] === 'string') {
      a[raw] = a[field];
      a[field] = new Date(a[field] as string);
    }
  }
  return activity;
}

/** The host alone, for the log (a path or query could carry anything). */
function hostOf(url: string): string {
  try {
    return new URL(url).host.slice(0, 255);
  } catch {
    return '(not a URL)';
  }
}
