/**
 * SQLite implementation of {@link AgentRepository} on the bot's database file. Single statements
 * are atomic; the multi-step changes (binding a subject, disabling an agent, revoking a token) run in one
 * IMMEDIATE transaction so two processes sharing the file cannot interleave them.
 */
import { AppError } from '../../errors.js';
import type { SqliteDatabase } from '../../storage/database.js';
import { newAgentId, parseNewAgent, type Agent, type AgentRole, type NewAgent } from './agent.js';
import type { AgentRepository, ApiTokenInfo, StoredApiToken, StoredSession } from './agent-repository.js';
import { prepareCredentialStatements, toSession, toStoredToken, toTokenInfo } from './sqlite-credential-rows.js';

export { deskAuthMigrations } from './desk-auth-migrations.js';

interface AgentRow {
  id: string;
  display_name: string;
  email: string;
  role: AgentRole;
  active: number;
  oidc_subject: string | null;
  created_at: string;
  updated_at: string;
}

export interface SqliteAgentRepositoryOptions {
  /** The clock for createdAt/updatedAt; tests inject one. */
  readonly now?: () => Date;
}

export class SqliteAgentRepository implements AgentRepository {
  readonly #db: SqliteDatabase;
  readonly #now: () => Date;
  readonly #stmt;
  readonly #cred;

  /** `db` must have had {@link deskAuthMigrations} applied (see openDatabase). */
  constructor(db: SqliteDatabase, options: SqliteAgentRepositoryOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    this.#stmt = {
      insert: db.prepare(
        `INSERT INTO desk_agents (id, display_name, email, role, active, oidc_subject, created_at, updated_at)
         VALUES (@id, @displayName, @email, @role, 1, NULL, @at, @at)`,
      ),
      byId: db.prepare<[string], AgentRow>('SELECT * FROM desk_agents WHERE id = ?'),
      byEmail: db.prepare<[string], AgentRow>('SELECT * FROM desk_agents WHERE email = ?'),
      bySubject: db.prepare<[string], AgentRow>('SELECT * FROM desk_agents WHERE oidc_subject = ?'),
      all: db.prepare<[], AgentRow>('SELECT * FROM desk_agents ORDER BY display_name COLLATE NOCASE, id'),
      bind: db.prepare<[string, string, string]>('UPDATE desk_agents SET oidc_subject = ?, updated_at = ? WHERE id = ?'),
      setRole: db.prepare<[string, string, string]>('UPDATE desk_agents SET role = ?, updated_at = ? WHERE id = ?'),
      setActive: db.prepare<[number, string, string]>('UPDATE desk_agents SET active = ?, updated_at = ? WHERE id = ?'),
      endSessionsOf: db.prepare<[string]>('DELETE FROM desk_sessions WHERE agent_id = ?'),
    };
    this.#cred = prepareCredentialStatements(db);
  }

  async create(input: NewAgent): Promise<Agent> {
    const agent = parseNewAgent(input);
    const id = newAgentId();
    try {
      this.#stmt.insert.run({ id, ...agent, at: this.#now().toISOString() });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', 'An agent with this e-mail address already exists', { field: 'email' });
      throw err;
    }
    return this.#require(id);
  }

  async get(id: string): Promise<Agent> {
    return this.#require(id);
  }

  async findByEmail(email: string): Promise<Agent | null> {
    const row = this.#stmt.byEmail.get(email.trim().toLowerCase());
    return row ? toAgent(row) : null;
  }

  async findBySubject(subject: string): Promise<Agent | null> {
    const row = this.#stmt.bySubject.get(subject);
    return row ? toAgent(row) : null;
  }

  async bindSubject(agentId: string, subject: string): Promise<Agent> {
    if (subject === '') throw new AppError('invalid_input', 'An empty subject cannot be bound');
    return this.#db.transaction(() => {
      const agent = this.#require(agentId);
      if (agent.oidcSubject === subject) return agent;
      if (agent.oidcSubject !== null) throw new AppError('conflict', 'The agent is already bound to another sign-in account');
      if (this.#stmt.bySubject.get(subject)) throw new AppError('conflict', 'This sign-in account is already bound to another agent');
      this.#stmt.bind.run(subject, this.#now().toISOString(), agentId);
      return this.#require(agentId);
    }).immediate();
  }

  async list(): Promise<Agent[]> {
    return this.#stmt.all.all().map(toAgent);
  }

  async setRole(agentId: string, role: AgentRole): Promise<Agent> {
    this.#require(agentId);
    this.#stmt.setRole.run(role, this.#now().toISOString(), agentId);
    return this.#require(agentId);
  }

  async setActive(agentId: string, active: boolean): Promise<Agent> {
    return this.#db.transaction(() => {
      this.#require(agentId);
      this.#stmt.setActive.run(active ? 1 : 0, this.#now().toISOString(), agentId);
      // Disabling someone must take effect now, not when their browser's session would expire.
      if (!active) this.#stmt.endSessionsOf.run(agentId);
      return this.#require(agentId);
    }).immediate();
  }

  async insertToken(token: StoredApiToken): Promise<ApiTokenInfo> {
    this.#require(token.agentId);
    this.#cred.insertToken.run(token);
    return toTokenInfo(this.#cred.tokenById.get(token.id)!);
  }

  async findTokenByHash(hash: string): Promise<StoredApiToken | null> {
    const row = this.#cred.tokenByHash.get(hash);
    return row ? toStoredToken(row) : null;
  }

  async listTokens(agentId: string): Promise<ApiTokenInfo[]> {
    return this.#cred.tokensOf.all(agentId).map(toTokenInfo);
  }

  async revokeToken(tokenId: string, at: string): Promise<ApiTokenInfo> {
    return this.#db.transaction(() => {
      this.#cred.revokeToken.run(at, tokenId);
      const row = this.#cred.tokenById.get(tokenId);
      if (!row) throw new AppError('not_found', 'No such token', { tokenId });
      // A console session signed in with the token must not outlive it.
      this.#cred.deleteSessionsOfToken.run(tokenId);
      return toTokenInfo(row);
    }).immediate();
  }

  async findToken(tokenId: string): Promise<ApiTokenInfo | null> {
    const row = this.#cred.tokenById.get(tokenId);
    return row ? toTokenInfo(row) : null;
  }

  async touchToken(tokenId: string, at: string): Promise<void> {
    this.#cred.touchToken.run(at, tokenId);
  }

  async insertSession(session: StoredSession): Promise<void> {
    this.#cred.insertSession.run(session);
  }

  async findSession(idHash: string): Promise<StoredSession | null> {
    const row = this.#cred.sessionByHash.get(idHash);
    return row ? toSession(row) : null;
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    this.#cred.touchSession.run(at, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.#cred.deleteSession.run(idHash);
  }

  async deleteStaleSessions(now: string, idleBefore: string): Promise<number> {
    return this.#cred.deleteStaleSessions.run(now, idleBefore).changes;
  }

  #require(id: string): Agent {
    const row = this.#stmt.byId.get(id);
    if (!row) throw new AppError('not_found', 'No such agent', { agentId: id });
    return toAgent(row);
  }
}

function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    active: row.active === 1,
    oidcSubject: row.oidc_subject,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
