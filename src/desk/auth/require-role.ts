import { AppError } from '../../errors.js';
import { roleAtLeast, type Agent, type AgentRole } from '../agents/agent.js';

/**
 * Refuses an agent below `role` (agent < supervisor < admin) with AppError('forbidden').
 * Routes call it after authenticate: `requireRole(auth.agent, 'supervisor')`.
 */
export function requireRole(agent: Pick<Agent, 'role'>, role: AgentRole): void {
  if (!roleAtLeast(agent.role, role)) {
    throw new AppError('forbidden', `This needs the ${role} role`, { requiredRole: role, role: agent.role });
  }
}
