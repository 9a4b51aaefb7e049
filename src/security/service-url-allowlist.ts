/**
 * Which Bot Connector service URLs the bot may call (replies, proactive messages) and keep in a
 * conversation reference. A caller chooses an activity's `serviceUrl`; without this list a forged
 * or unauthenticated activity could make the bot POST its replies (and, authenticated, its token)
 * to any host.
 */

/**
 * Bot Framework's own hosts: every channel of the public cloud (*.botframework.com), Teams in the
 * public cloud and the US government clouds, and the US government Bot Framework. Deliberately NOT
 * `*.trafficmanager.net`: anyone can create an Azure Traffic Manager profile under that name.
 */
export const BOT_FRAMEWORK_SERVICE_HOSTS: readonly string[] = [
  '*.botframework.com',
  'smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
  '*.botframework.us',
  '*.botframework.azure.us',
];

/** The Emulator and local test connectors (added to the default list outside production). */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST_PATTERN = new RegExp(`^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$|^\\[::1\\]$`);

/** Whether `pattern` is a host (`smba.trafficmanager.net`) or a wildcard of subdomains (`*.botframework.com`). */
export function isHostPattern(pattern: string): boolean {
  return HOST_PATTERN.test(pattern.toLowerCase());
}

export interface ServiceUrlPolicy {
  /** True when the bot may send to (and remember) this service URL. */
  allows(serviceUrl: unknown): boolean;
}

/**
 * A policy over host patterns. `https:` is required, except plain `http:` to a loopback host when
 * `httpLoopback` is set (the Emulator and test connectors, outside production). A URL with
 * credentials is refused whatever its host. `*.example.com` matches subdomains only.
 */
export function serviceUrlPolicy(patterns: readonly string[], options: { httpLoopback: boolean }): ServiceUrlPolicy {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const p of patterns.map((x) => x.trim().toLowerCase())) {
    if (p.startsWith('*.')) suffixes.push(p.slice(1));
    else if (p !== '') exact.add(p);
  }
  return {
    allows(serviceUrl) {
      if (typeof serviceUrl !== 'string') return false;
      let url: URL;
      try {
        url = new URL(serviceUrl);
      } catch {
        return false;
      }
      if (url.username !== '' || url.password !== '') return false;
      const host = url.hostname.toLowerCase().replace(/\.$/, '');
      const loopback = LOOPBACK_HOSTS.includes(host);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && options.httpLoopback)) return false;
      return exact.has(host) || suffixes.some((s) => host.endsWith(s) && host.length > s.length);
    },
  };
}
