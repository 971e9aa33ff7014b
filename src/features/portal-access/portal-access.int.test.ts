// The hub's portal-access page, on PGlite or PostgreSQL: an invitation link goes only by a safe channel and signs the
// victim in once; a parent or carer can be linked only to a child victim, a supporter to anyone; a removed link ends
// their sessions and their reach at once; only the hub with access to the case may do any of it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startFakeNotify, type FakeNotify } from '../../../test/support/fake-notify.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, csrfFor, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { receiveReferral } from '../intake/service.ts';
import { casesInReach } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
let counter = 0;

describe('portal access for the hub', () => {
  let test: TestApp;
  let notify: FakeNotify;
  let coordinator: TestStaffUser;
  let officer: TestStaffUser;
  let cookie: string;
  let forceId: string;

  async function newCase(dateOfBirth: string, channels: ('email' | 'sms' | 'phone' | 'letter')[] = ['email']) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `ACCESS-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Cai', familyName: `Access${counter}`, dateOfBirth, email: `cai${counter}@example.org`, phone: `0770088${String(1000 + counter).slice(-4)}`, safeContact: { channels } },
        crime: { crimeReference: `PA/${50000 + counter}/26`, offenceCode: '8N', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    return receipt;
  }

  before(async () => {
    notify = await startFakeNotify();
    test = await createTestApp({ notifyApiKey: notify.apiKey, notifyBaseUrl: notify.baseUrl, havenBaseUrl: 'https://haven.example' });
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', withTotp: true });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId })).id;
    officer = await createStaffUser(test.database.db, { role: 'police_officer', organisationId: forceId, withTotp: true });
    cookie = await signIn(test.app, coordinator);
  });
  after(async () => {
    await test.close();
    await notify.close();
  });

  it('sends an invitation link by email, which signs the victim in once', async () => {
    const { caseId } = await newCase('1990-01-01');
    const page = `/cases/${caseId}/portal-access`;
    const sent = await postForm(test.app, `${page}/invitation`, cookie, {}, page);
    assert.equal(sent.statusCode, 303);
    const message = notify.sent.at(-1)!;
    assert.equal(message.channel, 'email');
    const link = message.personalisation.link!;
    assert.match(link, /^https:\/\/haven\.example\/my-case\/invitation\/[\w-]{43}$/);
    const shown = await test.app.inject({ method: 'GET', url: page, headers: { cookie } });
    assert.ok(!shown.body.includes(link.split('/').at(-1)!), 'staff never see the link');
    const path = new URL(link).pathname;
    const opened = await csrfFor(test.app, '', path);
    const accepted = await test.app.inject({ method: 'POST', url: path, headers: { cookie: opened.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(opened.csrfToken)}` });
    assert.equal(accepted.headers.location, '/my-case');
  });

  it('refuses an invitation when no channel is safe', async () => {
    const { caseId } = await newCase('1990-01-01', ['letter']);
    const page = `/cases/${caseId}/portal-access`;
    const shown = await test.app.inject({ method: 'GET', url: page, headers: { cookie } });
    assert.match(shown.body, /no invitation can be sent/);
    const sent = await postForm(test.app, `${page}/invitation`, cookie, {}, page);
    assert.equal(sent.statusCode, 422);
    assert.match(sent.body, /There is no safe way to send a link/);
  });

  it('links a parent only to a child, a supporter to anyone, and removing a link ends their reach at once', async () => {
    const adult = await newCase('1980-05-05');
    const adultPage = `/cases/${adult.caseId}/portal-access`;
    const refused = await postForm(test.app, `${adultPage}/links`, cookie, { displayName: 'Mam', relation: 'parent_or_carer', contact: `mam-${randomUUID()}@example.org` }, adultPage);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /only for a victim under 18/);
    const child = await newCase('2012-06-01');
    const page = `/cases/${child.caseId}/portal-access`;
    const bad = await postForm(test.app, `${page}/links`, cookie, { displayName: '', relation: 'parent_or_carer', contact: 'nope' }, page);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Enter their name/);
    assert.match(bad.body, /Enter an email address or a mobile phone number/);
    const parentEmail = `parent-${randomUUID()}@example.org`;
    const linked = await postForm(test.app, `${page}/links`, cookie, { displayName: 'Rhiannon', relation: 'parent_or_carer', contact: parentEmail }, page);
    assert.equal(linked.headers.location, `${page}?done=linked`);
    const twice = await postForm(test.app, `${page}/links`, cookie, { displayName: 'Rhiannon', relation: 'supporter', contact: parentEmail.toUpperCase() }, page);
    assert.match(twice.body, /already linked/);
    const account = await test.database.db.selectFrom('portal_account').select('id').where('email', '=', parentEmail).executeTakeFirstOrThrow();
    const parent: Actor = { kind: 'victim', victim: { accountId: account.id, personId: null, displayName: 'Rhiannon', areaId: coordinator.areaId } };
    const reach = await casesInReach(test.database.db, parent);
    assert.deepEqual(reach.map((item) => [item.caseId, item.relation, item.canAct]), [[child.caseId, 'parent_or_carer', true]]);
    const link = await test.database.db.selectFrom('portal_link').select('id').where('account_id', '=', account.id).executeTakeFirstOrThrow();
    await test.database.db.insertInto('portal_session').values({ id_hash: `h-${randomUUID()}`, account_id: account.id, stage: 'signed_in', created_at: new Date(), last_seen_at: new Date() }).execute();
    const noReason = await postForm(test.app, `${page}/links/${link.id}/revoke`, cookie, { reason: '' }, page);
    assert.equal(noReason.statusCode, 422);
    const revoked = await postForm(test.app, `${page}/links/${link.id}/revoke`, cookie, { reason: 'Court order' }, page);
    assert.equal(revoked.headers.location, `${page}?done=revoked`);
    assert.deepEqual(await casesInReach(test.database.db, parent), []);
    const sessions = await test.database.db.selectFrom('portal_session').select('id_hash').where('account_id', '=', account.id).execute();
    assert.equal(sessions.length, 0);
    const audit = await test.database.db.selectFrom('audit_event').select('action').where('record_id', '=', child.caseId).where('action', 'like', 'portal_access.%').execute();
    assert.ok(audit.some((row) => row.action === 'portal_access.linked'));
    assert.ok(audit.some((row) => row.action === 'portal_access.revoked'));
  });

  it('is refused to staff outside the hub, and to a guessed case', async () => {
    const { caseId } = await newCase('1990-01-01');
    const officerCookie = await signIn(test.app, officer);
    const asOfficer = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/portal-access`, headers: { cookie: officerCookie } });
    assert.equal(asOfficer.statusCode, 403);
    const guessed = await test.app.inject({ method: 'GET', url: `/cases/${randomUUID()}/portal-access`, headers: { cookie } });
    assert.equal(guessed.statusCode, 404);
  });
});
