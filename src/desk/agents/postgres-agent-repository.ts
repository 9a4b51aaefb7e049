/**
 * {@link AgentRepository} on PostgreSQL, with the semantics of SqliteAgentRepository (one contract
 * suite). The multi-step changes (binding a subject, disabling an agent, revoking a token) run in
 * one transaction holding the agent's or token's row lock, so two instances cannot interleave them;
 * the unique constraints answer races the locks do not cover (two agents, one e-mail or subject).
 */
import { AppError } from '../../errors.js';
import { inTransaction, isUniqueViolation, type PgPool, type PgQueryable } from '../../storage/postgres/index.js';
import { newAgentId, parseNewAgent, type Agent, type AgentRole, type NewAgent } from './agent.js';
import type { AgentRepository, ApiTokenInfo, StoredApiToken, StoredSession } from './agent-repository.js';
import { toSession, toStoredToken, toTokenInfo, type SessionRow, type TokenRow } from './sqlite-credential-rows.js';

export { postgresDeskAuthMigrations } from './postgres-desk-auth-migrations.js';

interface AgentRow {
  id: string;
  display_name: string;
  email: string;
  role: AgentRole;
  active: boolean;
  oidc_subject: string | null;
  created_at: string;
  updated_at: string;
}

/** SQLite's `COLLATE NOCASE` folds ASCII letters only; so does this, for the same order of the list. */
const NOCASE = (column: string) => `translate(${column}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C"`;

export interface PostgresAgentRepositoryOptions {
  /** The clock for createdAt/updatedAt; tests inject one. */
  readonly now?: () => Date;
}

export class PostgresAgentRepository implements AgentRepository {
  readonly #pool: PgPool;
  readonly #now: () => Date;

  /** `pool` must have had {@link postgresDeskAuthMigrations} applied. */
  constructor(pool: PgPool, options: PostgresAgentRepositoryOptions = {}) {
    this.#pool = pool;
    this.#now = options.now ?? (() => new Date());
  }

  async create(input: NewAgent): Promise<Agent> {
    const agent = parseNewAgent(input);
    const at = this.#now().toISOString();
    try {
      const { rows } = await this.#pool.query<AgentRow>(
        `INSERT INTO desk_agents (id, display_name, email, role, active, oidc_subject, created_at, updated_at)
         VALUES ($1, $2, $3, $4, TRUE, NULL, $5, $5) RETURNING *`,
        [newAgentId(), agent.displayName, agent.email, agent.role, at],
      );
      return toAgent(rows[0]!);
    } catch (err) {
      if (isUniqueViolation(err, 'desk_agents_email_key')) {
        throw new AppError('conflict', 'An agent with this e-mail address already exists', { field: 'email' });
      }
      throw err;
    }
  }

  async get(id: string): Promise<Agent> {
    return requireAgent(this.#pool, id);
  }

  async findByEmail(email: string): Promise<Agent | null> {
    return agentWhere(this.#pool, 'email = $1', email.trim().toLowerCase());
  }

  async findBySubject(subject: string): Promise<Agent | null> {
    return agentWhere(this.#pool, 'oidc_subject = $1', subject);
  }

  async bindSubject(agentId: string, subject: string): Promise<Agent> {
    if (subject === '') throw new AppError('invalid_input', 'An empty subject cannot be bound');
    const taken = () => new AppError('conflict', 'This sign-in account is already bound to another agent');
    try {
      return await inTransaction(this.#pool, async (db) => {
        const agent = await requireAgent(db, agentId, 'FOR UPDATE');
        if (agent.oidcSubject === subject) return agent;
        if (agent.oidcSubject !== null) throw new AppError('conflict', 'The agent is already bound to another sign-in account');
        if (await agentWhere(db, 'oidc_subject = $1', subject)) throw taken();
        await db.query('UPDATE desk_agents SET oidc_subject = $1, updated_at = $2 WHERE id = $3', [subject, this.#now().toISOString(), agentId]);
        return requireAgent(db, agentId);
      });
    } catch (err) {
      // Another instance bound the same subject to another agent between our check and our write.
      if (isUniqueViolation(err, 'desk_agents_oidc_subject_key')) throw taken();
      throw err;
    }
  }

  async list(): Promise<Agent[]> {
    const { rows } = await this.#pool.query<AgentRow>(`SELECT * FROM desk_agents ORDER BY ${NOCASE('display_name')}, id`);
    return rows.map(toAgent);
  }

  async setRole(agentId: string, role: AgentRole): Promise<Agent> {
    return this.#set(this.#pool, agentId, 'role = $1', role);
  }

  async setActive(agentId: string, active: boolean): Promise<Agent> {
    return inTransaction(this.#pool, async (db) => {
      const agent = await this.#set(db, agentId, 'active = $1', active);
      // Disabling someone must take effect now, not when their browser's session would expire.
      if (!active) await db.query('DELETE FROM desk_sessions WHERE agent_id = $1', [agentId]);
      return agent;
    });
  }

  async insertToken(token: StoredApiToken): Promise<ApiTokenInfo> {
    await requireAgent(this.#pool, token.agentId);
    const { rows } = await this.#pool.query<TokenRow>(
      `INSERT INTO desk_api_tokens (id, agent_id, label, prefix, hash, created_at, expires_at, last_used_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [token.id, token.agentId, token.label, token.prefix, token.hash, token.createdAt, token.expiresAt, token.lastUsedAt, token.revokedAt],
    );
    return toTokenInfo(rows[0]!);
  }

  async findTokenByHash(hash: string): Promise<StoredApiToken | null> {
    const { rows } = await this.#pool.query<TokenRow>('SELECT * FROM desk_api_tokens WHERE hash = $1', [hash]);
    return rows[0] ? toStoredToken(rows[0]) : null;
  }

  async listTokens(agentId: string): Promise<ApiTokenInfo[]> {
    const { rows } = await this.#pool.query<TokenRow>('SELECT * FROM desk_api_tokens WHERE agent_id = $1 ORDER BY created_at DESC, id', [agentId]);
    return rows.map(toTokenInfo);
  }

  async revokeToken(tokenId: string, at: string): Promise<ApiTokenInfo> {
    return inTransaction(this.#pool, async (db) => {
      // COALESCE: revoking twice keeps the first time, which is when the token stopped working.
      const { rows } = await db.query<TokenRow>(
        'UPDATE desk_api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 RETURNING *',
        [at, tokenId],
      );
      if (!rows[0]) throw new AppError('not_found', 'No such token', { tokenId });
      // A console session signed in with the token must not outlive it.
      await db.query('DELETE FROM desk_sessions WHERE token_id = $1', [tokenId]);
      return toTokenInfo(rows[0]);
    });
  }

  async findToken(tokenId: string): Promise<ApiTokenInfo | null> {
    const { rows } = await this.#pool.query<TokenRow>('SELECT * FROM desk_api_tokens WHERE id = $1', [tokenId]);
    return rows[0] ? toTokenInfo(rows[0]) : null;
  }

  async touchToken(tokenId: string, at: string): Promise<void> {
    await this.#pool.query('UPDATE desk_api_tokens SET last_used_at = $1 WHERE id = $2', [at, tokenId]);
  }

  async insertSession(session: StoredSession): Promise<void> {
    await this.#pool.query(
      `INSERT INTO desk_sessions (id_hash, agent_id, csrf_token, created_at, last_seen_at, expires_at, token_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [session.idHash, session.agentId, session.csrfToken, session.createdAt, session.lastSeenAt, session.expiresAt, session.tokenId],
    );
  }

  async findSession(idHash: string): Promise<StoredSession | null> {
    const { rows } = await this.#pool.query<SessionRow>('SELECT * FROM desk_sessions WHERE id_hash = $1', [idHash]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    await this.#pool.query('UPDATE desk_sessions SET last_seen_at = $1 WHERE id_hash = $2', [at, idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#pool.query('DELETE FROM desk_sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteStaleSessions(now: string, idleBefore: string): Promise<number> {
    const result = await this.#pool.query('DELETE FROM desk_sessions WHERE expires_at <= $1 OR last_seen_at < $2', [now, idleBefore]);
    return result.rowCount ?? 0;
  }

  /** Sets one column and the update time; `not_found` for an unknown agent. */
  async #set(db: PgQueryable, agentId: string, assignment: string, value: unknown): Promise<Agent> {
    const { rows } = await db.query<AgentRow>(`UPDATE desk_agents SET ${assignment}, updated_at = $2 WHERE id = $3 RETURNING *`, [
      value,
      this.#now().toISOString(),
      agentId,
    ]);
    if (!rows[0]) throw new AppError('not_found', 'No such agent', { agentId });
    return toAgent(rows[0]);
  }
}

async function agentWhere(db: PgQueryable, condition: string, value: string): Promise<Agent | null> {
  const { rows } = await db.query<AgentRow>(`SELECT * FROM desk_agents WHERE ${condition}`, [value]);
  return rows[0] ? toAgent(rows[0]) : null;
}

async function requireAgent(db: PgQueryable, id: string, lock = ''): Promise<Agent> {
  const { rows } = await db.query<AgentRow>(`SELECT * FROM desk_agents WHERE id = $1 ${lock}`, [id]);
  if (!rows[0]) throw new AppError('not_found', 'No such agent', { agentId: id });
  return toAgent(rows[0]);
}

function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    active: row.active,
    oidcSubject: row.oidc_subject,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
