// The service directory through the whole application (app.inject), on PGlite or PostgreSQL: a provider administrator
// adds a service once however often the form is sent, edits it and updates its open places; another provider's service
// is not found (and the attempt is audited); other roles and organisations are refused; bad input stores nothing; a
// stale form does not overwrite a newer change; and the public page finds support by need and area, in English and Welsh.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, csrfFor, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { listActiveServices } from './repository.ts';

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
const revisionIn = (html: string) => /name="revision" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A complete service form, as the browser sends it (checkboxes repeat their name). */
function serviceForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: 'Independent sexual violence adviser',
    description: 'Support through the police and court process after rape or sexual assault.',
    welshName: 'Cynghorydd trais rhywiol annibynnol',
    welshDescription: 'Cymorth drwy broses yr heddlu a’r llys ar ôl trais rhywiol.',
    specialism: 'isva',
    offenceGroups: ['Rape', 'Other sexual offences'],
    ageBands: ['adult', 'older'],
    genders: ['female', 'male'],
    enhancedOnly: 'no',
    referralRoutes: ['coordinator', 'self', 'police'],
    languages: ['en', 'cy'],
    accessibility: ['bsl', 'step_free'],
    capacity: '4',
    waitDays: '3',
    responseWorkingDays: '2',
    active: 'yes',
    ...overrides,
  };
}

function encode(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const each of Array.isArray(value) ? value : [value]) body.append(name, each);
  return body.toString();
}

describe('the service directory', () => {
  let test: TestApp;
  let admin: TestStaffUser;
  let otherAdmin: TestStaffUser;
  let cookie: string;
  let otherServiceId: string;

  const get = (url: string, as = cookie) => test.app.inject({ method: 'GET', url, headers: { cookie: as } });
  async function post(url: string, fields: Record<string, string | string[]>, options: { as?: string; csrfFrom?: string } = {}) {
    const csrf = await csrfFor(test.app, options.as ?? cookie, options.csrfFrom ?? '/services');
    return test.app.inject({
      method: 'POST',
      url,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: encode({ _csrf: csrf.csrfToken, ...fields }),
    });
  }
  const servicesOf = (organisationId: string) => test.database.db.selectFrom('organisation_service').selectAll().where('organisation_id', '=', organisationId).execute();
  const auditOf = (action: string) => test.database.db.selectFrom('audit_event').selectAll().where('action', '=', action).orderBy('id').execute();

  async function addService(fields = serviceForm()): Promise<string> {
    const form = await get('/services/new');
    const sent = await post('/services', { submissionKey: submissionKeyIn(form.body), ...fields }, { csrfFrom: '/services/new' });
    assert.equal(sent.statusCode, 303);
    const id = /#service-([0-9a-f-]{36})$/.exec(String(sent.headers.location))?.[1];
    assert.ok(id);
    return id;
  }

  before(async () => {
    test = await createTestApp();
    admin = await createStaffUser(test.database.db, { role: 'administrator', organisationKind: 'provider', organisationName: 'Wyvern Sexual Violence Support Centre', displayName: 'Pat Provider' });
    await test.database.db.updateTable('area').set({ code: 'WYV', name: 'Wyvern' }).where('id', '=', admin.areaId).execute();
    const otherProvider = await createOrganisation(test.database.db, { kind: 'provider', areaId: admin.areaId, name: 'Wyvern Domestic Abuse Partnership' });
    otherAdmin = await createStaffUser(test.database.db, { role: 'administrator', organisationId: otherProvider.id });
    const other = await test.database.db
      .insertInto('organisation_service')
      .values({
        organisation_id: otherProvider.id,
        name: 'Independent domestic violence adviser (IDVA)',
        category: 'Domestic abuse',
        description: 'Crisis support and safety planning for people at high risk.',
        specialism: 'idva',
        offence_groups: ['Domestic abuse'],
        enhanced_only: true,
        capacity: 0,
        wait_days: 21,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    otherServiceId = other.id;
    cookie = await signIn(test.app, admin);
  });
  after(async () => {
    await test.close();
  });

  it('adds a service once however often the form is sent, with an audit row, and lists it', async () => {
    const list = await get('/services');
    assert.equal(list.statusCode, 200);
    assert.equal(titleOf(list.body), 'Your services – Haven');
    assert.match(list.body, /has no services in the directory yet/);
    assert.match(list.body, /href="\/services"[^>]*>[^<]*(<strong[^>]*>)?Services/, 'the service navigation has Services');

    const form = await get('/services/new');
    assert.equal(form.statusCode, 200);
    const key = submissionKeyIn(form.body);
    assert.match(key, /^[0-9a-f-]{36}$/);
    const first = await post('/services', { submissionKey: key, ...serviceForm() }, { csrfFrom: '/services/new' });
    const second = await post('/services', { submissionKey: key, ...serviceForm() }, { csrfFrom: '/services/new' });
    assert.equal(first.statusCode, 303);
    assert.equal(second.headers.location, first.headers.location, 'the replay lands on the same service');
    const rows = await servicesOf(admin.organisationId);
    assert.equal(rows.length, 1, 'a form sent twice adds one service');
    const [row] = rows;
    assert.ok(row);
    assert.deepEqual(row.offence_groups, ['Other sexual offences', 'Rape'], 'in the order of the list');
    assert.deepEqual(row.age_bands, ['adult', 'older']);
    assert.deepEqual(row.languages, ['en', 'cy']);
    assert.equal(row.capacity, 4);
    assert.equal(row.updated_by_user_id, admin.id);
    const audits = await auditOf('directory_service.created');
    assert.equal(audits.length, 1);
    assert.equal(audits[0]?.record_id, row.id);

    const listed = await get('/services?done=created');
    assert.match(listed.body, /Service added to the directory/);
    assert.match(listed.body, new RegExp(`data-testid="service-${row.id}"[\\s\\S]*?Independent sexual violence adviser[\\s\\S]*?>4<`));
  });

  it('edits its own service and updates its open places, auditing each', async () => {
    const serviceId = await addService(serviceForm({ name: 'Counselling', specialism: 'emotional', offenceGroups: [] }));
    const edit = await get(`/services/${serviceId}/edit`);
    assert.equal(edit.statusCode, 200);
    assert.equal(titleOf(edit.body), 'Edit Counselling – Haven');
    const saved = await post(`/services/${serviceId}/edit`, { ...serviceForm({ name: 'Trauma counselling', specialism: 'mental_health', offenceGroups: [], capacity: '2' }), revision: revisionIn(edit.body) }, { csrfFrom: `/services/${serviceId}/edit` });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/services?done=updated#service-${serviceId}`);
    const places = await post(`/services/${serviceId}/capacity`, { capacity: '0', waitDays: '21' }, { csrfFrom: `/services/${serviceId}/capacity` });
    assert.equal(places.statusCode, 303);
    const row = await test.database.db.selectFrom('organisation_service').selectAll().where('id', '=', serviceId).executeTakeFirstOrThrow();
    assert.equal(row.name, 'Trauma counselling');
    assert.equal(row.specialism, 'mental_health');
    assert.equal(row.capacity, 0);
    assert.equal(row.wait_days, 21);
    assert.equal((await auditOf('directory_service.updated')).filter((audit) => audit.record_id === serviceId).length, 1);
    const capacityAudit = (await auditOf('directory_service.capacity_updated')).find((audit) => audit.record_id === serviceId);
    assert.deepEqual(capacityAudit?.detail, { from: { capacity: 2, waitDays: 3 }, to: { capacity: 0, waitDays: 21 } });
  });

  it('refuses negative open places with an error on the page and stores nothing', async () => {
    const serviceId = await addService(serviceForm({ name: 'Helpline', specialism: 'general', offenceGroups: [] }));
    const before = await test.database.db.selectFrom('organisation_service').selectAll().where('id', '=', serviceId).executeTakeFirstOrThrow();
    const quick = await post(`/services/${serviceId}/capacity`, { capacity: '-3', waitDays: '5' }, { csrfFrom: `/services/${serviceId}/capacity` });
    assert.equal(quick.statusCode, 422);
    assert.match(titleOf(quick.body), /^Error: /);
    assert.match(quick.body, /govuk-error-summary[\s\S]*href="#capacity"[^>]*>Open places must be 0 or more/);
    assert.match(quick.body, /name="capacity"[^>]*value="-3"/);

    const edit = await get(`/services/${serviceId}/edit`);
    const full = await post(`/services/${serviceId}/edit`, { ...serviceForm({ name: 'Helpline', capacity: '-1', waitDays: '400' }), revision: revisionIn(edit.body) }, { csrfFrom: `/services/${serviceId}/edit` });
    assert.equal(full.statusCode, 422);
    assert.match(full.body, /Open places must be 0 or more/);
    assert.match(full.body, /The wait must be between 0 and 365/);

    const newForm = await get('/services/new');
    const created = await post('/services', { submissionKey: submissionKeyIn(newForm.body), ...serviceForm({ name: 'Another', capacity: '-1', referralRoutes: [] }) }, { csrfFrom: '/services/new' });
    assert.equal(created.statusCode, 422);
    assert.match(created.body, /Select at least one way a person can be referred/);
    assert.equal(submissionKeyIn(created.body), submissionKeyIn(newForm.body), 'the corrected form keeps its key');

    const after = await test.database.db.selectFrom('organisation_service').selectAll().where('id', '=', serviceId).executeTakeFirstOrThrow();
    assert.deepEqual(after, before);
    assert.equal((await servicesOf(admin.organisationId)).filter((row) => row.name === 'Another').length, 0);
    // The database refuses a negative capacity too, whoever writes it.
    await assert.rejects(test.database.db.updateTable('organisation_service').set({ capacity: -1 }).where('id', '=', serviceId).execute());
  });

  it('does not overwrite a newer change with a form opened before it', async () => {
    const serviceId = await addService(serviceForm({ name: 'Court support', specialism: 'general', offenceGroups: [] }));
    const stale = await get(`/services/${serviceId}/edit`);
    await post(`/services/${serviceId}/capacity`, { capacity: '0', waitDays: '30' }, { csrfFrom: `/services/${serviceId}/capacity` });
    const sent = await post(`/services/${serviceId}/edit`, { ...serviceForm({ name: 'Court support', capacity: '9' }), revision: revisionIn(stale.body) }, { csrfFrom: `/services/${serviceId}/edit` });
    assert.equal(sent.statusCode, 422);
    assert.match(sent.body, /changed by someone else/);
    const row = await test.database.db.selectFrom('organisation_service').select(['capacity', 'wait_days']).where('id', '=', serviceId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { capacity: 0, wait_days: 30 });
    // Sending the page it was shown again saves, deliberately.
    const again = await post(`/services/${serviceId}/edit`, { ...serviceForm({ name: 'Court support', capacity: '9' }), revision: revisionIn(sent.body) }, { csrfFrom: `/services/${serviceId}/edit` });
    assert.equal(again.statusCode, 303);
  });

  it('gives 404 for another provider’s service, by any route, and audits the attempt', async () => {
    const before = await test.database.db.selectFrom('organisation_service').selectAll().where('id', '=', otherServiceId).executeTakeFirstOrThrow();
    for (const url of [`/services/${otherServiceId}/edit`, `/services/${otherServiceId}/capacity`, '/services/not-a-uuid/edit']) {
      assert.equal((await get(url)).statusCode, 404, url);
    }
    assert.equal((await post(`/services/${otherServiceId}/edit`, { ...serviceForm(), revision: '1' })).statusCode, 404);
    assert.equal((await post(`/services/${otherServiceId}/capacity`, { capacity: '5', waitDays: '0' })).statusCode, 404);
    const after = await test.database.db.selectFrom('organisation_service').selectAll().where('id', '=', otherServiceId).executeTakeFirstOrThrow();
    assert.deepEqual(after, before);
    const refused = (await auditOf('directory_service.access_refused')).filter((audit) => audit.record_id === otherServiceId);
    assert.equal(refused.length, 4);
    assert.ok(refused.every((audit) => audit.actor_user_id === admin.id));
    // Its own administrator may.
    assert.equal((await get(`/services/${otherServiceId}/edit`, await signIn(test.app, otherAdmin))).statusCode, 200);
  });

  it('refuses coordinators, caseworkers and administrators of organisations that are not providers', async () => {
    const coordinator = await createStaffUser(test.database.db, { role: 'coordinator', organisationKind: 'hub' });
    const caseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: admin.organisationId });
    const hubAdmin = await createStaffUser(test.database.db, { role: 'administrator', organisationKind: 'hub' });
    const [serviceRow] = await servicesOf(admin.organisationId);
    assert.ok(serviceRow);
    for (const user of [coordinator, caseworker, hubAdmin]) {
      const as = await signIn(test.app, user);
      for (const url of ['/services', '/services/new', `/services/${serviceRow.id}/edit`, `/services/${serviceRow.id}/capacity`]) {
        assert.equal((await get(url, as)).statusCode, 403, `${user.role} ${url}`);
      }
      const sent = await post(`/services/${serviceRow.id}/capacity`, { capacity: '99', waitDays: '0' }, { as, csrfFrom: '/' });
      assert.equal(sent.statusCode, 403);
      assert.doesNotMatch((await get('/', as)).body, /href="\/services"/, `${user.role} has no Services link`);
    }
    const row = await test.database.db.selectFrom('organisation_service').select('capacity').where('id', '=', serviceRow.id).executeTakeFirstOrThrow();
    assert.notEqual(row.capacity, 99);
    assert.equal((await get('/services', '')).statusCode, 303, 'signed out goes to sign in');
  });

  it('lists the area’s active services for matching, in the shape it consumes', async () => {
    const services = await listActiveServices(test.database.db, admin.areaId);
    const idva = services.find((service) => service.id === otherServiceId);
    assert.deepEqual(idva, {
      id: otherServiceId,
      organisationId: otherAdmin.organisationId,
      organisationName: 'Wyvern Domestic Abuse Partnership',
      areaId: admin.areaId,
      name: 'Independent domestic violence adviser (IDVA)',
      description: 'Crisis support and safety planning for people at high risk.',
      specialism: 'idva',
      offenceGroups: ['Domestic abuse'],
      ageBands: [],
      genders: [],
      enhancedOnly: true,
      referralRoutes: ['coordinator'],
      languages: ['en'],
      accessibility: [],
      capacity: 0,
      waitDays: 21,
      responseWorkingDays: 2,
      active: true,
    });
    assert.equal((await listActiveServices(test.database.db, (await createOrganisation(test.database.db)).areaId)).length, 0, 'another area has none of them');
  });

  it('finds support by need and area without signing in, in English and in Welsh', async () => {
    const empty = await get('/find-support', '');
    assert.equal(empty.statusCode, 200);
    assert.equal(titleOf(empty.body), 'Find support after a crime – Haven');
    assert.match(empty.body, /govuk-exit-this-page/);
    assert.match(empty.body, /<option value="WYV">Wyvern<\/option>/);
    assert.doesNotMatch(empty.body, /data-testid="results"/);

    const sexual = await get('/find-support?need=sexual_violence&area=WYV', '');
    assert.equal(sexual.statusCode, 200);
    assert.match(sexual.body, /Services in Wyvern/);
    assert.match(sexual.body, /Independent sexual violence adviser/);
    assert.doesNotMatch(sexual.body, /IDVA/);
    assert.match(sexual.body, /After other sexual offences and rape/);
    assert.match(sexual.body, /Aged 18 and over/);
    assert.match(sexual.body, /English, Welsh/);
    assert.match(sexual.body, /British Sign Language \(BSL\)/);
    assert.match(sexual.body, /You can contact them yourself/);
    assert.match(sexual.body, /href="\/find-support\?area=WYV&amp;need=sexual_violence&amp;lang=cy"/, 'the language switch keeps the search');

    const abuse = await get('/find-support?need=domestic_abuse&area=WYV', '');
    assert.match(abuse.body, /Independent domestic violence adviser \(IDVA\)/);
    assert.match(abuse.body, /Full at the moment: about a 21-day wait/);
    assert.match(abuse.body, /Victims entitled to extra support/);
    assert.doesNotMatch(abuse.body, /Independent sexual violence adviser</);

    const elsewhere = await createOrganisation(test.database.db, { kind: 'provider' });
    const otherArea = await test.database.db.selectFrom('area').select('code').where('id', '=', elsewhere.areaId).executeTakeFirstOrThrow();
    const none = await get(`/find-support?need=domestic_abuse&area=${otherArea.code}`, '');
    assert.match(none.body, /data-testid="no-results"/);

    const welsh = await get('/find-support?need=sexual_violence&area=WYV&lang=cy', '');
    assert.equal(welsh.statusCode, 200);
    assert.match(welsh.body, /<html lang="cy"/);
    assert.equal(titleOf(welsh.body), 'Dod o hyd i gymorth ar ôl trosedd – Haven');
    assert.match(welsh.body, /Cynghorydd trais rhywiol annibynnol/);
    assert.match(welsh.body, /Saesneg, Cymraeg/);
    assert.match(welsh.body, /Gallwch gysylltu â nhw eich hun/);
    assert.match(welsh.body, /Gadael y dudalen hon/);

    const bad = await get('/find-support?need=magic&area=NOPE', '');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /govuk-error-summary[\s\S]*Select your area from the list[\s\S]*Select the kind of support you are looking for from the list/);
    assert.doesNotMatch(bad.body, /NOPE|magic/, 'nothing typed into the address is echoed');
  });

  it('is linked from the public start page, in the reader’s language', async () => {
    const english = await get('/self-referral', '');
    assert.match(english.body, /<a class="govuk-link" href="\/find-support">Search for support services<\/a>/);
    const welsh = await get('/self-referral?lang=cy', '');
    assert.match(welsh.body, /<a class="govuk-link" href="\/find-support\?lang=cy">Chwilio am wasanaethau cymorth<\/a>/);
  });
});
