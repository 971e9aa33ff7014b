// Publishes the machine API's contract from the operation registry: the OpenAPI document at /api/openapi.json and a
// readable GOV.UK page at /api/docs, rendered on the server (the CSP allows no inline script, so no Swagger UI).
import type { FastifyInstance } from 'fastify';
import { jsonSchemaOf, openApiDocument, openApiPath, type ApiRegistry } from './openapi.ts';

export type FieldRow = { name: string; type: string; required: boolean; description: string };

type JsonSchema = { type?: unknown; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema; enum?: unknown[]; format?: string; description?: string; anyOf?: JsonSchema[] };

function typeName(schema: JsonSchema): string {
  if (schema.enum) return `one of: ${schema.enum.map(String).join(', ')}`;
  if (schema.anyOf) return schema.anyOf.map(typeName).join(' or ');
  if (schema.type === 'array') return `list of ${schema.items ? typeName(schema.items) : 'values'}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : typeof schema.type === 'string' ? schema.type : 'any';
  return schema.format ? `${type} (${schema.format})` : type;
}

/** The fields of an object schema as rows, nested objects and lists of objects with dotted names. */
export function fieldRows(schema: JsonSchema, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const name = prefix + key;
    rows.push({ name, type: typeName(property), required: schema.required?.includes(key) ?? false, description: property.description ?? '' });
    if (property.properties) rows.push(...fieldRows(property, `${name}.`));
    if (property.items?.properties) rows.push(...fieldRows(property.items, `${name}[].`));
  }
  return rows;
}

function docsModel(registry: ApiRegistry) {
  return registry.operations.map((operation) => ({
    id: operation.operationId,
    method: operation.method,
    path: openApiPath(operation.path),
    summary: operation.summary,
    description: operation.description ?? '',
    scopes: operation.scopes,
    requestFields: operation.body ? fieldRows(jsonSchemaOf(operation.body, 'input') as JsonSchema) : null,
    responses: Object.entries(operation.responses).map(([status, response]) => ({
      status,
      description: response.description,
      fields: response.schema ? fieldRows(jsonSchemaOf(response.schema, 'output') as JsonSchema) : [],
    })),
  }));
}

export function registerApiDocs(app: FastifyInstance): void {
  app.get('/api/openapi.json', async (request, reply) => {
    const document = openApiDocument(app.apiRegistry, `${request.protocol}://${request.host}`);
    return reply.type('application/json; charset=utf-8').send(document);
  });
  app.get('/api/docs', (_request, reply) =>
    reply.view('api/docs.njk', { title: 'Haven API reference', operations: docsModel(app.apiRegistry) }),
  );
}
