// "My data" through the whole application (app.inject), on PGlite and PostgreSQL: staff reads of the case in plain
// words by organisation and role and never by name; a victim withdrawing a consent online, after which the provider
// is refused at once while the earlier reads stay on the trail; the export holding her case and messages and nobody
// else's; a supporter refused (403); another victim's ids a 404; and the pages in Welsh.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signInDelegate, signInVictim, type TestPortalUser } from '../../../test/support/portal.ts';
import { actorFor, createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { testBackend } from '../../../test/support/test-database.ts';
import { systemActor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { receiveReferral } from '../intake/service.ts';
import { answerReferral, getProviderReferral } from '../support-referrals/provider-service.ts';

const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
let counter = 0;

describe(`my data in the victim's portal (${testBackend()})`, () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let housingWorker: TestStaffUser;
  let hub: string;
  let housingId: string;
  let serviceId: string;
  let victim: TestPortalUser;
  let caseId: string;
  let referralId: string;
  let other: { caseId: string; personId: string; consentId: string };

  const get = (url: string, cookie: string) => test.app.inject({ method: 'GET', url, headers: { cookie } });

  async function newVictim(givenName: string, familyName: string) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, systemActor('police-api'), {
        source: 'police_api',
        sourceReference: `MYDATA-${randomUUID()}`,
        referringOrganisationId: null,
        areaId: coordinator.areaId,
        person: { givenName, familyName, dateOfBirth: '1986-04-0' + String(counter), phone: `07700 90${String(1000 + counter * 7)}` },
        crime: { crimeReference: `WY/${61000 + counter}/26`, offenceCode: '105/01', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const personId = (await test.database.db.selectFrom('victim_case').select('person_id').where('id', '=', receipt.caseId).executeTakeFirstOrThrow()).person_id;
    return { caseId: receipt.caseId, personId };
  }

  async function recordConsent(forCase: string) {
    const form = await get(`/cases/${forCase}/consents/new`, hub);
    const recorded = await postForm(
      test.app,
      `/cases/${forCase}/consents`,
      hub,
      { submissionKey: submissionKeyIn(form.body), recipientOrganisationId: housingId, purpose: 'support_referral', legalBasis: 'consent', givenHow: 'verbal' },
      `/cases/${forCase}/consents/new`,
    );
    assert.equal(recorded.statusCode, 303);
    return (await test.database.db.selectFrom('consent').select('id').where('case_id', '=', forCase).executeTakeFirstOrThrow()).id;
  }

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    housingId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Safe Homes Housing' })).id;
    housingWorker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: housingId, displayName: 'Hana Housing' });
    serviceId = (
      await test.database.db
        .insertInto('organisation_service')
        .values({ organisation_id: housingId, name: 'Emergency rehousing', category: 'Practical support', description: 'Help to move somewhere safe.', specialism: 'practical', capacity: 4 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    hub = await signIn(test.app, coordinator);

    const mine = await newVictim('Delyth', 'Marchant');
    caseId = mine.caseId;
    victim = await signInVictim(test.database.db, mine.personId);
    // The coordinator opens her case, records her consent to share with the housing provider and refers her.
    assert.equal((await get(`/cases/${caseId}`, hub)).statusCode, 200);
    await recordConsent(caseId);
    const referralForm = await get(`/cases/${caseId}/referrals/new?service=${serviceId}`, hub);
    const referred = await postForm(
      test.app,
      `/cases/${caseId}/referrals`,
      hub,
      { submissionKey: submissionKeyIn(referralForm.body), serviceId, summary: 'She needs to move somewhere safe.', approvedHow: 'phone', action: 'send' },
      `/cases/${caseId}/referrals/new?service=${serviceId}`,
    );
    assert.equal(referred.statusCode, 303);
    referralId = /\/referrals\/([0-9a-f-]{36})/.exec(String(referred.headers.location))?.[1] ?? '';
    // The provider's caseworker reads the referral while consent stands.
    const seen = await getProviderReferral(test.database.db, actorFor(housingWorker), referralId);
    assert.equal(seen.consented, true);
    // A message each way on her case.
    await test.database.db
      .insertInto('case_message')
      .values([
        { id: randomUUID(), case_id: caseId, direction: 'from_victim', author_user_id: null, body: 'When will the officer call me back? <script>alert(1)</script>', idempotency_key: randomUUID() },
        { id: randomUUID(), case_id: caseId, direction: 'to_victim', author_user_id: coordinator.id, body: 'Your officer will call on Tuesday.', idempotency_key: randomUUID() },
      ])
      .execute();

    // Another victim with her own consent and message, whom Delyth must never reach.
    const stranger = await newVictim('Ffion', 'Aldridge');
    const strangerConsent = await recordConsent(stranger.caseId);
    await test.database.db
      .insertInto('case_message')
      .values({ id: randomUUID(), case_id: stranger.caseId, direction: 'from_victim', author_user_id: null, body: 'A private question from someone else', idempotency_key: randomUUID() })
      .execute();
    other = { ...stranger, consentId: strangerConsent };
  });
  after(async () => {
    await test.close();
  });

  it('shows staff reads of her case in plain words, by organisation and role, newest first, and never a staff name', async () => {
    const page = await get('/my-case/my-data/who-has-seen', victim.cookie);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(titleOf(page.body), 'Who has seen your record – Haven');
    assert.match(page.body, /Someone at Haven Victim Gateway \(victim care coordinator\) looked at your case/);
    assert.match(page.body, /Someone at Haven Victim Gateway \(victim care coordinator\) recorded your agreement to share information/);
    assert.match(page.body, /Someone at Safe Homes Housing \(support worker\) looked at your referral for support/);
    assert.doesNotMatch(page.body, /Cara|Coordinator Cara|Hana/);
    // Newest first: the provider's read came after the coordinator opened the case.
    assert.ok(page.body.indexOf('(support worker) looked at your referral') < page.body.indexOf('(victim care coordinator) looked at your case'));
    // Her own visits to these pages are not "someone".
    assert.doesNotMatch(page.body, /victim’s portal/);
    const hubPage = await get('/my-case/my-data', victim.cookie);
    assert.equal(hubPage.statusCode, 200);
    for (const href of ['/my-case/my-data/who-has-seen', '/my-case/my-data/consents', '/my-case/my-data/download']) assert.match(hubPage.body, new RegExp(`href="${href}"`));
  });

  it('withdraws a consent in one click: the provider is refused at once, and the trail keeps the earlier read', async () => {
    const consents = await get('/my-case/my-data/consents', victim.cookie);
    assert.equal(consents.statusCode, 200);
    assert.match(consents.body, /Safe Homes Housing/);
    const action = /action="(\/my-case\/my-data\/consents\/[0-9a-f-]{36}\/withdraw)"/.exec(consents.body)?.[1];
    assert.ok(action, 'a withdraw form for the consent in force');
    const withdrawn = await postForm(test.app, action, victim.cookie, {}, '/my-case/my-data/consents');
    assert.equal(withdrawn.statusCode, 303);
    assert.equal(withdrawn.headers.location, '/my-case/my-data/consents?done=withdrawn');

    const consent = await test.database.db.selectFrom('consent').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.ok(consent.withdrawn_at);
    assert.equal(consent.withdrawn_how, 'online');
    assert.equal(consent.withdrawn_by_user_id, null);
    // From that moment the provider sees only that the referral closed, and can take no step on it.
    const after = await getProviderReferral(test.database.db, actorFor(housingWorker), referralId);
    assert.equal(after.consented, false);
    await assert.rejects(answerReferral(test.database.db, actorFor(housingWorker), referralId, { answer: 'accepted' }), { name: 'NotFound' });
    const audit = await test.database.db.selectFrom('audit_event').select(['actor_label']).where('action', '=', 'consent.withdrawn').where('record_id', '=', victim.personId).executeTakeFirstOrThrow();
    assert.equal(audit.actor_label, `portal:${victim.accountId}`);

    const confirmed = await get('/my-case/my-data/consents?done=withdrawn', victim.cookie);
    assert.match(confirmed.body, /govuk-notification-banner--success/);
    assert.match(confirmed.body, /You have withdrawn your agreement/);
    assert.doesNotMatch(confirmed.body, /data-testid="consent-in-force"/);
    assert.match(confirmed.body, /data-testid="consent-past"/);
    // The read before the withdrawal is still on her trail.
    const trail = await get('/my-case/my-data/who-has-seen', victim.cookie);
    assert.match(trail.body, /Someone at Safe Homes Housing \(support worker\) looked at your referral for support/);
    // A second click changes nothing and says so.
    const again = await postForm(test.app, action, victim.cookie, {}, '/my-case/my-data/consents');
    assert.equal(again.headers.location, '/my-case/my-data/consents?done=already');
  });

  it('exports her case and messages as JSON and as a self-contained document, audited, with nobody else’s data', async () => {
    const json = await get('/my-case/my-data/download/my-data.json', victim.cookie);
    assert.equal(json.statusCode, 200);
    assert.match(String(json.headers['content-disposition']), /^attachment; filename="my-data.json"$/);
    assert.equal(json.headers['cache-control'], 'no-store');
    const data = JSON.parse(json.body) as { person: { name: string }; cases: { crimeReference: string; messages: { body: string }[]; referrals: unknown[] }[]; consents: { state: string }[] };
    assert.equal(data.person.name, 'Delyth Marchant');
    assert.equal(data.cases.length, 1);
    assert.match(data.cases[0]?.crimeReference ?? '', /^WY\/\d+\/26$/);
    assert.deepEqual(data.cases[0]?.messages.map((message) => message.body).sort(), ['When will the officer call me back? <script>alert(1)</script>', 'Your officer will call on Tuesday.']);
    assert.equal(data.cases[0]?.referrals.length, 1);
    assert.deepEqual(data.consents.map((consent) => consent.state), ['withdrawn']);
    assert.doesNotMatch(json.body, /Ffion|Aldridge|private question|Cara Coordinator/);

    const html = await get('/my-case/my-data/download/my-data.html', victim.cookie);
    assert.equal(html.statusCode, 200);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.match(String(html.headers['content-disposition']), /^attachment; filename="my-data.html"$/);
    assert.match(html.body, /Delyth Marchant/);
    assert.match(html.body, /Your officer will call on Tuesday\./);
    assert.match(html.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(html.body, /<script|<link|<img|<style|src=|href=/);
    assert.doesNotMatch(html.body, /Ffion|Aldridge|private question/);
    const exports = await test.database.db.selectFrom('audit_event').select(['detail']).where('action', '=', 'portal.data_exported').where('record_id', '=', victim.personId).execute();
    assert.equal(exports.length, 2);
  });

  it('refuses a supporter (403) on every page of my data, and audits it', async () => {
    const supporter = await signInDelegate(test.database.db, { personId: victim.personId as string, relation: 'supporter', email: `supporter-${randomUUID()}@example.com`, grantedByUserId: coordinator.id });
    for (const url of ['/my-case/my-data', '/my-case/my-data/who-has-seen', '/my-case/my-data/consents', '/my-case/my-data/download', '/my-case/my-data/download/my-data.json', '/my-case/my-data/download/my-data.html']) {
      assert.equal((await get(url, supporter.cookie)).statusCode, 403, url);
    }
    const consent = await test.database.db.selectFrom('consent').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const post = await postForm(test.app, `/my-case/my-data/consents/${consent.id}/withdraw`, supporter.cookie, {}, '/my-case/sign-out-everywhere');
    assert.equal(post.statusCode, 403);
    const refusals = await test.database.db.selectFrom('audit_event').select('id').where('action', '=', 'portal.data_access_refused').where('actor_label', '=', `portal:${supporter.accountId}`).execute();
    assert.ok(refusals.length >= 7);
  });

  it('lets a parent withdraw for the child, and shows another victim’s ids as not found', async () => {
    const parent = await signInDelegate(test.database.db, { personId: other.personId, relation: 'parent_or_carer', email: `parent-${randomUUID()}@example.com`, grantedByUserId: coordinator.id });
    // Delyth cannot withdraw Ffion's consent, name Ffion's record, or export it.
    const refused = await postForm(test.app, `/my-case/my-data/consents/${other.consentId}/withdraw`, victim.cookie, {}, '/my-case/my-data/consents');
    assert.equal(refused.statusCode, 404);
    const withPerson = await postForm(test.app, `/my-case/my-data/consents/${other.consentId}/withdraw`, victim.cookie, { person: other.personId }, '/my-case/my-data/consents');
    assert.equal(withPerson.statusCode, 404);
    for (const url of [`/my-case/my-data?person=${other.personId}`, `/my-case/my-data/who-has-seen?person=${other.personId}`, `/my-case/my-data/consents?person=${other.personId}`, `/my-case/my-data/download/my-data.json?person=${other.personId}`, '/my-case/my-data/consents?person=not-a-uuid']) {
      assert.equal((await get(url, victim.cookie)).statusCode, 404, url);
    }
    assert.equal((await test.database.db.selectFrom('consent').select('withdrawn_at').where('id', '=', other.consentId).executeTakeFirstOrThrow()).withdrawn_at, null);

    // Ffion's parent sees her consents and withdraws one for her.
    const page = await get('/my-case/my-data/consents', parent.cookie);
    assert.equal(page.statusCode, 200);
    const withdrawn = await postForm(test.app, `/my-case/my-data/consents/${other.consentId}/withdraw`, parent.cookie, {}, '/my-case/my-data/consents');
    assert.equal(withdrawn.statusCode, 303);
    assert.ok((await test.database.db.selectFrom('consent').select('withdrawn_at').where('id', '=', other.consentId).executeTakeFirstOrThrow()).withdrawn_at);
    // Delyth's trail does not hold the parent's actions on Ffion's record.
    assert.doesNotMatch((await get('/my-case/my-data/who-has-seen', victim.cookie)).body, /victim’s portal/);
    // The parent's withdrawal is on Ffion's trail, read by Ffion herself.
    const ffion = await signInVictim(test.database.db, other.personId);
    assert.match((await get('/my-case/my-data/who-has-seen', ffion.cookie)).body, /Someone signed in to the victim’s portal recorded that you withdrew your agreement to share information/);
  });

  it('renders the pages in Welsh', async () => {
    const welsh = `${victim.cookie}`;
    const trail = await get('/my-case/my-data/who-has-seen?lang=cy', welsh);
    assert.equal(trail.statusCode, 200);
    assert.match(trail.body, /<html lang="cy"/);
    assert.equal(titleOf(trail.body), 'Pwy sydd wedi gweld eich cofnod – Haven');
    assert.match(trail.body, /Edrychodd rhywun yn Safe Homes Housing \(gweithiwr cymorth\) ar eich atgyfeiriad am gymorth/);
    for (const url of ['/my-case/my-data?lang=cy', '/my-case/my-data/consents?lang=cy', '/my-case/my-data/download?lang=cy']) {
      const page = await get(url, welsh);
      assert.equal(page.statusCode, 200, url);
      assert.match(page.body, /<html lang="cy"/, url);
      assert.doesNotMatch(page.body, /portalData\./, url);
    }
  });

  it('pages the trail 50 at a time, newest first', async () => {
    await inTransaction(test.database.db, async (trx) => {
      await trx
        .insertInto('audit_event')
        .values(
          Array.from({ length: 60 }, (_, index) => ({
            at: new Date(Date.now() + 60_000 + index * 1000),
            actor_user_id: null,
            actor_label: 'api:paging-test',
            organisation_id: null,
            action: 'paging_test.touched',
            record_type: 'case',
            record_id: caseId,
            request_id: null,
            detail: '{}',
          })),
        )
        .execute();
    });
    const first = await get('/my-case/my-data/who-has-seen', victim.cookie);
    assert.equal((first.body.match(/A computer system of a partner organisation looked at or changed your record/g) ?? []).length, 50);
    assert.match(first.body, /href="\/my-case\/my-data\/who-has-seen\?page=2"/);
    const second = await get('/my-case/my-data/who-has-seen?page=2', victim.cookie);
    assert.equal((second.body.match(/A computer system of a partner organisation looked at or changed your record/g) ?? []).length, 10);
    assert.match(second.body, /Someone at Haven Victim Gateway/);
    assert.match(second.body, /href="\/my-case\/my-data\/who-has-seen\?page=1"/);
  });
});
