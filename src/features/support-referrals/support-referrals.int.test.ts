// Referrals to providers' services through the service layer, on PGlite or PostgreSQL: the whole lifecycle with a
// timeline event for each step, the provider's response duty on the Code clock, the consent check before sending and
// on every provider read, a supervisor's override for a service whose eligibility excludes the case, the returns that
// become hub tasks, and a consent withdrawal that closes the referral and leaves the provider seeing only that.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { actorFor, createOrganisation, createStaffUser, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { NotFound, Invalid, Conflict } from '../../platform/http/domain-errors.ts';
import { receiveReferral } from '../intake/service.ts';
import { recordConsent, withdrawConsent } from '../consent/service.ts';
import { runCodeClock } from '../obligations/service.ts';
import { approveSummary, createReferral, getReferral, sendReferral } from './service.ts';
import { addNote, allocateReferral, answerReferral, closeReferral, getInbox, getProviderReferral, sendBack, startSupport } from './provider-service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
let counter = 0;

describe('referrals to support services', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let hubSupervisor: TestStaffUser;
  let providerSupervisor: TestStaffUser;
  let caseworker: TestStaffUser;
  let otherProviderWorker: TestStaffUser;
  let forceId: string;
  let providerId: string;
  let serviceId: string;
  let adultsOnlyServiceId: string;

  async function newCase(options: { dateOfBirth?: string } = {}) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `SR-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Nadia', familyName: `Referral${counter}`, dateOfBirth: options.dateOfBirth ?? '1979-03-02' },
        crime: { crimeReference: `WY/${70000 + counter}/26`, offenceCode: '105/01', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    return receipt.caseId;
  }

  const consentTo = (caseId: string, organisationId: string) =>
    recordConsent(test.database.db, actorFor(coordinator), caseId, {
      submissionKey: randomUUID(),
      recipientOrganisationId: organisationId,
      purpose: 'support_referral',
      legalBasis: 'consent',
      givenHow: 'verbal',
    });

  const refer = (caseId: string, fields: Record<string, unknown> = {}, as = coordinator) =>
    createReferral(test.database.db, actorFor(as), caseId, { submissionKey: randomUUID(), serviceId, summary: 'Burgled twice; wants help with locks and to talk.', approvedHow: 'phone', action: 'send', ...fields });

  const referralRow = (id: string) => test.database.db.selectFrom('support_referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventsOf = (caseId: string, kind: string) => test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).execute();
  const responseDuty = (caseId: string) =>
    test.database.db.selectFrom('obligation').selectAll().where('case_id', '=', caseId).where('duty', '=', 'provider_response').executeTakeFirst();
  const tasksOf = (caseId: string) => test.database.db.selectFrom('case_task').selectAll().where('case_id', '=', caseId).where('kind', '=', 'support_referral_returned').execute();

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', organisationName: 'Haven Victim Gateway' });
    hubSupervisor = await createStaffUser(test.database.db, { role: 'supervisor', organisationId: coordinator.organisationId });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    providerId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Safer Homes' })).id;
    const otherProviderId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Other Support' })).id;
    providerSupervisor = await createStaffUser(test.database.db, { role: 'supervisor', organisationId: providerId });
    caseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: providerId });
    otherProviderWorker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: otherProviderId });
    const service = (values: { name: string; age_bands?: ('child' | 'adult' | 'older')[] }) =>
      test.database.db
        .insertInto('organisation_service')
        .values({ organisation_id: providerId, category: 'Practical support', description: 'Help after a burglary.', specialism: 'practical', capacity: 5, response_working_days: 3, ...values })
        .returning('id')
        .executeTakeFirstOrThrow();
    serviceId = (await service({ name: 'Locks and practical help' })).id;
    adultsOnlyServiceId = (await service({ name: 'Adults’ practical help', age_bands: ['adult'] })).id;
  });
  after(async () => {
    await test.close();
  });

  it('walks the whole lifecycle, each step a timeline event, with the response duty met by the answer', async () => {
    const caseId = await newCase();
    await consentTo(caseId, providerId);
    const { referralId, sent } = await refer(caseId);
    assert.equal(sent, true);
    assert.equal((await referralRow(referralId)).status, 'sent');
    const [sentEvent] = await eventsOf(caseId, 'service_referral_sent');
    assert.equal(sentEvent?.visibility, 'victim');
    assert.equal(sentEvent?.detail.responseWorkingDays, 3);

    await runCodeClock(test.database.db, { settle: true });
    const duty = await responseDuty(caseId);
    assert.equal(duty?.owner_organisation_id, providerId);
    assert.equal(duty?.working_days, 3);
    assert.equal(duty?.state, 'open');
    // The pages show the answer's due time from the clock's duty.
    const sentPage = await getReferral(test.database.db, actorFor(coordinator), caseId, referralId);
    assert.equal(sentPage.referral.responseDueAt?.getTime(), duty?.due_at.getTime());

    // The team inbox names the victim (consent is in force), and the referral page shows the summary.
    const inbox = await getInbox(test.database.db, actorFor(caseworker), {});
    assert.ok(inbox.entries.some((entry) => entry.id === referralId && entry.victimName.startsWith('Nadia')));
    const page = await getProviderReferral(test.database.db, actorFor(caseworker), referralId);
    assert.equal(page.consented, true);
    assert.ok(page.consented && page.referral.summary.includes('Burgled'));

    await answerReferral(test.database.db, actorFor(caseworker), referralId, { answer: 'accepted' });
    await runCodeClock(test.database.db, { settle: true });
    assert.equal((await responseDuty(caseId))?.state, 'met');

    await assert.rejects(allocateReferral(test.database.db, actorFor(caseworker), referralId, { userId: caseworker.id }), { name: 'Forbidden' });
    await allocateReferral(test.database.db, actorFor(providerSupervisor), referralId, { userId: caseworker.id });
    const mine = await getInbox(test.database.db, actorFor(caseworker), { view: 'mine' });
    assert.deepEqual(mine.entries.map((entry) => entry.id), [referralId]);

    await startSupport(test.database.db, actorFor(caseworker), referralId);
    const noteKey = randomUUID();
    await addNote(test.database.db, actorFor(caseworker), referralId, 'progress', { submissionKey: noteKey, body: 'Fitted new locks.' });
    await addNote(test.database.db, actorFor(caseworker), referralId, 'progress', { submissionKey: noteKey, body: 'Fitted new locks.' });
    await addNote(test.database.db, actorFor(caseworker), referralId, 'to_coordinator', { submissionKey: randomUUID(), body: 'Going well.' });
    assert.equal((await eventsOf(caseId, 'service_referral_progress')).length, 1, 'a resent note is recorded once');

    await assert.rejects(closeReferral(test.database.db, actorFor(caseworker), referralId, { outcome: 'consent_withdrawn' }), Invalid);
    await assert.rejects(closeReferral(test.database.db, actorFor(caseworker), referralId, { outcome: 'engaged_completed', copingBefore: '9' }), Invalid);
    await closeReferral(test.database.db, actorFor(caseworker), referralId, { outcome: 'engaged_completed', copingBefore: '2', copingAfter: '4', safetyBefore: '1', safetyAfter: '5' });
    const closed = await referralRow(referralId);
    assert.deepEqual([closed.status, closed.outcome, closed.coping_before, closed.coping_after, closed.safety_before, closed.safety_after], ['closed', 'engaged_completed', 2, 4, 1, 5]);
    for (const kind of ['service_referral_drafted', 'service_referral_accepted', 'service_referral_allocated', 'service_referral_started', 'service_referral_message', 'service_referral_closed']) {
      assert.equal((await eventsOf(caseId, kind)).length, 1, kind);
    }
    // Closed: no further step is allowed.
    await assert.rejects(startSupport(test.database.db, actorFor(caseworker), referralId), Conflict);

    // The coordinator reads the provider's message on the referral.
    const hubPage = await getReferral(test.database.db, actorFor(coordinator), caseId, referralId);
    assert.deepEqual(hubPage.messages.map((message) => message.body), ['Going well.']);
  });

  it('keeps a draft that cannot be sent, saying why, and sends it once approved and consented', async () => {
    const caseId = await newCase();
    const { referralId, sent } = await refer(caseId, { approvedHow: 'not_yet' });
    assert.equal(sent, false);
    let page = await getReferral(test.database.db, actorFor(coordinator), caseId, referralId);
    assert.equal(page.referral.status, 'draft');
    assert.equal(page.blockers.length, 2, page.blockers.join('; '));
    await assert.rejects(sendReferral(test.database.db, actorFor(coordinator), caseId, referralId), Invalid);
    await approveSummary(test.database.db, actorFor(coordinator), caseId, referralId, { approvedHow: 'phone' });
    assert.equal((await eventsOf(caseId, 'service_referral_summary_approved'))[0]?.visibility, 'victim');
    page = await getReferral(test.database.db, actorFor(coordinator), caseId, referralId);
    assert.deepEqual(page.blockers, ['There is no consent in force to share with this organisation for this purpose']);
    await consentTo(caseId, providerId);
    await sendReferral(test.database.db, actorFor(coordinator), caseId, referralId);
    assert.equal((await referralRow(referralId)).status, 'sent');
    // A provider cannot read a draft's person before it was sent... and the empty summary is refused outright.
    await assert.rejects(refer(caseId, { summary: '  ' }), (error: unknown) => error instanceof Invalid && 'summary' in error.fields);
  });

  it('needs a hub supervisor, with a reason, to refer past the service’s eligibility', async () => {
    const caseId = await newCase({ dateOfBirth: '2012-05-01' });
    await consentTo(caseId, providerId);
    await assert.rejects(refer(caseId, { serviceId: adultsOnlyServiceId }), (error: unknown) => error instanceof Invalid && /supervisor/.test(error.fields.overrideReason ?? ''));
    await assert.rejects(refer(caseId, { serviceId: adultsOnlyServiceId }, hubSupervisor), (error: unknown) => error instanceof Invalid && 'overrideReason' in error.fields);
    const { referralId, sent } = await refer(caseId, { serviceId: adultsOnlyServiceId, overrideReason: 'Turns 18 next month; the young victims’ service has a 3-month wait.' }, hubSupervisor);
    assert.equal(sent, true);
    const row = await referralRow(referralId);
    assert.equal(row.override_by_user_id, hubSupervisor.id);
    assert.ok(row.excluded_because.length > 0);
  });

  it('turns a decline, no capacity or a send-back into a hub task; a decline needs a reason', async () => {
    const caseId = await newCase();
    await consentTo(caseId, providerId);
    const first = await refer(caseId);
    await assert.rejects(answerReferral(test.database.db, actorFor(caseworker), first.referralId, { answer: 'declined' }), (error: unknown) => error instanceof Invalid && 'declineReason' in error.fields);
    await answerReferral(test.database.db, actorFor(caseworker), first.referralId, { answer: 'declined', declineReason: 'Outside our area of work.' });
    const second = await refer(caseId);
    await answerReferral(test.database.db, actorFor(caseworker), second.referralId, { answer: 'accepted' });
    await sendBack(test.database.db, actorFor(caseworker), second.referralId, { returnReason: 'Needs specialist help', onwardServiceId: adultsOnlyServiceId });
    const row = await referralRow(second.referralId);
    assert.deepEqual([row.status, row.onward_service_id], ['returned', adultsOnlyServiceId]);
    assert.equal((await tasksOf(caseId)).length, 2);
    const [declined] = await eventsOf(caseId, 'service_referral_declined');
    assert.equal(declined?.visibility, 'victim');
    assert.ok(!JSON.stringify(declined?.detail).includes('Outside'), 'the reason stays with staff');
  });

  it('closes open referrals on a withdrawal: the provider sees only that it closed, and its response duty ends', async () => {
    const caseId = await newCase();
    const { consentId } = await consentTo(caseId, providerId);
    const { referralId } = await refer(caseId);
    await runCodeClock(test.database.db, { settle: true });
    await withdrawConsent(test.database.db, actorFor(coordinator), caseId, consentId, { how: 'verbal' });
    const row = await referralRow(referralId);
    assert.deepEqual([row.status, row.outcome], ['closed', 'consent_withdrawn']);
    await runCodeClock(test.database.db, { settle: true });
    assert.equal((await responseDuty(caseId))?.state, 'met');

    const page = await getProviderReferral(test.database.db, actorFor(caseworker), referralId);
    assert.equal(page.consented, false);
    assert.ok(!JSON.stringify(page).includes('Nadia'));
    const inbox = await getInbox(test.database.db, actorFor(caseworker), {});
    assert.ok(!inbox.entries.some((entry) => entry.id === referralId));
    assert.ok(inbox.closedByWithdrawal.some((entry) => entry.id === referralId));
    await assert.rejects(answerReferral(test.database.db, actorFor(caseworker), referralId, { answer: 'accepted' }), NotFound);
  });

  it('gives another provider, and made-up ids, NotFound for every read and step, and audits each attempt', async () => {
    const caseId = await newCase();
    await consentTo(caseId, providerId);
    const { referralId } = await refer(caseId);
    const stranger = actorFor(otherProviderWorker);
    const before = await test.database.db.selectFrom('audit_event').select('id').where('action', '=', 'support_referral.access_refused').execute();
    const attempts = [
      () => getProviderReferral(test.database.db, stranger, referralId),
      () => answerReferral(test.database.db, stranger, referralId, { answer: 'accepted' }),
      () => allocateReferral(test.database.db, stranger, referralId, { userId: otherProviderWorker.id }),
      () => startSupport(test.database.db, stranger, referralId),
      () => addNote(test.database.db, stranger, referralId, 'progress', { submissionKey: randomUUID(), body: 'x' }),
      () => addNote(test.database.db, stranger, referralId, 'to_coordinator', { submissionKey: randomUUID(), body: 'x' }),
      () => closeReferral(test.database.db, stranger, referralId, { outcome: 'moved_on' }),
      () => sendBack(test.database.db, stranger, referralId, { returnReason: 'x' }),
      () => getProviderReferral(test.database.db, actorFor(caseworker), randomUUID()),
      () => getProviderReferral(test.database.db, actorFor(caseworker), 'not-an-id'),
    ];
    for (const attempt of attempts) await assert.rejects(attempt(), NotFound);
    const afterRefusals = await test.database.db.selectFrom('audit_event').select('id').where('action', '=', 'support_referral.access_refused').execute();
    assert.equal(afterRefusals.length - before.length, attempts.length);
    const otherInbox = await getInbox(test.database.db, stranger, {});
    assert.ok(!otherInbox.entries.some((entry) => entry.id === referralId));
    // A hub coordinator is not provider staff.
    await assert.rejects(getInbox(test.database.db, actorFor(coordinator), {}), { name: 'Forbidden' });
  });
});
