// Keeps the insights aggregates current.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/transaction.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';

export async function registerInsightUpkeep(_app: FastifyInstance, _jobs: JobQueue, _db: Db): Promise<void> {}
