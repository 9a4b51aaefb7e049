import { describe, expect, it } from 'vitest';
import { BOT_FRAMEWORK_SERVICE_HOSTS, isHostPattern, LOOPBACK_HOSTS, serviceUrlPolicy } from '../../src/security/service-url-allowlist.js';

const production = serviceUrlPolicy(BOT_FRAMEWORK_SERVICE_HOSTS, { httpLoopback: false });
const development = serviceUrlPolicy([...BOT_FRAMEWORK_SERVICE_HOSTS, ...LOOPBACK_HOSTS], { httpLoopback: true });

describe('the default Bot Framework service URL allow-list', () => {
  it.each([
    'https://smba.trafficmanager.net/jp/',
    'https://smba.trafficmanager.net/teams/',
    'https://webchat.botframework.com/',
    'https://directline.botframework.com',
    'https://europe.webchat.botframework.com/',
    'https://smba.infra.gcc.teams.microsoft.com/teams',
    'https://SMBA.TRAFFICMANAGER.NET/amer/',
  ])('allows %s', (url) => {
    expect(production.allows(url)).toBe(true);
  });

  it.each([
    ['another Traffic Manager profile (anyone can create one)', 'https://evil.trafficmanager.net/'],
    ['a look-alike suffix', 'https://evilbotframework.com/'],
    ['a host ending in an allowed name', 'https://smba.trafficmanager.net.evil.example/'],
    ['the bare domain of a wildcard', 'https://botframework.com/'],
    ['plain http', 'http://smba.trafficmanager.net/jp/'],
    ['credentials in the URL', 'https://user:pw@smba.trafficmanager.net/'],
    ['the Emulator on loopback', 'http://localhost:55000'],
    ['an internal address', 'https://169.254.169.254/'],
    ['not a URL', 'smba.trafficmanager.net'],
    ['not a string', 42],
    ['another scheme', 'file:///etc/passwd'],
  ])('refuses %s', (_name, url) => {
    expect(production.allows(url)).toBe(false);
  });

  it('outside production, loopback (the Emulator, test connectors) over plain http is allowed', () => {
    expect(development.allows('http://localhost:55000')).toBe(true);
    expect(development.allows('http://127.0.0.1:1/')).toBe(true);
    expect(development.allows('http://[::1]:3000')).toBe(true);
    expect(development.allows('http://example.com/')).toBe(false);
  });

  it('knows a host pattern from something else', () => {
    expect(isHostPattern('*.botframework.com')).toBe(true);
    expect(isHostPattern('smba.trafficmanager.net')).toBe(true);
    expect(isHostPattern('*')).toBe(false);
    expect(isHostPattern('https://smba.trafficmanager.net')).toBe(false);
    expect(isHostPattern('a.*.com')).toBe(false);
  });
});
