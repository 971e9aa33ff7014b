// Enhanced rights through the whole application: the page, adding a category with a reason, the error summary when the
// reason is missing, other areas' coordinators, withdrawal with a reason, and the rules recorded once for the same facts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createStaffUser, signIn, type TestStaffUser, postForm } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { createPerson } from '../people/service.ts';
import { findOrCreateCrime, openCase } from '../cases/service.ts';
import { currentEntitlements, decideEntitlements, decideEntitlementsForCase, isEnhanced, type EntitlementFacts } from './service.ts';

const feed: Actor = { kind: 'system', label: 'police-feed' };
let counter = 0;

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';

describe('enhanced rights', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let cookie: string;

  async function newCase(offence = { code: '28E', category: 'Theft offences', group: 'Residential burglary' }, dateOfBirth = '1980-01-01') {
    return inTransaction(test.database.db, async (trx) => {
      const person = await createPerson(trx, feed, { areaId: coordinator.areaId, givenName: 'Robin', familyName: `Ashdown${++counter}`, dateOfBirth });
      const { crime } = await findOrCreateCrime(trx, feed, {
        areaId: coordinator.areaId,
        crimeReference: `EN/${counter}/26`,
        offenceCode: offence.code,
        offenceCategory: offence.category,
        offenceGroup: offence.group,
        committedFrom: '2026-03-01',
      });
      return (await openCase(trx, feed, { personId: person.id, crimeId: crime.id, role: 'victim', source: 'police_api' })).case.id;
    });
  }
  const rows = (caseId: string) => test.database.db.selectFrom('entitlement_decision').selectAll().where('case_id', '=', caseId).execute();

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator' });
    cookie = await signIn(test.app, coordinator);
  });
  after(async () => {
    await test.close();
  });

  it('shows the page with no personal data in its title, and adds a category with a reason', async () => {
    const caseId = await newCase();
    const url = `/cases/${caseId}/entitlements`;
    const page = await test.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(titleOf(page.body), /^Enhanced rights: case [0-9A-F]{8} – Haven$/);
    assert.doesNotMatch(titleOf(page.body), /Robin|Ashdown/);
    assert.match(page.body, /No enhanced-rights category applies yet/);
    assert.match(page.body, /name="_csrf"/);

    const added = await postForm(test.app, url, cookie, { category: 'intimidated', reason: 'Threats from the suspect’s family', victimView: 'Wants screens in court' }, url);
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, `${url}?done=added`);
    const stored = await rows(caseId);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.source, 'coordinator');
    assert.equal(stored[0]!.decided_by_user_id, coordinator.id);
    assert.equal(stored[0]!.victim_view, 'Wants screens in court');
    const shown = await test.app.inject({ method: 'GET', url: `${url}?done=added`, headers: { cookie } });
    assert.match(shown.body, /Category added/);
    assert.match(shown.body, /Threats from the suspect’s family/);
    assert.match(shown.body, /Cara Coordinator/);
    assert.match(shown.body, /Wants screens in court/);
    const audit = await test.database.db.selectFrom('audit_event').select('action').where('record_id', '=', caseId).execute();
    assert.ok(audit.some((row) => row.action === 'entitlement.added'));
    assert.ok(audit.some((row) => row.action === 'entitlements.viewed'));
    await inTransaction(test.database.db, async (trx) => assert.equal(await isEnhanced(trx, caseId), true));
  });

  it('a missing reason shows the error summary and stores nothing', async () => {
    const caseId = await newCase();
    const url = `/cases/${caseId}/entitlements`;
    const refused = await postForm(test.app, url, cookie, { category: 'vulnerable', reason: '   ' }, url);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /govuk-error-summary/);
    assert.match(refused.body, /href="#reason"/);
    assert.match(refused.body, /Enter why the victim is in this category/);
    assert.match(titleOf(refused.body), /^Error: /);
    assert.deepEqual(await rows(caseId), []);
  });

  it('another area’s coordinator gets 404 for the page and every form', async () => {
    const caseId = await newCase();
    const elsewhere = await createStaffUser(test.database.db, { role: 'coordinator' });
    const elsewhereCookie = await signIn(test.app, elsewhere);
    const url = `/cases/${caseId}/entitlements`;
    const page = await test.app.inject({ method: 'GET', url, headers: { cookie: elsewhereCookie } });
    assert.equal(page.statusCode, 404);
    const add = await postForm(test.app, url, elsewhereCookie, { category: 'vulnerable', reason: 'Guessing' }, '/cases');
    assert.equal(add.statusCode, 404);
    const check = await postForm(test.app, `${url}/check`, elsewhereCookie, {}, '/cases');
    assert.equal(check.statusCode, 404);
    assert.deepEqual(await rows(caseId), []);
  });

  it('the rules record a category once for the same facts, and a withdrawn one needs a reason', async () => {
    const caseId = await newCase({ code: '5D', category: 'Violence against the person', group: 'Violence with injury' });
    const facts: EntitlementFacts = {
      role: 'victim',
      relationship: null,
      offence: { code: '5D', category: 'Violence against the person', group: 'Violence with injury' },
      indicators: { domesticAbuse: false, hateCrime: false, sexualOffence: false, terrorism: false, humanTrafficking: false },
      dateOfBirth: '1980-01-01',
      offenceDate: '2026-03-01',
      history: { casesInLast12Months: 1, anyHarassmentOrStalking: false },
      assessment: null,
    };
    const first = await inTransaction(test.database.db, (trx) => decideEntitlements(trx, feed, caseId, facts));
    assert.deepEqual(first, { categories: ['most_serious'], enhanced: true, enhancedChanged: true, added: ['most_serious.wounding_with_intent'], forReview: [] });
    const second = await inTransaction(test.database.db, (trx) => decideEntitlements(trx, feed, caseId, facts));
    assert.deepEqual(second, { categories: ['most_serious'], enhanced: true, enhancedChanged: false, added: [], forReview: [] });
    assert.equal((await rows(caseId)).length, 1);
    assert.equal((await rows(caseId))[0]!.decided_by, 'system:police-feed');

    // Facts that no longer give the category keep it, marked for review, until a coordinator decides.
    const changed = await inTransaction(test.database.db, (trx) => decideEntitlements(trx, feed, caseId, { ...facts, offence: null }));
    assert.deepEqual(changed, { categories: ['most_serious'], enhanced: true, enhancedChanged: false, added: [], forReview: ['most_serious.wounding_with_intent'] });
    const url = `/cases/${caseId}/entitlements`;
    const page = await test.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.match(page.body, /For review/);

    const decisionId = (await rows(caseId))[0]!.id;
    const noReason = await postForm(test.app, `${url}/${decisionId}/withdraw`, cookie, { reason: '' }, url);
    assert.equal(noReason.statusCode, 422);
    assert.match(noReason.body, new RegExp(`href="#withdraw-${decisionId}"`));
    assert.equal((await rows(caseId))[0]!.withdrawn_at, null);
    const withdrawn = await postForm(test.app, `${url}/${decisionId}/withdraw`, cookie, { reason: 'The offence was recorded wrongly' }, url);
    assert.equal(withdrawn.statusCode, 303);
    const [row] = await rows(caseId);
    assert.equal(row!.withdrawn_reason, 'The offence was recorded wrongly');
    assert.equal(row!.withdrawn_by_user_id, coordinator.id);
    await inTransaction(test.database.db, async (trx) => assert.deepEqual(await currentEntitlements(trx, caseId), []));
    // The same facts again do not bring back what a coordinator withdrew.
    const again = await inTransaction(test.database.db, (trx) => decideEntitlements(trx, feed, caseId, facts));
    assert.deepEqual(again.added, []);
    assert.equal(again.enhanced, false);
    // The history is append-only: no delete, no edit of a decision.
    await assert.rejects(test.database.db.deleteFrom('entitlement_decision').where('id', '=', decisionId).execute());
    await assert.rejects(test.database.db.updateTable('entitlement_decision').set({ reason: 'changed' }).where('id', '=', decisionId).execute());
  });

  it('checks the rules on the case record: a 14-year-old assaulted is vulnerable (journey 9)', async () => {
    const caseId = await newCase({ code: '105A', category: 'Violence against the person', group: 'Violence without injury' }, '2011-09-10');
    const url = `/cases/${caseId}/entitlements`;
    const checked = await postForm(test.app, `${url}/check`, cookie, {}, url);
    assert.equal(checked.statusCode, 303);
    const stored = await rows(caseId);
    assert.deepEqual(stored.map((row) => row.rule), ['vulnerable.under_18']);
    assert.deepEqual(stored[0]!.evidence, { ageAtOffence: 14, offenceDate: '2026-03-01' });
    const twice = await inTransaction(test.database.db, (trx) => decideEntitlementsForCase(trx, feed, caseId));
    assert.deepEqual(twice.added, []);
    const page = await test.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.match(page.body, /Under 18 at the time of the offence/);
    assert.match(page.body, /entitled to enhanced rights/);
  });
});
