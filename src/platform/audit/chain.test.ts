import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, GENESIS_HASH, hashAuditRow, type AuditContent } from './chain.ts';

const row: AuditContent = {
  at: new Date('2026-11-21T10:00:00.123Z'),
  actorUserId: '6f1c1f5e-6b7a-4a39-9d55-3f2f54b1e0a1',
  actorLabel: 'staff:administrator',
  organisationId: null,
  action: 'user.invited',
  recordType: 'staff_user',
  recordId: 'abc',
  requestId: 'req-1',
  detail: { role: 'coordinator', changed: ['status'] },
};

describe('audit chain hashing', () => {
  it('does not depend on the order of keys, as jsonb reorders them', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: 2, c: 3 } }), canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('changes when any field or the previous hash changes', () => {
    const base = hashAuditRow(GENESIS_HASH, row);
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.notEqual(hashAuditRow('1'.repeat(64), row), base);
    assert.notEqual(hashAuditRow(GENESIS_HASH, { ...row, action: 'user.disabled' }), base);
    assert.notEqual(hashAuditRow(GENESIS_HASH, { ...row, at: new Date(row.at.getTime() + 1) }), base);
    assert.notEqual(hashAuditRow(GENESIS_HASH, { ...row, detail: { role: 'supervisor', changed: ['status'] } }), base);
  });

  it('is stable for the same content', () => {
    assert.equal(hashAuditRow(GENESIS_HASH, { ...row, detail: { changed: ['status'], role: 'coordinator' } }), hashAuditRow(GENESIS_HASH, row));
  });
});
