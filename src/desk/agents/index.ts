/** Support agents: the model, the repository port and its SQLite implementation. */
export { AGENT_ROLES, parseEmail, parseNewAgent, parseRole, roleAtLeast, type Agent, type AgentRole, type NewAgent } from './agent.js';
export type { AgentRepository, ApiTokenInfo, StoredApiToken, StoredSession } from './agent-repository.js';
export { deskAuthMigrations } from './desk-auth-migrations.js';
export { SqliteAgentRepository } from './sqlite-agent-repository.js';
