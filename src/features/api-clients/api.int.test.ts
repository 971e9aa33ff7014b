// The machine API's front door through inject(): HTTP Basic credentials, scopes, disabled clients, the throttle on
// failures, and the published contract (OpenAPI document and docs page).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { basicAuthorization } from '../../platform/auth/api-credentials.ts';
import { systemActor } from '../../platform/auth/identity.ts';
import { defineApiOperation } from '../../platform/http/openapi.ts';
import { createApiClient, disableClient } from './service.ts';

describe('machine API authentication', () => {
  let testApp: TestApp;
  let reader: { clientId: string; secret: string };
  let organisationId: string;

  before(async () => {
    testApp = await createTestApp({}, (app) => {
      defineApiOperation(
        app,
        {
          method: 'POST',
          path: '/api/v1/test-imports',
          operationId: 'testImport',
          summary: 'A test operation that needs imports:write',
          scopes: ['imports:write'],
          body: z.object({ rows: z.number().int().min(1).describe('How many rows') }),
          responses: { 201: { description: 'Accepted', schema: z.object({ accepted: z.number() }) } },
        },
        ({ body, reply }) => {
          void reply.code(201);
          return Promise.resolve({ accepted: body.rows });
        },
      );
    });
    const { db } = testApp.database;
    const area = await db.insertInto('area').values({ code: 'TST', name: 'Test' }).returning('id').executeTakeFirstOrThrow();
    const organisation = await db
      .insertInto('organisation')
      .values({ area_id: area.id, name: 'Test Constabulary', kind: 'police' })
      .returning('id')
      .executeTakeFirstOrThrow();
    organisationId = organisation.id;
    reader = await createApiClient(db, systemActor('test'), { organisation: 'Test Constabulary', name: 'Reader', scopes: ['referrals:read'] });
  });

  after(async () => {
    await testApp.close();
  });

  const whoami = (authorization?: string, remoteAddress = '10.0.0.1') =>
    testApp.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: authorization ? { authorization } : {}, remoteAddress });

  test('valid credentials: whoami names the client, its organisation and scopes', async () => {
    const response = await whoami(basicAuthorization(reader.clientId, reader.secret));
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      clientId: reader.clientId,
      name: 'Reader',
      organisation: { id: organisationId, name: 'Test Constabulary' },
      areaId: response.json<{ areaId: string }>().areaId,
      scopes: ['referrals:read'],
    });
    const used = await testApp.database.db.selectFrom('api_client').select('last_used_at').where('client_id', '=', reader.clientId).executeTakeFirstOrThrow();
    assert.ok(used.last_used_at);
  });

  for (const [label, authorization] of [
    ['no credentials', undefined],
    ['a wrong secret', () => basicAuthorization(reader.clientId, 'wrong')],
    ['an unknown client', () => basicAuthorization('hvn_nobody', 'x')],
    ['a bearer token', () => 'Bearer abc'],
  ] as const) {
    test(`${label}: 401 problem+json asking for Basic`, async () => {
      const response = await whoami(typeof authorization === 'function' ? authorization() : authorization, '10.0.0.2');
      assert.equal(response.statusCode, 401);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      assert.match(String(response.headers['www-authenticate']), /^Basic realm="Haven API"/);
      assert.equal(response.json<{ status: number }>().status, 401);
    });
  }

  test('valid credentials without the scope: 403 problem+json naming it; with it, the body is checked', async () => {
    const forbidden = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/test-imports',
      headers: { authorization: basicAuthorization(reader.clientId, reader.secret) },
      payload: { rows: 1 },
    });
    assert.equal(forbidden.statusCode, 403);
    assert.match(String(forbidden.headers['content-type']), /application\/problem\+json/);
    assert.match(forbidden.json<{ detail: string }>().detail, /imports:write/);

    const importer = await createApiClient(testApp.database.db, systemActor('test'), {
      organisation: 'Test Constabulary',
      name: 'Importer',
      scopes: ['imports:write'],
    });
    const authorization = basicAuthorization(importer.clientId, importer.secret);
    const invalid = await testApp.app.inject({ method: 'POST', url: '/api/v1/test-imports', headers: { authorization }, payload: { rows: 0 } });
    assert.equal(invalid.statusCode, 422);
    assert.ok(invalid.json<{ errors: Record<string, string> }>().errors.rows);
    const accepted = await testApp.app.inject({ method: 'POST', url: '/api/v1/test-imports', headers: { authorization }, payload: { rows: 3 } });
    assert.equal(accepted.statusCode, 201);
    assert.deepEqual(accepted.json(), { accepted: 3 });
  });

  test('a disabled client is refused, and disabling is audited', async () => {
    const { db } = testApp.database;
    const doomed = await createApiClient(db, systemActor('test'), { organisation: 'Test Constabulary', name: 'Old', scopes: ['referrals:read'] });
    assert.equal((await whoami(basicAuthorization(doomed.clientId, doomed.secret), '10.0.0.3')).statusCode, 200);
    await disableClient(db, systemActor('test'), doomed.clientId);
    assert.equal((await whoami(basicAuthorization(doomed.clientId, doomed.secret), '10.0.0.3')).statusCode, 401);
    const actions = await db.selectFrom('audit_event').select(['action', 'actor_label']).where('action', 'like', 'api_client.%').execute();
    assert.ok(actions.some((row) => row.action === 'api_client.disabled' && row.actor_label === 'system:test'));
    assert.ok(actions.some((row) => row.action === 'api_client.created'));
  });

  test('too many failures from one address are refused with 429, even with good credentials', async () => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      assert.equal((await whoami(basicAuthorization(reader.clientId, 'guess'), '10.9.9.9')).statusCode, 401);
    }
    const refused = await whoami(basicAuthorization(reader.clientId, reader.secret), '10.9.9.9');
    assert.equal(refused.statusCode, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.equal((await whoami(basicAuthorization(reader.clientId, reader.secret), '10.0.0.4')).statusCode, 200);
  });

  test('/api/openapi.json is an OpenAPI 3.1 document with whoami and the basicAuth scheme', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json<{
      openapi: string;
      info: { title: string; version: string };
      servers: { url: string }[];
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown>; requestBody?: unknown }>>;
    }>();
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.info.title && document.info.version && document.servers[0]?.url);
    assert.deepEqual(document.components.securitySchemes.basicAuth, {
      type: 'http',
      scheme: 'basic',
      description: 'Client id and secret issued by Haven for one organisation.',
    });
    const operation = document.paths['/api/v1/whoami']?.get;
    assert.equal(operation?.operationId, 'whoami');
    assert.ok(operation?.responses['200'] && operation.responses['401'] && operation.responses['403']);
    assert.ok(document.paths['/api/v1/test-imports']?.post?.requestBody);
  });

  test('/api/docs is an HTML page listing each operation with its scopes and fields', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/docs' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /text\/html/);
    assert.match(response.body, /GET \/api\/v1\/whoami/);
    assert.match(response.body, /None beyond valid credentials/);
    assert.match(response.body, /imports:write/);
    assert.match(response.body, /organisation\.name/);
    assert.match(response.body, /<code>rows<\/code>/);
  });
});
