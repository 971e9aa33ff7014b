// The consent ledger through the whole application (app.inject), on PGlite or PostgreSQL: recording a consent once
// however often the form is sent, the basis a victim who must opt in (or of a sexual offence) needs, withdrawing from
// now on with the history kept, the SQL check provider queries embed, and other areas and roles that see nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { receiveReferral } from '../intake/service.ts';
import { checkSharing, consentInForce } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
let counter = 0;

describe('the consent ledger', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let cookie: string;
  let forceId: string;
  let housingId: string;
  let isvaId: string;

  async function referral(options: { offenceCode: string; domesticAbuse?: boolean; role?: 'victim' | 'bereaved_relative' }) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `CNS-${counter}-${crypto.randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Nadia', familyName: `Khan${counter}`, dateOfBirth: '1979-03-02' },
        crime: { crimeReference: `WY/${80000 + counter}/26`, offenceCode: options.offenceCode, offenceCategory: '' },
        role: options.role ?? 'victim',
        supportConsent: options.domesticAbuse || options.role === 'bereaved_relative' ? 'opted_in' : 'implied',
        indicators: options.domesticAbuse ? { domesticAbuse: true } : {},
      }),
    );
    return receipt.caseId;
  }

  const get = (url: string, as = cookie) => test.app.inject({ method: 'GET', url, headers: { cookie: as } });
  const post = (url: string, fields: Record<string, string>, csrfFrom: string, as = cookie) => postForm(test.app, url, as, fields, csrfFrom);
  /** Opens the form and sends it with these fields, under the form's own submission key unless one is given. */
  async function record(caseId: string, fields: Record<string, string>, submissionKey?: string) {
    const form = await get(`/cases/${caseId}/consents/new`);
    assert.equal(form.statusCode, 200);
    return post(`/cases/${caseId}/consents`, { submissionKey: submissionKey ?? submissionKeyIn(form.body), ...fields }, `/cases/${caseId}/consents/new`);
  }
  const consentsOf = (caseId: string) => test.database.db.selectFrom('consent').selectAll().where('case_id', '=', caseId).orderBy('given_at').execute();
  const eventsOf = (caseId: string, kind: string) => test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).execute();
  const auditOf = (action: string, personId: string) =>
    test.database.db.selectFrom('audit_event').selectAll().where('action', '=', action).where('record_id', '=', personId).orderBy('id').execute();
  const personOf = async (caseId: string) => (await test.database.db.selectFrom('victim_case').select('person_id').where('id', '=', caseId).executeTakeFirstOrThrow()).person_id;
  /** What a provider's query sees through the check: the case, or nothing. */
  const providerSees = async (caseId: string, organisationId: string) =>
    (
      await test.database.db
        .selectFrom('victim_case as c')
        .select('c.id')
        .where('c.id', '=', caseId)
        .where(consentInForce(sql.ref('c.person_id'), organisationId, 'support_referral'))
        .execute()
    ).length === 1;

  const housing = { purpose: 'support_referral', legalBasis: 'public_task', givenHow: 'verbal' };

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    housingId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Safe Homes Housing' })).id;
    isvaId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Rape Crisis ISVA' })).id;
    cookie = await signIn(test.app, coordinator);
  });
  after(async () => {
    await test.close();
  });

  it('records a consent once however often the form is sent, on the victim’s timeline, and the provider’s query then sees the case', async () => {
    const caseId = await referral({ offenceCode: '28E' });
    const personId = await personOf(caseId);
    const empty = await get(`/cases/${caseId}/consents`);
    assert.equal(empty.statusCode, 200);
    assert.equal(titleOf(empty.body), 'Consent to share: case ' + /Case ([A-Z0-9-]+)/.exec(empty.body)?.[1] + ' – Haven');
    assert.equal(empty.headers['cache-control'], 'no-store');
    assert.match(empty.body, /No consent has been recorded yet/);
    assert.equal(await providerSees(caseId, housingId), false, 'no consent, no case');

    const form = await get(`/cases/${caseId}/consents/new`);
    const key = submissionKeyIn(form.body);
    assert.match(form.body, /Safe Homes Housing/);
    assert.doesNotMatch(form.body, /West Yorkshire Police<\/option>[\s\S]*Haven Victim Gateway<\/option>/, 'the hub is not a recipient of its own information');
    const fields = { recipientOrganisationId: housingId, ...housing, note: 'Not my address' };
    const first = await record(caseId, fields, key);
    const second = await record(caseId, fields, key);
    for (const sent of [first, second]) {
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `/cases/${caseId}/consents?done=recorded`);
    }
    const consents = await consentsOf(caseId);
    assert.equal(consents.length, 1, 'a form sent twice records one consent');
    assert.equal(consents[0]?.person_id, personId);
    assert.equal(consents[0]?.legal_basis, 'public_task');
    assert.equal(consents[0]?.recorded_by_user_id, coordinator.id);
    assert.equal(consents[0]?.note, 'Not my address');
    const events = await eventsOf(caseId, 'consent_recorded');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.visibility, 'victim');
    assert.equal(events[0]?.summary, 'You agreed that we may share information with Safe Homes Housing so they can offer you support');
    assert.equal((await auditOf('consent.recorded', personId)).length, 1);
    assert.equal(await providerSees(caseId, housingId), true);
    assert.equal(await providerSees(caseId, isvaId), false, 'consent for one organisation is not consent for another');

    const list = await get(`/cases/${caseId}/consents?done=recorded`);
    assert.match(list.body, /Consent recorded/);
    assert.match(list.body, new RegExp(`data-testid="consent-${consents[0]?.id}" data-state="in_force"`));
    assert.match(list.body, /Public task[\s\S]*Spoken \(by phone or in person\)[\s\S]*No end date[\s\S]*In force/);
    assert.ok((await auditOf('consent.viewed', personId)).length >= 2, 'reading the ledger is audited');
  });

  it('withdraws from now on: the provider’s query sees nothing, the row and its history stay, and a second withdrawal changes nothing', async () => {
    const caseId = await referral({ offenceCode: '28E' });
    const personId = await personOf(caseId);
    await record(caseId, { recipientOrganisationId: housingId, ...housing });
    const [consent] = await consentsOf(caseId);
    assert.ok(consent);
    const url = `/cases/${caseId}/consents/${consent.id}/withdraw`;
    const page = await get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Safe Homes Housing can no longer see this case/);

    const bad = await post(url, { how: '', reason: 'x'.repeat(501) }, url);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /govuk-error-summary[\s\S]*href="#how"[^>]*>Select how the victim withdrew their consent[\s\S]*href="#reason"/);
    assert.equal((await consentsOf(caseId))[0]?.withdrawn_at, null, 'nothing stored from a bad form');
    assert.equal(await providerSees(caseId, housingId), true);

    const done = await post(url, { how: 'written', reason: '' }, url);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/cases/${caseId}/consents?done=withdrawn`);
    assert.equal(await providerSees(caseId, housingId), false, 'a withdrawal takes effect on the next query');
    const [after] = await consentsOf(caseId);
    assert.equal(after?.withdrawn_how, 'written');
    assert.equal(after?.withdrawal_reason, null, 'the victim never has to give a reason');
    assert.equal(after?.withdrawn_by_user_id, coordinator.id);
    const events = await eventsOf(caseId, 'consent_withdrawn');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.visibility, 'victim');
    assert.equal((await auditOf('consent.withdrawn', personId)).length, 1);

    assert.equal((await get(url)).headers.location, `/cases/${caseId}/consents`, 'a withdrawn consent has no withdraw page');
    const again = await post(url, { how: 'verbal' }, `/cases/${caseId}/consents`);
    assert.equal(again.statusCode, 303);
    assert.equal((await eventsOf(caseId, 'consent_withdrawn')).length, 1, 'withdrawing twice records one withdrawal');
    assert.equal((await consentsOf(caseId))[0]?.withdrawn_how, 'written');

    const list = await get(`/cases/${caseId}/consents`);
    assert.match(list.body, new RegExp(`data-testid="consent-${consent.id}" data-state="withdrawn"`));
    assert.doesNotMatch(list.body, new RegExp(`${consent.id}/withdraw`));
  });

  it('needs consent from a victim who must opt in, and explicit consent after a sexual offence, and says why', async () => {
    const abuse = await referral({ offenceCode: '8N', domesticAbuse: true });
    const refused = await record(abuse, { recipientOrganisationId: housingId, ...housing });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /href="#legalBasis"[^>]*>The victim must opt in, as victims of domestic abuse are referred only with their agreement: record their consent/);
    assert.equal((await consentsOf(abuse)).length, 0);
    assert.equal((await record(abuse, { recipientOrganisationId: housingId, ...housing, legalBasis: 'consent' })).statusCode, 303);

    const rape = await referral({ offenceCode: '19C' });
    const plain = await record(rape, { recipientOrganisationId: isvaId, ...housing, legalBasis: 'consent' });
    assert.equal(plain.statusCode, 422);
    assert.match(plain.body, /special category information: record the victim’s explicit consent/);
    assert.match((await get(`/cases/${rape}/consents`)).body, /Sharing needs the victim’s explicit consent/);
    await record(rape, { recipientOrganisationId: isvaId, ...housing, legalBasis: 'explicit_consent' });
    const person = await personOf(rape);
    const check = (organisationId: string) => inTransaction(test.database.db, (trx) => checkSharing(trx, rape, person, organisationId, 'support_referral'));
    assert.deepEqual(await check(isvaId), { allowed: true });
    assert.deepEqual(await check(housingId), { allowed: false, reason: 'There is no consent in force to share with this organisation for this purpose' });
  });

  it('answers bad input with GOV.UK errors, keeps what was typed, and stores nothing', async () => {
    const caseId = await referral({ offenceCode: '28E' });
    const yesterday = new Date(Date.now() - 86_400_000);
    const bad = await record(caseId, {
      recipientOrganisationId: crypto.randomUUID(),
      purpose: 'gossip',
      legalBasis: '',
      givenHow: 'telepathy',
      'expiresOn-day': String(yesterday.getUTCDate()),
      'expiresOn-month': String(yesterday.getUTCMonth() + 1),
      'expiresOn-year': String(yesterday.getUTCFullYear()),
      note: 'kept text',
    });
    assert.equal(bad.statusCode, 422);
    for (const [href, message] of [
      ['#recipientOrganisationId', 'Select an organisation from the list'],
      ['#purpose', 'Select what the information will be shared for'],
      ['#legalBasis', 'Select the legal basis for sharing'],
      ['#givenHow', 'Select how the victim agreed'],
      ['#expiresOn-day', 'End date must be in the future'],
    ]) {
      assert.match(bad.body, new RegExp(`href="${href}"[^>]*>${message}`), message);
    }
    assert.match(bad.body, /kept text/);
    const incomplete = await record(caseId, { recipientOrganisationId: housingId, ...housing, 'expiresOn-day': '3', 'expiresOn-month': '', 'expiresOn-year': '' });
    assert.match(incomplete.body, /href="#expiresOn-month"[^>]*>End date must include a month and year/);
    const noKey = await post(`/cases/${caseId}/consents`, { recipientOrganisationId: housingId, ...housing, submissionKey: 'nope' }, `/cases/${caseId}/consents/new`);
    assert.equal(noKey.statusCode, 422);
    assert.equal((await consentsOf(caseId)).length, 0);
  });

  it('shows another area nothing (404, for the case and a guessed consent id) and refuses other roles (403)', async () => {
    const caseId = await referral({ offenceCode: '28E' });
    await record(caseId, { recipientOrganisationId: housingId, ...housing });
    const [consent] = await consentsOf(caseId);
    const elsewhere = await createStaffUser(test.database.db, { role: 'coordinator' });
    const elsewhereCookie = await signIn(test.app, elsewhere);
    for (const url of [`/cases/${caseId}/consents`, `/cases/${caseId}/consents/new`, `/cases/${caseId}/consents/${consent?.id}/withdraw`]) {
      assert.equal((await get(url, elsewhereCookie)).statusCode, 404, url);
    }
    const withdraw = await post(`/cases/${caseId}/consents/${consent?.id}/withdraw`, { how: 'verbal' }, '/', elsewhereCookie);
    assert.equal(withdraw.statusCode, 404);
    assert.equal((await get(`/cases/${caseId}/consents/${crypto.randomUUID()}/withdraw`)).statusCode, 404, 'a guessed consent id');
    assert.equal((await get(`/cases/${caseId}/consents/not-a-uuid/withdraw`)).statusCode, 404);
    const officer = await createStaffUser(test.database.db, { role: 'police_officer', organisationId: forceId });
    assert.equal((await get(`/cases/${caseId}/consents`, await signIn(test.app, officer))).statusCode, 403);
    assert.equal((await consentsOf(caseId))[0]?.withdrawn_at, null);
  });
});
