import restify, { type Server } from 'restify';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sendError } from './http-error.js';

/** Limits every HTTP surface shares. A chat activity is small; a few hundred KB is generous. */
const MAX_BODY_BYTES = 256 * 1024;

/** The desk's plain HTML forms (no script to send JSON): the only routes taking a urlencoded body. */
const FORM_POST_PATHS = /^\/desk\/(login\/token|logout|tickets\/[^/]+\/.+|agents(\/.*)?)$/;

/**
 * Headers on every answer, pages and API alike, errors and 404s included (routes add their own
 * Content-Security-Policy, and may set a laxer Referrer-Policy). No `Server` header: restify sends
 * its server name there, and a name or version only helps someone looking for a known weakness.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Nothing here uses these features; a script injected despite the CSP gets none of them either.
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()',
};

/** Behind https (PUBLIC_BASE_URL), browsers are told to use nothing else for a year. */
const HSTS = 'max-age=31536000; includeSubDomains';

export interface ServerOptions {
  /** True when customers reach the server over https (PUBLIC_BASE_URL): sends Strict-Transport-Security. */
  readonly https: boolean;
}

/**
 * A restify server with security headers, JSON body parsing, size limits and JSON errors. Routes
 * are registered by the caller, one file per surface.
 */
export function createServer(logger: Logger, options: ServerOptions = { https: false }): Server {
  // An empty name: restify then sends no `Server` header.
  const server = restify.createServer({ name: '', handleUncaughtExceptions: false });
  server.pre((_req, res, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (options.https) res.setHeader('Strict-Transport-Security', HSTS);
    return next();
  });
  server.pre((req, res, next) => {
    // Refuse a body with a declared non-JSON type on POST routes before parsing it (a chunked
    // body has no Content-Length but is a body all the same).
    const type = req.contentType();
    const hasBody = req.contentLength() > 0 || req.isChunked();
    const form = type === 'application/x-www-form-urlencoded' && FORM_POST_PATHS.test(req.path());
    if (req.method === 'POST' && hasBody && type !== 'application/json' && !form && !req.path().includes('/upload')) {
      sendError(res, new AppError('unsupported_media_type', 'Content-Type must be application/json'), logger);
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      mapParams: false,
      maxBodySize: MAX_BODY_BYTES,
      rejectUnknown: false,
    }),
  );
  server.on('restifyError', (req, res, err, callback) => {
    // restify's own errors (bad JSON, body too large, 404, 405) answered in the same JSON shape.
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    const code = status === 413 ? 'payload_too_large' : status === 404 ? 'not_found' : status === 415 ? 'unsupported_media_type' : status < 500 ? 'invalid_input' : 'internal';
    err.toJSON = () => ({ code, message: status < 500 ? err.message : 'Internal error' });
    return callback();
  });
  return server;
}
