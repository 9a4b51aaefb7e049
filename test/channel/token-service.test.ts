import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DirectLineTokenService } from '../../src/channel/directline/token-service.js';
import { AppError } from '../../src/errors.js';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof AppError ? err.code : 'not-an-AppError';
  }
}

describe('DirectLineTokenService', () => {
  it('issues a token bound to one conversation and user that verifies until it expires', () => {
    let now = 1_000_000_000_000;
    const tokens = new DirectLineTokenService({ secret: SECRET, ttlSeconds: 60, now: () => now });
    const issued = tokens.issue('conversation-A-0123456789', 'dl_user');
    expect(issued.expiresIn).toBe(60);
    expect(tokens.verify(issued.token)).toMatchObject({ conv: 'conversation-A-0123456789', user: 'dl_user' });
    now += 59_000;
    expect(tokens.verify(issued.token).conv).toBe('conversation-A-0123456789');
    now += 1_000;
    expect(errorCode(() => tokens.verify(issued.token))).toBe('forbidden');
  });

  it('is a JWT whose payload the Direct Line client can read the user from', () => {
    const tokens = new DirectLineTokenService({ secret: SECRET, ttlSeconds: 60 });
    const [header, payload] = tokens.issue('c-0123456789abcdef', 'dl_abc').token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString()).user).toBe('dl_abc');
  });

  it('refuses a token whose claims were changed (another conversation) as unauthorised', () => {
    const tokens = new DirectLineTokenService({ secret: SECRET, ttlSeconds: 60 });
    const [header, payload, signature] = tokens.issue('conversation-A-0123456789', 'dl_user').token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, conv: 'conversation-B-0123456789' })).toString('base64url');
    expect(errorCode(() => tokens.verify(`${header}.${forged}.${signature}`))).toBe('unauthorized');
    const longer = Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 3600 })).toString('base64url');
    expect(errorCode(() => tokens.verify(`${header}.${longer}.${signature}`))).toBe('unauthorized');
  });

  it('refuses a changed signature, garbage, an empty string and an oversized token', () => {
    const tokens = new DirectLineTokenService({ secret: SECRET, ttlSeconds: 60 });
    const token = tokens.issue('conversation-A-0123456789', 'dl_user').token;
    const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    for (const bad of [flipped, 'not-a-token', '', 'a.b.c', `${token}.x`, 'x'.repeat(5000)]) {
      expect(errorCode(() => tokens.verify(bad))).toBe('unauthorized');
    }
  });

  it('refuses a token signed with another secret, including the random per-process one', () => {
    const a = new DirectLineTokenService({ secret: SECRET, ttlSeconds: 60 });
    const b = new DirectLineTokenService({ secret: `${SECRET}-other`, ttlSeconds: 60 });
    expect(errorCode(() => b.verify(a.issue('conversation-A-0123456789', 'dl_u').token))).toBe('unauthorized');
    const dev1 = new DirectLineTokenService({ secret: '', ttlSeconds: 60 });
    const dev2 = new DirectLineTokenService({ secret: '', ttlSeconds: 60 });
    const devToken = dev1.issue('conversation-A-0123456789', 'dl_u').token;
    expect(dev1.verify(devToken).user).toBe('dl_u');
    expect(errorCode(() => dev2.verify(devToken))).toBe('unauthorized');
  });

  it('gives every token its own id and the generation it was issued for; a token without them counts as generation 0', () => {
    const tokens = new DirectLineTokenService({ secret: SECRET, ttlSeconds: 60, now: () => 2_000_000_000_000 });
    const first = tokens.issue('conversation-A-0123456789', 'dl_user');
    const second = tokens.issue('conversation-A-0123456789', 'dl_user', 3);
    expect(first.token).not.toBe(second.token);
    expect(first.claims.jti).not.toBe(second.claims.jti);
    expect(tokens.verify(first.token).gen).toBe(0);
    expect(tokens.verify(second.token)).toMatchObject({ gen: 3, jti: second.claims.jti });
    // A token signed before generations existed: only conv, user, iat and exp.
    const legacy = new DirectLineTokenService({ secret: SECRET, ttlSeconds: 60 });
    const [header, payload] = legacy.issue('conversation-A-0123456789', 'dl_user').token.split('.');
    const { conv, user, iat, exp } = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const body = `${header}.${Buffer.from(JSON.stringify({ conv, user, iat, exp })).toString('base64url')}`;
    const signed = `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
    expect(legacy.verify(signed)).toMatchObject({ conv, gen: 0, jti: '' });
    const negative = `${header}.${Buffer.from(JSON.stringify({ conv, user, iat, exp, gen: -1 })).toString('base64url')}`;
    expect(errorCode(() => legacy.verify(`${negative}.${createHmac('sha256', SECRET).update(negative).digest('base64url')}`))).toBe('unauthorized');
  });

  it('recognises the configured secret, and nothing when no secret is configured', () => {
    const tokens = new DirectLineTokenService({ secret: SECRET, ttlSeconds: 60 });
    expect(tokens.isSecret(SECRET)).toBe(true);
    expect(tokens.isSecret(`${SECRET}x`)).toBe(false);
    expect(tokens.isSecret('')).toBe(false);
    expect(new DirectLineTokenService({ secret: '', ttlSeconds: 60 }).isSecret('')).toBe(false);
  });
});

describe('DIRECTLINE_TOKEN_TTL_SECONDS', () => {
  it('must outlive the Direct Line client’s 15-minute refresh', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(() => loadConfig({ DIRECTLINE_TOKEN_TTL_SECONDS: '600' })).toThrow(/DIRECTLINE_TOKEN_TTL_SECONDS/);
    expect(loadConfig({ DIRECTLINE_TOKEN_TTL_SECONDS: '1200' }).directLine.tokenTtlSeconds).toBe(1200);
  });
});
