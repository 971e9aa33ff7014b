// Funding awards to providers, under /insights/funding.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/transaction.ts';

export function registerFundingPages(_app: FastifyInstance, _deps: { db: Db }): void {}
