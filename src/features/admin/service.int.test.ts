// The admin service against a real database (PGlite, or PostgreSQL when HAVEN_TEST_POSTGRES_URL is set): scoping to the
// organisation, the invitation life cycle, disabling, resetting a second factor, and the audit trail of each.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../platform/auth/identity.ts';
import { verifyPassword } from '../../platform/auth/passwords.ts';
import { createSession } from '../../platform/auth/session-store.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { createStaffUser, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import {
  InvitationUnusable,
  acceptInvitation,
  checkInvitationLink,
  disableUser,
  enableUser,
  inviteUser,
  listUsers,
  reissueInvitation,
  resetSecondFactor,
  viewUser,
} from './service.ts';

const asActor = (user: TestStaffUser): Actor => ({
  kind: 'staff',
  staff: {
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    organisationId: user.organisationId,
    organisationName: user.organisationName,
    areaId: user.areaId,
  },
});

const PASSWORD = 'a long enough password';

describe('admin service', () => {
  let database: TestDatabase;
  let admin: TestStaffUser;
  let colleague: TestStaffUser;
  let outsider: TestStaffUser;
  let coordinator: TestStaffUser;

  before(async () => {
    database = await createTestDatabase();
    admin = await createStaffUser(database.db, { role: 'administrator', displayName: 'Alex Admin' });
    colleague = await createStaffUser(database.db, { organisationId: admin.organisationId, displayName: 'Casey Colleague' });
    coordinator = await createStaffUser(database.db, { organisationId: admin.organisationId, role: 'coordinator' });
    outsider = await createStaffUser(database.db, { role: 'administrator' });
  });
  after(async () => {
    await database.drop();
  });

  const auditRows = (action: string, recordId?: string) => {
    let query = database.db.selectFrom('audit_event').selectAll().where('action', '=', action);
    if (recordId) query = query.where('record_id', '=', recordId);
    return query.execute();
  };

  it('lists only the administrator’s own organisation, and audits the read', async () => {
    const users = await listUsers(database.db, asActor(admin));
    const ids = users.map((user) => user.id).sort();
    assert.deepEqual(ids, [admin.id, colleague.id, coordinator.id].sort());
    const rows = await auditRows('staff_user.list_viewed', admin.organisationId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.actor_user_id, admin.id);
    assert.deepEqual(rows[0]?.detail, { count: 3 });
  });

  it('refuses anyone who is not an administrator', async () => {
    await assert.rejects(listUsers(database.db, asActor(coordinator)), Forbidden);
    await assert.rejects(viewUser(database.db, asActor(coordinator), colleague.id), Forbidden);
    await assert.rejects(disableUser(database.db, asActor(coordinator), colleague.id), Forbidden);
    await assert.rejects(inviteUser(database.db, { kind: 'public' }, { fullName: 'X', email: 'x@example.org', role: 'coordinator' }), Forbidden);
  });

  it('treats another organisation’s user, a missing id and a malformed id alike', async () => {
    for (const id of [outsider.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      await assert.rejects(viewUser(database.db, asActor(admin), id), NotFound, id);
      await assert.rejects(disableUser(database.db, asActor(admin), id), NotFound, id);
      await assert.rejects(resetSecondFactor(database.db, asActor(admin), id), NotFound, id);
      await assert.rejects(enableUser(database.db, asActor(admin), id), NotFound, id);
      await assert.rejects(reissueInvitation(database.db, asActor(admin), id), NotFound, id);
    }
    const outsiderRow = await database.db.selectFrom('staff_user').select('status').where('id', '=', outsider.id).executeTakeFirstOrThrow();
    assert.equal(outsiderRow.status, 'active');
  });

  it('audits viewing a user, with no personal data in the detail', async () => {
    const details = await viewUser(database.db, asActor(admin), colleague.id);
    assert.equal(details.account.displayName, 'Casey Colleague');
    assert.equal(details.actions.disable, true);
    const rows = await auditRows('staff_user.viewed', colleague.id);
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0]?.detail, { page: 'details' });
    assert.doesNotMatch(JSON.stringify(rows[0]), /Casey|@example/);
  });

  it('invites, then the invitee accepts and becomes active with a password', async () => {
    const issued = await inviteUser(database.db, asActor(admin), { fullName: 'Indi Invitee', email: 'Indi@Example.org', role: 'supervisor' });
    const stored = await database.db.selectFrom('staff_user').selectAll().where('id', '=', issued.userId).executeTakeFirstOrThrow();
    assert.equal(stored.status, 'invited');
    assert.equal(stored.email, 'indi@example.org');
    assert.equal(stored.organisation_id, admin.organisationId);
    assert.equal(stored.password_hash, null);
    assert.notEqual(stored.invitation_hash, issued.token, 'only the hash of the token is stored');
    assert.match(stored.invitation_hash ?? '', /^[0-9a-f]{64}$/);
    const days = ((stored.invitation_expires_at?.getTime() ?? 0) - Date.now()) / 86_400_000;
    assert.ok(days > 6.99 && days <= 7, `expires in ${days} days`);

    await checkInvitationLink(database.db, issued.token);
    await acceptInvitation(database.db, issued.token, { password: PASSWORD, confirmPassword: PASSWORD });

    const active = await database.db.selectFrom('staff_user').selectAll().where('id', '=', issued.userId).executeTakeFirstOrThrow();
    assert.equal(active.status, 'active');
    assert.equal(active.invitation_hash, null);
    assert.equal(active.invitation_expires_at, null);
    assert.equal(await verifyPassword(active.password_hash ?? '', PASSWORD), true);

    const invited = await auditRows('staff_user.invited', issued.userId);
    assert.deepEqual(invited[0]?.detail, { role: 'supervisor' });
    const accepted = await auditRows('staff_user.invitation_accepted', issued.userId);
    assert.equal(accepted.length, 1);
    assert.equal(accepted[0]?.actor_user_id, issued.userId);

    // The link is spent.
    await assert.rejects(checkInvitationLink(database.db, issued.token), InvitationUnusable);
    await assert.rejects(acceptInvitation(database.db, issued.token, { password: PASSWORD, confirmPassword: PASSWORD }), InvitationUnusable);
  });

  it('refuses an email already used by any account, whatever its case or organisation', async () => {
    for (const email of [colleague.email.toUpperCase(), outsider.email]) {
      await assert.rejects(
        inviteUser(database.db, asActor(admin), { fullName: 'Dee Duplicate', email, role: 'coordinator' }),
        (error: unknown) => error instanceof Invalid && error.fields.email === 'This email address is already used by another account',
      );
    }
  });

  it('reports every invalid field and stores nothing', async () => {
    const before = await database.db.selectFrom('staff_user').select(database.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await assert.rejects(
      inviteUser(database.db, asActor(admin), { fullName: '', email: 'nope', role: 'root' }),
      (error: unknown) => error instanceof Invalid && Object.keys(error.fields).sort().join() === 'email,fullName,role',
    );
    const after = await database.db.selectFrom('staff_user').select(database.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });

  it('refuses an expired, unknown or malformed invitation', async () => {
    const issued = await inviteUser(database.db, asActor(admin), { fullName: 'Eve Expired', email: 'eve@example.org', role: 'coordinator' });
    await database.db
      .updateTable('staff_user')
      .set({ invitation_expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', issued.userId)
      .execute();
    for (const token of [issued.token, 'A'.repeat(43), 'short', undefined]) {
      await assert.rejects(acceptInvitation(database.db, token, { password: PASSWORD, confirmPassword: PASSWORD }), InvitationUnusable);
    }
    // A new link replaces the old one and works.
    const reissued = await reissueInvitation(database.db, asActor(admin), issued.userId);
    await checkInvitationLink(database.db, reissued.token);
    await assert.rejects(checkInvitationLink(database.db, issued.token), InvitationUnusable);
  });

  it('checks the new password before accepting', async () => {
    const issued = await inviteUser(database.db, asActor(admin), { fullName: 'Pat Password', email: 'pat@example.org', role: 'coordinator' });
    await assert.rejects(
      acceptInvitation(database.db, issued.token, { password: 'short', confirmPassword: 'short' }),
      (error: unknown) => error instanceof Invalid && error.fields.password === 'Password must be 12 characters or more',
    );
    const row = await database.db.selectFrom('staff_user').select('status').where('id', '=', issued.userId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'invited');
  });

  it('disables a user and ends all their sessions, then enables them again', async () => {
    const target = await createStaffUser(database.db, { organisationId: admin.organisationId });
    await inTransaction(database.db, async (trx) => {
      await createSession(trx, target.id, 'signed_in', new Date());
      await createSession(trx, target.id, 'second_factor', new Date());
      await createSession(trx, admin.id, 'signed_in', new Date());
    });
    await disableUser(database.db, asActor(admin), target.id);
    const row = await database.db.selectFrom('staff_user').select('status').where('id', '=', target.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'disabled');
    const sessions = await database.db.selectFrom('staff_session').select('user_id').execute();
    assert.equal(sessions.filter((session) => session.user_id === target.id).length, 0);
    assert.ok(sessions.some((session) => session.user_id === admin.id), 'other users keep their sessions');
    assert.deepEqual((await auditRows('staff_user.disabled', target.id))[0]?.detail, { previousStatus: 'active' });

    // Sending the form again changes and audits nothing more.
    await disableUser(database.db, asActor(admin), target.id);
    assert.equal((await auditRows('staff_user.disabled', target.id)).length, 1);

    await enableUser(database.db, asActor(admin), target.id);
    const enabled = await database.db.selectFrom('staff_user').select('status').where('id', '=', target.id).executeTakeFirstOrThrow();
    assert.equal(enabled.status, 'active');
    assert.deepEqual((await auditRows('staff_user.enabled', target.id))[0]?.detail, { status: 'active' });
  });

  it('does not let an administrator disable or reset themselves', async () => {
    await assert.rejects(disableUser(database.db, asActor(admin), admin.id), Conflict);
    await assert.rejects(resetSecondFactor(database.db, asActor(admin), admin.id), Conflict);
    const row = await database.db.selectFrom('staff_user').select('status').where('id', '=', admin.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
  });

  it('a disabled invitee cannot accept until enabled again', async () => {
    const issued = await inviteUser(database.db, asActor(admin), { fullName: 'Dani Disabled', email: 'dani@example.org', role: 'coordinator' });
    await disableUser(database.db, asActor(admin), issued.userId);
    await assert.rejects(checkInvitationLink(database.db, issued.token), InvitationUnusable);
    await enableUser(database.db, asActor(admin), issued.userId);
    const row = await database.db.selectFrom('staff_user').select('status').where('id', '=', issued.userId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'invited');
    await checkInvitationLink(database.db, issued.token);
  });

  it('resets a second factor: secret, last step and recovery codes gone, sessions ended', async () => {
    const target = await createStaffUser(database.db, { organisationId: admin.organisationId });
    await database.db.updateTable('staff_user').set({ totp_last_step: 12345 }).where('id', '=', target.id).execute();
    await database.db
      .insertInto('recovery_code')
      .values([
        { user_id: target.id, code_hash: 'a' },
        { user_id: target.id, code_hash: 'b' },
        { user_id: colleague.id, code_hash: 'c' },
      ])
      .execute();
    await inTransaction(database.db, (trx) => createSession(trx, target.id, 'signed_in', new Date()));

    await resetSecondFactor(database.db, asActor(admin), target.id);

    const row = await database.db.selectFrom('staff_user').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
    assert.equal(row.totp_secret, null);
    assert.equal(row.totp_last_step, null);
    assert.equal(row.status, 'active');
    assert.notEqual(row.password_hash, null, 'the password is kept');
    const codes = await database.db.selectFrom('recovery_code').select('user_id').execute();
    assert.deepEqual(codes.map((code) => code.user_id), [colleague.id]);
    const sessions = await database.db.selectFrom('staff_session').select('id_hash').where('user_id', '=', target.id).execute();
    assert.equal(sessions.length, 0);
    assert.deepEqual((await auditRows('staff_user.second_factor_reset', target.id))[0]?.detail, { hadSecondFactor: true });
  });
});
