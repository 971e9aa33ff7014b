// Every write runs in one transaction with its audit event and any jobs it enqueues; services use this helper so that
// the embedded database can tell a mistaken query on `db` inside a transaction from honest waiting.
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './schema.ts';
import { onTransactionPath } from './pglite-driver.ts';

export type Db = Kysely<Schema>;
export type Trx = Transaction<Schema>;

export function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  return onTransactionPath(() => db.transaction().execute(work));
}
