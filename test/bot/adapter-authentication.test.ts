/**
 * How SupportCloudAdapter.authenticate turns botbuilder's failures into the two answers the route
 * gives: `unauthorized` (the token is not good) and `unavailable` (the keys could not be read, or
 * validation hangs), never passing the token on.
 */
import { describe, expect, it } from 'vitest';
import { SupportCloudAdapter, type AuthenticatedRequest } from '../../src/bot/adapter.js';
import type { AppError } from '../../src/errors.js';

const activity = { type: 'message', channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/jp/', conversation: { id: 'c' } } as never;
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl';

function adapterFailingWith(failure: () => Promise<AuthenticatedRequest>, authenticationTimeoutMs = 1000): SupportCloudAdapter {
  return new SupportCloudAdapter({ authenticateRequest: failure } as never, { authenticationTimeoutMs });
}

async function failureOf(adapter: SupportCloudAdapter): Promise<AppError> {
  try {
    await adapter.authenticate(activity, `Bearer ${TOKEN}`);
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected authentication to fail');
}

describe('SupportCloudAdapter.authenticate', () => {
  it.each([
    ['AuthenticationError 401', Object.assign(new Error('Unauthorized. Is not authenticated'), { statusCode: 401 })],
    ['a jsonwebtoken NotBeforeError', Object.assign(new Error('jwt not active'), { name: 'NotBeforeError' })],
    ['a jsonwebtoken JsonWebTokenError', Object.assign(new Error('invalid signature'), { name: 'JsonWebTokenError' })],
    ['a plain Error', new Error('something odd')],
    ['a thrown string', 'odd'],
  ])('%s → unauthorized', async (_name, thrown) => {
    const err = await failureOf(adapterFailingWith(() => Promise.reject(thrown)));
    expect(err.code).toBe('unauthorized');
    expect(err.message).toBe('Unauthorized');
  });

  it.each([
    ['a FetchError (login.botframework.com unreachable)', Object.assign(new Error('request failed, reason: ENOTFOUND'), { name: 'FetchError' })],
    ['AuthenticationError 500 (openID configuration not loaded)', Object.assign(new Error('Failed to load openID config: 503'), { statusCode: 500 })],
  ])('%s → unavailable', async (_name, thrown) => {
    expect((await failureOf(adapterFailingWith(() => Promise.reject(thrown)))).code).toBe('unavailable');
  });

  it('validation that never ends → unavailable after the timeout', async () => {
    const started = Date.now();
    const err = await failureOf(adapterFailingWith(() => new Promise(() => undefined), 50));
    expect(err.code).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('among validations in flight, only the one that hangs is refused, and the next ones are timed again', async () => {
    const claims = { claimsIdentity: { getClaimValue: () => null } } as unknown as AuthenticatedRequest;
    const pending: (() => Promise<AuthenticatedRequest>)[] = [
      () => new Promise(() => undefined),
      () => new Promise((r) => setTimeout(() => r(claims), 20)),
      async () => claims,
    ];
    let call = 0;
    const adapter = new SupportCloudAdapter({ authenticateRequest: () => pending[call++ % pending.length]!() } as never, { authenticationTimeoutMs: 60 });
    const results = await Promise.allSettled([0, 1, 2].map(() => adapter.authenticate(activity, `Bearer ${TOKEN}`)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(((results[0] as PromiseRejectedResult).reason as AppError).code).toBe('unavailable');
    // The sweep stopped with nothing left to watch: a later hang is still refused.
    await new Promise((r) => setTimeout(r, 100));
    call = 0;
    const started = Date.now();
    expect((await failureOf(adapter)).code).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a library message that quotes the token is not kept', async () => {
    const err = await failureOf(adapterFailingWith(() => Promise.reject(new Error(`bad token ${TOKEN}`))));
    expect(JSON.stringify(err.details)).not.toContain(TOKEN);
  });

  it('a serviceurl claim that names another service URL → unauthorized, whatever the token type', async () => {
    const claims = { getClaimValue: (type: string) => (type === 'serviceurl' ? 'https://smba.trafficmanager.net/amer/' : null) };
    const adapter = adapterFailingWith(() => Promise.resolve({ claimsIdentity: claims } as never));
    expect((await failureOf(adapter)).code).toBe('unauthorized');
  });
});
