// Feedback after key moments through the portal's pages and the services, on PGlite or PostgreSQL: the moments are
// read from the case (a successful contact, a closed referral, a verdict the victim was told of), each is prompted for
// until rated, one rating per case and moment however often it is sent, a supporter cannot rate (403), another
// victim's case is a 404, and the staff's aggregate carries counts and comments but no name, case or account.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signInDelegate, signInVictim, type TestPortalUser } from '../../../test/support/portal.ts';
import { actorFor, createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { Forbidden, NotFound } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvent, logContact } from '../cases/service.ts';
import { receiveReferral } from '../intake/service.ts';
import { feedbackSummary, giveFeedback, pendingFeedback } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
let counter = 0;
// Any page with a form gives a CSRF token: its cookie is the browser's, not the session's.
const FORM_PAGE = '/sign-in';

describe('feedback after key moments', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let supervisor: TestStaffUser;
  let providerId: string;
  let serviceId: string;
  let forceId: string;

  async function newCase(givenName = 'Fern') {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `FB-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName, familyName: `Feedback${counter}${randomUUID().slice(0, 6)}`, dateOfBirth: '1981-03-03', phone: `07700 9${String(counter).padStart(5, '0')}` },
        crime: { crimeReference: `WY/${70000 + counter}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const row = await test.database.db.selectFrom('victim_case').select(['person_id']).where('id', '=', receipt.caseId).executeTakeFirstOrThrow();
    return { caseId: receipt.caseId, personId: row.person_id };
  }

  const contacted = (caseId: string) =>
    logContact(test.database.db, actorFor(coordinator), caseId, { channel: 'phone', direction: 'outbound', outcome: 'successful', day: '2', month: '3', year: '2026', time: '10:00' });

  /** A referral to a provider that has run its course (a fixture write: the referral pages are tested in support-referrals). */
  async function closedReferral(caseId: string, personId: string, status: 'closed' | 'in_progress' = 'closed') {
    const { event } = await inTransaction(test.database.db, (trx) =>
      appendTimelineEvent(trx, police, { caseId, kind: 'test_referral_sent', summary: 'Referred', source: 'staff', idempotencyKey: `test-referral:${randomUUID()}`, visibility: 'staff', occurredAt: new Date() }),
    );
    await test.database.db
      .insertInto('support_referral')
      .values({
        case_id: caseId, person_id: personId, area_id: coordinator.areaId, service_id: serviceId, organisation_id: providerId, status, summary: 'Support', submission_key: randomUUID(),
        created_by_user_id: coordinator.id, sent_at: new Date(), sent_event_id: event.id, ...(status === 'closed' ? { outcome: 'engaged_completed' as const, closed_at: new Date() } : {}),
      })
      .execute();
  }

  const verdict = (caseId: string, visibility: 'victim' | 'staff' = 'victim') =>
    inTransaction(test.database.db, (trx) =>
      appendTimelineEvent(trx, police, { caseId, kind: 'verdict', summary: 'Verdict', detail: { outcome: 'guilty' }, source: 'police_api', idempotencyKey: `verdict:${caseId}:${visibility}`, visibility, occurredAt: new Date() }),
    );

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator' });
    const hubId = coordinator.organisationId;
    supervisor = await createStaffUser(test.database.db, { role: 'supervisor', organisationId: hubId });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId })).id;
    providerId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Kind Support' })).id;
    serviceId = (
      await test.database.db.insertInto('organisation_service').values({ organisation_id: providerId, name: 'Emotional support', category: 'emotional', description: 'Listening' }).returning('id').executeTakeFirstOrThrow()
    ).id;
  });
  after(() => test.close());

  it('reads each moment from the case, and prompts for it until it is rated', async () => {
    const { caseId, personId } = await newCase();
    const victim = await signInVictim(test.database.db, personId);
    assert.deepEqual(await pendingFeedback(test.database.db, victim.actor, caseId), [], 'a new case has reached no moment');

    await closedReferral(caseId, personId, 'in_progress');
    await verdict(caseId, 'staff');
    assert.deepEqual(await pendingFeedback(test.database.db, victim.actor, caseId), [], 'a referral still running and a verdict the victim was not shown are not moments');

    await contacted(caseId);
    assert.deepEqual(await pendingFeedback(test.database.db, victim.actor, caseId), ['first_contact']);
    await closedReferral(caseId, personId);
    await verdict(caseId);
    assert.deepEqual(await pendingFeedback(test.database.db, victim.actor, caseId), ['first_contact', 'referral_closed', 'court_outcome']);

    // A moment not yet reached has no page, even by typing its address.
    const other = await newCase();
    const otherVictim = await signInVictim(test.database.db, other.personId);
    const unreached = await test.app.inject({ method: 'GET', url: `/my-case/cases/${other.caseId}/feedback/court_outcome`, headers: { cookie: otherVictim.cookie } });
    assert.equal(unreached.statusCode, 404);

    // The page: the question, five answers and the comment with its count, in the portal's layout.
    const page = await test.app.inject({ method: 'GET', url: `/my-case/cases/${caseId}/feedback/referral_closed`, headers: { cookie: victim.cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Overall, how satisfied are you with the support you were given\?/);
    assert.equal((page.body.match(/name="rating"/g) ?? []).length, 5);
    assert.match(page.body, /data-maxlength="1000"/);
    assert.equal(page.headers['cache-control'], 'no-store');

    const missing = await postForm(test.app, `/my-case/cases/${caseId}/feedback/referral_closed`, victim.cookie, { comment: 'x'.repeat(1001) }, `/my-case/cases/${caseId}/feedback/referral_closed`);
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /Select how satisfied you are/);
    assert.match(missing.body, /Your comment must be 1,000 characters or fewer/);

    const sent = await postForm(test.app, `/my-case/cases/${caseId}/feedback/referral_closed`, victim.cookie, { rating: '4', comment: 'They listened to me.' }, `/my-case/cases/${caseId}/feedback/referral_closed`);
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `/my-case/cases/${caseId}/feedback/referral_closed/thanks`);
    const thanks = await test.app.inject({ method: 'GET', url: sent.headers.location ?? '', headers: { cookie: victim.cookie } });
    assert.match(thanks.body, /Thank you for your feedback/);
    assert.deepEqual(await pendingFeedback(test.database.db, victim.actor, caseId), ['first_contact', 'court_outcome']);

    const stored = await test.database.db.selectFrom('victim_feedback').selectAll().where('case_id', '=', caseId).execute();
    assert.deepEqual(stored.map((row) => [row.moment, row.rating, row.comment, row.given_by_account_id]), [['referral_closed', 4, 'They listened to me.', victim.accountId]]);
    const audits = await test.database.db.selectFrom('audit_event').select(['actor_label', 'detail']).where('action', '=', 'victim_feedback.given').where('record_id', '=', caseId).execute();
    assert.equal(audits.length, 1);
    assert.equal(audits[0]?.actor_label, `portal:${victim.accountId}`);
    assert.ok(!JSON.stringify(audits).includes('listened'), 'the audit trail never holds the comment');
  });

  it('keeps one rating per case and moment: a second answer says so and changes nothing', async () => {
    const { caseId, personId } = await newCase();
    await contacted(caseId);
    const victim = await signInVictim(test.database.db, personId);
    assert.deepEqual(await giveFeedback(test.database.db, victim.actor, caseId, 'first_contact', { rating: '5' }), { created: true });
    assert.deepEqual(await giveFeedback(test.database.db, victim.actor, caseId, 'first_contact', { rating: '1', comment: 'changed my mind' }), { created: false });

    const again = await postForm(test.app, `/my-case/cases/${caseId}/feedback/first_contact`, victim.cookie, { rating: '2' }, FORM_PAGE);
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /You have already told us about this/);
    const page = await test.app.inject({ method: 'GET', url: `/my-case/cases/${caseId}/feedback/first_contact`, headers: { cookie: victim.cookie } });
    assert.match(page.body, /data-testid="feedback-already"/);
    assert.doesNotMatch(page.body, /name="rating"/);

    const rows = await test.database.db.selectFrom('victim_feedback').select(['rating', 'comment']).where('case_id', '=', caseId).execute();
    assert.deepEqual(rows, [{ rating: 5, comment: null }]);
  });

  it('lets a supporter read but not rate (403), and hides another victim’s case (404)', async () => {
    const { caseId, personId } = await newCase();
    await contacted(caseId);
    const supporter = await signInDelegate(test.database.db, { personId, relation: 'supporter', email: `supporter-${randomUUID()}@example.com`, grantedByUserId: coordinator.id });
    assert.deepEqual(await pendingFeedback(test.database.db, supporter.actor, caseId), [], 'a supporter is prompted for nothing');
    await assert.rejects(giveFeedback(test.database.db, supporter.actor, caseId, 'first_contact', { rating: '3' }), Forbidden);
    const page = await test.app.inject({ method: 'GET', url: `/my-case/cases/${caseId}/feedback/first_contact`, headers: { cookie: supporter.cookie } });
    assert.equal(page.statusCode, 403);
    const posted = await postForm(test.app, `/my-case/cases/${caseId}/feedback/first_contact`, supporter.cookie, { rating: '3' }, FORM_PAGE);
    assert.equal(posted.statusCode, 403);

    const stranger: TestPortalUser = await signInVictim(test.database.db, (await newCase()).personId);
    await assert.rejects(pendingFeedback(test.database.db, stranger.actor, caseId), NotFound);
    await assert.rejects(giveFeedback(test.database.db, stranger.actor, caseId, 'first_contact', { rating: '3' }), NotFound);
    for (const url of [`/my-case/cases/${caseId}/feedback/first_contact`, `/my-case/cases/${caseId}/feedback/first_contact/thanks`, '/my-case/cases/not-a-case/feedback/first_contact']) {
      const response = await test.app.inject({ method: 'GET', url, headers: { cookie: stranger.cookie } });
      assert.equal(response.statusCode, 404, url);
    }
    const strangerPost = await postForm(test.app, `/my-case/cases/${caseId}/feedback/first_contact`, stranger.cookie, { rating: '3' }, FORM_PAGE);
    assert.equal(strangerPost.statusCode, 404);
    assert.equal((await test.database.db.selectFrom('victim_feedback').select('id').where('case_id', '=', caseId).execute()).length, 0);
    const refused = await test.database.db.selectFrom('audit_event').select('detail').where('action', '=', 'portal.access_refused').where('record_id', '=', caseId).execute();
    assert.ok(refused.length >= 3, 'each refusal is audited');
  });

  it('gives staff counts and comments for their area with no name, case or account in them', async () => {
    const { caseId, personId } = await newCase('Zephyrine');
    await contacted(caseId);
    const victim = await signInVictim(test.database.db, personId);
    await giveFeedback(test.database.db, victim.actor, caseId, 'first_contact', { rating: '2', comment: 'It took a long time to hear back.' });

    const summary = await feedbackSummary(test.database.db, actorFor(supervisor));
    const firstContact = summary.rows.find((row) => row.moment === 'first_contact');
    assert.ok((firstContact?.total ?? 0) >= 1);
    assert.ok((firstContact?.counts[3] ?? 0) >= 1, 'the "dissatisfied" column counts it');
    await assert.rejects(feedbackSummary(test.database.db, actorFor(coordinator)), Forbidden);

    const cookie = await signIn(test.app, supervisor);
    const page = await test.app.inject({ method: 'GET', url: '/feedback', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /It took a long time to hear back\./);
    const person = await test.database.db.selectFrom('person').select(['given_name', 'family_name', 'phone']).where('id', '=', personId).executeTakeFirstOrThrow();
    for (const personal of [caseId, caseId.slice(0, 8), person.given_name, person.family_name ?? '', victim.accountId, personId]) {
      assert.ok(!page.body.toLowerCase().includes(personal.toLowerCase()), `the summary does not show ${personal}`);
    }
    const coordinatorCookie = await signIn(test.app, coordinator);
    assert.equal((await test.app.inject({ method: 'GET', url: '/feedback', headers: { cookie: coordinatorCookie } })).statusCode, 403);

    // The commissioner's analyst reads no victim's words, even in her own area: she has the themes on /insights/voice.
    const commissionerId = (await createOrganisation(test.database.db, { kind: 'commissioner', areaId: supervisor.areaId })).id;
    const analyst = await createStaffUser(test.database.db, { role: 'commissioner_analyst', organisationId: commissionerId });
    await assert.rejects(feedbackSummary(test.database.db, actorFor(analyst)), Forbidden);
    const analystPage = await test.app.inject({ method: 'GET', url: '/feedback', headers: { cookie: await signIn(test.app, analyst) } });
    assert.equal(analystPage.statusCode, 403);
    assert.ok(!analystPage.body.includes('It took a long time to hear back.'));

    // Another area's staff see none of it.
    const elsewhere = await createStaffUser(test.database.db, { role: 'supervisor' });
    const theirs = await feedbackSummary(test.database.db, actorFor(elsewhere));
    assert.deepEqual(theirs.rows.map((row) => row.total), [0, 0, 0]);
    assert.deepEqual(theirs.comments, []);
  });
});
