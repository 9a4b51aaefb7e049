import { describe, expect, it } from 'vitest';
import { configRefusal } from '../helpers/config-refusal.js';
import { loadConfig } from '../../src/config.js';
import { PRODUCTION_ENV } from '../helpers/production-env.js';

const OIDC = {
  OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
  OIDC_CLIENT_ID: 'desk-client',
  OIDC_CLIENT_SECRET: 'client-secret-value-123',
  OIDC_REDIRECT_URL: 'https://chat.example.com/desk/auth/callback',
  PUBLIC_BASE_URL: 'https://chat.example.com',
};


describe('desk sign-in configuration', () => {
  it('defaults to token sign-in only, 30 idle minutes, 12 hours at most', () => {
    expect(loadConfig({}).desk).toEqual({ sessionIdleMinutes: 30, sessionMaxHours: 12, tokenSignIn: true, oidc: null });
  });

  it('takes the four OIDC keys together, and then offers no token form unless asked', () => {
    const desk = loadConfig(OIDC).desk;
    expect(desk.oidc).toEqual({
      issuer: OIDC.OIDC_ISSUER,
      clientId: 'desk-client',
      clientSecret: 'client-secret-value-123',
      redirectUrl: OIDC.OIDC_REDIRECT_URL,
    });
    expect(desk.tokenSignIn).toBe(false);
    expect(loadConfig({ ...OIDC, DESK_TOKEN_SIGNIN: 'true' }).desk.tokenSignIn).toBe(true);
    expect(Object.isFrozen(desk.oidc)).toBe(true);
  });

  it('names every missing OIDC key of a partial set, without echoing the secret', () => {
    const message = configRefusal({ OIDC_ISSUER: OIDC.OIDC_ISSUER, OIDC_CLIENT_SECRET: OIDC.OIDC_CLIENT_SECRET });
    expect(message).toContain('OIDC_CLIENT_ID');
    expect(message).toContain('OIDC_REDIRECT_URL');
    expect(message).not.toMatch(/OIDC_ISSUER:/);
    expect(message).not.toContain(OIDC.OIDC_CLIENT_SECRET);
  });

  it('requires an https issuer in production', () => {
    const production = PRODUCTION_ENV;
    expect(configRefusal({ ...production, ...OIDC, OIDC_ISSUER: 'http://idp.example.com' })).toContain('OIDC_ISSUER: must be https in production');
    expect(loadConfig({ ...production, ...OIDC }).desk.oidc).not.toBeNull();
    expect(loadConfig({ ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:4000' }).desk.oidc?.issuer).toBe('http://127.0.0.1:4000');
  });

  it('refuses a redirect URL that is not this server\'s callback', () => {
    expect(configRefusal({ ...OIDC, OIDC_REDIRECT_URL: 'https://other.example.com/desk/auth/callback' })).toContain(
      'OIDC_REDIRECT_URL: must be https://chat.example.com/desk/auth/callback',
    );
    expect(configRefusal({ ...OIDC, OIDC_REDIRECT_URL: 'https://chat.example.com/callback' })).toContain('OIDC_REDIRECT_URL');
  });

  it.each([['0'], ['721'], ['abc']])('refuses DESK_SESSION_IDLE_MINUTES=%s', (value) => {
    expect(configRefusal({ DESK_SESSION_IDLE_MINUTES: value })).toContain('DESK_SESSION_IDLE_MINUTES');
  });

  it('takes a configured idle time', () => {
    expect(loadConfig({ DESK_SESSION_IDLE_MINUTES: '15' }).desk.sessionIdleMinutes).toBe(15);
  });
});
