// Lets pg-boss write its job row through the caller's Kysely transaction, so the job commits or rolls back with the
// change that asked for it.
import { CompiledQuery, type Transaction } from 'kysely';
import type { SqlExecutor } from '../db/database.ts';

export function executorOver<DB>(trx: Transaction<DB>): SqlExecutor {
  return {
    async executeSql(text, values) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: [...result.rows] };
    },
  };
}
