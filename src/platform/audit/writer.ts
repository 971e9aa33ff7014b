// Appends to the audit trail inside the caller's transaction, so the record of an action commits or fails with it.
import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/identity.ts';
import type { Trx } from '../db/transaction.ts';

export type AuditEntry = {
  action: string;
  recordType: string;
  recordId?: string | null;
  /** Never personal data: ids, field names and outcomes only. */
  detail?: Record<string, unknown>;
};

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
    case 'victim':
      // The account id, never a name: the trail says which portal account acted without holding who they are.
      return `portal:${actor.victim.accountId}`;
  }
}

/**
 * Appends one row to the audit trail in the caller's transaction. Writers never wait for each other: the sealer
 * (sealer.ts) links committed rows into the hash chain in turns, so a row is tamper-evident within about a second.
 */
export async function writeAudit(trx: Trx, actor: Actor, entry: AuditEntry): Promise<void> {
  await writeAuditMany(trx, actor, [entry]);
}

// Ten parameters a row, and PostgreSQL takes at most 65,535 in one statement.
const ROWS_PER_STATEMENT = 5000;

/** Appends many rows at once, a few thousand a statement: for work done in batches, such as a file import. */
export async function writeAuditMany(trx: Trx, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += ROWS_PER_STATEMENT) {
    await insertAuditRows(trx, actor, entries.slice(start, start + ROWS_PER_STATEMENT));
  }
}

/**
 * An `insert into audit_event ... select` statement, one row for each row of `source` (a CTE of the statement the caller
 * builds), for set-based work that touches tens of thousands of records in one statement, such as the overdue sweep.
 * The rows never travel to Node and back, and each record still gets its own audit row. `recordId` and `detail` are
 * SQL expressions over the source's columns; detail must hold ids and outcomes only, never personal data.
 */
export function auditRowsFor(actor: Actor, entry: { action: string; recordType: string; source: string; recordId: RawBuilder<unknown>; detail: RawBuilder<unknown> }): RawBuilder<unknown> {
  const { actorUserId, organisationId } = actorColumns(actor);
  return sql`
    insert into audit_event (at, actor_user_id, actor_label, organisation_id, action, record_type, record_id, request_id, detail)
    select ${new Date()}::timestamptz, ${actorUserId}::uuid, ${actorLabel(actor)}, ${organisationId}::uuid, ${entry.action}, ${entry.recordType},
      (${entry.recordId})::text, ${actor.requestId ?? null}, ${entry.detail}
    from ${sql.table(entry.source)}`;
}

function actorColumns(actor: Actor): { actorUserId: string | null; organisationId: string | null } {
  return {
    actorUserId: actor.kind === 'staff' ? actor.staff.userId : null,
    organisationId: actor.kind === 'staff' ? actor.staff.organisationId : actor.kind === 'api_client' ? actor.client.organisationId : null,
  };
}

async function insertAuditRows(trx: Trx, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  // Millisecond precision, which timestamptz keeps exactly, so the sealer and verifier hash the same instant.
  const at = new Date();
  const { actorUserId, organisationId } = actorColumns(actor);
  await trx
    .insertInto('audit_event')
    .values(
      entries.map((entry) => ({
        at,
        actor_user_id: actorUserId,
        actor_label: actorLabel(actor),
        organisation_id: organisationId,
        action: entry.action,
        record_type: entry.recordType,
        record_id: entry.recordId ?? null,
        request_id: actor.requestId ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      })),
    )
    .execute();
}
