// Placeholder until this feature's pages are written; app.ts already registers it.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/transaction.ts';

export function registerPortalPreferencePages(_app: FastifyInstance, _deps: { db: Db }): void {}
