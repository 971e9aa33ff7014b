// The quarterly Victims' Code compliance report, under /insights/report.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/transaction.ts';

export function registerComplianceReportPages(_app: FastifyInstance, _deps: { db: Db }): void {}
