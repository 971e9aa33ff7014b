// Links committed audit rows into the hash chain, oldest id first, in turns: an advisory lock lets one sealer run at a
// time across every Haven process on the database. Each row's previous hash is the hash of the row sealed just before
// it, and chain_position is its place in the chain. A row still open in a writer's transaction is not visible yet; it
// is sealed on a later pass, further along the chain, so nothing is skipped.
import { sql } from 'kysely';
import { inTransaction, type Db } from '../db/transaction.ts';
import { GENESIS_HASH, hashAuditRow } from './chain.ts';

const AUDIT_SEAL_LOCK = 7_240_501;
const SEAL_BATCH = 2000;

/** Seals every audit row committed so far; returns how many it sealed. */
export async function sealAuditTrail(db: Db): Promise<number> {
  let sealed = 0;
  for (;;) {
    const count = await inTransaction(db, async (trx) => {
      await sql`select pg_advisory_xact_lock(${AUDIT_SEAL_LOCK})`.execute(trx);
      const rows = await trx
        .selectFrom('audit_event')
        .selectAll()
        .where('chain_position', 'is', null)
        .orderBy('id')
        .limit(SEAL_BATCH)
        .execute();
      if (!rows.length) return 0;
      const last = await trx
        .selectFrom('audit_event')
        .select(['hash', 'chain_position'])
        .where('chain_position', 'is not', null)
        .orderBy('chain_position', 'desc')
        .limit(1)
        .executeTakeFirst();
      let previousHash = last?.hash ?? GENESIS_HASH;
      let position = Number(last?.chain_position ?? 0);
      const ids: number[] = [];
      const previous: string[] = [];
      const hashes: string[] = [];
      const positions: number[] = [];
      for (const row of rows) {
        const hash = hashAuditRow(previousHash, {
          at: row.at,
          actorUserId: row.actor_user_id,
          actorLabel: row.actor_label,
          organisationId: row.organisation_id,
          action: row.action,
          recordType: row.record_type,
          recordId: row.record_id,
          requestId: row.request_id,
          detail: row.detail,
        });
        position += 1;
        ids.push(row.id);
        previous.push(previousHash);
        hashes.push(hash);
        positions.push(position);
        previousHash = hash;
      }
      await sql`
        update audit_event a set previous_hash = s.previous_hash, hash = s.hash, chain_position = s.chain_position
        from unnest(${ids}::bigint[], ${previous}::text[], ${hashes}::text[], ${positions}::bigint[])
          as s(id, previous_hash, hash, chain_position)
        where a.id = s.id`.execute(trx);
      return rows.length;
    });
    sealed += count;
    if (count < SEAL_BATCH) return sealed;
  }
}

export type AuditSealer = { stop(): Promise<void> };

/**
 * Seals the trail every `intervalMs` in the background until stopped. A failed pass (the database briefly away) is
 * reported and retried on the next tick; stop() waits for a pass in flight and seals once more, so a clean shutdown
 * leaves nothing unsealed.
 */
export function startAuditSealer(db: Db, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): AuditSealer {
  const intervalMs = options.intervalMs ?? 1000;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    running = running.then(() => sealAuditTrail(db)).catch((error: unknown) => options.onError?.(error));
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void pass();
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await pass();
    },
  };
}
