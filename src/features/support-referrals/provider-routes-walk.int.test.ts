// Walks every provider route that names a referral, as the application has registered them (so a route added later is
// walked too), with the ids a provider user could guess: another provider's referral, a made-up id, something that is
// not an id, and (for each step) a referral closed by a consent withdrawal. Each gets 404, and each attempt is audited.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { actorFor, createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { receiveReferral } from '../intake/service.ts';
import { recordConsent, withdrawConsent } from '../consent/service.ts';
import { createReferral } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };

/** Every route the app serves, with its methods, rebuilt from Fastify's printed route tree. */
function routesOf(app: FastifyInstance): { path: string; methods: string[] }[] {
  const routes: { path: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    const segment = match[2] ?? '';
    stack.push(depth === 0 || segment.startsWith('/') ? segment : `/${segment}`);
    if (match[3]) routes.push({ path: stack.join('').replace(/^\/?/, '/').replace(/\/{2,}/g, '/'), methods: match[3].split(', ').filter((method) => method !== 'HEAD') });
  }
  return routes;
}

describe('every provider route, with guessed ids', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let caseworker: TestStaffUser;
  let stranger: TestStaffUser;
  let ownCookie: string;
  let strangerCookie: string;
  let openReferralId: string;
  let withdrawnReferralId: string;

  async function sentReferral(providerId: string, serviceId: string, withdraw: boolean): Promise<string> {
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `WALK-${randomUUID()}`,
        referringOrganisationId: null,
        areaId: coordinator.areaId,
        person: { givenName: 'Walter', familyName: `Guess${randomUUID().slice(0, 4)}`, dateOfBirth: '1980-01-01' },
        crime: { crimeReference: `WY/${Math.floor(Math.random() * 90000) + 10000}/26`, offenceCode: '105/01', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const actor = actorFor(coordinator);
    const { consentId } = await recordConsent(test.database.db, actor, receipt.caseId, { submissionKey: randomUUID(), recipientOrganisationId: providerId, purpose: 'support_referral', legalBasis: 'consent', givenHow: 'verbal' });
    const { referralId } = await createReferral(test.database.db, actor, receipt.caseId, { submissionKey: randomUUID(), serviceId, summary: 'Needs new locks.', approvedHow: 'phone', action: 'send' });
    if (withdraw) await withdrawConsent(test.database.db, actor, receipt.caseId, consentId, { how: 'verbal' });
    return referralId;
  }

  const refusals = async () => (await test.database.db.selectFrom('audit_event').select('id').where('action', '=', 'support_referral.access_refused').execute()).length;

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator' });
    const providerId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Safer Homes' })).id;
    const strangerOrganisationId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Other Support' })).id;
    caseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: providerId });
    stranger = await createStaffUser(test.database.db, { role: 'supervisor', organisationId: strangerOrganisationId });
    const service = await test.database.db
      .insertInto('organisation_service')
      .values({ organisation_id: providerId, name: 'Locks', category: 'Practical support', description: 'Locks fitted.', specialism: 'practical', capacity: 3 })
      .returning('id')
      .executeTakeFirstOrThrow();
    openReferralId = await sentReferral(providerId, service.id, false);
    withdrawnReferralId = await sentReferral(providerId, service.id, true);
    ownCookie = await signIn(test.app, caseworker);
    strangerCookie = await signIn(test.app, stranger);
  });
  after(async () => {
    await test.close();
  });

  it('gives 404 for every route and method, and audits every attempt', async () => {
    const referralRoutes = routesOf(test.app).filter((route) => route.path.includes(':referralId') && !route.path.startsWith('/cases/') && !route.path.startsWith('/api/'));
    // The page, and the seven steps a provider can take: if one is lost from the app, the walk says so.
    assert.ok(referralRoutes.length >= 8, JSON.stringify(referralRoutes));
    const guesses: { who: string; cookie: string; id: string; methods: string[] }[] = [
      { who: 'another provider, with a real referral id', cookie: strangerCookie, id: openReferralId, methods: ['GET', 'POST'] },
      { who: 'another provider, with a withdrawn referral id', cookie: strangerCookie, id: withdrawnReferralId, methods: ['GET', 'POST'] },
      { who: 'the provider, with a made-up id', cookie: ownCookie, id: randomUUID(), methods: ['GET', 'POST'] },
      { who: 'the provider, with something that is not an id', cookie: ownCookie, id: 'R-1234', methods: ['GET', 'POST'] },
      // Its own referral after a withdrawal: the page says only that it closed (tested elsewhere); every step is refused.
      { who: 'the provider, acting on a withdrawn referral', cookie: ownCookie, id: withdrawnReferralId, methods: ['POST'] },
    ];
    let walked = 0;
    for (const guess of guesses) {
      for (const route of referralRoutes) {
        for (const method of route.methods.filter((each) => guess.methods.includes(each))) {
          const url = route.path.replace(':referralId', encodeURIComponent(guess.id));
          const before = await refusals();
          const response =
            method === 'GET'
              ? await test.app.inject({ method: 'GET', url, headers: { cookie: guess.cookie } })
              : await postForm(test.app, url, guess.cookie, { submissionKey: randomUUID(), answer: 'accepted', body: 'x', outcome: 'moved_on', returnReason: 'x', userId: caseworker.id }, '/team-inbox');
          assert.equal(response.statusCode, 404, `${method} ${route.path} by ${guess.who}`);
          assert.ok(!response.body.includes('Walter'), `${method} ${route.path} by ${guess.who} shows no name`);
          assert.equal((await refusals()) - before, 1, `${method} ${route.path} by ${guess.who} is audited`);
          walked += 1;
        }
      }
    }
    assert.ok(walked >= 8 * 4 + 7, `walked ${walked} requests`);
  });

  it('never lists another provider’s referral, and keeps hub staff out of provider pages', async () => {
    for (const url of ['/team-inbox', '/team-inbox?view=unallocated', '/my-clients']) {
      const response = await test.app.inject({ method: 'GET', url, headers: { cookie: strangerCookie } });
      assert.equal(response.statusCode, 200, url);
      assert.ok(!response.body.includes('Walter'), url);
    }
    const own = await test.app.inject({ method: 'GET', url: '/team-inbox', headers: { cookie: ownCookie } });
    assert.ok(own.body.includes('Walter'), 'the provider’s own inbox names the victim while consent is in force');
    const hub = await test.app.inject({ method: 'GET', url: `/team-inbox/referrals/${openReferralId}`, headers: { cookie: await signIn(test.app, coordinator) } });
    assert.ok([403, 404].includes(hub.statusCode));
  });
});
