import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.js';

/** What a web chat token grants: one user in one conversation, until `exp`. */
export interface DirectLineTokenClaims {
  /** The only conversation this token may read or write. */
  readonly conv: string;
  /** The user id the token speaks for (`dl_…`); activities from the token get this `from.id`. */
  readonly user: string;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
  /** Random token id: two tokens are never the same, even issued in the same second. */
  readonly jti: string;
  /**
   * The conversation's token generation this token belongs to. A refresh moves the conversation
   * to the next generation, which retires the tokens of the one before (see DirectLineChannel).
   * Tokens issued before generations existed carry none and count as generation 0.
   */
  readonly gen: number;
}

export interface IssuedToken {
  readonly token: string;
  /** Seconds until expiry, as Direct Line's `expires_in`. */
  readonly expiresIn: number;
  readonly claims: DirectLineTokenClaims;
}

export interface TokenServiceOptions {
  /** DIRECTLINE_SECRET; empty means a random secret for this process (tokens end at restart). */
  readonly secret: string;
  readonly ttlSeconds: number;
  /** Injected clock (ms) for tests. */
  readonly now?: () => number;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
/** A stream ticket's header: signed with the same key, but never accepted where a token is (nor the reverse). */
const STREAM_HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'dl-stream' }));
/** How long a stream ticket opens its stream: the client opens it right after getting it, and gets a new one to reconnect. */
export const STREAM_TICKET_SECONDS = 120;

/** What a stream ticket grants: opening the stream of one conversation, briefly. */
export interface StreamTicketClaims {
  readonly conv: string;
  /** The token generation of the token it was issued to (the stream closes once that generation is retired). */
  readonly gen: number;
  readonly exp: number;
}
const MAX_TOKEN_LENGTH = 2048;

/**
 * Issues and verifies local Direct Line tokens: compact HS256 JWTs (the Direct Line client reads
 * the `user` claim from them), signed with DIRECTLINE_SECRET and bound to one conversation.
 *
 * Verification distinguishes a token that was never ours (or was altered) from one that was
 * ours but has expired, because the Direct Line client reacts differently: 401 ends the chat,
 * 403 makes it ask for a fresh token.
 */
export class DirectLineTokenService {
  private readonly key: Buffer;
  private readonly now: () => number;

  constructor(private readonly options: TokenServiceOptions) {
    this.key = options.secret === '' ? randomBytes(32) : Buffer.from(options.secret, 'utf8');
    this.now = options.now ?? Date.now;
  }

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  /** A token for one user in one conversation, of the conversation's token generation `generation`. */
  issue(conversationId: string, userId: string, generation = 0): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const claims: DirectLineTokenClaims = {
      conv: conversationId,
      user: userId,
      iat,
      exp: iat + this.options.ttlSeconds,
      jti: randomBytes(12).toString('base64url'),
      gen: generation,
    };
    const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    return { token: `${body}.${this.sign(body)}`, expiresIn: this.options.ttlSeconds, claims };
  }

  /**
   * Returns the claims of a genuine, unexpired token. Whether its generation is still the
   * conversation's is for the caller to check against the store: this service keeps no state.
   * @throws AppError `unauthorized` for a malformed, foreign or altered token; `forbidden` for an expired one.
   */
  verify(token: string): DirectLineTokenClaims {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw invalid();
    const parts = token.split('.');
    if (parts.length !== 3) throw invalid();
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    // Constant-time comparison; the length check first is required by timingSafeEqual and leaks nothing useful.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    if (header !== HEADER) throw invalid();
    const claims = parseClaims(payload);
    if (!claims) throw invalid();
    if (claims.exp <= Math.floor(this.now() / 1000)) throw new AppError('forbidden', 'Token expired');
    return claims;
  }

  /**
   * A ticket for the conversation's stream URL (`?t=`). URLs end up in proxies' logs, so the
   * token itself is never put there: the ticket only opens the stream, for two minutes.
   */
  issueStreamTicket(conversationId: string, generation: number): string {
    const claims: StreamTicketClaims & { jti: string } = {
      conv: conversationId,
      gen: generation,
      exp: Math.floor(this.now() / 1000) + STREAM_TICKET_SECONDS,
      jti: randomBytes(9).toString('base64url'),
    };
    const body = `${STREAM_HEADER}.${base64url(JSON.stringify(claims))}`;
    return `${body}.${this.sign(body)}`;
  }

  /** @throws AppError `unauthorized` for anything but a genuine stream ticket, `forbidden` for an expired one. */
  verifyStreamTicket(ticket: string): StreamTicketClaims {
    if (ticket.length === 0 || ticket.length > MAX_TOKEN_LENGTH) throw invalid();
    const [header, payload, signature, extra] = ticket.split('.');
    if (header === undefined || payload === undefined || signature === undefined || extra !== undefined) throw invalid();
    const expected = Buffer.from(this.sign(`${header}.${payload}`), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    if (header !== STREAM_HEADER) throw invalid();
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw invalid();
    }
    const { conv, gen, exp } = raw;
    if (typeof conv !== 'string' || typeof exp !== 'number' || typeof gen !== 'number' || !Number.isSafeInteger(gen) || gen < 0) throw invalid();
    if (exp <= Math.floor(this.now() / 1000)) throw new AppError('forbidden', 'Stream ticket expired');
    return { conv, gen, exp };
  }

  /** Constant-time check of a bearer value against DIRECTLINE_SECRET (never true without a configured secret). */
  isSecret(value: string): boolean {
    if (this.options.secret === '') return false;
    const given = Buffer.from(value, 'utf8');
    const secret = Buffer.from(this.options.secret, 'utf8');
    return given.length === secret.length && timingSafeEqual(given, secret);
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function invalid(): AppError {
  return new AppError('unauthorized', 'Missing or invalid token');
}

function parseClaims(payload: string): DirectLineTokenClaims | undefined {
  try {
    const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { conv, user, iat, exp, jti = '', gen = 0 } = raw;
    if (typeof conv !== 'string' || typeof user !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return undefined;
    if (typeof jti !== 'string' || typeof gen !== 'number' || !Number.isSafeInteger(gen) || gen < 0) return undefined;
    return { conv, user, iat, exp, jti, gen };
  } catch {
    return undefined;
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
