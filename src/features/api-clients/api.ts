// GET /api/v1/whoami: tells a partner whose credentials they are using and what they may do, so they can test them
// before sending anything real.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_SCOPES } from '../../platform/auth/api-credentials.ts';
import { defineApiOperation } from '../../platform/http/openapi.ts';

const WhoAmI = z.object({
  clientId: z.string().describe('The client id these credentials belong to.'),
  name: z.string().describe('The name Haven gave these credentials.'),
  organisation: z.object({
    id: z.string().describe('Haven’s id for your organisation.'),
    name: z.string().describe('Your organisation’s name.'),
  }),
  areaId: z.string().describe('Haven’s id for your police force area.'),
  scopes: z.array(z.enum(API_SCOPES)).describe('What these credentials may do.'),
});

export function registerApiClientApi(app: FastifyInstance): void {
  defineApiOperation(
    app,
    {
      method: 'GET',
      path: '/api/v1/whoami',
      operationId: 'whoami',
      summary: 'Check your credentials',
      description: 'Returns the client, organisation and scopes of the credentials sent. It changes nothing.',
      scopes: [],
      responses: { 200: { description: 'The credentials are valid.', schema: WhoAmI } },
    },
    ({ client }) =>
      Promise.resolve(
        WhoAmI.parse({
          clientId: client.clientId,
          name: client.name,
          organisation: { id: client.organisationId, name: client.organisationName },
          areaId: client.areaId,
          scopes: client.scopes,
        }),
      ),
  );
}
