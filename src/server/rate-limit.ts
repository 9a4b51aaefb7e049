import type { Request } from 'restify';
import type { RateLimitConfig } from '../config-shape.js';
import { AppError } from '../errors.js';

/**
 * Rate limits for the public surfaces (web chat tokens, conversations, messages, desk sign-in).
 *
 * Hand-written rather than restify's `plugins.throttle`: that one sends no `Retry-After`, keys on
 * the whole X-Forwarded-For header whoever sent it (anyone could pick their own key), can only
 * key on the address or `req.username` (not on a conversation), and answers with restify's error
 * shape instead of the application's.
 *
 * Counters live in this process's memory: with several instances on PostgreSQL each enforces its
 * own budget (README, PostgreSQL: divide the limits by the instances, or limit at the proxy). A
 * shared counter would cost every message a database round trip.
 */

export interface RateLimiterOptions {
  /** Requests allowed per window for one key; also the burst a key may spend at once. */
  readonly limit: number;
  readonly windowMs: number;
  /** Most keys remembered; past it the least recently seen are forgotten (bounded memory). */
  readonly maxKeys?: number;
  /** Injected clock (ms) for tests. */
  readonly now?: () => number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key: `limit` requests at once, refilled evenly over the window. A person
 * typing quickly (a few messages in two seconds) spends a few tokens of a full bucket; only a
 * sustained flood runs it dry. A key whose bucket has refilled holds no information and is dropped.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #ratePerMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.limit >= 1) || !(options.windowMs > 0)) throw new Error('rate limit needs limit >= 1 and a positive window');
    this.#ratePerMs = options.limit / options.windowMs;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Spends one request of `key`'s budget, or says how many seconds until one is available. */
  take(key: string): RateDecision {
    const now = this.#now();
    const bucket = this.#buckets.get(key);
    const tokens = bucket ? Math.min(this.options.limit, bucket.tokens + (now - bucket.at) * this.#ratePerMs) : this.options.limit;
    if (tokens < 1) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.#ratePerMs / 1000)) };
    }
    // Re-inserted so the map's order is least recently seen first.
    this.#buckets.delete(key);
    this.#buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.#buckets.size > this.#maxKeys) this.#evict(now);
    return { allowed: true };
  }

  /** Keys currently remembered (for tests of the memory bound). */
  get size(): number {
    return this.#buckets.size;
  }

  #evict(now: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * this.#ratePerMs >= this.options.limit) this.#buckets.delete(key);
    }
    // Still too many busy keys: forget the least recently seen (they get a fresh budget, a bounded loss).
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size <= this.#maxKeys) break;
      this.#buckets.delete(key);
    }
  }
}

/**
 * Spends one request of `key`'s budget.
 * @throws AppError `rate_limited` (429) with `details.retryAfterSeconds`, which the HTTP layer sends as `Retry-After`.
 */
export function enforce(limiter: RateLimiter, key: string): void {
  const decision = limiter.take(key);
  if (!decision.allowed) {
    throw new AppError('rate_limited', 'Too many requests; please wait a moment and try again', { retryAfterSeconds: decision.retryAfterSeconds });
  }
}

/**
 * The address a request came from: the connection's peer, or with `trustedProxies` > 0 (that
 * many reverse proxies of ours in front, TRUST_PROXY) the X-Forwarded-For entry the outermost of
 * them appended. Entries further left are written by the client and never trusted.
 */
export function clientAddress(req: Request, trustedProxies: number): string {
  const peer = req.socket?.remoteAddress ?? 'unknown';
  if (trustedProxies <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // With n proxies, the n-th entry from the right is what the first proxy saw as its peer.
  return entries[entries.length - trustedProxies] ?? entries[0] ?? peer;
}

/** The limiters of the public surfaces, one per budget; keys are prefixed by kind (`a:` address, `c:` conversation). */
export interface RateLimits {
  readonly tokens: RateLimiter;
  readonly conversations: RateLimiter;
  readonly messagesPerConversation: RateLimiter;
  readonly messagesPerAddress: RateLimiter;
  readonly deskSignIn: RateLimiter;
  /** The client address of a request under the TRUST_PROXY setting. */
  addressOf(req: Request): string;
}

/** The limiters as configured (RATE_LIMIT_*, TRUST_PROXY); `now` is an injected clock for tests. */
export function createRateLimits(settings: RateLimitConfig, now?: () => number): RateLimits {
  const perMinute = (limit: number) => new RateLimiter({ limit, windowMs: 60_000, ...(now ? { now } : {}) });
  return {
    tokens: perMinute(settings.tokensPerMinute),
    conversations: perMinute(settings.conversationsPerMinute),
    messagesPerConversation: perMinute(settings.messagesPerMinute),
    messagesPerAddress: perMinute(settings.messagesPerMinutePerAddress),
    deskSignIn: perMinute(settings.deskSignInPerMinute),
    addressOf: (req) => clientAddress(req, settings.trustProxy),
  };
}
