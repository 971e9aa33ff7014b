// Seals whatever is waiting, then walks the audit trail in chain order and names the first row whose hash or link does
// not match, or whose place in the chain is not the next one. A row committed after the seal pass is checked next time.
import type { Db } from '../db/transaction.ts';
import { GENESIS_HASH, hashAuditRow } from './chain.ts';
import { sealAuditTrail } from './sealer.ts';

export type ChainReport = { ok: true; checked: number } | { ok: false; checked: number; brokenId: number; reason: string };

const BATCH = 1000;

export async function verifyAuditChain(db: Db): Promise<ChainReport> {
  await sealAuditTrail(db);
  let previousHash = GENESIS_HASH;
  let afterPosition = 0;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('chain_position', '>', afterPosition)
      .orderBy('chain_position')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      if (Number(row.chain_position) !== afterPosition + 1) {
        return { ok: false, checked, brokenId: row.id, reason: 'the row before it in the chain is missing' };
      }
      if (row.previous_hash !== previousHash) {
        return { ok: false, checked, brokenId: row.id, reason: 'its link to the row before does not match' };
      }
      const expected = hashAuditRow(previousHash, {
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
      if (row.hash !== expected) return { ok: false, checked, brokenId: row.id, reason: 'its contents do not match its hash' };
      previousHash = expected;
      afterPosition = Number(row.chain_position);
      checked += 1;
    }
    if (rows.length < BATCH) break;
  }
  return { ok: true, checked };
}
