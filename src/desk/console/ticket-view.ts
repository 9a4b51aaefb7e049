/** The desk API's answers as the console reads them (the response schemas document their shape). */
import type { z } from 'zod';
import type { AgentSchema, AuditResponse, QueueResponse, TicketResponse, TokenInfoSchema } from '../api/schemas.js';

export type QueueAnswer = z.output<typeof QueueResponse>;
export type TicketAnswer = z.output<typeof TicketResponse>;
export type AuditAnswer = z.output<typeof AuditResponse>;
export type AgentAnswer = z.output<typeof AgentSchema>;
export type TokenAnswer = z.output<typeof TokenInfoSchema>;
