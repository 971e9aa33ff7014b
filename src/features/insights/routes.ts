// The commissioner's dashboards under /insights.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/transaction.ts';

export function registerInsightPages(_app: FastifyInstance, _deps: { db: Db }): void {}
