// The operations endpoints through the whole app: ping, health (up, and down once the database has gone) and metrics.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

describe('operations endpoints', () => {
  let testApp: TestApp;

  before(async () => {
    testApp = await createTestApp();
  });

  after(async () => {
    await testApp.close();
  });

  test('GET /ping answers pong', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/ping' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, 'pong');
  });

  test('GET /metrics counts requests by route pattern and reports queue depth', async () => {
    await testApp.app.inject({ method: 'GET', url: '/ping' });
    await testApp.app.inject({ method: 'GET', url: '/no-such-page/12345' });
    const response = await testApp.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] ?? '', /^text\/plain/);
    assert.match(response.body, /haven_http_requests_total\{method="GET",route="\/ping",status="200"\} [1-9]/);
    assert.match(response.body, /haven_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/ping",status="200"\}/);
    assert.match(response.body, /haven_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    assert.doesNotMatch(response.body, /12345/);
    assert.match(response.body, /# TYPE haven_job_queue_depth gauge/);
  });

  test('GET /health is 200 when the database and the job queue answer', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/health' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', checks: { database: 'up', jobs: 'up' } });
  });

  test('GET /health is 503 once the database has closed', async () => {
    await testApp.database.close();
    const response = await testApp.app.inject({ method: 'GET', url: '/health' });
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), { status: 'unavailable', checks: { database: 'down', jobs: 'down' } });
  });
});
