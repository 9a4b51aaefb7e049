import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TurnContext,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Config } from '../config.js';
import { languageFromLocale } from '../conversation/conversation-engine.js';
import type { Language, Localizer } from '../i18n/i18n.js';
import { turnLanguage } from './support-bot.js';
import type { Logger } from '../logger.js';
import { ETagConflictError } from '../storage/sqlite-storage.js';

/**
 * The CloudAdapter with credentials from configuration. With no app id it is the Emulator's
 * unauthenticated mode (config refuses that in production unless explicitly allowed).
 */
export function createAdapter(config: Config, localizer: Localizer, logger: Logger): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  adapter.onTurnError = turnErrorHandler(localizer, logger, config.defaultLocale);
  return adapter;
}

/**
 * Logs the failure (ids and error, never the customer's text) and apologises in the
 * customer's language. It must not throw itself: botbuilder would send the raw error text
 * back to the caller.
 */
export function turnErrorHandler(localizer: Localizer, logger: Logger, defaultLanguage: Language = 'ja') {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const conflict = error instanceof ETagConflictError;
    logger[conflict ? 'warn' : 'error'](
      {
        err: conflict ? undefined : { name: error.name, message: error.message, stack: error.stack },
        channel: context.activity.channelId,
        conversation: context.activity.conversation?.id,
        activityId: context.activity.id,
      },
      conflict ? 'concurrent write refused' : 'turn failed',
    );
    try {
      // The conversation's own language when it was read before the failure, else the channel's.
      const t = localizer.forLanguage(turnLanguage(context) ?? languageFromLocale(context.activity.locale) ?? defaultLanguage);
      await context.sendActivity(t(conflict ? 'common:errors.busy' : 'common:errors.generic'));
    } catch (sendError) {
      logger.warn({ err: { message: (sendError as Error).message } }, 'could not tell the customer about the failure');
    }
  };
}
