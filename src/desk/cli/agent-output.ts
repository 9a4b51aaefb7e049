/** Plain-text tables for the `agent` commands: one row per line, columns padded, never a secret. */
import type { Agent } from '../agents/agent.js';
import type { ApiTokenInfo } from '../agents/agent-repository.js';

/** `agent list`. */
export function formatAgents(agents: readonly Agent[]): string {
  if (agents.length === 0) return 'no agents (add one with "agent add")\n';
  return table([
    ['ID', 'NAME', 'E-MAIL', 'ROLE', 'ACTIVE', 'OIDC', 'CREATED'],
    ...agents.map((a) => [a.id, a.displayName, a.email, a.role, a.active ? 'yes' : 'no', a.oidcSubject ? 'bound' : '-', a.createdAt]),
  ]);
}

/** `agent token list`: status says whether the token works now. */
export function formatTokens(tokens: readonly ApiTokenInfo[], now: Date): string {
  if (tokens.length === 0) return 'no tokens\n';
  const status = (t: ApiTokenInfo) =>
    t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) <= now.getTime() ? 'expired' : 'active';
  return table([
    ['ID', 'PREFIX', 'LABEL', 'STATUS', 'CREATED', 'EXPIRES', 'LAST USED'],
    ...tokens.map((t) => [t.id, `${t.prefix}…`, t.label, status(t), t.createdAt, t.expiresAt ?? 'never', t.lastUsedAt ?? '-']),
  ]);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)));
  return `${rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length))).join('  ')).join('\n')}\n`;
}
