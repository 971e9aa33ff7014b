// The agency referral form through inject(): a partner's caseworker refers someone and sees a short reference; wrong
// answers give a 422 page with the error summary; a double submit makes one case; CSRF and roles are enforced.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, csrfFor, signIn } from '../../../test/support/staff.ts';

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return body.toString();
};
const tokenIn = (html: string) => /name="referralToken" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('agency referral form', () => {
  let testApp: TestApp;
  let cookie: string;
  let providerId: string;

  before(async () => {
    testApp = await createTestApp();
    const { db } = testApp.database;
    const provider = await createOrganisation(db, { kind: 'provider', name: 'Wyvern Hate Crime Support Test' });
    providerId = provider.id;
    const caseworker = await createStaffUser(db, { role: 'provider_caseworker', organisationId: provider.id });
    cookie = await signIn(testApp.app, caseworker);
  });

  after(async () => {
    await testApp.close();
  });

  async function openForm() {
    const page = await testApp.app.inject({ method: 'GET', url: '/refer', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    const { cookie: withCsrf, csrfToken } = await csrfFor(testApp.app, cookie, '/refer');
    return { html: page.body, cookie: withCsrf, csrfToken, referralToken: tokenIn(page.body) };
  }

  const send = (opened: { cookie: string; csrfToken: string }, fields: Record<string, string | string[]>) =>
    testApp.app.inject({
      method: 'POST',
      url: '/refer',
      headers: { cookie: opened.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: opened.csrfToken, ...fields }),
    });

  const goodAnswers = (referralToken: string) => ({
    referralToken,
    givenName: 'Jonathan',
    familyName: 'Smith',
    'dateOfBirth-day': '4',
    'dateOfBirth-month': '7',
    'dateOfBirth-year': '1990',
    phone: '07700 900 982',
    email: '',
    safeChannels: ['phone', 'sms'],
    safeTimes: 'Weekday mornings',
    role: 'victim',
    reported: 'yes',
    crimeReference: 'WY/55501/26',
    offence: 'hate_harassment',
    notes: 'Wants help with feeling safe at home.',
    consent: 'yes',
  });

  test('the form has a page title and URL with nothing identifying, and the navigation offers it', async () => {
    const opened = await openForm();
    assert.match(opened.html, /<title>Refer someone for support/);
    assert.match(opened.html, /href="\/refer"/);
    assert.match(opened.referralToken, /^[0-9a-f-]{36}$/);
  });

  test('a complete referral makes a case and shows a short reference; sending it again makes nothing', async () => {
    const opened = await openForm();
    const answers = goodAnswers(opened.referralToken);
    const sent = await send(opened, answers);
    assert.equal(sent.statusCode, 303, sent.body);
    const location = String(sent.headers.location);
    assert.equal(location, `/refer/sent/${opened.referralToken}`);
    const confirmation = await testApp.app.inject({ method: 'GET', url: location, headers: { cookie } });
    assert.equal(confirmation.statusCode, 200);
    assert.match(confirmation.body, /<title>Referral sent/);
    const reference = /data-testid="referral-reference">(REF-[0-9A-F]{4}-[0-9A-F]{4})</.exec(confirmation.body)?.[1];
    assert.ok(reference, 'a short reference is shown');
    assert.doesNotMatch(confirmation.body, /Jonathan|Smith/);

    const cases = await testApp.database.db
      .selectFrom('victim_case')
      .select(['id', 'source', 'referring_organisation_id', 'support_consent', 'status'])
      .where('source', '=', 'agency_referral')
      .where('source_reference', '=', opened.referralToken)
      .execute();
    assert.equal(cases.length, 1);
    assert.equal(cases[0]!.referring_organisation_id, providerId);
    assert.equal(cases[0]!.support_consent, 'opted_in');
    assert.equal(cases[0]!.status, 'new');
    assert.equal(reference, `REF-${cases[0]!.id.replace(/-/g, '').slice(0, 8).toUpperCase().replace(/^(.{4})/, '$1-')}`);

    const again = await send(opened, answers);
    assert.equal(again.statusCode, 303);
    const count = await testApp.database.db
      .selectFrom('victim_case')
      .select('id')
      .where('source_reference', '=', opened.referralToken)
      .execute();
    assert.equal(count.length, 1);
  });

  test('an empty form gets a 422 page with an error summary linking to each field', async () => {
    const opened = await openForm();
    const response = await send(opened, { referralToken: opened.referralToken });
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /<title>Error: Refer someone for support/);
    assert.match(response.body, /govuk-error-summary/);
    for (const field of ['givenName', 'phone', 'safeChannels', 'role', 'reported', 'consent']) {
      assert.match(response.body, new RegExp(`href="#${field}"`), field);
      assert.match(response.body, new RegExp(`id="${field}"`), `the link target ${field} exists`);
    }
  });

  test('intake’s checks come back on the right fields: phone, crime reference and date of birth', async () => {
    const opened = await openForm();
    const response = await send(opened, {
      ...goodAnswers(opened.referralToken),
      phone: '12345',
      crimeReference: 'nonsense',
    });
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /href="#phone"/);
    assert.match(response.body, /href="#crimeReference"/);
    const future = await send(opened, { ...goodAnswers(opened.referralToken), 'dateOfBirth-year': '2999' });
    assert.equal(future.statusCode, 422);
    assert.match(future.body, /href="#dateOfBirth-day"/);
    assert.match(future.body, /Date of birth must be in the past/);
    assert.match(future.body, /value="Jonathan"/, 'the answers are kept');
  });

  test('without the CSRF token the form is refused and nothing is made', async () => {
    const opened = await openForm();
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/refer',
      headers: { cookie: opened.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(goodAnswers(opened.referralToken)),
    });
    assert.equal(response.statusCode, 403);
    const made = await testApp.database.db.selectFrom('victim_case').select('id').where('source_reference', '=', opened.referralToken).execute();
    assert.equal(made.length, 0);
  });

  test('a commissioner’s analyst may not refer, and a signed-out visitor is sent to sign in', async () => {
    const { db } = testApp.database;
    const commissioner = await createOrganisation(db, { kind: 'commissioner' });
    const analyst = await createStaffUser(db, { role: 'commissioner_analyst', organisationId: commissioner.id });
    const analystCookie = await signIn(testApp.app, analyst);
    assert.equal((await testApp.app.inject({ method: 'GET', url: '/refer', headers: { cookie: analystCookie } })).statusCode, 403);
    const signedOut = await testApp.app.inject({ method: 'GET', url: '/refer' });
    assert.equal(signedOut.statusCode, 303);
    assert.equal(signedOut.headers.location, '/sign-in');
  });

  test('another organisation cannot see the confirmation of a referral', async () => {
    const opened = await openForm();
    assert.equal((await send(opened, goodAnswers(opened.referralToken))).statusCode, 303);
    const police = await createOrganisation(testApp.database.db, { kind: 'police' });
    const officer = await createStaffUser(testApp.database.db, { role: 'police_officer', organisationId: police.id });
    const officerCookie = await signIn(testApp.app, officer);
    const response = await testApp.app.inject({ method: 'GET', url: `/refer/sent/${opened.referralToken}`, headers: { cookie: officerCookie } });
    assert.equal(response.statusCode, 404);
  });
});
