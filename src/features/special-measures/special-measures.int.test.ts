// Special measures through the whole application (app.inject), on PGlite or PostgreSQL: who may see and record them
// (the hub and witness care of the area; police, providers and other areas get 404), journey 6 (a victim with severe
// epileptic seizures: the review flags a live link and a remote live link, witness care records the wishes, application
// and decision, and the victim's timeline gets the outcome), history kept, replays recording nothing, the same facts by
// case update, the pre-court review showing what was recorded, and a hearing's calendar file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { addDays, partsOf } from '../../platform/time/calendar-date.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { QUESTIONS } from '../assessment/rules.ts';
import { saveAssessment } from '../assessment/service.ts';
import { caseReference } from '../cases/rules.ts';
import { receiveReferral } from '../intake/service.ts';
import { runCodeClock } from '../obligations/service.ts';
import { todayInLondon } from '../people/service.ts';
import { noteSpecialMeasuresFromUpdate } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
let counter = 0;

const dayParts = (prefix: string, days: number) => {
  const { day, month, year } = partsOf(addDays(londonDateOf(new Date()), days));
  return { [`${prefix}-day`]: String(day), [`${prefix}-month`]: String(month), [`${prefix}-year`]: String(year) };
};

function assessmentForm(overrides: Record<string, string> = {}): Record<string, string> {
  const [year, month, day] = todayInLondon().split('-') as [string, string, string];
  const form: Record<string, string> = { method: 'phone', day, month, year, language: 'English', submissionKey: crypto.randomUUID() };
  for (const question of QUESTIONS) if (question.required && question.type !== 'text') form[question.id] = question.type === 'yes_no' ? 'no' : (question.options?.[0]?.value ?? '');
  return { ...form, ...overrides };
}

describe('special measures and court', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let witnessCare: TestStaffUser;
  let officer: TestStaffUser;
  let provider: TestStaffUser;
  let elsewhere: TestStaffUser;
  let hub: string;
  let wcu: string;
  let forceId: string;

  const actorOf = (user: TestStaffUser): Actor => ({
    kind: 'staff',
    staff: { userId: user.id, email: user.email, displayName: user.displayName, role: user.role, organisationId: user.organisationId, organisationName: user.organisationName, areaId: user.areaId },
  });

  async function referral(options: { offenceCode: string; givenName?: string }) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `SMR-${counter}-${crypto.randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: options.givenName ?? 'Esme', familyName: `Quill${counter}`, dateOfBirth: '1984-03-02' },
        crime: { crimeReference: `WY/${80000 + counter}/26`, offenceCode: options.offenceCode, offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    return receipt.caseId;
  }

  const get = (url: string, as: string) => test.app.inject({ method: 'GET', url, headers: { cookie: as } });
  const ledgerOf = (caseId: string) => test.database.db.selectFrom('special_measures_record').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  const eventsOf = (caseId: string, kind: string) => test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).execute();
  const auditOf = (action: string, caseId: string) => test.database.db.selectFrom('audit_event').selectAll().where('action', '=', action).where('record_id', '=', caseId).orderBy('id').execute();
  const card = (html: string, caseId: string) => new RegExp(`data-testid="review-${caseId}"[\\s\\S]*?</dl>`).exec(html)?.[0];

  /** Opens a form and sends it with its own submission key (unless one is given); returns the response and the key. */
  async function send(caseId: string, slug: string, fields: Record<string, string | string[]>, as: string, submissionKey?: string) {
    const form = await get(`/cases/${caseId}/special-measures/${slug}`, as);
    assert.equal(form.statusCode, 200, `the ${slug} form opens`);
    const key = submissionKey ?? submissionKeyIn(form.body);
    const response = await postForm(test.app, `/cases/${caseId}/special-measures/${slug}`, as, { submissionKey: key, ...fields }, `/cases/${caseId}/special-measures/${slug}`);
    return { response, key };
  }

  async function recordHearing(caseId: string, days: number) {
    const form = await get(`/cases/${caseId}/hearings/new`, hub);
    const { day, month, year } = partsOf(addDays(londonDateOf(new Date()), days));
    const sent = await postForm(test.app, `/cases/${caseId}/hearings`, hub, {
      submissionKey: submissionKeyIn(form.body),
      'hearingDate-day': String(day),
      'hearingDate-month': String(month),
      'hearingDate-year': String(year),
      time: '10:00',
      courtName: 'Leeds Crown Court',
      hearingType: 'trial',
    }, `/cases/${caseId}/hearings/new`);
    assert.equal(sent.statusCode, 303);
    const hearing = await test.database.db.selectFrom('hearing').selectAll().where('case_id', '=', caseId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    return hearing;
  }

  const wishes = (overrides: Record<string, string> = {}) => ({
    'wish-screens': 'not_discussed',
    'wish-live_link': 'wants',
    'wish-evidence_in_private': 'not_discussed',
    'wish-wigs_and_gowns': 'does_not_want',
    'wish-video_recorded_evidence': 'not_discussed',
    'wish-pre_recorded_cross_examination': 'not_discussed',
    'wish-intermediary': 'not_discussed',
    'wish-communication_aids': 'not_discussed',
    ...overrides,
  });

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    const unit = await createOrganisation(test.database.db, { kind: 'witness_care', areaId: coordinator.areaId, name: 'Witness Care Unit' });
    witnessCare = await createStaffUser(test.database.db, { role: 'witness_care_officer', displayName: 'Wren Witnesscare', organisationId: unit.id });
    officer = await createStaffUser(test.database.db, { role: 'police_officer', displayName: 'Pat Police', organisationId: forceId });
    const charity = await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Support Charity' });
    provider = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: charity.id });
    elsewhere = await createStaffUser(test.database.db, { role: 'coordinator' });
    hub = await signIn(test.app, coordinator);
    wcu = await signIn(test.app, witnessCare);
  });
  after(async () => {
    await test.close();
  });

  it('opens to the hub and witness care of the area, and to nobody else', async () => {
    const caseId = await referral({ offenceCode: '5D' });
    const hearing = await recordHearing(caseId, 10);
    // The police officer in charge may read the case as police, but special measures are the hub's and witness care's.
    const { crime_id: crimeId } = await test.database.db.selectFrom('victim_case').select('crime_id').where('id', '=', caseId).executeTakeFirstOrThrow();
    await test.database.db.updateTable('crime').set({ officer_user_id: officer.id }).where('id', '=', crimeId!).execute();
    for (const as of [hub, wcu]) {
      const page = await get(`/cases/${caseId}/special-measures`, as);
      assert.equal(page.statusCode, 200);
      assert.equal(titleOf(page.body), `Special measures: case ${caseReference(caseId)} – Haven`);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.match(page.body, /data-testid="case-banner"[\s\S]*?Esme Quill/);
      assert.match(page.body, /data-testid="no-history"/);
      assert.match(page.body, new RegExp(`href="/cases/${caseId}/hearings/${hearing.id}/calendar.ics"`), 'the next hearing, to add to a calendar');
      assert.equal((await get(`/cases/${caseId}/hearings/${hearing.id}/calendar.ics`, as)).statusCode, 200);
    }
    for (const user of [officer, provider, elsewhere]) {
      const as = await signIn(test.app, user);
      assert.equal((await get(`/cases/${caseId}/special-measures`, as)).statusCode, 404, `${user.role} of ${user.organisationName}`);
      assert.equal((await get(`/cases/${caseId}/special-measures/wishes`, as)).statusCode, 404);
      assert.equal((await get(`/cases/${caseId}/hearings/${hearing.id}/calendar.ics`, as)).statusCode, 404);
      const sent = await postForm(test.app, `/cases/${caseId}/special-measures/wishes`, as, { submissionKey: crypto.randomUUID(), ...wishes() }, '/');
      assert.equal(sent.statusCode, 404);
    }
    assert.equal((await get(`/cases/${crypto.randomUUID()}/special-measures`, hub)).statusCode, 404, 'a guessed id');
    assert.equal((await get(`/cases/${caseId}/special-measures/nonsense`, hub)).statusCode, 404);
    assert.equal((await get(`/cases/${caseId}/hearings/${crypto.randomUUID()}/calendar.ics`, hub)).statusCode, 404, 'a hearing of no case');
    assert.equal((await ledgerOf(caseId)).length, 0);
    const viewed = await auditOf('special_measures.viewed', caseId);
    assert.deepEqual(viewed.map((row) => row.actor_user_id), [coordinator.id, witnessCare.id]);
    assert.equal((viewed[1]?.detail as { access?: string }).access, 'witness_care');
    const casePage = await get(`/cases/${caseId}`, hub);
    assert.match(casePage.body, new RegExp(`href="/cases/${caseId}/special-measures"`), 'the case page links here');
  });

  it('carries journey 6: flags a live link and a remote live link, records the application and tells the victim the outcome', async () => {
    const caseId = await referral({ offenceCode: '5D', givenName: 'Selina' });
    await saveAssessment(test.database.db, actorOf(coordinator), caseId, assessmentForm({ physical_disability: 'yes', health_affects_evidence: 'yes', may_give_evidence: 'yes', health_notes: 'Severe epileptic seizures' }));
    await recordHearing(caseId, 10);
    await runCodeClock(test.database.db, { settle: true });

    const review = await get('/pre-court-review', hub);
    const before = card(review.body, caseId);
    assert.ok(before, 'the wounding with intent case is on the review list');
    assert.match(before, /Live link: giving evidence from another room or place \(section 24\)/);
    assert.match(before, /data-testid="alternatives-to-consider"[\s\S]*?remote live link from another place/);
    assert.match(before, /data-testid="nothing-recorded"/);

    const page = await get(`/cases/${caseId}/special-measures`, wcu);
    assert.match(page.body, /A physical disability or disorder is likely to affect the quality of their evidence/);
    assert.match(page.body, /data-testid="alternatives-to-consider"/);

    assert.equal((await send(caseId, 'wishes', wishes(), wcu)).response.statusCode, 303);
    assert.equal((await send(caseId, 'wishes', wishes({ 'wish-screens': 'wants' }), wcu)).response.statusCode, 303);
    const application = await send(caseId, 'application', { measures: ['live_link', 'screens'], ...dayParts('appliedOn', 0) }, wcu);
    assert.equal(application.response.statusCode, 303);
    assert.equal(application.response.headers.location, `/cases/${caseId}/special-measures?done=application`);
    const applied = await eventsOf(caseId, 'special_measures_applied');
    assert.equal(applied.length, 1);
    assert.equal(applied[0]?.visibility, 'staff');
    assert.equal(applied[0]?.summary, 'Special measures applied for: screens, live link');

    const outcomeFields = { 'decision-live_link': 'granted', 'decision-screens': 'refused', 'reason-screens': 'The live link makes screens unnecessary', ...dayParts('decidedOn', 0) };
    const outcome = await send(caseId, 'outcome', outcomeFields, wcu);
    assert.equal(outcome.response.statusCode, 303);
    const replay = await postForm(test.app, `/cases/${caseId}/special-measures/outcome`, wcu, { submissionKey: outcome.key, ...outcomeFields }, `/cases/${caseId}/special-measures/outcome`);
    assert.equal(replay.statusCode, 303, 'the same form sent again is a no-op that still lands on the page');
    const told = await eventsOf(caseId, 'special_measures_outcome');
    assert.equal(told.length, 1, 'one victim-visible event for one decision, however often the form is sent');
    assert.equal(told[0]?.visibility, 'victim');
    assert.equal(told[0]?.summary, 'The court has decided on the help you asked for when giving evidence');
    assert.deepEqual(told[0]?.detail, { notifyVictim: 'update', measures: ['screens', 'live_link'], granted: ['live_link'], refused: ['screens'] });
    assert.doesNotMatch(JSON.stringify(told[0]), /unnecessary/, 'the court’s reasons stay with staff');

    assert.equal((await send(caseId, 'arrangements', { arrangement: 'remote_live_link', place: 'Home' }, wcu)).response.statusCode, 303);
    assert.equal((await send(caseId, 'visit', { state: 'declined' }, wcu)).response.statusCode, 303);
    assert.equal((await send(caseId, 'expenses', dayParts('givenOn', 0), hub)).response.statusCode, 303);

    const ledger = await ledgerOf(caseId);
    assert.deepEqual(ledger.map((row) => row.kind), ['wishes', 'wishes', 'application', 'outcome', 'alternative_arrangements', 'familiarisation_visit', 'expenses_information'], 'history kept, replay added nothing');
    assert.equal(ledger[0]?.recorded_by_user_id, witnessCare.id);
    assert.equal((ledger[0]?.detail as { wishes: Record<string, string> }).wishes.screens, 'not_discussed', 'the first version of the wishes is kept');
    assert.equal((await auditOf('special_measures.recorded', caseId)).length, 7);

    const summary = await get(`/cases/${caseId}/special-measures?done=outcome`, hub);
    assert.match(summary.body, /data-measure="live_link"[\s\S]*?Wants it[\s\S]*?Granted/);
    assert.match(summary.body, /data-measure="screens"[\s\S]*?Refused[\s\S]*?Reason: The live link makes screens unnecessary/);
    assert.match(summary.body, /Remote live link from another place \(Home\)/);
    assert.match(summary.body, /data-testid="history"[\s\S]*?Court’s decision[\s\S]*?Applied for/);

    const after = card((await get('/pre-court-review', hub)).body, caseId);
    assert.ok(after);
    assert.match(after, /data-testid="measures-recorded"[\s\S]*?Live link: wants it; applied for [^;]+; granted/);
    assert.match(after, /Screens, so they do not see the defendant: wants it; applied for [^;]+; refused/);
    assert.match(after, /data-testid="alternative-recorded">Recorded: Remote live link from another place \(Home\)/);
  });

  it('answers bad input with the GOV.UK error summary and records nothing', async () => {
    const caseId = await referral({ offenceCode: '5D' });
    const { response, key } = await send(caseId, 'application', { ...dayParts('appliedOn', 2) }, hub);
    assert.equal(response.statusCode, 422);
    assert.match(titleOf(response.body), /^Error: Record the application/);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /href="#measures"[^>]*>Select the special measures applied for/);
    assert.match(response.body, /href="#appliedOn-day"[^>]*>Date of the application must be today or in the past/);
    assert.equal(submissionKeyIn(response.body), key, 'the corrected form keeps its key');
    const outcome = await get(`/cases/${caseId}/special-measures/outcome`, hub);
    assert.match(outcome.body, /data-testid="nothing-applied"/);
    const arrangements = (await send(caseId, 'arrangements', { arrangement: 'remote_live_link' }, hub)).response;
    assert.equal(arrangements.statusCode, 422);
    assert.match(arrangements.body, /href="#place"[^>]*>Enter where they will give evidence from/);
    const noKey = await postForm(test.app, `/cases/${caseId}/special-measures/expenses`, hub, { submissionKey: 'not-a-key', ...dayParts('givenOn', 0) }, `/cases/${caseId}/special-measures/expenses`);
    assert.equal(noKey.statusCode, 422);
    assert.equal((await ledgerOf(caseId)).length, 0);
    assert.equal((await eventsOf(caseId, 'special_measures_applied')).length, 0);
  });

  it('notes the same facts from a case update once, ignoring unknown measures, with no timeline event', async () => {
    const caseId = await referral({ offenceCode: '5D' });
    const update = { kind: 'application' as const, measures: ['live_link', 'hologram'], occurredAt: new Date(), sourceKey: `cu-${crypto.randomUUID()}` };
    for (let i = 0; i < 2; i += 1) await inTransaction(test.database.db, (trx) => noteSpecialMeasuresFromUpdate(trx, police, caseId, update));
    const outcome = { kind: 'outcome' as const, measures: ['live_link'], granted: ['live_link'], refused: ['hologram'], occurredAt: new Date(), sourceKey: `cu-${crypto.randomUUID()}` };
    await inTransaction(test.database.db, (trx) => noteSpecialMeasuresFromUpdate(trx, police, caseId, outcome));
    await inTransaction(test.database.db, (trx) => noteSpecialMeasuresFromUpdate(trx, police, caseId, { ...outcome, sourceKey: `cu-${crypto.randomUUID()}`, granted: ['hologram'], refused: [] }));
    const ledger = await ledgerOf(caseId);
    assert.deepEqual(ledger.map((row) => [row.kind, row.source]), [['application', 'case_update'], ['outcome', 'case_update']]);
    assert.deepEqual((ledger[0]?.detail as { measures: string[] }).measures, ['live_link']);
    assert.deepEqual((ledger[1]?.detail as { decisions: unknown[] }).decisions, [{ measure: 'live_link', decision: 'granted', reason: null }]);
    assert.equal((await eventsOf(caseId, 'special_measures_outcome')).length, 0);
    assert.equal((await eventsOf(caseId, 'special_measures_applied')).length, 0);
    const page = await get(`/cases/${caseId}/special-measures`, wcu);
    assert.match(page.body, /from a case update/);
    assert.match(page.body, /data-measure="live_link"[\s\S]*?Granted/);
  });

  it('downloads a hearing as a calendar file that names no one, linked from the hearings page, and audits it', async () => {
    const caseId = await referral({ offenceCode: '5D', givenName: 'Imogen' });
    const hearing = await recordHearing(caseId, 20);
    const hearings = await get(`/cases/${caseId}/hearings`, hub);
    assert.match(hearings.body, new RegExp(`href="/cases/${caseId}/hearings/${hearing.id}/calendar.ics"`));
    const file = await get(`/cases/${caseId}/hearings/${hearing.id}/calendar.ics`, wcu);
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers['content-type']), /^text\/calendar/);
    assert.equal(file.headers['content-disposition'], 'attachment; filename="hearing.ics"');
    const body = file.body;
    assert.match(body, /^BEGIN:VCALENDAR\r\n/);
    assert.match(body, /\r\nBEGIN:VEVENT\r\n/);
    const stamp = hearing.hearing_at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    assert.match(body, new RegExp(`\\r\\nDTSTART:${stamp}\\r\\n`));
    assert.match(body, /\r\nLOCATION:Leeds Crown Court\r\n/);
    assert.match(body, /\r\nSUMMARY:Court hearing: Trial\r\n/);
    assert.match(body, new RegExp(`UID:hearing-${hearing.id}@`));
    assert.doesNotMatch(body, /Imogen|Quill/, 'no personal data in the file');
    const audit = await auditOf('hearing.calendar_downloaded', caseId);
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]?.detail, { hearingId: hearing.id, access: 'witness_care' });
  });
});
