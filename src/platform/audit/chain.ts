// How one audit row is hashed. Pure, so that the writer and the verifier cannot disagree about it.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditContent = {
  at: Date;
  actorUserId: string | null;
  actorLabel: string;
  organisationId: string | null;
  action: string;
  recordType: string;
  recordId: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
};

/** JSON with object keys sorted: jsonb reorders keys, so the hash must not depend on their order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashAuditRow(previousHash: string, content: AuditContent): string {
  const body = canonicalJson({
    previousHash,
    at: content.at.toISOString(),
    actorUserId: content.actorUserId,
    actorLabel: content.actorLabel,
    organisationId: content.organisationId,
    action: content.action,
    recordType: content.recordType,
    recordId: content.recordId,
    requestId: content.requestId,
    detail: content.detail,
  });
  return createHash('sha256').update(body).digest('hex');
}
