/**
 * Personal API tokens: how scripts (and the command line) act as an agent.
 * The secret is `tfa_` + 32 random bytes (base64url), shown once at creation; the store keeps
 * its SHA-256, a non-secret id and the first characters, so a leaked database holds no usable token.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { Agent } from '../agents/agent.js';
import type { AgentRepository, ApiTokenInfo } from '../agents/agent-repository.js';
import { randomSecret, safeEqual, sha256Hex } from './secrets.js';

/** Every token secret starts with this (so secret scanners and people recognise one). */
export const API_TOKEN_PREFIX = 'tfa_';

/** 32 bytes in base64url without padding. */
const SECRET_PATTERN = /^tfa_[A-Za-z0-9_-]{43}$/;

/** lastUsedAt is a hint for people reviewing tokens: once a minute is precise enough and spares a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface NewApiToken {
  /** What the token is for, shown in lists ("laptop", "ticket export script"); 1..100 characters. */
  readonly label?: string;
  /** When it stops working; null or absent: until revoked. */
  readonly expiresAt?: Date | null;
}

export interface IssuedApiToken {
  readonly token: ApiTokenInfo;
  /** The secret. Shown to the person once, never stored or logged. */
  readonly secret: string;
}

/** Issuing, listing, revoking and checking agents' API tokens. */
export interface ApiTokens {
  create(agentId: string, options?: NewApiToken): Promise<IssuedApiToken>;
  list(agentId: string): Promise<ApiTokenInfo[]>;
  revoke(tokenId: string): Promise<ApiTokenInfo>;
  /** The token's active agent, or null when the secret is unknown, malformed, expired, revoked or the agent disabled. */
  verify(secret: string): Promise<{ readonly agent: Agent; readonly token: ApiTokenInfo } | null>;
}

export interface ApiTokensDeps {
  readonly agents: AgentRepository;
  readonly now?: () => Date;
}

/** Creates the token service over an agent repository. */
export function createApiTokens({ agents, now = () => new Date() }: ApiTokensDeps): ApiTokens {
  return {
    async create(agentId, options = {}) {
      const label = (options.label ?? 'API token').trim();
      if (label.length < 1 || label.length > 100) throw new AppError('invalid_input', 'Token label must be 1 to 100 characters', { field: 'label' });
      const at = now();
      const expiresAt = options.expiresAt ?? null;
      if (expiresAt && expiresAt.getTime() <= at.getTime()) throw new AppError('invalid_input', 'Token expiry must be in the future', { field: 'expiresAt' });
      const agent = await agents.get(agentId);
      if (!agent.active) throw new AppError('conflict', 'A disabled agent cannot get new tokens');
      const secret = `${API_TOKEN_PREFIX}${randomSecret(32)}`;
      const token = await agents.insertToken({
        id: `tok_${randomBytes(6).toString('hex')}`,
        agentId,
        label,
        prefix: secret.slice(0, API_TOKEN_PREFIX.length + 4),
        hash: sha256Hex(secret),
        createdAt: at.toISOString(),
        expiresAt: expiresAt?.toISOString() ?? null,
        lastUsedAt: null,
        revokedAt: null,
      });
      return { token, secret };
    },

    list: (agentId) => agents.listTokens(agentId),

    revoke: (tokenId) => agents.revokeToken(tokenId, now().toISOString()),

    async verify(secret) {
      // Malformed input never reaches the database (and cannot make it do work).
      if (!SECRET_PATTERN.test(secret)) return null;
      const hash = sha256Hex(secret);
      const stored = await agents.findTokenByHash(hash);
      if (!stored || !safeEqual(stored.hash, hash)) return null;
      const at = now();
      if (stored.revokedAt !== null) return null;
      if (stored.expiresAt !== null && Date.parse(stored.expiresAt) <= at.getTime()) return null;
      const agent = await agents.get(stored.agentId);
      if (!agent.active) return null;
      if (stored.lastUsedAt === null || at.getTime() - Date.parse(stored.lastUsedAt) >= TOUCH_INTERVAL_MS) {
        await agents.touchToken(stored.id, at.toISOString());
      }
      const { hash: _hash, ...token } = stored;
      return { agent, token };
    },
  };
}
