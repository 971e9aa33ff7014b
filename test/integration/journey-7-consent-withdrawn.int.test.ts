// Journey 7 (shared/domain/scenarios.md), through the real pages on PGlite and on PostgreSQL: a victim referred to the
// housing provider with consent withdraws it. From that moment the provider sees nothing of the case beyond the fact
// that a referral was closed, and is told so; the record of who saw what before then stays, and the chain verifies.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../support/staff.ts';
import { testBackend } from '../support/test-database.ts';
import { systemActor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { sealAuditTrail } from '../../src/platform/audit/sealer.ts';
import { verifyAuditChain } from '../../src/platform/audit/verifier.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';

const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe(`journey 7: consent withdrawn (${testBackend()})`, () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let housingWorker: TestStaffUser;
  let housingId: string;
  let serviceId: string;

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator' });
    housingId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Safe Homes Housing' })).id;
    housingWorker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: housingId, displayName: 'Hana Housing' });
    serviceId = (
      await test.database.db
        .insertInto('organisation_service')
        .values({ organisation_id: housingId, name: 'Emergency rehousing', category: 'Practical support', description: 'Help to move somewhere safe.', specialism: 'practical', capacity: 4 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  after(async () => {
    await test.close();
  });

  it('the housing provider sees the case while consent stands, and only that the referral closed once it is withdrawn', async () => {
    const { caseId } = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, systemActor('police-api'), {
        source: 'police_api',
        sourceReference: `J7-${randomUUID()}`,
        referringOrganisationId: null,
        areaId: coordinator.areaId,
        person: { givenName: 'Joanna', familyName: 'Withers', dateOfBirth: '1985-06-12', phone: '07700 900123' },
        crime: { crimeReference: 'WY/77777/26', offenceCode: '105/01', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const hub = await signIn(test.app, coordinator);
    const get = (url: string, cookie: string) => test.app.inject({ method: 'GET', url, headers: { cookie } });

    // The coordinator records the victim's consent to share with the housing provider, and refers her.
    const consentForm = await get(`/cases/${caseId}/consents/new`, hub);
    const recorded = await postForm(test.app, `/cases/${caseId}/consents`, hub, { submissionKey: submissionKeyIn(consentForm.body), recipientOrganisationId: housingId, purpose: 'support_referral', legalBasis: 'consent', givenHow: 'verbal' }, `/cases/${caseId}/consents/new`);
    assert.equal(recorded.statusCode, 303);
    const referralForm = await get(`/cases/${caseId}/referrals/new?service=${serviceId}`, hub);
    assert.equal(referralForm.statusCode, 200);
    const referred = await postForm(
      test.app,
      `/cases/${caseId}/referrals`,
      hub,
      { submissionKey: submissionKeyIn(referralForm.body), serviceId, summary: 'Her ex-partner knows her address. She needs to move somewhere safe.', approvedHow: 'phone', action: 'send' },
      `/cases/${caseId}/referrals/new?service=${serviceId}`,
    );
    assert.equal(referred.statusCode, 303);
    const referralId = /\/referrals\/([0-9a-f-]{36})/.exec(String(referred.headers.location))?.[1] ?? '';

    // The provider's team sees her, and what she agreed to share.
    const housing = await signIn(test.app, housingWorker);
    assert.match((await get('/team-inbox', housing)).body, /Joanna Withers/);
    const seen = await get(`/team-inbox/referrals/${referralId}`, housing);
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, /\+447700900123/);
    assert.match(seen.body, /needs to move somewhere safe/);
    const viewsBefore = await test.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'support_referral.viewed').where('actor_user_id', '=', housingWorker.id).execute();
    assert.equal(viewsBefore.length, 1);

    // She withdraws her consent, by phone to the coordinator.
    const consent = await test.database.db.selectFrom('consent').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const withdrawUrl = `/cases/${caseId}/consents/${consent.id}/withdraw`;
    const withdrawn = await postForm(test.app, withdrawUrl, hub, { how: 'verbal' }, withdrawUrl);
    assert.equal(withdrawn.statusCode, 303);

    // From that moment: the inbox tells the team the referral closed, with nothing that identifies her...
    const inbox = await get('/team-inbox', housing);
    assert.doesNotMatch(inbox.body, /Joanna|Withers/);
    assert.match(inbox.body, new RegExp(`R-${referralId.slice(0, 8).toUpperCase()}`));
    // ...the referral's page says only that it closed...
    const closed = await get(`/team-inbox/referrals/${referralId}`, housing);
    assert.equal(closed.statusCode, 200);
    assert.match(closed.body, /is closed/);
    assert.doesNotMatch(closed.body, /Joanna|Withers|7700900123|somewhere safe/);
    // ...and no step can be taken on it.
    const answer = await postForm(test.app, `/team-inbox/referrals/${referralId}/answer`, housing, { answer: 'accepted' }, '/team-inbox');
    assert.equal(answer.statusCode, 404);

    // The record of who saw what before the withdrawal stays, and the audit chain still verifies.
    const viewsAfter = await test.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'support_referral.viewed').where('actor_user_id', '=', housingWorker.id).orderBy('id').execute();
    assert.deepEqual(viewsAfter[0], { ...viewsBefore[0], ...{ chain_position: viewsAfter[0]?.chain_position, hash: viewsAfter[0]?.hash, previous_hash: viewsAfter[0]?.previous_hash } });
    await sealAuditTrail(test.database.db);
    const report = await verifyAuditChain(test.database.db);
    assert.equal(report.ok, true);
  });
});
