// The support options page through the whole application (app.inject), on PGlite or PostgreSQL: the young victims'
// service first for a child, the ISVA first after a rape, exclusions with their reasons and an override link, a Welsh
// speaker's language fit from the assessment, nothing for other areas, other roles or guessed ids, and the read audited.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { todayInLondon } from '../people/service.ts';
import { caseReference } from '../cases/rules.ts';
import { receiveReferral } from '../intake/service.ts';
import { eligibilityForService } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
/** The services matched, in the page's order, by id. */
const matchedIn = (html: string) => [...html.matchAll(/data-testid="match" data-service-id="([^"]+)" data-tier="([^"]+)"/g)].map((found) => ({ id: found[1], tier: found[2] }));
/** The block of the page about one service, matched or excluded. */
const blockOf = (html: string, testId: 'match' | 'exclusion', serviceId: string) => {
  const start = html.indexOf(`data-testid="${testId}" data-service-id="${serviceId}"`);
  assert.ok(start >= 0, `${testId} ${serviceId} is on the page`);
  return html.slice(start, html.indexOf('</li>', html.indexOf('<a class="govuk-link"', start)));
};
let counter = 0;

describe('the support options of a case', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let cookie: string;
  let forceId: string;
  let providerId: string;
  const services: Record<string, string> = {};

  async function addService(name: string, values: Record<string, unknown>) {
    const row = await test.database.db
      .insertInto('organisation_service')
      .values({ organisation_id: providerId, name, category: 'Support', description: `${name}.`, capacity: 3, ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    services[name] = row.id;
  }

  /** A police referral in the coordinator's area: a burglary by default, for an adult unless a date of birth is given. */
  async function referral(options: { offenceCode?: string; dateOfBirth?: string } = {}) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `SUP-${counter}-${crypto.randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Rhiannon', familyName: `Evans${counter}`, dateOfBirth: options.dateOfBirth ?? '1979-03-02' },
        crime: { crimeReference: `WY/${70000 + counter}/26`, offenceCode: options.offenceCode ?? '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    return receipt.caseId;
  }

  const get = (url: string, as = cookie) => test.app.inject({ method: 'GET', url, headers: { cookie: as } });
  const optionsOf = (caseId: string, as = cookie) => get(`/cases/${caseId}/support-options`, as);

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'Dyfed-Powys Police' })).id;
    providerId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Wales Victim Services' })).id;
    await addService('General support', { specialism: 'general' });
    await addService('Young victims’ service', { specialism: 'young_victims', age_bands: ['child'], wait_days: 5 });
    await addService('Adults only support', { specialism: 'general', age_bands: ['adult', 'older'] });
    await addService('Sexual violence ISVA', { specialism: 'isva', offence_groups: ['Rape', 'Other sexual offences'], capacity: 1, wait_days: 10 });
    await addService('Cymorth Cymraeg', { specialism: 'general', languages: ['cy', 'en'], wait_days: 7 });
    await addService('Full service', { specialism: 'general', capacity: 0, wait_days: 21 });
    // Another area's service is never offered, nor listed as excluded: the page reads the case's area only.
    const elsewhere = await createOrganisation(test.database.db, { kind: 'provider', name: 'Far Away Support' });
    const far = await test.database.db
      .insertInto('organisation_service')
      .values({ organisation_id: elsewhere.id, name: 'Far away service', category: 'Support', description: 'Elsewhere.', capacity: 9 })
      .returning('id')
      .executeTakeFirstOrThrow();
    services['Far away service'] = far.id;
    cookie = await signIn(test.app, coordinator);
  });
  after(async () => {
    await test.close();
  });

  it('offers a child the young victims’ service first, says an adult service is not for under-18s, and links each to a referral', async () => {
    const year = Number(todayInLondon().slice(0, 4)) - 14;
    const caseId = await referral({ dateOfBirth: `${year}-01-01` });
    const page = await optionsOf(caseId);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(titleOf(page.body), `Support options: case ${caseReference(caseId)} – Haven`);
    assert.doesNotMatch(titleOf(page.body), /Rhiannon|Evans/, 'the title never names the victim');
    assert.match(page.body, /data-testid="case-banner"[\s\S]*Rhiannon Evans/, 'the case bar names them, in the page');
    const matched = matchedIn(page.body);
    assert.deepEqual(matched[0], { id: services['Young victims’ service'], tier: 'specialist' });
    assert.ok(!matched.some((match) => match.id === services['Adults only support']));
    assert.equal(matched.at(-1)?.id, services['Full service'], 'a full service is listed last in its tier');
    const young = blockOf(page.body, 'match', services['Young victims’ service'] ?? '');
    assert.match(young, /Wales Victim Services/);
    assert.match(young, /The young victims’ service, for a child/);
    assert.match(young, /Open places[\s\S]*3 open[\s\S]*Wait[\s\S]*5 days/);
    assert.match(young, new RegExp(`href="/cases/${caseId}/referrals/new\\?service=${services['Young victims’ service']}">Refer to Young victims’ service</a>`));
    const full = blockOf(page.body, 'match', services['Full service'] ?? '');
    assert.match(full, /Full: 21-day wait/);
    assert.match(full, /None open \(full\)/);

    assert.match(page.body, /Services this case is not eligible for/);
    const adults = blockOf(page.body, 'exclusion', services['Adults only support'] ?? '');
    assert.match(adults, /<li>Not for under-18s<\/li>/);
    assert.match(adults, new RegExp(`href="/cases/${caseId}/referrals/new\\?service=${services['Adults only support']}">Refer with a supervisor’s override`));
    assert.doesNotMatch(page.body, /Far away service/);
  });

  it('offers the ISVA first after a rape, and excludes it after a burglary, saying why', async () => {
    const rape = await optionsOf(await referral({ offenceCode: '19C' }));
    assert.deepEqual(matchedIn(rape.body)[0], { id: services['Sexual violence ISVA'], tier: 'specialist' });
    assert.match(blockOf(rape.body, 'match', services['Sexual violence ISVA'] ?? ''), /An independent sexual violence adviser, for sexual violence/);

    const burglary = await optionsOf(await referral());
    const matched = matchedIn(burglary.body);
    assert.ok(!matched.some((match) => match.id === services['Sexual violence ISVA']));
    assert.ok(matched.every((match) => match.tier === 'general'), 'nothing special is called for');
    assert.match(blockOf(burglary.body, 'exclusion', services['Sexual violence ISVA'] ?? ''), /<li>Not for this crime: only for rape or other sexual offences<\/li>/);
    assert.match(blockOf(burglary.body, 'exclusion', services['Young victims’ service'] ?? ''), /<li>Only for under-18s<\/li>/);
  });

  it('fits a Welsh speaker (from the needs assessment) to a service offering cy, and notes the interpreter elsewhere', async () => {
    const caseId = await referral();
    const before = matchedIn((await optionsOf(caseId)).body).map((match) => match.id);
    assert.ok(before.indexOf(services['General support'] ?? '') < before.indexOf(services['Cymorth Cymraeg'] ?? ''), 'a shorter wait first while no language is asked for');
    await test.database.db
      .insertInto('needs_assessment')
      .values({
        case_id: caseId,
        version: 1,
        catalogue_version: '2026-1',
        method: 'phone',
        assessed_on: todayInLondon(),
        assessed_by_user_id: coordinator.id,
        answers: JSON.stringify({ language: 'Welsh', coping: 'well', bsl: 'no', easy_read: 'no', interpreter: 'no' }),
        submission_key: crypto.randomUUID(),
      })
      .execute();
    const page = await optionsOf(caseId);
    const after = matchedIn(page.body).map((match) => match.id);
    assert.equal(after[0], services['Cymorth Cymraeg'], 'the Welsh-speaking service now comes first');
    assert.doesNotMatch(blockOf(page.body, 'match', services['Cymorth Cymraeg'] ?? ''), /interpreter/);
    assert.match(blockOf(page.body, 'match', services['General support'] ?? ''), /Does not list Welsh: an interpreter may be needed/);
    assert.match(page.body, /Language\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Welsh\s*</);
  });

  it('shows another area’s coordinator and a provider caseworker nothing, and a guessed id is not found', async () => {
    const caseId = await referral();
    const elsewhere = await createStaffUser(test.database.db, { role: 'coordinator' });
    assert.equal((await optionsOf(caseId, await signIn(test.app, elsewhere))).statusCode, 404);
    const caseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: providerId });
    assert.equal((await optionsOf(caseId, await signIn(test.app, caseworker))).statusCode, 404);
    assert.equal((await optionsOf(crypto.randomUUID())).statusCode, 404, 'a guessed id');
    assert.equal((await optionsOf('not-a-case')).statusCode, 404);
    assert.equal((await get(`/cases/${caseId}/support-options`, '')).statusCode, 303, 'signed out: to the sign-in page');
  });

  it('audits each read, and the case page links to it', async () => {
    const caseId = await referral();
    const auditOf = () => test.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'support_options.viewed').where('record_id', '=', caseId).execute();
    assert.equal((await auditOf()).length, 0);
    await optionsOf(caseId);
    await optionsOf(caseId);
    const rows = await auditOf();
    assert.equal(rows.length, 2);
    assert.equal(rows[0]?.actor_user_id, coordinator.id);
    const detail = (typeof rows[0]?.detail === 'string' ? JSON.parse(rows[0].detail) : rows[0]?.detail) as { matched: number; excluded: number; first: string[] };
    assert.equal(detail.matched, 4);
    assert.equal(detail.excluded, 2);
    assert.deepEqual(detail.first, [services['Adults only support'], services['General support'], services['Cymorth Cymraeg']]);
    const casePage = await get(`/cases/${caseId}`);
    assert.match(casePage.body, new RegExp(`<a class="govuk-link" href="/cases/${caseId}/support-options">Find support services</a>`));
  });

  it('says whether one service can take a case, for the referral service: why not, or what to check; nothing for another area’s', async () => {
    const year = Number(todayInLondon().slice(0, 4)) - 14;
    const caseId = await referral({ dateOfBirth: `${year}-01-01` });
    const of = (name: string) => inTransaction(test.database.db, (trx) => eligibilityForService(trx, caseId, services[name] ?? ''));
    const adults = await of('Adults only support');
    assert.deepEqual([adults?.service.name, adults?.excludedBecause, adults?.tier], ['Adults only support', ['Not for under-18s'], null]);
    const young = await of('Young victims’ service');
    assert.deepEqual([young?.excludedBecause, young?.tier, young?.service.organisationName], [[], 'specialist', 'Wales Victim Services']);
    assert.deepEqual((await of('Full service'))?.cautions, ['Full: 21-day wait']);
    assert.equal(await of('Far away service'), undefined);
    assert.equal(await inTransaction(test.database.db, (trx) => eligibilityForService(trx, caseId, crypto.randomUUID())), undefined);
    assert.equal(await inTransaction(test.database.db, (trx) => eligibilityForService(trx, crypto.randomUUID(), services['General support'] ?? '')), undefined);
  });
});
