// Appends to the audit trail inside the caller's transaction, so the record of an action commits or fails with it.
import { sql } from 'kysely';
import type { Actor } from '../auth/identity.ts';
import type { Trx } from '../db/transaction.ts';
import { GENESIS_HASH, hashAuditRow, type AuditContent } from './chain.ts';

export type AuditEntry = {
  action: string;
  recordType: string;
  recordId?: string | null;
  /** Never personal data: ids, field names and outcomes only. */
  detail?: Record<string, unknown>;
};

// Any constant shared by all writers: the advisory lock makes appends to the chain take turns until commit, so each
// row's previous hash is the row committed just before it, however many requests write at once.
const AUDIT_CHAIN_LOCK = 7_240_501;

function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'staff':
      return `staff:${actor.staff.role}`;
    case 'system':
      return `system:${actor.label}`;
    case 'api_client':
      return `api:${actor.client.clientId}`;
    case 'public':
      return 'public';
  }
}

export async function writeAudit(trx: Trx, actor: Actor, entry: AuditEntry): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_event').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const previousHash = last?.hash ?? GENESIS_HASH;
  const content: AuditContent = {
    // Millisecond precision, which timestamptz keeps exactly, so the verifier recomputes the same hash.
    at: new Date(),
    actorUserId: actor.kind === 'staff' ? actor.staff.userId : null,
    actorLabel: actorLabel(actor),
    organisationId: actor.kind === 'staff' ? actor.staff.organisationId : actor.kind === 'api_client' ? actor.client.organisationId : null,
    action: entry.action,
    recordType: entry.recordType,
    recordId: entry.recordId ?? null,
    requestId: actor.requestId ?? null,
    detail: entry.detail ?? {},
  };
  await trx
    .insertInto('audit_event')
    .values({
      at: content.at,
      actor_user_id: content.actorUserId,
      actor_label: content.actorLabel,
      organisation_id: content.organisationId,
      action: content.action,
      record_type: content.recordType,
      record_id: content.recordId,
      request_id: content.requestId,
      detail: JSON.stringify(content.detail),
      previous_hash: previousHash,
      hash: hashAuditRow(previousHash, content),
    })
    .execute();
}
