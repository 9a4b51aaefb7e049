import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { configRefusal } from './helpers/config-refusal.js';
import { PRODUCTION_ENV } from './helpers/production-env.js';

describe('loadConfig', () => {
  it('runs with no environment at all on development defaults (GMO Coin branding, ja, SQLite under ./data)', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3978);
    expect(c.defaultLocale).toBe('ja');
    expect(c.databaseFile).toBe('./data/bot.sqlite');
    expect(c.brand.ja.exchangeName).toBe('GMOコイン');
    expect(c.brand.en.exchangeName).toBe('GMO Coin');
    expect(c.bot.unauthenticated).toBe(true);
    expect(Object.isFrozen(c.brand.ja)).toBe(true);
  });

  it('lets another exchange rebrand through the environment', () => {
    const c = loadConfig({ EXCHANGE_NAME_EN: 'Example Exchange', SUPPORT_URL: 'https://help.example.com/contact', DEFAULT_LOCALE: 'en' });
    expect(c.brand.en.exchangeName).toBe('Example Exchange');
    expect(c.brand.ja.supportContact).toBe('https://help.example.com/contact');
    expect(c.defaultLocale).toBe('en');
  });

  it("the exchange's customer policies: GMO Coin defaults, each can be turned off with 0 (issue 15)", () => {
    const d = loadConfig({});
    expect([d.verificationSlaHours, d.verificationHoursTold, d.resetWithdrawalHoldHours, d.minCustomerAge]).toEqual([48, 48, 24, 18]);
    // The hours told follow the desk's target unless set; an empty value is unset, not 0.
    expect(loadConfig({ VERIFICATION_SLA_HOURS: '72', VERIFICATION_HOURS_TOLD: '' }).verificationHoursTold).toBe(72);
    const off = loadConfig({ VERIFICATION_HOURS_TOLD: '0', RESET_WITHDRAWAL_HOLD_HOURS: '0', MIN_CUSTOMER_AGE: '0' });
    expect([off.verificationSlaHours, off.verificationHoursTold, off.resetWithdrawalHoldHours, off.minCustomerAge]).toEqual([48, 0, 0, 0]);
  });

  it('PostgreSQL pool sizes per instance: 10 and 20 by default, set by DATABASE_POOL_MAX and DATABASE_LOCK_POOL_MAX, nonsense refused', () => {
    expect(loadConfig({}).databasePools).toEqual({ stores: 10, lock: 20 });
    expect(loadConfig({ DATABASE_POOL_MAX: '40', DATABASE_LOCK_POOL_MAX: '200' }).databasePools).toEqual({ stores: 40, lock: 200 });
    for (const bad of ['0', '1', '-5', 'ten', '2.5', '100000']) {
      expect(() => loadConfig({ DATABASE_POOL_MAX: bad }), bad).toThrow(/DATABASE_POOL_MAX/);
      expect(() => loadConfig({ DATABASE_LOCK_POOL_MAX: bad }), bad).toThrow(/DATABASE_LOCK_POOL_MAX/);
    }
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '', MicrosoftAppId: '' }).port).toBe(3978);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DEFAULT_LOCALE: 'fr' }, 'DEFAULT_LOCALE'],
    [{ SUPPORT_URL: 'not a url' }, 'SUPPORT_URL'],
    [{ MicrosoftAppId: 'abc' }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId'],
    [{ NODE_ENV: 'production', DIRECTLINE_SECRET: 'x'.repeat(40) }, 'MicrosoftAppId'],
    [{ DIRECTLINE_SECRET: 'short' }, 'DIRECTLINE_SECRET'],
  ])('refuses %o naming %s, without echoing values', (env, key) => {
    try {
      loadConfig(env as NodeJS.ProcessEnv);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect((err as Error).message).toContain(key);
      expect((err as { code?: string }).code).toBe('config_invalid');
      if ('MicrosoftAppPassword' in env) expect((err as Error).message).not.toContain(`${(env as Record<string, string>)['MicrosoftAppPassword']}:`);
    }
  });

  it('allows production without an app id only when explicitly forced', () => {
    const c = loadConfig(PRODUCTION_ENV);
    expect(c.bot.unauthenticated).toBe(true);
    expect(c.bot.allowUnauthenticated).toBe(true);
  });
});

describe('production refuses weak settings (issue 12)', () => {
  const APP = { ALLOW_UNAUTHENTICATED: 'false', MicrosoftAppId: '0f5e2d1c-7b3a-4c9d-8e6f-1a2b3c4d5e6f', MicrosoftAppPassword: 'app-password-value' };

  it('accepts the production baseline, with an app id that is a GUID', () => {
    expect(loadConfig({ ...PRODUCTION_ENV, ...APP }).bot.unauthenticated).toBe(false);
  });

  it.each([
    ['one repeated character', 'x'.repeat(40)],
    ['a repeated pattern', 'abc'.repeat(14)],
    ['a run of consecutive characters', 'abcdefghijklmnopqrstuvwxyz0123456789'],
  ])('a Direct Line secret of %s, without echoing it', (_name, secret) => {
    const message = configRefusal({ ...PRODUCTION_ENV, DIRECTLINE_SECRET: secret });
    expect(message).toContain('DIRECTLINE_SECRET: too weak for production');
    expect(message).not.toContain(secret);
  });

  it('an app id that is not a GUID', () => {
    expect(configRefusal({ ...PRODUCTION_ENV, ...APP, MicrosoftAppId: 'my-bot' })).toContain('MicrosoftAppId: must be a GUID');
  });

  it('an http public URL, and no public URL at all (the default is http://HOST:PORT)', () => {
    expect(configRefusal({ ...PRODUCTION_ENV, PUBLIC_BASE_URL: 'http://chat.example.com' })).toContain('PUBLIC_BASE_URL: must be an https URL');
    const { PUBLIC_BASE_URL: _unset, ...noUrl } = PRODUCTION_ENV;
    expect(configRefusal(noUrl)).toContain('PUBLIC_BASE_URL');
  });

  it('names every weak key in one refusal', () => {
    const message = configRefusal({ ...PRODUCTION_ENV, ...APP, MicrosoftAppId: 'bot', DIRECTLINE_SECRET: 'y'.repeat(40), PUBLIC_BASE_URL: 'http://x.example' });
    expect(message.split('\n').slice(1)).toHaveLength(3);
  });

  it('outside production the same values still run (development and tests)', () => {
    expect(loadConfig({ DIRECTLINE_SECRET: 'x'.repeat(40), MicrosoftAppId: 'my-bot', MicrosoftAppPassword: 'p' }).bot.appId).toBe('my-bot');
  });
});

describe('BOT_SERVICE_URL_ALLOWLIST', () => {
  it('defaults to Bot Framework hosts, plus loopback outside production only', () => {
    const dev = loadConfig({}).bot.serviceUrls;
    expect(dev.patterns).toEqual(expect.arrayContaining(['*.botframework.com', 'smba.trafficmanager.net', 'localhost', '127.0.0.1']));
    expect(dev.httpLoopback).toBe(true);
    const prod = loadConfig(PRODUCTION_ENV).bot.serviceUrls;
    expect(prod.patterns).toContain('smba.trafficmanager.net');
    expect(prod.patterns).not.toContain('127.0.0.1');
    expect(prod.patterns).not.toContain('*.trafficmanager.net');
    expect(prod.httpLoopback).toBe(false);
  });

  it('takes a comma-separated list of hosts and *.domain patterns, and refuses anything else', () => {
    expect(loadConfig({ BOT_SERVICE_URL_ALLOWLIST: ' smba.trafficmanager.net , *.botframework.com ' }).bot.serviceUrls.patterns).toEqual([
      'smba.trafficmanager.net',
      '*.botframework.com',
    ]);
    expect(configRefusal({ BOT_SERVICE_URL_ALLOWLIST: '*' })).toContain('BOT_SERVICE_URL_ALLOWLIST');
    expect(configRefusal({ BOT_SERVICE_URL_ALLOWLIST: 'https://smba.trafficmanager.net/' })).toContain('BOT_SERVICE_URL_ALLOWLIST');
    expect(configRefusal({ BOT_SERVICE_URL_ALLOWLIST: ',' })).toContain('BOT_SERVICE_URL_ALLOWLIST');
  });

  it('the agents\' Teams channel must be on the list', () => {
    const channel = { DESK_TEAMS_SERVICE_URL: 'https://teams.example.net/', DESK_TEAMS_CONVERSATION_ID: '19:abc@thread.tacv2' };
    expect(configRefusal(channel)).toContain('DESK_TEAMS_SERVICE_URL: its host must be in BOT_SERVICE_URL_ALLOWLIST');
    expect(loadConfig({ ...channel, BOT_SERVICE_URL_ALLOWLIST: 'teams.example.net' }).deskAlerts?.serviceUrl).toBe(channel.DESK_TEAMS_SERVICE_URL);
  });
});
