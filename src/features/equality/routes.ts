// Equality monitoring questions on a case, under /cases/:caseId/equality.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/transaction.ts';

export function registerEqualityPages(_app: FastifyInstance, _deps: { db: Db }): void {}
