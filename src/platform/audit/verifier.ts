// Walks the audit trail in order and names the first row whose hash or link does not match.
import type { Db } from '../db/transaction.ts';
import { GENESIS_HASH, hashAuditRow } from './chain.ts';

export type ChainReport = { ok: true; checked: number } | { ok: false; checked: number; brokenId: number; reason: string };

const BATCH = 1000;

export async function verifyAuditChain(db: Db): Promise<ChainReport> {
  let previousHash = GENESIS_HASH;
  let afterId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_event').selectAll().where('id', '>', afterId).orderBy('id').limit(BATCH).execute();
    for (const row of rows) {
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
      previousHash = row.hash;
      afterId = row.id;
      checked += 1;
    }
    if (rows.length < BATCH) return { ok: true, checked };
  }
}
