/** DESK_TEAMS_* and DESK_ALERT_LANGUAGE: off by default, both channel keys or neither, sensible defaults. */
import { describe, expect, it } from 'vitest';
import { configRefusal } from '../../helpers/config-refusal.js';
import { loadConfig } from '../../../src/config.js';
import { PRODUCTION_ENV } from '../../helpers/production-env.js';

const CHANNEL = {
  DESK_TEAMS_SERVICE_URL: 'https://smba.trafficmanager.net/jp/',
  DESK_TEAMS_CONVERSATION_ID: '19:0123456789abcdef@thread.tacv2',
};


describe('Teams alert configuration', () => {
  it('is off unless the agents’ channel is named', () => {
    expect(loadConfig({}).deskAlerts).toBeNull();
    expect(loadConfig({ DESK_ALERT_LANGUAGE: 'en', DESK_TEAMS_TENANT_ID: 'tenant' }).deskAlerts).toBeNull();
  });

  it('takes the channel with the bot’s tenant and the default language unless given', () => {
    expect(loadConfig({ ...CHANNEL, MicrosoftAppTenantId: 'bot-tenant', DEFAULT_LOCALE: 'en' }).deskAlerts).toEqual({
      serviceUrl: CHANNEL.DESK_TEAMS_SERVICE_URL,
      conversationId: CHANNEL.DESK_TEAMS_CONVERSATION_ID,
      tenantId: 'bot-tenant',
      language: 'en',
    });
    const own = loadConfig({ ...CHANNEL, MicrosoftAppTenantId: 'bot-tenant', DESK_TEAMS_TENANT_ID: 'team-tenant', DESK_ALERT_LANGUAGE: 'ja', DEFAULT_LOCALE: 'en' });
    expect(own.deskAlerts).toMatchObject({ tenantId: 'team-tenant', language: 'ja' });
    expect(Object.isFrozen(own.deskAlerts)).toBe(true);
    expect(loadConfig(CHANNEL).deskAlerts).toMatchObject({ tenantId: '', language: 'ja' });
  });

  it.each([
    ['DESK_TEAMS_CONVERSATION_ID', { DESK_TEAMS_SERVICE_URL: CHANNEL.DESK_TEAMS_SERVICE_URL }],
    ['DESK_TEAMS_SERVICE_URL', { DESK_TEAMS_CONVERSATION_ID: CHANNEL.DESK_TEAMS_CONVERSATION_ID }],
  ])('refuses half a channel, naming the missing %s', (missing, env) => {
    const message = configRefusal(env);
    expect(message).toContain(`${missing}: required with`);
    expect(message.split('\n')).toHaveLength(2);
  });

  it('refuses a service URL that is not a URL, and plain http in production', () => {
    expect(configRefusal({ ...CHANNEL, DESK_TEAMS_SERVICE_URL: 'smba.trafficmanager.net' })).toContain('DESK_TEAMS_SERVICE_URL');
    expect(configRefusal({ ...CHANNEL, DESK_ALERT_LANGUAGE: 'fr' })).toContain('DESK_ALERT_LANGUAGE');
    const production = PRODUCTION_ENV;
    expect(configRefusal({ ...production, ...CHANNEL, DESK_TEAMS_SERVICE_URL: 'http://smba.example.net/' })).toContain('DESK_TEAMS_SERVICE_URL: must be https in production');
    expect(loadConfig({ ...production, ...CHANNEL }).deskAlerts?.serviceUrl).toBe(CHANNEL.DESK_TEAMS_SERVICE_URL);
  });
});
