/**
 * The METRICS_* keys: off unless set, a half-set or unsafe value refused at start naming the key
 * (never echoing the token).
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configRefusal } from '../helpers/config-refusal.js';

const TOKEN = 'metrics-token-0123456789abcdefghijklmnop';

describe('METRICS_TOKEN, METRICS_HOST, METRICS_PORT', () => {
  it('serve /metrics nowhere by default; a token, a listener (127.0.0.1 unless named) or both when set', () => {
    expect(loadConfig({}).metrics).toEqual({ token: null, listener: null });
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metrics).toEqual({ token: TOKEN, listener: null });
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ token: null, listener: { host: '127.0.0.1', port: 9464 } });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5', METRICS_TOKEN: TOKEN }).metrics).toEqual({
      token: TOKEN,
      listener: { host: '10.0.0.5', port: 9464 },
    });
  });

  it('refuses a short token, a host without a port, the public port again, a port out of range; the token is never echoed', () => {
    const short = configRefusal({ METRICS_TOKEN: 'short-secret' });
    expect(short).toMatch(/METRICS_TOKEN: at least 32 characters/);
    expect(short).not.toContain('short-secret');
    expect(configRefusal({ METRICS_HOST: '127.0.0.1' })).toMatch(/METRICS_HOST: needs METRICS_PORT/);
    expect(configRefusal({ METRICS_PORT: '3978' })).toMatch(/METRICS_PORT: must differ from PORT/);
    expect(configRefusal({ METRICS_PORT: '70000' })).toMatch(/METRICS_PORT/);
    expect(configRefusal({ METRICS_PORT: 'nine' })).toMatch(/METRICS_PORT/);
  });

  it('refuses a guessable token in production', () => {
    const production = {
      NODE_ENV: 'production',
      MicrosoftAppId: '00000000-0000-4000-8000-000000000001',
      MicrosoftAppPassword: 'app-password',
      DIRECTLINE_SECRET: 'K8s2-vQ9x_Lm4Zt7Rb1Nw6Yp3Hc0Fg5Jd',
      PUBLIC_BASE_URL: 'https://chat.example.com',
    };
    expect(loadConfig({ ...production, METRICS_TOKEN: 'Zq7-Lk2_mW9xR4tB8nV1cY6hJ3pF0sGd' }).metrics.token).not.toBeNull();
    const weak = configRefusal({ ...production, METRICS_TOKEN: 'a'.repeat(40) });
    expect(weak).toMatch(/METRICS_TOKEN: too weak for production/);
    expect(weak).not.toContain('a'.repeat(40));
  });
});
