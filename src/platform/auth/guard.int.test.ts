// requireStaff(): pages send a stranger to sign in, the API answers 401, and a role not on the list gets 403.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import { readConfig } from '../../config.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { createStaffUser, signIn } from '../../../test/support/staff.ts';
import { requireStaff } from './guard.ts';

let app: FastifyInstance;
let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
  app = await buildApp({ config: readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database });
  app.get('/guard-test/administrators', { preHandler: requireStaff(['administrator']) }, () => 'administrators only');
  app.get('/api/guard-test', { preHandler: requireStaff() }, () => ({ ok: true }));
  await app.ready();
});
after(async () => {
  await app.close();
  await database.drop();
});

test('a page sends someone not signed in to /sign-in with 303', async () => {
  const response = await app.inject({ url: '/guard-test/administrators' });
  assert.equal(response.statusCode, 303);
  assert.equal(response.headers.location, '/sign-in');
});

test('an API path answers 401 problem+json', async () => {
  const response = await app.inject({ url: '/api/guard-test' });
  assert.equal(response.statusCode, 401);
  assert.match(String(response.headers['content-type']), /application\/problem\+json/);
  assert.equal(response.json<{ status: number }>().status, 401);
});

test('a role not on the list gets the 403 page; a listed role gets through', async () => {
  const coordinator = await createStaffUser(database.db, { role: 'coordinator' });
  const refused = await app.inject({ url: '/guard-test/administrators', headers: { cookie: await signIn(app, coordinator) } });
  assert.equal(refused.statusCode, 403);
  assert.match(String(refused.headers['content-type']), /text\/html/);

  const administrator = await createStaffUser(database.db, { role: 'administrator' });
  const allowed = await app.inject({ url: '/guard-test/administrators', headers: { cookie: await signIn(app, administrator) } });
  assert.equal(allowed.statusCode, 200);
  assert.equal(allowed.body, 'administrators only');
});
