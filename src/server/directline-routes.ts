import type { Request, Response, Server } from 'restify';
import type { z } from 'zod';
import type { DirectLineCaller, DirectLineChannel } from '../channel/directline/directline-channel.js';
import {
  ActivityBodySchema,
  ConversationIdSchema,
  issueFields,
  StartConversationBodySchema,
  WatermarkSchema,
} from '../channel/directline/schemas.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { registerDirectLineStream } from './directline-stream-route.js';
import { sendError } from './http-error.js';
import { enforce, type RateLimits } from './rate-limit.js';

/** Direct Line 3.0's base path; Web Chat is given `<origin>/v3/directline` as its domain. */
export const DIRECTLINE_BASE_PATH = '/v3/directline';

/** A chat activity is small: far below the server-wide body limit. */
const MAX_ACTIVITY_BYTES = 32 * 1024;

/**
 * The local Direct Line 3.0 routes, enough for `botframework-directlinejs` and Web Chat: tokens,
 * start/resume (with a `streamUrl` for the WebSocket stream, directline-stream-route.ts), post and
 * poll activities, end (an `endOfConversation` activity). Status
 * rules: no or invalid token 401, expired token, a token retired by a refresh or another
 * conversation's token 403, unknown or ended conversation 404, bad input 400, oversized activity
 * 413, too many requests 429 with `Retry-After`. Responses never contain another conversation's data.
 *
 * Rate limits: per client address before the token is even read (a flood costs no verification),
 * then per conversation. Polling is not limited: the client polls every second by design.
 */
export function registerDirectLineRoutes(server: Server, channel: DirectLineChannel, logger: Logger, limits: RateLimits, options: { publicBaseUrl?: string } = {}): void {
  const base = DIRECTLINE_BASE_PATH;
  registerDirectLineStream(server, channel, logger, limits, base);
  /** The WebSocket URL of a conversation's stream, with a ticket that opens it (the token never goes into a URL). */
  const streamUrl = async (req: Request, caller: DirectLineCaller, conversationId: string, watermark?: string) => {
    const ticket = await channel.streamTicket(caller, conversationId);
    const from = watermark ? `&watermark=${watermark}` : '';
    return `${streamOrigin(req, options.publicBaseUrl)}${base}/conversations/${encodeURIComponent(conversationId)}/stream?t=${ticket}${from}`;
  };
  const byAddress = (limiter: keyof Omit<RateLimits, 'addressOf'>, req: Request) => enforce(limits[limiter], `a:${limits.addressOf(req)}`);
  const byConversation = (limiter: keyof Omit<RateLimits, 'addressOf'>, conversationId: string) => enforce(limits[limiter], `c:${conversationId}`);
  const conversationOf = (caller: DirectLineCaller, id: string) => (caller.kind === 'token' ? caller.claims.conv : id);

  server.post(`${base}/tokens/generate`, async (req: Request, res: Response) => {
    await answer(res, logger, async () => {
      byAddress('tokens', req);
      return [200, channel.generateToken()];
    });
  });

  server.post(`${base}/tokens/refresh`, async (req: Request, res: Response) => {
    await answer(res, logger, async () => {
      byAddress('tokens', req);
      const caller = await channel.authenticate(req.header('authorization'));
      if (caller.kind === 'token') byConversation('tokens', caller.claims.conv);
      return [200, await channel.refreshToken(caller)];
    });
  });

  server.post(`${base}/conversations`, async (req: Request, res: Response) => {
    await answer(res, logger, async () => {
      byAddress('conversations', req);
      const caller = await channel.authenticate(req.header('authorization'));
      if (caller.kind === 'token') byConversation('conversations', caller.claims.conv);
      const body = parse(StartConversationBodySchema, req.body);
      const { created, ...conversation } = await channel.startConversation(caller, { locale: body.locale });
      return [created ? 201 : 200, { ...conversation, streamUrl: await streamUrl(req, caller, conversation.conversationId) }];
    });
  });

  server.get(`${base}/conversations/:conversationId`, async (req: Request, res: Response) => {
    await answer(res, logger, async () => {
      byAddress('conversations', req);
      const caller = await channel.authenticate(req.header('authorization'));
      const id = parse(ConversationIdSchema, req.params.conversationId);
      byConversation('conversations', conversationOf(caller, id));
      const watermark = parse(WatermarkSchema, queryValue(req, 'watermark'));
      const conversation = await channel.resumeConversation(caller, id);
      // The stream replays from the client's watermark, so nothing sent while it was away is lost.
      return [200, { ...conversation, streamUrl: await streamUrl(req, caller, id, watermark > 0 ? String(watermark) : undefined) }];
    });
  });

  server.post(`${base}/conversations/:conversationId/activities`, async (req: Request, res: Response) => {
    await answer(res, logger, async () => {
      byAddress('messagesPerAddress', req);
      const caller = await channel.authenticate(req.header('authorization'));
      const id = parse(ConversationIdSchema, req.params.conversationId);
      byConversation('messagesPerConversation', conversationOf(caller, id));
      if (bodySize(req) > MAX_ACTIVITY_BYTES) throw new AppError('payload_too_large', `An activity may be at most ${MAX_ACTIVITY_BYTES} bytes`);
      const body = parse(ActivityBodySchema, req.body);
      return [200, await channel.postActivity(caller, id, body)];
    });
  });

  server.get(`${base}/conversations/:conversationId/activities`, async (req: Request, res: Response) => {
    await answer(res, logger, async () => {
      const caller = await channel.authenticate(req.header('authorization'));
      const id = parse(ConversationIdSchema, req.params.conversationId);
      const watermark = parse(WatermarkSchema, queryValue(req, 'watermark'));
      return [200, await channel.getActivities(caller, id, watermark)];
    });
  });

  // Web Chat's attachment button posts multipart here. Files are not accepted in this chat
  // (identity documents go through the support desk). This is answered in `pre`, before the body
  // parser: restify's multipart parser would otherwise write the upload to a temporary file,
  // whoever sent it and whatever its size.
  const uploadPath = new RegExp(`^${base}/conversations/([^/]+)/upload/?$`);
  server.pre((req: Request, res: Response, next: (err?: false) => void) => {
    const match = req.method === 'POST' ? uploadPath.exec(req.path()) : null;
    if (!match) return next();
    res.setHeader('Connection', 'close');
    void answer(res, logger, async () => {
      const caller = await channel.authenticate(req.header('authorization'));
      const id = parse(ConversationIdSchema, match[1]);
      await channel.conversationFor(caller, id);
      throw new AppError('unsupported_media_type', 'File uploads are not accepted in this chat');
    }).then(() => next(false));
  });
}

/** Runs a handler and answers its `[status, body]`, or the error in the shared JSON shape. */
async function answer(res: Response, logger: Logger, handler: () => Promise<[number, unknown]>): Promise<void> {
  try {
    const [status, body] = await handler();
    res.header('Cache-Control', 'no-store');
    res.send(status, body);
  } catch (err) {
    if (!res.headersSent) sendError(res, err, logger);
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('invalid_input', 'Invalid request', { fields: issueFields(parsed.error) });
  return parsed.data;
}

function queryValue(req: Request, name: string): unknown {
  const query = req.query as Record<string, unknown> | undefined;
  return query?.[name];
}

/** A Host header as browsers send it: a name or address, an optional port; nothing else goes into a URL. */
const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * `ws://host` or `wss://host` for the stream. Behind https (PUBLIC_BASE_URL, production) always
 * PUBLIC_BASE_URL's host: a proxy in front may pass its own upstream name as Host. Over http
 * (development, tests on a random port) the host the client asked for, which can only send the
 * client itself elsewhere; wss when the connection itself is TLS.
 */
export function streamOrigin(req: Request, publicBaseUrl: string | undefined): string {
  const host = req.headers.host;
  const pub = publicBaseUrl ? new URL(publicBaseUrl) : undefined;
  if (pub && (pub.protocol === 'https:' || host === undefined || !HOST.test(host))) return `${pub.protocol === 'https:' ? 'wss' : 'ws'}://${pub.host}`;
  const tls = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  return `${tls ? 'wss' : 'ws'}://${host && HOST.test(host) ? host : 'localhost'}`;
}

function bodySize(req: Request): number {
  const declared = req.contentLength();
  if (declared > 0) return declared;
  return req.body === undefined ? 0 : Buffer.byteLength(JSON.stringify(req.body));
}
