import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

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
    const c = loadConfig({ NODE_ENV: 'production', ALLOW_UNAUTHENTICATED: 'true', DIRECTLINE_SECRET: 'x'.repeat(40) });
    expect(c.bot.unauthenticated).toBe(true);
  });
});
