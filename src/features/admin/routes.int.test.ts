// The admin pages and the invitation pages through the whole application (app.inject): sign-in guard, roles,
// organisation scoping, forms with GOV.UK error summaries, redirects with success banners, and the audit trail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { actorFor, createStaffUser, csrfFor, mergeCookies, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { inviteUser } from './service.ts';

const PASSWORD = 'a perfectly long password';

type Csrf = { cookie: string; csrfToken: string };

/** Posts a form as a browser would, with the CSRF token of a page fetched first (or one already in hand). */
async function postForm(app: FastifyInstance, url: string, cookie: string, fields: Record<string, string>, csrfFrom: string | Csrf = url) {
  const { cookie: withCsrf, csrfToken } = typeof csrfFrom === 'string' ? await csrfFor(app, cookie, csrfFrom) : csrfFrom;
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: withCsrf, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfToken, ...fields }).toString(),
  });
}

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';


describe('invitation pages (not signed in)', () => {
  let test: TestApp;
  let admin: TestStaffUser;

  before(async () => {
    test = await createTestApp();
    admin = await createStaffUser(test.database.db, { role: 'administrator' });
  });
  after(async () => {
    await test.close();
  });

  it('explains plainly when a link is unknown or malformed', async () => {
    for (const url of ['/invitation', '/invitation?token=nonsense', `/invitation?token=${'A'.repeat(43)}`]) {
      const page = await test.app.inject({ method: 'GET', url });
      assert.equal(page.statusCode, 410, url);
      assert.match(page.body, /This invitation link has expired or has already been used/);
    }
  });

  it('creates a password, activates the account, and spends the link', async () => {
    const issued = await inviteUser(test.database.db, actorFor(admin), { fullName: 'Nia New', email: 'nia@example.org', role: 'coordinator' });
    const url = `/invitation?token=${issued.token}`;
    const form = await test.app.inject({ method: 'GET', url });
    const csrf = await csrfFor(test.app, '', url);
    assert.equal(form.statusCode, 200);
    assert.equal(titleOf(form.body), 'Create your password – Haven');
    assert.equal(form.headers['cache-control'], 'no-store');
    assert.doesNotMatch(form.body, /nia@example\.org|Nia New/);

    const short = await postForm(test.app, '/invitation', '', { token: issued.token, password: 'short', confirmPassword: 'short' }, url);
    assert.equal(short.statusCode, 422);
    assert.match(short.body, /govuk-error-summary/);
    assert.match(short.body, /href="#password"/);
    assert.match(short.body, /Password must be 12 characters or more/);
    assert.equal(titleOf(short.body), 'Error: Create your password – Haven');

    const mismatch = await postForm(test.app, '/invitation', '', { token: issued.token, password: PASSWORD, confirmPassword: `${PASSWORD}x` }, url);
    assert.equal(mismatch.statusCode, 422);
    assert.match(mismatch.body, /href="#confirmPassword"/);
    assert.doesNotMatch(mismatch.body, new RegExp(PASSWORD), 'the password is never sent back');

    const done = await postForm(test.app, '/invitation', '', { token: issued.token, password: PASSWORD, confirmPassword: PASSWORD }, url);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/invitation/accepted');
    const next = await test.app.inject({ method: 'GET', url: '/invitation/accepted' });
    assert.match(next.body, /href="\/sign-in"/);

    const row = await test.database.db.selectFrom('staff_user').select(['status', 'invitation_hash']).where('id', '=', issued.userId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'active', invitation_hash: null });

    const again = await test.app.inject({ method: 'GET', url });
    assert.equal(again.statusCode, 410);
    const replay = await postForm(test.app, '/invitation', '', { token: issued.token, password: PASSWORD, confirmPassword: PASSWORD }, csrf);
    assert.equal(replay.statusCode, 410);
  });

  it('refuses an expired link', async () => {
    const issued = await inviteUser(test.database.db, actorFor(admin), { fullName: 'Old Link', email: 'old@example.org', role: 'coordinator' });
    await test.database.db.updateTable('staff_user').set({ invitation_expires_at: new Date(Date.now() - 1) }).where('id', '=', issued.userId).execute();
    const page = await test.app.inject({ method: 'GET', url: `/invitation?token=${issued.token}` });
    assert.equal(page.statusCode, 410);
  });

  it('sends people who are not signed in from the admin pages to sign in', async () => {
    const page = await test.app.inject({ method: 'GET', url: '/users' });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/sign-in');
  });
});

describe('admin pages (signed in)', () => {
  let test: TestApp;
  let admin: TestStaffUser;
  let adminCookie: string;
  let colleague: TestStaffUser;
  let outsider: TestStaffUser;

  before(async () => {
    test = await createTestApp();
    admin = await createStaffUser(test.database.db, { role: 'administrator', displayName: 'Alex Admin' });
    colleague = await createStaffUser(test.database.db, { organisationId: admin.organisationId, displayName: 'Casey Colleague' });
    outsider = await createStaffUser(test.database.db, { displayName: 'Olu Outsider' });
    adminCookie = await signIn(test.app, admin);
  });
  after(async () => {
    await test.close();
  });

  const get = (url: string, cookie = adminCookie) => test.app.inject({ method: 'GET', url, headers: { cookie } });

  it('lists the organisation’s users with links by id, and audits the read', async () => {
    const page = await get('/users');
    assert.equal(page.statusCode, 200);
    assert.equal(titleOf(page.body), 'Users – Haven');
    assert.match(page.body, /Casey Colleague/);
    assert.match(page.body, new RegExp(`href="/users/${colleague.id}"`));
    assert.doesNotMatch(page.body, /Olu Outsider/);
    assert.match(page.body, /govuk-tag--green/);
    assert.match(page.body, /govuk-service-navigation__link" href="\/users"/, 'the Users entry is in the navigation');
    const audit = await test.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'staff_user.list_viewed').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor_user_id, admin.id);
  });

  it('shows a user under a title that does not name them', async () => {
    const page = await get(`/users/${colleague.id}`);
    assert.equal(page.statusCode, 200);
    assert.equal(titleOf(page.body), 'User details – Haven');
    assert.match(page.body, /Casey Colleague/);
    const audit = await test.database.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'staff_user.viewed')
      .where('record_id', '=', colleague.id)
      .execute();
    assert.equal(audit.length, 1);
  });

  it('answers 404 for another organisation’s user, a missing id or a malformed one', async () => {
    for (const id of [outsider.id, '00000000-0000-4000-8000-000000000000', 'nonsense']) {
      assert.equal((await get(`/users/${id}`)).statusCode, 404, id);
      assert.equal((await get(`/users/${id}/disable`)).statusCode, 404, id);
      const post = await postForm(test.app, `/users/${id}/disable`, adminCookie, {}, '/users/invite');
      assert.equal(post.statusCode, 404, id);
    }
    const row = await test.database.db.selectFrom('staff_user').select('status').where('id', '=', outsider.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
  });

  it('refuses anyone who is not an administrator with 403', async () => {
    const cookie = await signIn(test.app, colleague);
    assert.equal((await get('/users', cookie)).statusCode, 403);
    assert.equal((await get(`/users/${admin.id}`, cookie)).statusCode, 403);
    assert.equal((await get('/users/invite', cookie)).statusCode, 403);
    // A real token from a form this browser may open, so that only the role check can refuse the post.
    const spare = await inviteUser(test.database.db, actorFor(admin), { fullName: 'Spare', email: 'spare@example.org', role: 'coordinator' });
    const post = await postForm(test.app, `/users/${admin.id}/disable`, cookie, {}, `/invitation?token=${spare.token}`);
    assert.equal(post.statusCode, 403);
    assert.match(post.body, /You cannot see this page/, 'refused for the role, not for the form token');
  });

  it('shows GOV.UK errors for an empty invitation form', async () => {
    const page = await postForm(test.app, '/users/invite', adminCookie, { fullName: '', email: 'not an email' });
    assert.equal(page.statusCode, 422);
    assert.equal(titleOf(page.body), 'Error: Invite a user – Haven');
    assert.match(page.body, /govuk-error-summary/);
    assert.match(page.body, /href="#fullName"[^>]*>Enter the person’s full name/);
    assert.match(page.body, /href="#email"[^>]*>Enter an email address in the correct format/);
    assert.match(page.body, /href="#role"[^>]*>Select a role/);
    assert.match(page.body, /value="not an email"/, 'what was typed is kept');
  });

  it('shows a field error for an email another account uses', async () => {
    const page = await postForm(test.app, '/users/invite', adminCookie, { fullName: 'Someone', email: outsider.email.toUpperCase(), role: 'coordinator' });
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /href="#email"[^>]*>This email address is already used by another account/);
  });

  it('invites through the form, then the invitee accepts and becomes active', async () => {
    const page = await postForm(test.app, '/users/invite', adminCookie, { fullName: 'Ira Invited', email: 'ira@example.org', role: 'supervisor' });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    const link = /data-testid="invitation-link">([^<]+)</.exec(page.body)?.[1] ?? '';
    const token = new URL(link).searchParams.get('token') ?? '';
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);

    const created = await test.database.db.selectFrom('staff_user').selectAll().where('email', '=', 'ira@example.org').executeTakeFirstOrThrow();
    assert.equal(created.status, 'invited');
    assert.equal(created.organisation_id, admin.organisationId);

    const accepted = await postForm(test.app, '/invitation', '', { token, password: PASSWORD, confirmPassword: PASSWORD }, `/invitation?token=${token}`);
    assert.equal(accepted.statusCode, 303);
    const row = await test.database.db.selectFrom('staff_user').select('status').where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');

    const actions = await test.database.db
      .selectFrom('audit_event')
      .select(['action', 'detail'])
      .where('record_id', '=', created.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(actions.map((each) => each.action), ['staff_user.invited', 'staff_user.invitation_accepted']);
    assert.doesNotMatch(JSON.stringify(actions), /ira@example|Ira Invited/);
  });

  it('disables a user after confirmation, signing them out, and shows a success banner', async () => {
    const target = await createStaffUser(test.database.db, { organisationId: admin.organisationId, role: 'administrator' });
    const targetCookie = await signIn(test.app, target);
    assert.equal((await get('/users', targetCookie)).statusCode, 200);

    const confirm = await get(`/users/${target.id}/disable`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Are you sure you want to disable this user\?/);

    const done = await postForm(test.app, `/users/${target.id}/disable`, adminCookie, {}, `/users/${target.id}/disable`);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/users/${target.id}?done=disabled`);
    const shown = await get(done.headers.location);
    assert.match(shown.body, /govuk-notification-banner--success/);
    assert.match(shown.body, /The user has been disabled/);

    const sessions = await test.database.db.selectFrom('staff_session').select('id_hash').where('user_id', '=', target.id).execute();
    assert.equal(sessions.length, 0);
    const after = await get('/users', targetCookie);
    assert.equal(after.statusCode, 303, 'their old cookie no longer signs them in');

    const enabled = await postForm(test.app, `/users/${target.id}/enable`, adminCookie, {}, `/users/${target.id}`);
    assert.equal(enabled.headers.location, `/users/${target.id}?done=enabled`);
    const row = await test.database.db.selectFrom('staff_user').select('status').where('id', '=', target.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
  });

  it('does not offer or allow disabling oneself', async () => {
    const own = await get(`/users/${admin.id}`);
    assert.doesNotMatch(own.body, new RegExp(`/users/${admin.id}/disable`));
    const confirm = await get(`/users/${admin.id}/disable`);
    assert.equal(confirm.statusCode, 303);
    const post = await postForm(test.app, `/users/${admin.id}/disable`, adminCookie, {}, '/users/invite');
    assert.equal(post.statusCode, 409);
  });

  it('resets a second factor after confirmation', async () => {
    const target = await createStaffUser(test.database.db, { organisationId: admin.organisationId });
    await test.database.db.insertInto('recovery_code').values({ user_id: target.id, code_hash: 'x' }).execute();
    await signIn(test.app, target);

    const confirm = await get(`/users/${target.id}/reset-second-factor`);
    assert.equal(confirm.statusCode, 200);
    const done = await postForm(test.app, `/users/${target.id}/reset-second-factor`, adminCookie, {}, `/users/${target.id}/reset-second-factor`);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/users/${target.id}?done=second-factor-reset`);

    const row = await test.database.db.selectFrom('staff_user').select(['totp_secret', 'totp_last_step']).where('id', '=', target.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { totp_secret: null, totp_last_step: null });
    const codes = await test.database.db.selectFrom('recovery_code').select('id').where('user_id', '=', target.id).execute();
    assert.equal(codes.length, 0);
    const sessions = await test.database.db.selectFrom('staff_session').select('id_hash').where('user_id', '=', target.id).execute();
    assert.equal(sessions.length, 0);
    const audit = await test.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('record_id', '=', target.id)
      .where('action', '=', 'staff_user.second_factor_reset')
      .execute();
    assert.equal(audit.length, 1);
  });

  it('refuses a form without its CSRF token', async () => {
    const page = await test.app.inject({
      method: 'POST',
      url: `/users/${colleague.id}/disable`,
      headers: { cookie: mergeCookies(adminCookie, await get('/users')), 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /Your form could not be sent/);
    const row = await test.database.db.selectFrom('staff_user').select('status').where('id', '=', colleague.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
  });
});
