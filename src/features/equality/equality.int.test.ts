// The equality monitoring page of a case through the whole application (app.inject), on PGlite or PostgreSQL: the three
// questions with the answers recorded, saving them (the audit trail names the fields, never the answers), bad values in
// the error summary storing nothing, CSRF, and cases out of reach that look missing and are audited as refused.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, csrfFor, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { caseReference } from '../cases/rules.ts';
import { openCase } from '../cases/service.ts';
import { createPerson } from '../people/service.ts';

const selfReferral: Actor = { kind: 'system', label: 'self-referral' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const checkedValues = (html: string) => [...html.matchAll(/<input[^>]*name="(\w+)"[^>]*value="(\w+)"[^>]*checked/g)].map((match) => `${match[1]}=${match[2]}`);

describe('equality monitoring on a case', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let cookie: string;

  async function newCase(areaId = coordinator.areaId) {
    return inTransaction(test.database.db, async (trx) => {
      const person = await createPerson(trx, selfReferral, { areaId, givenName: 'Esi', familyName: 'Mensah', phone: `07700 9${String(Math.floor(Math.random() * 99999)).padStart(5, '0')}` });
      return { personId: person.id, caseId: (await openCase(trx, selfReferral, { personId: person.id, crimeId: null, role: 'victim', source: 'self_referral' })).case.id };
    });
  }
  const get = (url: string, as = cookie) => test.app.inject({ method: 'GET', url, headers: { cookie: as } });
  const answersOf = (personId: string) => test.database.db.selectFrom('person').select(['sex', 'ethnic_group', 'disabled']).where('id', '=', personId).executeTakeFirstOrThrow();
  const auditOf = (action: string, recordId: string) => test.database.db.selectFrom('audit_event').selectAll().where('action', '=', action).where('record_id', '=', recordId).execute();

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator' });
    cookie = await signIn(test.app, coordinator);
  });
  after(() => test.close());

  it('asks the three questions, none answered yet, under a title without personal data, and audits the view', async () => {
    const { caseId } = await newCase();
    const casePage = await get(`/cases/${caseId}`);
    assert.match(casePage.body, new RegExp(`href="/cases/${caseId}/equality"`), 'the case page links to the questions');
    const page = await get(`/cases/${caseId}/equality`);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(titleOf(page.body), `Equality monitoring: case ${caseReference(caseId)} – Haven`);
    assert.match(page.body, /Esi Mensah/, 'the case bar names the person');
    assert.match(page.body, /You do not have to answer\. Answers are only used, without names, to check the service is fair to everyone\./);
    assert.match(page.body, /Do you consider yourself to have a disability or long-term health condition\?/);
    for (const answer of ['Female', 'Male', 'Prefer not to say', 'Asian, Asian British or Asian Welsh', 'Black, Black British, Black Welsh, Caribbean or African', 'Mixed or Multiple ethnic groups', 'White', 'Other ethnic group']) {
      assert.ok(page.body.includes(answer), answer);
    }
    assert.equal((page.body.match(/Not answered/g) ?? []).length, 3);
    assert.deepEqual(checkedValues(page.body), []);
    assert.equal((await auditOf('equality.viewed', caseId)).length, 1);
  });

  it('records the answers, shows them back, and audits which fields changed without the answers', async () => {
    const { caseId, personId } = await newCase();
    const saved = await postForm(test.app, `/cases/${caseId}/equality`, cookie, { sex: 'female', ethnicGroup: 'black', disabled: 'not_stated' }, `/cases/${caseId}/equality`);
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/cases/${caseId}/equality?saved=1`);
    assert.deepEqual(await answersOf(personId), { sex: 'female', ethnic_group: 'black', disabled: 'not_stated' });
    const page = await get(`/cases/${caseId}/equality?saved=1`);
    assert.match(page.body, /Equality monitoring answers saved/);
    assert.deepEqual(checkedValues(page.body).sort(), ['disabled=not_stated', 'ethnicGroup=black', 'sex=female']);
    assert.match(page.body, /Black, Black British, Black Welsh, Caribbean or African<\/dd>|Black, Black British, Black Welsh, Caribbean or African\s*<\/dd>/);
    const changes = await auditOf('equality.changed', personId);
    assert.equal(changes.length, 1);
    assert.deepEqual(changes[0]!.detail, { caseId, fields: ['sex', 'ethnicGroup', 'disabled'] });
    assert.ok(!JSON.stringify(changes[0]).includes('black') && !JSON.stringify(changes[0]).includes('female'), 'no answer in the audit trail');

    // One answer changed, one withdrawn to not answered: two fields; the same answers again change nothing.
    await postForm(test.app, `/cases/${caseId}/equality`, cookie, { sex: 'female', ethnicGroup: 'white' }, `/cases/${caseId}/equality`);
    assert.deepEqual(await answersOf(personId), { sex: 'female', ethnic_group: 'white', disabled: null });
    await postForm(test.app, `/cases/${caseId}/equality`, cookie, { sex: 'female', ethnicGroup: 'white' }, `/cases/${caseId}/equality`);
    const all = await auditOf('equality.changed', personId);
    assert.deepEqual(all.map((row) => (row.detail as { fields: string[] }).fields), [['sex', 'ethnicGroup', 'disabled'], ['ethnicGroup', 'disabled']]);
  });

  it('refuses a value not offered with the GOV.UK error summary and stores nothing', async () => {
    const { caseId, personId } = await newCase();
    const bad = await postForm(test.app, `/cases/${caseId}/equality`, cookie, { sex: 'unknown', ethnicGroup: 'asian', disabled: 'maybe' }, `/cases/${caseId}/equality`);
    assert.equal(bad.statusCode, 422);
    assert.match(titleOf(bad.body), /^Error: Equality monitoring/);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /href="#sex"[^>]*>Select the victim’s sex from the list/);
    assert.match(bad.body, /href="#disabled"[^>]*>Select yes, no or prefer not to say/);
    assert.ok(!bad.body.includes('href="#ethnicGroup"'));
    assert.deepEqual(checkedValues(bad.body), ['ethnicGroup=asian'], 'the good answer is kept on the form');
    assert.deepEqual(await answersOf(personId), { sex: null, ethnic_group: null, disabled: null });
    assert.equal((await auditOf('equality.changed', personId)).length, 0);
  });

  it('refuses a form without the CSRF token', async () => {
    const { caseId, personId } = await newCase();
    const csrf = await csrfFor(test.app, cookie, `/cases/${caseId}/equality`);
    const forged = await test.app.inject({ method: 'POST', url: `/cases/${caseId}/equality`, headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'sex=male' });
    assert.equal(forged.statusCode, 403);
    assert.equal((await answersOf(personId)).sex, null);
  });

  it('gives 404 for another area’s case and a guessed id, audits the refusal, and keeps other roles out', async () => {
    const elsewhere = await createStaffUser(test.database.db, { role: 'coordinator' });
    const theirs = await newCase(elsewhere.areaId);
    const guessed = randomUUID();
    for (const caseId of [theirs.caseId, guessed]) {
      const page = await get(`/cases/${caseId}/equality`);
      assert.equal(page.statusCode, 404);
      assert.ok(!page.body.includes('Mensah'));
      const post = await postForm(test.app, `/cases/${caseId}/equality`, cookie, { sex: 'male' }, '/');
      assert.equal(post.statusCode, 404);
      const refused = await auditOf('case.access_refused', caseId);
      assert.equal(refused.length, 2, 'each refused attempt is audited');
      assert.deepEqual((refused[0]!.detail as { what: string }).what, 'equality');
    }
    assert.equal((await answersOf(theirs.personId)).sex, null);
    assert.equal((await get('/cases/not-an-id/equality')).statusCode, 404);

    // A provider in the same area, and the commissioner's analyst, may not ask or read the answers.
    const { caseId } = await newCase();
    const providerId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId })).id;
    const commissionerId = (await createOrganisation(test.database.db, { kind: 'commissioner', areaId: coordinator.areaId })).id;
    for (const other of [
      await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: providerId }),
      await createStaffUser(test.database.db, { role: 'commissioner_analyst', organisationId: commissionerId }),
    ]) {
      const page = await get(`/cases/${caseId}/equality`, await signIn(test.app, other));
      assert.ok([403, 404].includes(page.statusCode), `${other.role}: ${page.statusCode}`);
      assert.ok(!page.body.includes('Mensah'));
    }
  });
});
