// Operations endpoints for load balancers and monitoring: /ping (the process answers), /health (the database and the
// job queue answer) and /metrics (Prometheus). They carry no personal data and need no sign-in.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { withTimeLimit } from '../jobs/time-limit.ts';
import type { Metrics } from './metrics.ts';

/** A health check must answer well inside a load balancer's own timeout, even when the database hangs. */
const CHECK_TIME_LIMIT_MS = 1500;

type CheckState = 'up' | 'down';
export type HealthReport = { status: 'ok' | 'unavailable'; checks: { database: CheckState; jobs: CheckState } };

export function registerOperations(
  app: FastifyInstance,
  options: { database: Database; jobs: JobQueue; metrics: Metrics },
): void {
  const { database, jobs, metrics } = options;

  app.get('/ping', (_request, reply) => reply.header('cache-control', 'no-store').type('text/plain').send('pong'));

  app.get('/health', async (_request, reply) => {
    const [databaseUp, jobsUp] = await Promise.all([
      withTimeLimit(database.ping(), CHECK_TIME_LIMIT_MS).then(
        () => true,
        () => false,
      ),
      jobs.isHealthy(CHECK_TIME_LIMIT_MS),
    ]);
    const report: HealthReport = {
      status: databaseUp && jobsUp ? 'ok' : 'unavailable',
      checks: { database: databaseUp ? 'up' : 'down', jobs: jobsUp ? 'up' : 'down' },
    };
    return reply
      .code(report.status === 'ok' ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(report);
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(body);
  });
}
