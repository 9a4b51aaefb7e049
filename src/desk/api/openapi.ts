/**
 * The desk API's OpenAPI 3.1 document, generated from the same zod schemas the routes validate
 * with (zod's JSON Schema output is draft 2020-12, which OpenAPI 3.1 uses as it is).
 */
import { z } from 'zod';
import type { DeskRoute } from './route.js';
import { ProblemSchema } from './schemas.js';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** Path and query parameters from an object schema. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
    schema: property,
  }));
}

export function buildOpenApiDocument(routes: readonly DeskRoute[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const headers = r.ifMatch
      ? [{ name: 'If-Match', in: 'header', required: true, description: 'The ticket version (ETag) this action is based on', schema: { type: 'string' } }]
      : [];
    (paths[r.path] ??= {})[r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      description: `Needs the \`${r.role}\` role or higher.`,
      'x-required-role': r.role,
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query'), ...headers],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } },
        '400': { description: 'Invalid input', content: PROBLEM },
        '401': { description: 'No or bad credential', content: PROBLEM },
        '403': { description: 'Role may not do this, or CSRF check failed', content: PROBLEM },
        '404': { description: 'Not found', content: PROBLEM },
        ...(r.tag === 'reports' ? { '503': { description: 'Reports are not configured on this server', content: PROBLEM } } : {}),
        ...(r.ifMatch
          ? {
              '409': { description: 'Stale version, or the step is not allowed now (code says which)', content: PROBLEM },
              '428': { description: 'If-Match missing', content: PROBLEM },
            }
          : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'Support agents’ desk: the ticket queue, ticket actions, audit trail, supervisors’ reports and agent administration. Authenticate with `Authorization: Bearer <API token>` or the console session cookie (plus `X-CSRF-Token` on changes).' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (`npm run desk -- agent token create`)' },
        session: { type: 'apiKey', in: 'cookie', name: 'desk_session' },
      },
      schemas: { Problem: jsonSchema(ProblemSchema, 'output') },
    },
    paths,
  };
}
