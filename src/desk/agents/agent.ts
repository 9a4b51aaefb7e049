/**
 * A support agent: a person who works tickets in the desk. Agents are stored (see
 * {@link AgentRepository}); they sign in with the company's identity provider or a personal API token.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors.js';

/** Roles in increasing order of power: each role may do what the ones before it may. */
export const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export interface Agent {
  /** `agt_` + random characters; never reused. */
  readonly id: string;
  readonly displayName: string;
  /** Lower-cased; unique among agents. */
  readonly email: string;
  readonly role: AgentRole;
  /** A disabled agent cannot sign in, and their sessions and tokens stop working at once. */
  readonly active: boolean;
  /** The identity provider's `sub`, bound at the first OpenID sign-in by matching e-mail. */
  readonly oidcSubject: string | null;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What it takes to add an agent. */
export interface NewAgent {
  readonly displayName: string;
  readonly email: string;
  readonly role: AgentRole;
}

const EmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((e) => e.toLowerCase());

export const AgentRoleSchema = z.enum(AGENT_ROLES);

export const NewAgentSchema = z.object({
  displayName: z.string().trim().min(1).max(100),
  email: EmailSchema,
  role: AgentRoleSchema,
});

/** Validates a new agent (name 1..100 characters, an e-mail address, a known role); `invalid_input` otherwise. */
export function parseNewAgent(input: unknown): NewAgent {
  return parseOrThrow(NewAgentSchema, input);
}

/** A valid e-mail address, lower-cased (agents are looked up by it); `invalid_input` otherwise. */
export function parseEmail(input: unknown): string {
  return parseOrThrow(EmailSchema, input, 'email');
}

/** One of {@link AGENT_ROLES}; `invalid_input` otherwise. */
export function parseRole(input: unknown): AgentRole {
  return parseOrThrow(AgentRoleSchema, input, 'role');
}

/** A fresh agent id: `agt_` and 16 URL-safe random characters. */
export function newAgentId(): string {
  return `agt_${randomBytes(12).toString('base64url')}`;
}

/** True when `role` may do what `required` may (agent < supervisor < admin). */
export function roleAtLeast(role: AgentRole, required: AgentRole): boolean {
  return AGENT_ROLES.indexOf(role) >= AGENT_ROLES.indexOf(required);
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, field?: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  // Field names and rules only: the rejected value may be personal data.
  const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.') || field || 'value', message: i.message }));
  throw new AppError('invalid_input', `Invalid ${fields.map((f) => f.field).join(', ')}: ${fields.map((f) => f.message).join('; ')}`, { fields });
}
