// The care plan pages through the whole application (app.inject), on PGlite or PostgreSQL: adding an action (once, however
// often the form is sent), marking it done, cancelling it with a reason, overdue tags, bad input that stores nothing,
// and cases in other areas that look missing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, mergeCookies, signIn, type TestStaffUser, postForm } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { addDays, partsOf } from '../../platform/time/calendar-date.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { createPerson } from '../people/service.ts';
import { openCase } from '../cases/service.ts';
import { caseReference } from '../cases/rules.ts';

const selfReferral: Actor = { kind: 'system', label: 'self-referral' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';

const inDays = (days: number) => {
  const { day, month, year } = partsOf(addDays(londonDateOf(new Date()), days));
  return { 'dueDate-day': String(day), 'dueDate-month': String(month), 'dueDate-year': String(year) };
};

describe('care plan pages', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let supervisor: TestStaffUser;
  let providerId: string;
  let cookie: string;

  async function newCase() {
    return inTransaction(test.database.db, async (trx) => {
      const person = await createPerson(trx, selfReferral, { areaId: coordinator.areaId, givenName: 'Priya', familyName: 'Patel' });
      return (await openCase(trx, selfReferral, { personId: person.id, crimeId: null, role: 'victim', source: 'self_referral' })).case.id;
    });
  }

  const get = (url: string, as = cookie) => test.app.inject({ method: 'GET', url, headers: { cookie: as } });
  const actionsOf = (caseId: string) => test.database.db.selectFrom('care_plan_action').selectAll().where('case_id', '=', caseId).execute();
  const eventsOf = (caseId: string, kind: string) =>
    test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).execute();
  const auditOf = (caseId: string, action: string) =>
    test.database.db.selectFrom('audit_event').selectAll().where('record_id', '=', caseId).where('action', '=', action).execute();

  /** Opens the add form and sends it with these fields (the form's own submission key unless one is given). */
  async function addThroughForm(caseId: string, fields: Record<string, string>, submissionKey?: string) {
    const form = await get(`/cases/${caseId}/care-plan/new`);
    assert.equal(form.statusCode, 200);
    const key = submissionKey ?? submissionKeyIn(form.body);
    return postForm(test.app, `/cases/${caseId}/care-plan`, cookie, { submissionKey: key, ...fields }, `/cases/${caseId}/care-plan/new`);
  }

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    supervisor = await createStaffUser(test.database.db, { role: 'supervisor', displayName: 'Sue Supervisor', organisationId: coordinator.organisationId });
    providerId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Safer Homes' })).id;
    cookie = await signIn(test.app, coordinator);
  });
  after(async () => {
    await test.close();
  });

  it('shows an empty plan under a title without personal data, and audits the read', async () => {
    const caseId = await newCase();
    const page = await get(`/cases/${caseId}/care-plan`);
    assert.equal(page.statusCode, 200);
    assert.equal(titleOf(page.body), `Care plan: case ${caseReference(caseId)} – Haven`);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /Priya Patel/);
    assert.match(page.body, /No actions have been agreed yet/);
    assert.match(page.body, new RegExp(`href="/cases/${caseId}/care-plan/new"`));
    assert.equal((await auditOf(caseId, 'care_plan.viewed')).length, 1);

    const form = await get(`/cases/${caseId}/care-plan/new`);
    assert.equal(titleOf(form.body), `Add an action: case ${caseReference(caseId)} – Haven`);
    assert.match(form.body, /Safer Homes/);
    assert.match(form.body, /Sue Supervisor/);
    assert.match(submissionKeyIn(form.body), /^[0-9a-f-]{36}$/);
    assert.match(form.body, /name="_csrf"/);
  });

  it('adds an action with its audit and victim-visible timeline event, and a double submit adds one', async () => {
    const caseId = await newCase();
    const fields = { description: 'Arrange for a locksmith to fit new locks', owner: coordinator.organisationId, ownerUserId: supervisor.id, ...inDays(14) };
    const form = await get(`/cases/${caseId}/care-plan/new`);
    const key = submissionKeyIn(form.body);
    const first = await postForm(test.app, `/cases/${caseId}/care-plan`, cookie, { submissionKey: key, ...fields }, `/cases/${caseId}/care-plan/new`);
    const second = await postForm(test.app, `/cases/${caseId}/care-plan`, cookie, { submissionKey: key, ...fields }, `/cases/${caseId}/care-plan/new`);
    for (const sent of [first, second]) {
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `/cases/${caseId}/care-plan?done=added`);
    }

    const actions = await actionsOf(caseId);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]?.status, 'agreed');
    assert.equal(actions[0]?.owner_kind, 'organisation');
    assert.equal(actions[0]?.owner_organisation_id, coordinator.organisationId);
    assert.equal(actions[0]?.owner_user_id, supervisor.id);
    assert.equal(actions[0]?.created_by_user_id, coordinator.id);

    const events = await eventsOf(caseId, 'care_plan_action_agreed');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.visibility, 'victim');
    assert.match(events[0]?.summary ?? '', /^Care plan: Sue Supervisor at Haven Victim Gateway will arrange for a locksmith to fit new locks by \d+ \w+ \d{4}\.$/);
    const audit = await auditOf(caseId, 'care_plan.action_added');
    assert.equal(audit.length, 1);
    assert.doesNotMatch(JSON.stringify(audit[0]?.detail), /locksmith/, 'the audit trail keeps ids, not the words');

    const page = await get(`/cases/${caseId}/care-plan?done=added`);
    assert.match(page.body, /govuk-notification-banner--success/);
    assert.match(page.body, /Action added to the care plan/);
    assert.match(page.body, /Sue Supervisor at Haven Victim Gateway will arrange for a locksmith/);
    assert.match(page.body, /govuk-tag--blue[^>]*>\s*Agreed/);
    assert.doesNotMatch(page.body, /Overdue/);
  });

  it('shows GOV.UK errors for bad input, keeps what was typed and the submission key, and stores nothing', async () => {
    const caseId = await newCase();
    const form = await get(`/cases/${caseId}/care-plan/new`);
    const key = submissionKeyIn(form.body);
    const bad = await postForm(
      test.app,
      `/cases/${caseId}/care-plan`,
      cookie,
      { submissionKey: key, description: 'Call them', owner: '', ...inDays(-1) },
      `/cases/${caseId}/care-plan/new`,
    );
    assert.equal(bad.statusCode, 422);
    assert.equal(titleOf(bad.body), `Error: Add an action: case ${caseReference(caseId)} – Haven`);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /href="#description"[^>]*>What will be done must be 10 characters or more/);
    assert.match(bad.body, /href="#owner"[^>]*>Select who will do this/);
    assert.match(bad.body, /href="#dueDate-day"[^>]*>Due date must be today or in the future/);
    assert.match(bad.body, />Call them<\/textarea>/);
    assert.equal(submissionKeyIn(bad.body), key);

    const wrongPerson = await addThroughForm(caseId, { description: 'Fit a video doorbell at the front door', owner: providerId, ownerUserId: coordinator.id, ...inDays(3) });
    assert.equal(wrongPerson.statusCode, 422);
    assert.match(wrongPerson.body, /href="#ownerUserId"[^>]*>The named person must work for the organisation that will do this/);
    const noKey = await addThroughForm(caseId, { description: 'Fit a video doorbell at the front door', owner: providerId, ...inDays(3) }, 'not-a-key');
    assert.equal(noKey.statusCode, 422);

    assert.equal((await actionsOf(caseId)).length, 0);
    assert.equal((await eventsOf(caseId, 'care_plan_action_agreed')).length, 0);
    assert.equal((await auditOf(caseId, 'care_plan.action_added')).length, 0);

    // The corrected form, sent with the same key, adds the action once.
    const fixed = await postForm(test.app, `/cases/${caseId}/care-plan`, cookie, { submissionKey: key, description: 'Call them about the court date', owner: 'victim', ...inDays(0) }, `/cases/${caseId}/care-plan/new`);
    assert.equal(fixed.statusCode, 303);
    assert.equal((await actionsOf(caseId)).length, 1);
  });

  it('marks an action done once, on the victim’s timeline, and will not cancel it afterwards', async () => {
    const caseId = await newCase();
    await addThroughForm(caseId, { description: 'Refer to Safer Homes for a security survey', owner: coordinator.organisationId, ...inDays(7) });
    const [action] = await actionsOf(caseId);
    assert.ok(action);
    const url = `/cases/${caseId}/care-plan/${action.id}/done`;
    const done = await postForm(test.app, url, cookie, {}, `/cases/${caseId}/care-plan`);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/cases/${caseId}/care-plan?done=done`);
    const again = await postForm(test.app, url, cookie, {}, `/cases/${caseId}/care-plan`);
    assert.equal(again.statusCode, 303);

    const [row] = await actionsOf(caseId);
    assert.equal(row?.status, 'done');
    assert.equal(row?.done_by_user_id, coordinator.id);
    assert.ok(row?.done_at instanceof Date);
    const events = await eventsOf(caseId, 'care_plan_action_done');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.visibility, 'victim');
    assert.match(events[0]?.summary ?? '', /^Care plan: Done on \d+ \w+ \d{4}: Haven Victim Gateway agreed to refer to Safer Homes/);
    assert.equal((await auditOf(caseId, 'care_plan.action_done')).length, 1);

    const page = await get(`/cases/${caseId}/care-plan?done=done`);
    assert.match(page.body, /Action marked as done/);
    assert.match(page.body, /govuk-tag--green[^>]*>\s*Done/);
    assert.doesNotMatch(page.body, new RegExp(`${action.id}/done"`), 'a done action offers no buttons');

    const cancel = await postForm(test.app, `/cases/${caseId}/care-plan/${action.id}/cancel`, cookie, { reason: 'Changed our minds' }, `/cases/${caseId}/care-plan`);
    assert.equal(cancel.statusCode, 409);
    assert.equal((await actionsOf(caseId))[0]?.status, 'done');
  });

  it('cancels an action with a reason kept off the audit trail and off the victim’s timeline', async () => {
    const caseId = await newCase();
    await addThroughForm(caseId, { description: 'Book a BSL interpreter for the next meeting', owner: providerId, ...inDays(5) });
    const [action] = await actionsOf(caseId);
    assert.ok(action);
    const url = `/cases/${caseId}/care-plan/${action.id}/cancel`;
    const page = await get(url);
    assert.equal(page.statusCode, 200);
    assert.equal(titleOf(page.body), `Cancel an action: case ${caseReference(caseId)} – Haven`);
    assert.match(page.body, /Safer Homes will book a BSL interpreter/, 'the abbreviation keeps its capitals');

    const empty = await postForm(test.app, url, cookie, { reason: '  ' }, url);
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /href="#reason"[^>]*>Enter why the action is cancelled/);
    assert.equal((await actionsOf(caseId))[0]?.status, 'agreed');

    const cancelled = await postForm(test.app, url, cookie, { reason: 'Priya now has an interpreter through her college' }, url);
    assert.equal(cancelled.statusCode, 303);
    assert.equal(cancelled.headers.location, `/cases/${caseId}/care-plan?done=cancelled`);
    const [row] = await actionsOf(caseId);
    assert.equal(row?.status, 'cancelled');
    assert.equal(row?.cancel_reason, 'Priya now has an interpreter through her college');
    assert.equal(row?.cancelled_by_user_id, coordinator.id);

    const events = await eventsOf(caseId, 'care_plan_action_cancelled');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.visibility, 'staff');
    assert.equal((events[0]?.detail as { reason?: string }).reason, 'Priya now has an interpreter through her college');
    const audit = await auditOf(caseId, 'care_plan.action_cancelled');
    assert.equal(audit.length, 1);
    assert.doesNotMatch(JSON.stringify(audit[0]?.detail), /interpreter|college/);

    const list = await get(`/cases/${caseId}/care-plan`);
    assert.match(list.body, /govuk-tag--grey[^>]*>\s*Cancelled/);
    assert.match(list.body, /Priya now has an interpreter through her college/);
    const done = await postForm(test.app, `/cases/${caseId}/care-plan/${action.id}/done`, cookie, {}, `/cases/${caseId}/care-plan`);
    assert.equal(done.statusCode, 409, 'a cancelled action cannot be done');
    assert.equal((await get(url)).statusCode, 303, 'the cancel page sends a cancelled action back to the plan');
  });

  it('tags an agreed action whose due date has passed as overdue', async () => {
    const caseId = await newCase();
    await addThroughForm(caseId, { description: 'Send the leaflet about compensation', owner: coordinator.organisationId, ...inDays(2) });
    await addThroughForm(caseId, { description: 'Ring to see how the new locks are', owner: coordinator.organisationId, ...inDays(9) });
    // An action agreed earlier whose day has gone by: the form cannot make one, so the test ages it.
    const [late] = await actionsOf(caseId).then((rows) => rows.filter((row) => row.description.startsWith('Send')));
    assert.ok(late);
    await test.database.db.updateTable('care_plan_action').set({ due_date: addDays(londonDateOf(new Date()), -3) }).where('id', '=', late.id).execute();
    const page = await get(`/cases/${caseId}/care-plan`);
    const card = (id: string) => new RegExp(`data-testid="action-${id}"([^>]*)>([\\s\\S]*?)</dl>`).exec(page.body);
    const lateCard = card(late.id);
    assert.ok(lateCard);
    assert.match(lateCard[1] ?? '', /data-overdue="true"/);
    assert.match(lateCard[2] ?? '', /govuk-tag--red[^>]*>\s*Overdue/);
    const other = (await actionsOf(caseId)).find((row) => row.id !== late.id);
    assert.doesNotMatch(card(other?.id ?? '')?.[0] ?? 'missing', /Overdue/);
  });

  it('answers 404 to other areas and to guessed ids, 403 to other roles, and stores nothing', async () => {
    const caseId = await newCase();
    await addThroughForm(caseId, { description: 'Arrange a visit from the housing officer', owner: coordinator.organisationId, ...inDays(4) });
    const [action] = await actionsOf(caseId);
    assert.ok(action);
    const elsewhere = await createStaffUser(test.database.db, { role: 'supervisor' });
    const elsewhereCookie = await signIn(test.app, elsewhere);
    for (const url of [`/cases/${caseId}/care-plan`, `/cases/${caseId}/care-plan/new`, `/cases/${caseId}/care-plan/${action.id}/cancel`]) {
      assert.equal((await get(url, elsewhereCookie)).statusCode, 404, url);
    }
    const add = await postForm(test.app, `/cases/${caseId}/care-plan`, elsewhereCookie, { submissionKey: crypto.randomUUID(), description: 'Arrange a visit from the housing officer', owner: 'victim', ...inDays(4) }, '/');
    assert.equal(add.statusCode, 404);
    const done = await postForm(test.app, `/cases/${caseId}/care-plan/${action.id}/done`, elsewhereCookie, {}, '/');
    assert.equal(done.statusCode, 404);
    const cancel = await postForm(test.app, `/cases/${caseId}/care-plan/${action.id}/cancel`, elsewhereCookie, { reason: 'Not mine' }, '/');
    assert.equal(cancel.statusCode, 404);
    assert.deepEqual((await actionsOf(caseId)).map((row) => row.status), ['agreed']);

    // Ids that name nothing here: a malformed one, a missing one, and an action that belongs to another case.
    const otherCase = await newCase();
    for (const url of [`/cases/nonsense/care-plan`, `/cases/${crypto.randomUUID()}/care-plan`, `/cases/${caseId}/care-plan/nonsense/cancel`, `/cases/${otherCase}/care-plan/${action.id}/cancel`]) {
      assert.equal((await get(url)).statusCode, 404, url);
    }
    assert.equal((await postForm(test.app, `/cases/${otherCase}/care-plan/${action.id}/done`, cookie, {}, '/')).statusCode, 404);

    const officer = await createStaffUser(test.database.db, { role: 'police_officer', organisationId: providerId });
    const officerCookie = await signIn(test.app, officer);
    assert.equal((await get(`/cases/${caseId}/care-plan`, officerCookie)).statusCode, 403);
    assert.equal((await actionsOf(caseId)).length, 1);
    assert.equal((await actionsOf(otherCase)).length, 0);
  });

  it('refuses a form without its CSRF token', async () => {
    const caseId = await newCase();
    const page = await get(`/cases/${caseId}/care-plan/new`);
    const refused = await test.app.inject({
      method: 'POST',
      url: `/cases/${caseId}/care-plan`,
      headers: { cookie: mergeCookies(cookie, page), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ submissionKey: submissionKeyIn(page.body), description: 'Arrange a visit from the housing officer', owner: 'victim', ...inDays(4) }).toString(),
    });
    assert.equal(refused.statusCode, 403);
    assert.equal((await actionsOf(caseId)).length, 0);
  });
});
