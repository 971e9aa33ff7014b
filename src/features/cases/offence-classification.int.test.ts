// Classifying an offence by hand through the whole application (app.inject), on PGlite or PostgreSQL: a referral with
// an offence code Haven does not know shows its task on the case page, the form refuses bad input and stores nothing,
// a classification updates the crime, the timeline, the task and the audit trail once however often it is sent, other
// areas and roles see nothing, and the Code clock re-times duties when the offence makes the crime "most serious".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, signIn, type TestStaffUser, postForm } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { receiveReferral } from '../intake/service.ts';
import { runCodeClock } from '../obligations/service.ts';
import { caseReference } from './rules.ts';
import { appendTimelineEvent } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
const errorSummaryOf = (html: string) => /class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
let counter = 0;

describe('classifying an offence by hand', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let cookie: string;
  let forceId: string;

  /** A police referral into the coordinator's area, on a crime of its own unless a crime reference is given. */
  async function referral(offenceCode: string, crimeReference?: string) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `OFF-${counter}-${crypto.randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Rowan', familyName: `Achebe${counter}`, dateOfBirth: '1984-06-02' },
        crime: { crimeReference: crimeReference ?? `WY/${61000 + counter}/26`, offenceCode, offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    return receipt.caseId;
  }

  const get = (url: string, as = cookie) => test.app.inject({ method: 'GET', url, headers: { cookie: as } });
  const crimeOf = (caseId: string) =>
    test.database.db
      .selectFrom('crime')
      .innerJoin('victim_case', 'victim_case.crime_id', 'crime.id')
      .select(['crime.id', 'crime.crime_reference', 'crime.offence_code', 'crime.offence_category', 'crime.offence_group'])
      .where('victim_case.id', '=', caseId)
      .executeTakeFirstOrThrow();
  const eventsOf = (caseId: string, kind: string) => test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).execute();
  const tasksOf = (caseId: string) => test.database.db.selectFrom('case_task').selectAll().where('case_id', '=', caseId).where('kind', '=', 'manual_offence_classification').execute();
  const auditOf = (action: string, recordId: string) => test.database.db.selectFrom('audit_event').selectAll().where('action', '=', action).where('record_id', '=', recordId).execute();

  /** Opens the form and sends it with these fields (the form's own submission key unless one is given). */
  async function classify(caseId: string, fields: Record<string, string>, options: { as?: string; submissionKey?: string } = {}) {
    const as = options.as ?? cookie;
    const key = options.submissionKey ?? submissionKeyIn((await get(`/cases/${caseId}/offence`, as)).body);
    return postForm(test.app, `/cases/${caseId}/offence`, as, { submissionKey: key, ...fields }, `/cases/${caseId}`);
  }

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    await createOrganisation(test.database.db, { kind: 'witness_care', areaId: coordinator.areaId, name: 'Witness Care Unit' });
    cookie = await signIn(test.app, coordinator);
  });
  after(async () => {
    await test.close();
  });

  it('lists the open task on the case page, linked to a form that shows the crime reference and the code the police sent', async () => {
    const caseId = await referral('999Z');
    const casePage = await get(`/cases/${caseId}`);
    assert.equal(casePage.statusCode, 200);
    const tasks = /data-testid="open-tasks"[\s\S]*?<\/ul>/.exec(casePage.body)?.[0] ?? '';
    assert.match(tasks, /Classify the offence by hand/);
    assert.match(tasks, new RegExp(`<a class="govuk-link" href="/cases/${caseId}/offence">Classify the offence</a>`));

    const form = await get(`/cases/${caseId}/offence`);
    assert.equal(form.statusCode, 200);
    assert.equal(form.headers['cache-control'], 'no-store');
    assert.equal(titleOf(form.body), `Classify the offence: case ${caseReference(caseId)} – Haven`);
    const crime = /data-testid="crime"[\s\S]*?<\/dl>/.exec(form.body)?.[0] ?? '';
    assert.match(crime, /Crime reference[\s\S]*WY\/\d+\/26/);
    assert.match(crime, /Code the police sent\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*999Z/);
    assert.match(crime, /Needs manual classification \(999Z\)/);
    assert.match(form.body, /data-testid="classification-task"/);
    assert.match(form.body, /<optgroup label="Violence against the person">[\s\S]*<option value="2">Attempted murder \(2\)<\/option>/);
    assert.match(form.body, /<optgroup label="Theft offences">[\s\S]*<option value="28E">/);
    assert.match(form.body, /name="_csrf"/);
    assert.match(submissionKeyIn(form.body), /^[0-9a-f-]{36}$/);
    assert.match(form.body, /<textarea[^>]*id="reason"/);
  });

  it('refuses a form with no offence, an unknown code or no reason, with the GOV.UK error summary, and stores nothing', async () => {
    const caseId = await referral('998Y');
    const key = crypto.randomUUID();
    const empty = await classify(caseId, { offenceCode: '', reason: '' }, { submissionKey: key });
    assert.equal(empty.statusCode, 422);
    assert.equal(titleOf(empty.body), `Error: Classify the offence: case ${caseReference(caseId)} – Haven`);
    const summary = errorSummaryOf(empty.body);
    assert.match(summary, /href="#offenceCode">Select the offence<\/a>[\s\S]*href="#reason">Enter why this is the right offence<\/a>/);
    assert.match(empty.body, /id="offenceCode-error"/);
    assert.equal(submissionKeyIn(empty.body), key, 'the corrected form still classifies once');

    const unknown = await classify(caseId, { offenceCode: '999Z', reason: 'The officer said so' }, { submissionKey: key });
    assert.equal(unknown.statusCode, 422);
    assert.match(errorSummaryOf(unknown.body), /Select an offence from the list/);
    assert.match(unknown.body, /The officer said so<\/textarea>/, 'what was typed is kept');

    const long = await classify(caseId, { offenceCode: '8N', reason: 'x'.repeat(501) }, { submissionKey: key });
    assert.equal(long.statusCode, 422);
    assert.match(errorSummaryOf(long.body), /The reason must be 500 characters or fewer/);
    assert.match(long.body, /<option value="8N" selected>/, 'the chosen offence stays chosen');

    const noKey = await classify(caseId, { offenceCode: '8N', reason: 'Assault with injury, per the officer' }, { submissionKey: 'not-a-key' });
    assert.equal(noKey.statusCode, 422);
    assert.match(errorSummaryOf(noKey.body), /The form could not be matched/);

    const crime = await crimeOf(caseId);
    assert.deepEqual([crime.offence_code, crime.offence_group], ['998Y', 'Needs manual classification']);
    assert.equal((await eventsOf(caseId, 'offence_classified')).length, 0);
    assert.deepEqual((await tasksOf(caseId)).map((task) => task.status), ['open']);
    assert.equal((await auditOf('case.offence_classified', caseId)).length, 0);
  });

  it('classifies once: the crime, a staff-only event, the task completed and the audit trail, and a replay changes nothing', async () => {
    const caseId = await referral('997X');
    const key = submissionKeyIn((await get(`/cases/${caseId}/offence`)).body);
    const fields = { offenceCode: '8n', reason: 'The officer in charge confirmed an assault with injury' };
    const first = await classify(caseId, fields, { submissionKey: key });
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, `/cases/${caseId}?done=offence-classified`);
    const crime = await crimeOf(caseId);
    assert.deepEqual([crime.offence_code, crime.offence_category, crime.offence_group], ['8N', 'Violence against the person', 'Violence with injury']);
    const [event, ...more] = await eventsOf(caseId, 'offence_classified');
    assert.ok(event);
    assert.equal(more.length, 0);
    assert.equal(event.visibility, 'staff');
    assert.equal(event.recorded_by_user_id, coordinator.id);
    assert.equal(event.summary, 'Offence classified as Assault with injury (8N)');
    assert.deepEqual(event.detail, { from: '997X', to: '8N', reason: 'The officer in charge confirmed an assault with injury' });
    const [task] = await tasksOf(caseId);
    assert.deepEqual([task?.status, task?.completed_by_user_id], ['completed', coordinator.id]);
    const audited = await auditOf('case.offence_classified', caseId);
    assert.equal(audited.length, 1);
    assert.equal(audited[0]?.actor_user_id, coordinator.id);
    assert.doesNotMatch(JSON.stringify(audited[0]?.detail), /officer in charge/, 'the reason stays off the audit trail');
    assert.equal((await auditOf('crime.offence_classified', crime.id)).length, 1);
    assert.equal((await auditOf('case_task.completed', caseId)).length, 1);

    const again = await classify(caseId, fields, { submissionKey: key });
    assert.equal(again.statusCode, 303);
    assert.equal((await eventsOf(caseId, 'offence_classified')).length, 1, 'the same form twice classifies once');
    assert.equal((await auditOf('case.offence_classified', caseId)).length, 1);
    assert.equal((await auditOf('crime.offence_classified', crime.id)).length, 1);
    assert.deepEqual(await crimeOf(caseId), crime);

    const casePage = await get(`/cases/${caseId}?done=offence-classified`);
    assert.match(casePage.body, /Offence classified/);
    assert.doesNotMatch(casePage.body, /data-testid="open-tasks"/, 'no task is left open');
    assert.match(casePage.body, /Violence against the person \(8N\)/);
    assert.match(casePage.body, new RegExp(`href="/cases/${caseId}/offence"`), 'a known offence can still be changed');

    // Coordinators make mistakes: the page says what the offence is now, and still keeps the code the police sent.
    const form = await get(`/cases/${caseId}/offence`);
    assert.match(form.body, /Offence now\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Assault with injury \(8N\), Violence with injury/);
    assert.match(form.body, /Code the police sent\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*997X/);
    assert.doesNotMatch(form.body, /data-testid="classification-task"/);
    const same = await classify(caseId, { offenceCode: '8N', reason: 'Again' });
    assert.equal(same.statusCode, 422);
    assert.match(errorSummaryOf(same.body), /The offence is already Assault with injury \(8N\)/);
    const changed = await classify(caseId, { offenceCode: '105A', reason: 'The injury was not confirmed' });
    assert.equal(changed.statusCode, 303);
    assert.equal((await crimeOf(caseId)).offence_code, '105A');
    assert.deepEqual((await eventsOf(caseId, 'offence_classified')).map((row) => row.detail.from), ['997X', '8N']);
  });

  it('classifies the crime for every victim on it, completing each case’s task', async () => {
    const reference = `WY/${69000 + counter}/26`;
    const firstCase = await referral('996W', reference);
    const secondCase = await referral('996W', reference);
    assert.equal((await crimeOf(firstCase)).id, (await crimeOf(secondCase)).id);
    assert.equal((await classify(firstCase, { offenceCode: '34B', reason: 'A street robbery of both of them' })).statusCode, 303);
    for (const caseId of [firstCase, secondCase]) {
      assert.equal((await crimeOf(caseId)).offence_code, '34B');
      assert.equal((await eventsOf(caseId, 'offence_classified')).length, 1);
      assert.deepEqual((await tasksOf(caseId)).map((task) => task.status), ['completed']);
    }
  });

  it('re-times the Code clock when the offence makes the crime "most serious"', async () => {
    const caseId = await referral('995V');
    await runCodeClock(test.database.db, { settle: true });
    await inTransaction(test.database.db, (trx) =>
      appendTimelineEvent(trx, police, { caseId, kind: 'suspect_charged', summary: 'The suspect has been charged', source: 'police_api', idempotencyKey: `charge:${caseId}`, visibility: 'victim', occurredAt: new Date() }),
    );
    await runCodeClock(test.database.db, { settle: true });
    const chargeUpdate = () => test.database.db.selectFrom('obligation').selectAll().where('case_id', '=', caseId).where('duty', '=', 'charge_update').executeTakeFirstOrThrow();
    const before = await chargeUpdate();
    assert.deepEqual([before.enhanced, before.working_days], [false, 5]);

    assert.equal((await classify(caseId, { offenceCode: '5D', reason: 'Stabbed: wounding with intent, says the officer in charge' })).statusCode, 303);
    await runCodeClock(test.database.db, { settle: true });
    const after = await chargeUpdate();
    assert.deepEqual([after.enhanced, after.working_days], [true, 1], 'wounding with intent is among the most serious crime');
    assert.ok(after.due_at.getTime() < before.due_at.getTime());
    const decided = await eventsOf(caseId, 'entitlements_decided');
    assert.ok(decided.some((event) => (event.detail.rules as string[]).includes('most_serious.wounding_with_intent')));
    const needsAssessment = await test.database.db.selectFrom('obligation').select('enhanced').where('case_id', '=', caseId).where('duty', '=', 'needs_assessment').executeTakeFirstOrThrow();
    assert.equal(needsAssessment.enhanced, false, 'a duty whose deadline does not depend on enhanced rights is left alone');
  });

  it('answers 404 to another area’s coordinator and for a guessed case, and 403 to other roles and organisations', async () => {
    const caseId = await referral('994U');
    const elsewhere = await createStaffUser(test.database.db, { role: 'coordinator' });
    const elsewhereCookie = await signIn(test.app, elsewhere);
    assert.equal((await get(`/cases/${caseId}/offence`, elsewhereCookie)).statusCode, 404);
    const sent = await postForm(test.app, `/cases/${caseId}/offence`, elsewhereCookie, { submissionKey: crypto.randomUUID(), offenceCode: '2', reason: 'Guessing' }, '/');
    assert.equal(sent.statusCode, 404);
    for (const url of ['/cases/nonsense/offence', `/cases/${crypto.randomUUID()}/offence`]) assert.equal((await get(url)).statusCode, 404, url);

    const officer = await createStaffUser(test.database.db, { role: 'police_officer', organisationId: forceId });
    const officerCookie = await signIn(test.app, officer);
    assert.equal((await get(`/cases/${caseId}/offence`, officerCookie)).statusCode, 403);
    const byOfficer = await postForm(test.app, `/cases/${caseId}/offence`, officerCookie, { submissionKey: crypto.randomUUID(), offenceCode: '2', reason: 'Guessing' }, '/');
    assert.equal(byOfficer.statusCode, 403);
    // A coordinator whose organisation is not the area's hub works on no cases.
    const provider = await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId });
    const providerCoordinator = await createStaffUser(test.database.db, { role: 'coordinator', organisationId: provider.id });
    assert.equal((await get(`/cases/${caseId}/offence`, await signIn(test.app, providerCoordinator))).statusCode, 403);

    const crime = await crimeOf(caseId);
    assert.equal(crime.offence_code, '994U');
    assert.equal((await eventsOf(caseId, 'offence_classified')).length, 0);
    assert.deepEqual((await tasksOf(caseId)).map((task) => task.status), ['open']);
  });
});
