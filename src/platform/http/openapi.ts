// The machine API's one source of truth: feature api.ts files define each operation here with zod schemas, which
// registers the route (credentials, scopes, body validation) and records it for the OpenAPI document at
// /api/openapi.json and the readable page at /api/docs, so the published contract cannot drift from the code.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiClientIdentity, ApiScope } from '../auth/api-credentials.ts';
import type { RequireApiClient } from '../auth/api-clients.ts';
import { Invalid } from './domain-errors.ts';

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type ApiResponseSpec = { description: string; schema?: z.ZodType };

export type ApiOperationSpec<Body extends z.ZodType | undefined> = {
  method: ApiMethod;
  /** Fastify style, with :name parameters; published with {name}. Must start with /api/. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** Scopes the credentials must carry; an empty list means any valid credentials. */
  scopes: ApiScope[];
  body?: Body;
  /**
   * A body that is not JSON (a CSV file, say), for the document only: the operation registers its own content-type
   * parser and reads request.body itself.
   */
  rawBody?: { mediaType: string; description: string };
  /** By status code. 401 and 403 are added to every operation. */
  responses: Record<number, ApiResponseSpec>;
};

export type ApiHandlerContext<Body> = { client: ApiClientIdentity; body: Body; request: FastifyRequest; reply: FastifyReply };

type RecordedOperation = ApiOperationSpec<z.ZodType | undefined>;

export type ApiRegistry = { operations: RecordedOperation[]; requireApiClient: RequireApiClient };

declare module 'fastify' {
  interface FastifyInstance {
    apiRegistry: ApiRegistry;
  }
}

/** Sets up the registry on the app. Call before any feature defines an operation. */
export function registerApiRegistry(app: FastifyInstance, options: { requireApiClient: RequireApiClient }): void {
  app.decorate('apiRegistry', { operations: [], requireApiClient: options.requireApiClient });
}

/** Zod issues as field errors: a dotted path to the first message for it. */
function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : 'body';
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * Defines one API operation: the route answers only to credentials with the operation's scopes, and its body is
 * parsed with the zod schema (failures are 422 problem+json with a reason for each field). The handler's return value
 * is sent as JSON.
 */
export function defineApiOperation<Body extends z.ZodType | undefined = undefined>(
  app: FastifyInstance,
  spec: ApiOperationSpec<Body>,
  handler: (context: ApiHandlerContext<Body extends z.ZodType ? z.output<Body> : undefined>) => Promise<unknown>,
): void {
  if (!spec.path.startsWith('/api/')) throw new Error(`API operation ${spec.operationId} must live under /api/.`);
  const registry = app.apiRegistry;
  registry.operations.push(spec);
  app.route({
    method: spec.method,
    url: spec.path,
    preHandler: registry.requireApiClient(...spec.scopes),
    handler: async (request, reply) => {
      let body: unknown = undefined;
      if (spec.body) {
        const parsed = spec.body.safeParse(request.body);
        if (!parsed.success) throw new Invalid(fieldErrors(parsed.error));
        body = parsed.data;
      }
      const client = request.apiClient;
      if (!client) throw new Error('requireApiClient did not run');
      return handler({ client, body: body as never, request, reply });
    },
  });
}

type JsonSchema = Record<string, unknown>;

export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // The document says which JSON Schema dialect it uses once, for every schema in it.
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete converted.$schema;
  return converted;
}

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'object', additionalProperties: { type: 'string' }, description: 'A reason for each field that was wrong.' },
    instance: { type: 'string', description: 'The request id, to quote when asking for help.' },
  },
  required: ['type', 'title', 'status'],
};

const STANDARD_RESPONSES: Record<number, string> = {
  401: 'Missing or wrong credentials, or a disabled client.',
  403: 'The credentials do not carry the scope this operation needs.',
  429: 'Too many failed authentications from this address.',
};

export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The OpenAPI 3.1 document for every operation defined so far. */
export function openApiDocument(registry: ApiRegistry, serverUrl: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of registry.operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(operation.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { 'application/json': { schema: jsonSchemaOf(response.schema, 'output') } } } : {}),
      };
    }
    if (operation.body) {
      responses['422'] ??= { description: 'The body is not valid: each field says why.', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    }
    for (const [status, description] of Object.entries(STANDARD_RESPONSES)) {
      responses[status] ??= { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    }
    const parameters = [...operation.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const path = openApiPath(operation.path);
    paths[path] ??= {};
    paths[path][operation.method.toLowerCase()] = {
      operationId: operation.operationId,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      security: [{ basicAuth: [] }],
      'x-scopes': operation.scopes,
      ...(parameters.length ? { parameters } : {}),
      ...(operation.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(operation.body, 'input') } } } }
        : {}),
      ...(operation.rawBody
        ? {
            requestBody: {
              required: true,
              description: operation.rawBody.description,
              content: { [operation.rawBody.mediaType]: { schema: { type: 'string' } } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Haven API',
      version: '1',
      description:
        'For police, witness care and prosecution systems to send referrals and case events to Haven. Authenticate with ' +
        'HTTP Basic: the client id as the user name and the secret as the password. Each operation lists the scopes it needs.',
    },
    servers: [{ url: serverUrl }],
    security: [{ basicAuth: [] }],
    components: {
      securitySchemes: {
        basicAuth: { type: 'http', scheme: 'basic', description: 'Client id and secret issued by Haven for one organisation.' },
      },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
    paths,
  };
}
