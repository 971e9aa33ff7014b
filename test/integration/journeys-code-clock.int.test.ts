// Journeys 1 and 9 (shared/domain/scenarios.md) through the real police API and the real services, on PGlite and on
// PostgreSQL (journey 5 is in src/features/obligations/service.int.test.ts). Journey 1 goes to its end: the referral
// to a practical-support service, accepted from the provider's team inbox, with both clocks met. Journey 9 goes as far
// as the young victims' service offered first; the parent acting in the portal belongs to the portal issue.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { actorFor, createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import { testBackend } from '../support/test-database.ts';
import { basicAuthorization } from '../../src/platform/auth/api-credentials.ts';
import { systemActor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { createApiClient } from '../../src/features/api-clients/service.ts';
import { QUESTIONS } from '../../src/features/assessment/rules.ts';
import { saveAssessment } from '../../src/features/assessment/service.ts';
import { appendTimelineEvent, assignFromTriage, getTimeline, logContact, triageQueue } from '../../src/features/cases/service.ts';
import { currentEntitlements } from '../../src/features/entitlements/service.ts';
import { getCodeClock, runCodeClock } from '../../src/features/obligations/service.ts';
import { recordConsent } from '../../src/features/consent/service.ts';
import { getSupportOptions } from '../../src/features/service-matching/service.ts';
import { createReferral } from '../../src/features/support-referrals/service.ts';
import { answerReferral, getInbox } from '../../src/features/support-referrals/provider-service.ts';


/** A complete answer set as the assessment form sends it, on the given London day. */
function assessmentForm(day: string, overrides: Record<string, string>): Record<string, string> {
  const [year, month, date] = day.split('-') as [string, string, string];
  const form: Record<string, string> = { submissionKey: crypto.randomUUID(), method: 'phone', day: date, month, year, language: 'English' };
  for (const question of QUESTIONS) if (question.required && question.type !== 'text') form[question.id] = question.type === 'yes_no' ? 'no' : question.options![0]!.value;
  return { ...form, ...overrides };
}

describe(`journeys 1 and 9 on the Code clock (${testBackend()})`, () => {
  let test: TestApp;
  let police: string;
  let coordinator: TestStaffUser;
  let caseworker: TestStaffUser;
  let practicalServiceId: string;
  let youngVictimsServiceId: string;
  let serial = 0;

  before(async () => {
    test = await createTestApp();
    const force = await createOrganisation(test.database.db, { kind: 'police', name: 'Journey Constabulary' });
    const hub = await createOrganisation(test.database.db, { kind: 'hub', areaId: force.areaId, name: 'Journey Gateway' });
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', organisationId: hub.id, displayName: 'Jo Coordinator' });
    const client = await createApiClient(test.database.db, systemActor('test'), { organisation: force.name, name: 'Records system', scopes: ['referrals:write', 'referrals:read'] });
    police = basicAuthorization(client.clientId, client.secret);
    const provider = await createOrganisation(test.database.db, { kind: 'provider', areaId: force.areaId, name: 'Journey Practical Help' });
    caseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: provider.id, displayName: 'Pat Caseworker' });
    const service = (values: { name: string; specialism: 'practical' | 'young_victims' | 'emotional'; age_bands?: ('child' | 'adult' | 'older')[] }) =>
      test.database.db.insertInto('organisation_service').values({ organisation_id: provider.id, category: 'Practical support', description: 'Support after a crime.', capacity: 5, ...values }).returning('id').executeTakeFirstOrThrow();
    practicalServiceId = (await service({ name: 'Home security and practical help', specialism: 'practical' })).id;
    youngVictimsServiceId = (await service({ name: 'Young victims’ service', specialism: 'young_victims', age_bands: ['child'] })).id;
    await service({ name: 'Listening support', specialism: 'emotional' });
  });
  after(() => test.close());

  async function policeReferral(victim: Record<string, unknown>, crime: Record<string, unknown>, referredAt: string): Promise<string> {
    serial += 1;
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { authorization: police },
      payload: {
        policeReference: `JRN-${Date.now().toString(36)}-${serial}`,
        victim: { phone: '01632 960 101', ...victim },
        role: 'victim',
        crime: { crimeReference: `WY/${70000 + serial}/26`, officerInCharge: 'PC 1 Ellis', ...crime },
        consent: { support: 'not_asked' },
        referredAt,
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<{ referralId: string }>().referralId;
  }

  const duties = async (caseId: string) => Object.fromEntries((await getCodeClock(test.database.db, actorFor(coordinator), caseId)).map((duty) => [duty.duty, duty]));

  it('journey 1: a burglary referral at 17:40 on a Thursday is due at the end of Monday, and the assessment with an 81-year-old living alone meets it', async () => {
    // Thursday 19 November 2026, 17:40 in London (GMT).
    const caseId = await policeReferral(
      { givenName: 'Edith', familyName: 'Marlow', dateOfBirth: '1945-03-02' },
      { offenceCode: '28E', offenceCategory: 'Theft offences', committedFrom: '2026-11-19', reportedAt: '2026-11-19T16:05:00+00:00' },
      '2026-11-19T17:40:00+00:00',
    );
    await runCodeClock(test.database.db, { settle: true });
    let clock = await duties(caseId);
    assert.equal(clock.needs_assessment?.dueAt.toISOString(), '2026-11-23T23:59:59.999Z', 'the end of Monday');
    assert.equal(clock.needs_assessment?.ownerOrganisationName, 'Journey Gateway');
    assert.equal(clock.needs_assessment?.enhanced, false, 'a burglary of an adult gives no enhanced rights by itself');
    assert.equal(clock.support_referral?.dueAt.toISOString(), '2026-11-23T23:59:59.999Z');

    // It waits in triage until a coordinator is assigned.
    const queue = await triageQueue(test.database.db, actorFor(coordinator));
    assert.ok(JSON.stringify(queue).includes(caseId), 'the new referral is in the triage queue');
    await assignFromTriage(test.database.db, actorFor(coordinator), caseId, coordinator.id);

    // Friday morning: the coordinator calls, then assesses her needs with her.
    await logContact(test.database.db, actorFor(coordinator), caseId, { channel: 'phone', direction: 'outbound', outcome: 'successful', day: '20', month: '11', year: '2026', time: '09:30' }, new Date('2026-11-20T09:45:00Z'));
    const saved = await saveAssessment(test.database.db, actorFor(coordinator), caseId, assessmentForm('2026-11-20', { age: '81', lives_alone: 'yes' }), { now: new Date('2026-11-20T10:15:00Z') });
    assert.equal(saved.created, true);
    await runCodeClock(test.database.db, { settle: true });
    clock = await duties(caseId);
    assert.equal(clock.needs_assessment?.state, 'met');
    assert.equal(clock.needs_assessment?.metByKind, 'assessment_completed');
    assert.ok((clock.needs_assessment?.metAt?.getTime() ?? Infinity) <= (clock.needs_assessment?.dueAt.getTime() ?? 0), 'met on time');
    assert.equal(clock.support_referral?.state, 'open', 'the referral to a practical-support service is still to make');

    // She agrees to be referred to a practical-support service, and approves the summary on the phone. The support
    // options list it, and the coordinator refers her on Friday at 11:00.
    const options = await getSupportOptions(test.database.db, actorFor(coordinator), caseId);
    assert.ok(options.matches.some((match) => match.service.id === practicalServiceId), 'the practical-support service is offered');
    const provider = options.matches.find((match) => match.service.id === practicalServiceId)?.service.organisationId ?? '';
    await recordConsent(test.database.db, actorFor(coordinator), caseId, { submissionKey: crypto.randomUUID(), recipientOrganisationId: provider, purpose: 'support_referral', legalBasis: 'consent', givenHow: 'verbal' });
    const referral = await createReferral(
      test.database.db,
      actorFor(coordinator),
      caseId,
      { submissionKey: crypto.randomUUID(), serviceId: practicalServiceId, summary: 'Burgled at home; 81 and lives alone; the back door lock is broken.', approvedHow: 'phone', action: 'send' },
      new Date('2026-11-20T11:00:00Z'),
    );
    assert.equal(referral.sent, true);

    // The provider accepts from its team inbox on Friday afternoon.
    const inbox = await getInbox(test.database.db, actorFor(caseworker), {});
    assert.ok(inbox.entries.some((entry) => entry.id === referral.referralId && entry.victimName === 'Edith Marlow'), 'the referral is in the team inbox');
    await answerReferral(test.database.db, actorFor(caseworker), referral.referralId, { answer: 'accepted' }, new Date('2026-11-20T14:00:00Z'));
    await runCodeClock(test.database.db, { settle: true });
    clock = await duties(caseId);
    assert.equal(clock.support_referral?.state, 'met');
    assert.equal(clock.support_referral?.metByKind, 'service_referral_sent');
    assert.equal(clock.provider_response?.state, 'met');
    assert.equal(clock.provider_response?.metByKind, 'service_referral_accepted');

    const timeline = (await getTimeline(test.database.db, actorFor(coordinator), caseId, 'staff')).map((event) => event.kind);
    for (const step of ['referral_received', 'coordinator_assigned', 'contact_logged', 'assessment_completed', 'service_referral_sent', 'service_referral_accepted']) {
      assert.ok(timeline.includes(step), `the timeline shows ${step}: ${timeline.join(', ')}`);
    }
  });

  it('journey 9: a 14-year-old assaulted is enhanced as vulnerable from the referral, so the charge update is due in 1 working day', async () => {
    const caseId = await policeReferral(
      { givenName: 'Sam', familyName: 'Okoro', dateOfBirth: '2012-01-15' },
      { offenceCode: '8N', offenceCategory: 'Violence against the person', committedFrom: '2026-11-02', reportedAt: '2026-11-02T15:00:00+00:00' },
      '2026-11-02T18:00:00+00:00',
    );
    await runCodeClock(test.database.db, { settle: true });
    const categories = (await inTransaction(test.database.db, (trx) => currentEntitlements(trx, caseId))).map((decision) => [decision.category, decision.source]);
    assert.deepEqual(categories, [['vulnerable', 'rule']], 'a victim under 18 is vulnerable, automatically');
    let clock = await duties(caseId);
    assert.equal(clock.needs_assessment?.enhanced, true);

    // Charged on Friday 6 November 2026 at 16:00: enhanced rights make the update due at the end of Monday 9 November.
    await inTransaction(test.database.db, (trx) =>
      appendTimelineEvent(trx, systemActor('police-feed'), { caseId, kind: 'suspect_charged', summary: 'The suspect has been charged', source: 'police_feed', idempotencyKey: `charge:${caseId}`, visibility: 'victim', occurredAt: new Date('2026-11-06T16:00:00Z') }),
    );
    await runCodeClock(test.database.db, { settle: true });
    clock = await duties(caseId);
    assert.equal(clock.charge_update?.workingDays, 1);
    assert.equal(clock.charge_update?.dueAt.toISOString(), '2026-11-09T23:59:59.999Z');
    assert.equal(clock.charge_update?.enhanced, true);

    // The young victims' service is offered first.
    const options = await getSupportOptions(test.database.db, actorFor(coordinator), caseId);
    assert.equal(options.matches[0]?.service.id, youngVictimsServiceId, options.matches.map((match) => match.service.name).join(', '));
  });
});
