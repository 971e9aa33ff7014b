// The assessment pages through the whole application: a coordinator completes an assessment with a high DASH risk,
// which raises one MARAC referral; a re-assessment keeps the history; another area gets 404; bad input stores nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createStaffUser, csrfFor, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { findOrCreateCrime, openCase } from '../cases/service.ts';
import { createPerson, todayInLondon } from '../people/service.ts';
import { DASH_QUESTIONS } from './dash.ts';
import { QUESTIONS } from './rules.ts';
import { latestAssessment } from './service.ts';

const feed: Actor = { kind: 'system', label: 'police-feed' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';

/** A complete, consistent answer set for an adult, as the form would send it, dated today. */
function answers(overrides: Record<string, string> = {}): Record<string, string> {
  const [year, month, day] = todayInLondon().split('-') as [string, string, string];
  const form: Record<string, string> = { method: 'in_person', day, month, year, language: 'English', age: '40' };
  for (const q of QUESTIONS) if (q.required && q.type !== 'text') form[q.id] = q.type === 'yes_no' ? 'no' : q.options![0]!.value;
  return { ...form, ...overrides };
}
const dashWithYes = (count: number) => Object.fromEntries(DASH_QUESTIONS.map((q, index) => [q.id, index < count ? 'yes' : 'no']));

describe('needs assessment pages', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let cookie: string;
  let caseId: string;

  /** Opens the form (as a browser would), then sends it with the page's CSRF token and submission key. */
  async function submit(fields: Record<string, string>, options: { as?: string; key?: string } = {}) {
    const as = options.as ?? cookie;
    const csrf = await csrfFor(test.app, as, `/cases/${caseId}/assessment/new`);
    const page = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/assessment/new`, headers: { cookie: csrf.cookie } });
    const key = options.key ?? /name="submissionKey" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const body = new URLSearchParams({ _csrf: csrf.csrfToken, submissionKey: key, ...fields });
    const response = await test.app.inject({
      method: 'POST',
      url: `/cases/${caseId}/assessment`,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    return { response, key };
  }
  const count = async (table: 'needs_assessment' | 'case_task') =>
    Number((await test.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow()).n);

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator' });
    cookie = await signIn(test.app, coordinator);
    caseId = await inTransaction(test.database.db, async (trx) => {
      const person = await createPerson(trx, feed, { areaId: coordinator.areaId, givenName: 'Dana', familyName: 'Hale', dateOfBirth: '1986-01-15' });
      const { crime } = await findOrCreateCrime(trx, feed, { areaId: coordinator.areaId, crimeReference: 'DA/1/26', offenceCode: '8/1', offenceCategory: 'Assault' });
      return (await openCase(trx, feed, { personId: person.id, crimeId: crime.id, role: 'victim', source: 'police_api' })).case.id;
    });
  });
  after(async () => {
    await test.close();
  });

  it('shows an empty assessment page and the form, with no name in the titles', async () => {
    const page = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/assessment`, headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-testid="no-assessment"/);
    assert.doesNotMatch(titleOf(page.body), /Dana|Hale/);
    const form = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/assessment/new`, headers: { cookie } });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="_csrf"/);
    assert.match(form.body, /DASH risk checklist/);
    assert.match(form.body, /Going to court/);
    assert.doesNotMatch(titleOf(form.body), /Dana|Hale/);
  });

  it('shows bad and contradictory answers in the error summary and stores nothing', async () => {
    const { response } = await submit(answers({ under_18: 'yes', feels_safe: '', domestic_abuse: 'yes', ...dashWithYes(20), dash_5: '' }));
    assert.equal(response.statusCode, 422);
    assert.match(titleOf(response.body), /^Error: /);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /href="#under_18"[^>]*>You said they are under 18, but the date of birth on record makes them 40/);
    assert.match(response.body, /href="#feels_safe"/);
    assert.match(response.body, /href="#dash_5"/);
    // What was entered is still there to correct.
    assert.match(response.body, /id="dash_1" name="dash_1" type="radio" value="yes" checked/);
    assert.equal(await count('needs_assessment'), 0);
    assert.equal(await count('case_task'), 0);
  });

  it('saves a high-risk DASH once, raises one MARAC task, and puts a staff-only event on the timeline', async () => {
    const fields = answers({ domestic_abuse: 'yes', ...dashWithYes(15) });
    const first = await submit(fields);
    assert.equal(first.response.statusCode, 303);
    assert.equal(first.response.headers.location, `/cases/${caseId}/assessment?done=saved`);
    // The same form sent again (a double click) makes no second version and no second task.
    const again = await submit(fields, { key: first.key });
    assert.equal(again.response.statusCode, 303);
    assert.equal(await count('needs_assessment'), 1);
    const tasks = await test.database.db.selectFrom('case_task').selectAll().where('case_id', '=', caseId).execute();
    assert.deepEqual(tasks.map((task) => [task.kind, task.status, task.owning_organisation_id]), [['marac_referral', 'open', coordinator.organisationId]]);

    const page = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/assessment?done=saved`, headers: { cookie } });
    assert.match(page.body, /Assessment saved/);
    assert.match(page.body, /data-testid="open-tasks"[\s\S]*Refer to MARAC: DASH score 15 of 24/);
    assert.match(page.body, /High risk/);
    const events = await test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', 'assessment_completed').execute();
    assert.deepEqual(events.map((event) => event.visibility), ['staff']);
    const audit = await test.database.db.selectFrom('audit_event').select('action').where('record_id', '=', caseId).where('action', 'like', 'assessment.%').execute();
    assert.ok(audit.some((row) => row.action === 'assessment.completed'));
    assert.ok(audit.some((row) => row.action === 'assessment.viewed'));

    const latest = await inTransaction(test.database.db, (trx) => latestAssessment(trx, caseId));
    assert.equal(latest?.version, 1);
    assert.deepEqual([latest?.dash?.score, latest?.dash?.level], [15, 'high']);
    assert.equal(latest?.evidence.domesticAbuse, true);
  });

  it('keeps earlier versions when re-assessing, and does not ask for a second MARAC referral while one is open', async () => {
    const { response } = await submit(answers({ domestic_abuse: 'yes', ...dashWithYes(3), dashOverride: 'high', dashOverrideReason: 'Threats to kill since the last call', fear_testifying: 'yes' }));
    assert.equal(response.statusCode, 303);
    assert.equal(await count('needs_assessment'), 2);
    assert.equal(await count('case_task'), 1);
    const page = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/assessment`, headers: { cookie } });
    assert.match(page.body, /data-testid="history"[\s\S]*Version 2[\s\S]*Version 1/);
    assert.match(page.body, /Raised to high: Threats to kill since the last call/);
    const first = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/assessment/1`, headers: { cookie } });
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /This is an earlier version. The latest is version 2/);
    assert.match(first.body, /15 of 24/);
    const missing = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/assessment/9`, headers: { cookie } });
    assert.equal(missing.statusCode, 404);
    const latest = await inTransaction(test.database.db, (trx) => latestAssessment(trx, caseId));
    assert.deepEqual([latest?.version, latest?.dash?.scoreLevel, latest?.dash?.level], [2, 'standard', 'high']);
    assert.equal(latest?.evidence.fearOrDistressAboutTestifying, true);
  });

  it('answers 404 to staff from another area and to other roles, and stores nothing for them', async () => {
    const elsewhere = await createStaffUser(test.database.db, { role: 'coordinator' });
    const officer = await createStaffUser(test.database.db, { role: 'police_officer' });
    for (const user of [elsewhere, officer]) {
      const userCookie = await signIn(test.app, user);
      for (const url of [`/cases/${caseId}/assessment`, `/cases/${caseId}/assessment/new`, `/cases/${caseId}/assessment/1`]) {
        const page = await test.app.inject({ method: 'GET', url, headers: { cookie: userCookie } });
        assert.equal(page.statusCode, 404, `${user.role} ${url}`);
      }
      const csrf = await csrfFor(test.app, userCookie, '/');
      const post = await test.app.inject({
        method: 'POST',
        url: `/cases/${caseId}/assessment`,
        headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf.csrfToken, submissionKey: crypto.randomUUID(), ...answers() }).toString(),
      });
      assert.equal(post.statusCode, 404);
    }
    assert.equal(await count('needs_assessment'), 2);
  });
});
