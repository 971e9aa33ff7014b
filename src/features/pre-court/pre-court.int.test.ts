// Hearings and the pre-court review through the whole application (app.inject), on PGlite or PostgreSQL: recording a
// hearing once however often the form is sent (with its timeline event, which starts the Code clock's hearing_update
// duty), the list of high-risk cases with a hearing within the horizon, their needs and special measures, bad input,
// the area's horizon, and other areas and roles that see nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, signIn, type TestStaffUser, postForm } from '../../../test/support/staff.ts';
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

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
let counter = 0;

/** The form's date fields for a day this many days from today (London), at this time. */
const hearingIn = (days: number, time = '10:00') => {
  const { day, month, year } = partsOf(addDays(londonDateOf(new Date()), days));
  return { 'hearingDate-day': String(day), 'hearingDate-month': String(month), 'hearingDate-year': String(year), time };
};

/** A complete answer set for an adult, as the assessment form sends it, dated today. */
function assessmentForm(overrides: Record<string, string> = {}): Record<string, string> {
  const [year, month, day] = todayInLondon().split('-') as [string, string, string];
  const form: Record<string, string> = { method: 'phone', day, month, year, language: 'English', submissionKey: crypto.randomUUID() };
  for (const question of QUESTIONS) if (question.required && question.type !== 'text') form[question.id] = question.type === 'yes_no' ? 'no' : (question.options?.[0]?.value ?? '');
  return { ...form, ...overrides };
}

describe('hearings and the pre-court review', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let supervisor: TestStaffUser;
  let cookie: string;
  let forceId: string;

  const actorOf = (user: TestStaffUser): Actor => ({
    kind: 'staff',
    staff: { userId: user.id, email: user.email, displayName: user.displayName, role: user.role, organisationId: user.organisationId, organisationName: user.organisationName, areaId: user.areaId },
  });

  /** A police referral into the coordinator's area; the code list gives the offence its category and group. */
  async function referral(options: { offenceCode: string; domesticAbuse?: boolean; givenName?: string; dateOfBirth?: string }) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `PCR-${counter}-${crypto.randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: options.givenName ?? 'Dana', familyName: `Hale${counter}`, dateOfBirth: options.dateOfBirth ?? '1986-01-15' },
        crime: { crimeReference: `WY/${70000 + counter}/26`, offenceCode: options.offenceCode, offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: options.domesticAbuse ? { domesticAbuse: true } : {},
      }),
    );
    return receipt.caseId;
  }

  const get = (url: string, as = cookie) => test.app.inject({ method: 'GET', url, headers: { cookie: as } });
  const hearingsOf = (caseId: string) => test.database.db.selectFrom('hearing').selectAll().where('case_id', '=', caseId).execute();
  const eventsOf = (caseId: string, kind: string) => test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).execute();
  const auditOf = (action: string) => test.database.db.selectFrom('audit_event').selectAll().where('action', '=', action).orderBy('id').execute();

  /** Opens the form and sends it with these fields (the form's own submission key unless one is given). */
  async function recordThroughForm(caseId: string, fields: Record<string, string>, options: { as?: string; submissionKey?: string } = {}) {
    const as = options.as ?? cookie;
    const form = await get(`/cases/${caseId}/hearings/new`, as);
    assert.equal(form.statusCode, 200);
    const key = options.submissionKey ?? submissionKeyIn(form.body);
    return postForm(test.app, `/cases/${caseId}/hearings`, as, { submissionKey: key, ...fields }, `/cases/${caseId}/hearings/new`);
  }

  const trial = { courtName: 'Leeds Crown Court', hearingType: 'trial' };
  const card = (html: string, caseId: string) => new RegExp(`data-testid="review-${caseId}"[\\s\\S]*?</dl>`).exec(html)?.[0];

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    supervisor = await createStaffUser(test.database.db, { role: 'supervisor', displayName: 'Sue Supervisor', organisationId: coordinator.organisationId });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    await createOrganisation(test.database.db, { kind: 'witness_care', areaId: coordinator.areaId, name: 'Witness Care Unit' });
    cookie = await signIn(test.app, coordinator);
  });
  after(async () => {
    await test.close();
  });

  it('records a hearing once with its victim-visible timeline event, and the Code clock starts the hearing update duty', async () => {
    const caseId = await referral({ offenceCode: '8N', domesticAbuse: true });
    const page = await get(`/cases/${caseId}/hearings`);
    assert.equal(page.statusCode, 200);
    assert.equal(titleOf(page.body), `Hearings: case ${caseReference(caseId)} – Haven`);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /No hearings have been recorded yet/);
    assert.match(page.body, /data-testid="case-banner"[\s\S]*?Dana Hale\d+/, 'the name is on the page, never in its title');
    assert.match(page.body, new RegExp(`href="/cases/${caseId}/hearings/new"`));
    const casePage = await get(`/cases/${caseId}`);
    assert.match(casePage.body, new RegExp(`href="/cases/${caseId}/hearings"`), 'the case page links to its hearings');

    const form = await get(`/cases/${caseId}/hearings/new`);
    assert.equal(titleOf(form.body), `Record a hearing: case ${caseReference(caseId)} – Haven`);
    const key = submissionKeyIn(form.body);
    assert.match(key, /^[0-9a-f-]{36}$/);
    const fields = { submissionKey: key, ...hearingIn(10), ...trial };
    const first = await postForm(test.app, `/cases/${caseId}/hearings`, cookie, fields, `/cases/${caseId}/hearings/new`);
    const second = await postForm(test.app, `/cases/${caseId}/hearings`, cookie, fields, `/cases/${caseId}/hearings/new`);
    for (const sent of [first, second]) {
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `/cases/${caseId}/hearings?done=recorded`);
    }

    const hearings = await hearingsOf(caseId);
    assert.equal(hearings.length, 1, 'a form sent twice records one hearing');
    const [hearing] = hearings;
    assert.ok(hearing);
    assert.equal(hearing.court_name, 'Leeds Crown Court');
    assert.equal(hearing.hearing_type, 'trial');
    assert.equal(hearing.area_id, coordinator.areaId);
    assert.equal(hearing.recorded_by_user_id, coordinator.id);
    assert.equal(londonDateOf(hearing.hearing_at), addDays(londonDateOf(new Date()), 10));
    const events = await eventsOf(caseId, 'hearing_listed');
    assert.equal(events.length, 1);
    assert.equal(Number(events[0]?.id), Number(hearing.timeline_event_id));
    assert.equal(events[0]?.visibility, 'victim');
    assert.match(events[0]?.summary ?? '', /^Hearing listed: Trial at Leeds Crown Court on \d+ \w+ \d{4} at 10am$/);
    assert.deepEqual(events[0]?.detail, { hearingId: hearing.id, hearingAt: hearing.hearing_at.toISOString(), courtName: 'Leeds Crown Court', hearingType: 'trial' });
    const audit = (await auditOf('hearing.recorded')).filter((row) => row.record_id === caseId);
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]?.detail, { hearingId: hearing.id, hearingType: 'trial', eventId: Number(hearing.timeline_event_id) });

    await runCodeClock(test.database.db, { settle: true });
    const duty = await test.database.db.selectFrom('obligation').selectAll().where('case_id', '=', caseId).where('duty', '=', 'hearing_update').execute();
    assert.equal(duty.length, 1, 'one hearing_update duty for the one event');
    assert.equal(duty[0]?.trigger_kind, 'hearing_listed');
    assert.equal(Number(duty[0]?.trigger_event_id), Number(hearing.timeline_event_id));
    assert.equal(duty[0]?.owner_kind, 'witness_care');
    assert.equal(duty[0]?.state, 'open');
    assert.equal(duty[0]?.working_days, 1);

    const list = await get(`/cases/${caseId}/hearings?done=recorded`);
    assert.match(list.body, /govuk-notification-banner--success/);
    assert.match(list.body, /Hearing recorded/);
    assert.match(list.body, new RegExp(`data-hearing-id="${hearing.id}"[\\s\\S]*?Trial[\\s\\S]*?Leeds Crown Court[\\s\\S]*?Cara Coordinator`));
    assert.equal((await auditOf('hearings.viewed')).filter((row) => row.record_id === caseId).length, 2);
  });

  it('lists a domestic abuse case with a hearing in 10 days, and not a burglary or a hearing beyond the horizon', async () => {
    const abuse = await referral({ offenceCode: '8N', domesticAbuse: true, givenName: 'Ayesha' });
    const burglary = await referral({ offenceCode: '28E', givenName: 'Bert' });
    const later = await referral({ offenceCode: '8N', domesticAbuse: true, givenName: 'Lena' });
    assert.equal((await recordThroughForm(abuse, { ...hearingIn(10, '2:30pm'), courtName: 'Leeds Magistrates’ Court', hearingType: 'first_hearing' })).statusCode, 303);
    assert.equal((await recordThroughForm(burglary, { ...hearingIn(10), ...trial })).statusCode, 303);
    assert.equal((await recordThroughForm(later, { ...hearingIn(40), ...trial })).statusCode, 303);
    // The clock decides entitlements from each referral: the burglary victim gets none, so stays off the list.
    await runCodeClock(test.database.db, { settle: true });

    const page = await get('/pre-court-review');
    assert.equal(page.statusCode, 200);
    assert.equal(titleOf(page.body), 'Pre-court review – Haven');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /class="govuk-service-navigation__link" href="\/pre-court-review"/, 'in the staff navigation');
    assert.match(page.body, /Record the victim’s wishes, the application and the court’s decision on each case’s special measures page/);
    const shown = card(page.body, abuse);
    assert.ok(shown, 'the domestic abuse case is listed');
    assert.match(shown, new RegExp(`Case ${caseReference(abuse)}`));
    assert.match(shown, new RegExp(`href="/cases/${abuse}"`));
    assert.match(shown, /Ayesha/);
    assert.match(shown, /First hearing at Leeds Magistrates’ Court/);
    assert.match(shown, /govuk-tag--red[^>]*>\s*Domestic abuse/);
    assert.match(shown, /Enhanced rights: most serious crime, intimidated/);
    assert.match(shown, /No needs assessment/);
    assert.match(shown, /Complainant of domestic abuse: eligible automatically/);
    assert.match(shown, /Screens, so they do not see the defendant \(section 23\)<br><span class="govuk-body-s">Why: Domestic abuse: they need not see the defendant\.<\/span>/);
    assert.equal(card(page.body, burglary), undefined, 'a burglary without enhanced rights is not listed');
    assert.equal(card(page.body, later), undefined, 'a hearing in 40 days is beyond the 28-day horizon');

    const viewed = (await auditOf('pre_court_review.viewed')).at(-1);
    assert.equal(viewed?.actor_user_id, coordinator.id);
    assert.equal((viewed?.detail as { horizonDays?: number }).horizonDays, 28);
    const listed = (viewed?.detail as { caseIds?: string[] }).caseIds ?? [];
    assert.ok(listed.includes(abuse));
    assert.ok(!listed.includes(burglary) && !listed.includes(later));
    assert.doesNotMatch(JSON.stringify(viewed?.detail), /Ayesha|Leeds/, 'the audit trail keeps ids, not names');

    const wider = await get('/pre-court-review?horizon=45');
    assert.equal(wider.statusCode, 200);
    assert.ok(card(wider.body, later), 'a wider horizon reaches the later hearing');
    assert.ok(card(wider.body, abuse));
    assert.equal(card(wider.body, burglary), undefined);
    assert.match(wider.body, /id="horizon"[^>]*value="45"|value="45"[^>]*id="horizon"/);
    const narrow = await get('/pre-court-review?horizon=5');
    assert.equal(card(narrow.body, abuse), undefined, 'a hearing in 10 days is beyond a 5-day horizon');
  });

  it('shows the needs from the latest assessment and the special measures they point to', async () => {
    const rape = await referral({ offenceCode: '19C', givenName: 'Rosa' });
    await saveAssessment(test.database.db, actorOf(coordinator), rape, assessmentForm({ interpreter: 'yes', language: 'Polish', fear_testifying: 'yes', may_give_evidence: 'yes' }));
    assert.equal((await recordThroughForm(rape, { ...hearingIn(3), ...trial })).statusCode, 303);
    const page = await get('/pre-court-review');
    const shown = card(page.body, rape);
    assert.ok(shown);
    assert.match(shown, /govuk-tag--red[^>]*>\s*Rape/);
    assert.match(shown, /Needs an interpreter \(Polish\)/);
    assert.match(shown, /Worried or frightened about giving evidence/);
    assert.match(shown, /From needs assessment version 1/);
    assert.match(shown, /Complainant of a sexual offence: eligible automatically unless they decline \(s17\(4\)\)/);
    assert.match(shown, /Pre-recorded cross-examination \(section 28\)<br><span class="govuk-body-s">Why: Complainant of a sexual offence \(s17\(4\)\)\.<\/span>/);
    assert.match(shown, /Evidence in private, with the public gallery cleared \(section 25\)/);
    assert.match(shown, /An interpreter at court \(Polish\)/);
    assert.doesNotMatch(shown, /An intermediary \(section 29\)/, 'an intermediary is for vulnerable witnesses only');
  });

  it('answers bad input with GOV.UK errors and stores nothing', async () => {
    const caseId = await referral({ offenceCode: '8N', domesticAbuse: true });
    const form = await get(`/cases/${caseId}/hearings/new`);
    const key = submissionKeyIn(form.body);
    const bad = await postForm(test.app, `/cases/${caseId}/hearings`, cookie, { submissionKey: key, ...hearingIn(-1, '25:00'), courtName: '', hearingType: '' }, `/cases/${caseId}/hearings/new`);
    assert.equal(bad.statusCode, 422);
    assert.equal(titleOf(bad.body), `Error: Record a hearing: case ${caseReference(caseId)} – Haven`);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /href="#hearingDate-day"[^>]*>Date of the hearing must be today or in the future/);
    assert.match(bad.body, /href="#time"[^>]*>Enter the time like 10:00 or 10am/);
    assert.match(bad.body, /href="#courtName"[^>]*>Enter the name of the court/);
    assert.match(bad.body, /href="#hearingType"[^>]*>Select the type of hearing/);
    assert.equal(submissionKeyIn(bad.body), key, 'the corrected form keeps its key');
    const noKey = await recordThroughForm(caseId, { ...hearingIn(3), ...trial }, { submissionKey: 'not-a-key' });
    assert.equal(noKey.statusCode, 422);
    assert.equal((await hearingsOf(caseId)).length, 0);
    assert.equal((await eventsOf(caseId, 'hearing_listed')).length, 0);

    const fixed = await postForm(test.app, `/cases/${caseId}/hearings`, cookie, { submissionKey: key, ...hearingIn(3), ...trial }, `/cases/${caseId}/hearings/new`);
    assert.equal(fixed.statusCode, 303);
    assert.equal((await hearingsOf(caseId)).length, 1);

    for (const horizon of ['abc', '0', '400', '2.5']) {
      const before = (await auditOf('pre_court_review.viewed')).length;
      const page = await get(`/pre-court-review?horizon=${horizon}`);
      assert.equal(page.statusCode, 400, horizon);
      assert.equal(titleOf(page.body), 'Error: Pre-court review – Haven');
      assert.match(page.body, /govuk-error-summary/);
      assert.match(page.body, /href="#horizon"[^>]*>Enter (the number of days as a whole number, like 28|a number of days between 1 and 365)/);
      assert.match(page.body, new RegExp(`id="horizon"[^>]*value="${horizon.replace('.', '\\.')}"|value="${horizon.replace('.', '\\.')}"[^>]*id="horizon"`), 'keeps what was typed');
      assert.doesNotMatch(page.body, /data-testid="review-/, 'lists nothing for a horizon it could not read');
      assert.equal((await auditOf('pre_court_review.viewed')).length, before);
    }
    assert.equal((await get('/pre-court-review?horizon=7&horizon=14')).statusCode, 400);
  });

  it('lets a supervisor change the area’s horizon, and nobody else', async () => {
    const caseId = await referral({ offenceCode: '8N', domesticAbuse: true });
    await recordThroughForm(caseId, { ...hearingIn(20), ...trial });
    const supervisorCookie = await signIn(test.app, supervisor);
    assert.ok(card((await get('/pre-court-review', supervisorCookie)).body, caseId));
    assert.match((await get('/pre-court-review', supervisorCookie)).body, /href="\/pre-court-review\/horizon"/);
    assert.doesNotMatch((await get('/pre-court-review')).body, /href="\/pre-court-review\/horizon"/);
    assert.equal((await get('/pre-court-review/horizon')).statusCode, 403, 'a coordinator cannot change it');

    const form = await get('/pre-court-review/horizon', supervisorCookie);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="28"/);
    const bad = await postForm(test.app, '/pre-court-review/horizon', supervisorCookie, { horizonDays: 'soon' }, '/pre-court-review/horizon');
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /href="#horizonDays"[^>]*>Enter the number of days as a whole number/);
    const saved = await postForm(test.app, '/pre-court-review/horizon', supervisorCookie, { horizonDays: '14' }, '/pre-court-review/horizon');
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/pre-court-review?done=horizon');
    const changed = await get('/pre-court-review');
    assert.equal(card(changed.body, caseId), undefined, 'a hearing in 20 days is beyond the area’s new 14 days');
    assert.match(changed.body, /Your area’s default is 14 days/);
    assert.ok(card((await get('/pre-court-review?horizon=21')).body, caseId), 'staff can still look further for their own view');
    const audit = (await auditOf('pre_court_review.horizon_changed')).at(-1);
    assert.deepEqual(audit?.detail, { from: 28, to: 14 });
    await postForm(test.app, '/pre-court-review/horizon', supervisorCookie, { horizonDays: '28' }, '/pre-court-review/horizon');
  });

  it('shows another area nothing, answers 404 to its staff on the case’s hearings, and 403 to other roles', async () => {
    const caseId = await referral({ offenceCode: '8N', domesticAbuse: true });
    await recordThroughForm(caseId, { ...hearingIn(5), ...trial });
    const elsewhere = await createStaffUser(test.database.db, { role: 'coordinator' });
    const elsewhereCookie = await signIn(test.app, elsewhere);
    const list = await get('/pre-court-review', elsewhereCookie);
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, /data-testid="review-/);
    assert.match(list.body, /No case needs a pre-court review in this period/);
    for (const url of [`/cases/${caseId}/hearings`, `/cases/${caseId}/hearings/new`]) {
      assert.equal((await get(url, elsewhereCookie)).statusCode, 404, url);
    }
    const sent = await postForm(test.app, `/cases/${caseId}/hearings`, elsewhereCookie, { submissionKey: crypto.randomUUID(), ...hearingIn(5), ...trial }, '/');
    assert.equal(sent.statusCode, 404);
    assert.equal((await hearingsOf(caseId)).length, 1);
    for (const url of ['/cases/nonsense/hearings/new', `/cases/${crypto.randomUUID()}/hearings`]) assert.equal((await get(url)).statusCode, 404, url);

    const officer = await createStaffUser(test.database.db, { role: 'police_officer', organisationId: forceId });
    const officerCookie = await signIn(test.app, officer);
    assert.equal((await get('/pre-court-review', officerCookie)).statusCode, 403);
    assert.equal((await get(`/cases/${caseId}/hearings/new`, officerCookie)).statusCode, 403);
    // A coordinator whose organisation is not the area's hub sees no list either.
    const provider = await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId });
    const providerCoordinator = await createStaffUser(test.database.db, { role: 'coordinator', organisationId: provider.id });
    assert.equal((await get('/pre-court-review', await signIn(test.app, providerCoordinator))).statusCode, 403);
  });
});
