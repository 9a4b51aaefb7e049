import type { Config } from '../config-shape.js';

/**
 * Settings that are allowed but unsafe, said at every start (logged by createApp; src/index.ts
 * also prints them on stderr) so nobody runs that way without noticing.
 */
export function securityWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.bot.allowUnauthenticated) {
    warnings.push(
      'SECURITY WARNING: ALLOW_UNAUTHENTICATED=true: /api/messages accepts activities WITHOUT checking any Bot Framework token. ' +
        'Anyone who can reach this server can speak as any customer of any channel. Only run this way behind a proxy that authenticates callers; ' +
        'set MicrosoftAppId and MicrosoftAppPassword to turn authentication on.',
    );
  }
  return warnings;
}
