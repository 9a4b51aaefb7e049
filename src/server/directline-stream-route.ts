/**
 * Direct Line's WebSocket stream: `GET /v3/directline/conversations/{id}/stream?t=…&watermark=N`
 * with `Upgrade: websocket`, the `streamUrl` of the start and reconnect answers. Web Chat opens it
 * and receives ActivitySets (`{"activities":[…],"watermark":"N"}`) as the bot answers, instead of
 * polling. The upgrade is refused with a plain HTTP status before any WebSocket exists: 401 for a
 * missing or foreign ticket, 403 for an expired one, another conversation's or a retired
 * generation's, 404 for an unknown or ended conversation, 429 past the address's rate or the
 * streams' bounds, 503 while stopping.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Server } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamSink } from '../channel/directline/activity-streams.js';
import type { DirectLineChannel } from '../channel/directline/directline-channel.js';
import { ConversationIdSchema, WatermarkSchema } from '../channel/directline/schemas.js';
import { AppError, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { HTTP_STATUS } from './error-status.js';
import { enforce, type RateLimits } from './rate-limit.js';

/** The client only ever sends empty keep-alive messages; anything bigger closes the connection (1009). */
const MAX_CLIENT_MESSAGE_BYTES = 1024;
/** A closing handshake the client does not answer is cut after this long (a stopping server waits for it). */
const CLOSE_HANDSHAKE_MS = 1000;

/** Handles stream upgrades on the restify server's HTTP server. */
export function registerDirectLineStream(server: Server, channel: DirectLineChannel, logger: Logger, limits: RateLimits, basePath: string): void {
  const path = new RegExp(`^${basePath}/conversations/([^/?]+)/stream$`);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false });
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = path.exec(url.pathname);
    if (!match) {
      // Nothing else here speaks WebSocket (another listener may, for its own paths).
      if (server.server.listenerCount('upgrade') === 1) refuse(socket, 404, 'not_found');
      return;
    }
    socket.on('error', () => socket.destroy());
    void accept(req, socket, head, match[1]!, url.searchParams).catch((err: unknown) => {
      const status = isAppError(err) ? HTTP_STATUS[err.code] : 500;
      if (status >= 500 && !(isAppError(err) && err.code === 'unavailable')) logger.error({ err: { message: (err as Error).message } }, 'web chat stream failed to open');
      const retryAfter = isAppError(err) ? err.details?.['retryAfterSeconds'] : undefined;
      refuse(socket, status, isAppError(err) ? err.code : 'internal', typeof retryAfter === 'number' ? retryAfter : undefined);
    });
  });

  async function accept(req: IncomingMessage, socket: Duplex, head: Buffer, rawId: string, query: URLSearchParams): Promise<void> {
    enforce(limits.conversations, `a:${limits.addressOf(req as unknown as Request)}`);
    const id = ConversationIdSchema.safeParse(rawId);
    const watermark = WatermarkSchema.safeParse(query.get('watermark') ?? undefined);
    if (!id.success || !watermark.success) throw new AppError('invalid_input', 'Invalid request');
    const ticket = query.get('t') ?? undefined;
    const { slot, generation } = await channel.openStream({ ticket, authorization: req.headers.authorization }, id.data);
    if (socket.destroyed) return slot.release();
    let opened = false;
    // A handshake ws refuses (no Sec-WebSocket-Key…) ends the socket without a callback: the place is given back.
    socket.once('close', () => opened || slot.release());
    wss.handleUpgrade(req, socket, head, (ws) => {
      opened = true;
      const detach = slot.open(sinkOf(ws), watermark.data, generation);
      ws.on('close', detach);
      // Errors (a frame too large, a broken connection) end in `close`; nothing to answer.
      ws.on('error', () => ws.terminate());
      // The client's keep-alives are empty messages: read and dropped.
      ws.on('message', () => undefined);
    });
  }
}

function sinkOf(ws: WebSocket): StreamSink {
  let answered = true;
  ws.on('pong', () => (answered = true));
  return {
    send: (text) => ws.send(text),
    ping() {
      if (!answered) return false;
      answered = false;
      ws.ping();
      return true;
    },
    get buffered() {
      return ws.bufferedAmount;
    },
    close(code, reason) {
      if (code === 1013 && !answered) return ws.terminate();
      ws.close(code, reason);
      setTimeout(() => ws.terminate(), CLOSE_HANDSHAKE_MS).unref();
    },
  };
}

/** An HTTP answer on the raw socket (no WebSocket was opened), then the connection ends. */
function refuse(socket: Duplex, status: number, code: string, retryAfterSeconds?: number): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ code, message: code });
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'Connection: close',
    ...(retryAfterSeconds !== undefined ? [`Retry-After: ${retryAfterSeconds}`] : []),
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
