// Prometheus metrics for one app: request counts and latency by route pattern (never the raw URL, which could carry
// an id or a search), and job queue depth read at scrape time. Each app has its own registry, so tests can build many.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueue } from '../jobs/job-queue.ts';
import { withTimeLimit } from '../jobs/time-limit.ts';

export type Metrics = { registry: Registry };

const LABELS = ['method', 'route', 'status'] as const;

export function registerMetrics(app: FastifyInstance, options: { jobs: JobQueue; processMetrics: boolean }): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'haven_' });

  const requests = new Counter({
    name: 'haven_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'haven_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status.',
    labelNames: LABELS,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'haven_job_queue_depth',
    help: 'Jobs waiting (state "waiting": created, deferred or due for retry) and running (state "active"), by queue.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // A scrape must still answer when the database does not: the depth is simply missing from that scrape.
      const depths = await withTimeLimit(options.jobs.depth(), 1500).catch(() => []);
      for (const { queue, waiting, active } of depths) {
        this.set({ queue, state: 'waiting' }, waiting);
        this.set({ queue, state: 'active' }, active);
      }
    },
  });

  app.addHook('onResponse', (request, reply, done) => {
    // Unmatched requests share one label, so a scan of random paths cannot grow the series without limit.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  return { registry };
}
