import restify, { type Server } from 'restify';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sendError } from './http-error.js';

/** Limits every HTTP surface shares. A chat activity is small; a few hundred KB is generous. */
const MAX_BODY_BYTES = 256 * 1024;

/** The desk's plain HTML forms (no script to send JSON): the only routes taking a urlencoded body. */
const FORM_POST_PATHS = /^\/desk\/(login\/token|logout|tickets\/[^/]+\/.+|agents(\/.*)?)$/;

/**
 * A restify server with JSON body parsing, size limits and JSON errors. Routes are
 * registered by the caller, one file per surface.
 */
export function createServer(logger: Logger): Server {
  const server = restify.createServer({ name: 'tfa-support-bot', handleUncaughtExceptions: false });
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
