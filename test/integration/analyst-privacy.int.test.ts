// The commissioner's analyst reaches no person, on PGlite or PostgreSQL. One victim is seeded with everything a case
// can carry (crime, consent, referral, messages, hearing, feedback, complaint); the analyst, signed in through the real
// pages, then requests every route and method the application has registered (read from Fastify's route tree, so a
// route added later is walked too), with every :param filled from the seeded records. Only the insights pages answer;
// a short list of pages that hold no person (named below, each with its reason) may answer too; everything else is
// refused or sends her to sign in; and no answer, refused or not, carries the victim's name, contact details, crime
// reference or words.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { signInVictim } from '../support/portal.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { routesOf } from '../support/routes.ts';
import { actorFor, createOrganisation, createStaffUser, csrfFor, signIn, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { appendTimelineEvent } from '../../src/features/cases/service.ts';
import { replyToVictim } from '../../src/features/case-messages/service.ts';
import { recordConsent } from '../../src/features/consent/service.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';
import { createReferral } from '../../src/features/support-referrals/service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };

/**
 * Pages that hold no person, which the analyst (like anyone) may open, each with why. Everything else that is not an
 * insights page must refuse her. The walk still checks these answers carry nothing of the victim's.
 */
const HARMLESS: { pattern: RegExp; why: string }[] = [
  { pattern: /^\/$/, why: 'the start page: the staff member’s own navigation' },
  { pattern: /^\/\*$/, why: 'the catch-all that answers 404 for any unknown path' },
  { pattern: /^\/(assets|govuk-frontend|moj-frontend|public)\//, why: 'static assets: CSS, scripts, images, fonts' },
  { pattern: /^\/(health|ping|metrics)$/, why: 'operations: liveness and process counters, no records' },
  { pattern: /^\/api\/(docs|openapi\.json)$/, why: 'the published API description' },
  { pattern: /^\/(accessibility|cookies|help)$/, why: 'public information pages' },
  { pattern: /^\/(sign-in|sign-out|signed-out|invitation)(\/|$)/, why: 'the staff member’s own account: signing in and out, authenticator, recovery codes, accepting an invitation' },
  { pattern: /^\/my-case\/(sign-in|sign-out|signed-out|session|invitation)(\/|$)|^\/my-case\/sign-out-everywhere$/, why: 'the victim portal’s own sign-in and sign-out pages, which ask for, and show, nothing of a person' },
  { pattern: /^\/(self-referral|refer|find-support)(\/|$)/, why: 'the public forms and directory anyone may use to ask for support: they show only what the sender typed in that browser' },
];
const harmless = (path: string) => HARMLESS.some((entry) => entry.pattern.test(path));
const isInsights = (path: string) => /^\/insights(\/|$|\.)/.test(path);
const isApi = (path: string) => path.startsWith('/api/v1/');
/** Account routes that change the signed-in session: the analyst is signed in again after each. */
const changesSession = (path: string) => /^\/(sign-in|sign-out|invitation)(\/|$)/.test(path);

describe('the commissioner’s analyst reaches no person', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let analyst: TestStaffUser;
  let analystCookie: string;
  const victim = {
    givenName: 'Ottoline',
    familyName: 'Quarrington',
    phone: '07700 900845',
    email: 'ottoline.quarrington@example.org',
    postcode: 'LS6 9QX',
    crimeReference: 'PV/48213/26',
    sourceReference: `PRIVACY-${randomUUID()}`,
    comment: 'Ottoline wrote: the officer never rang back',
    complaint: 'Ottoline complains the letters went to the wrong house',
    message: 'Ottoline, your appointment is on Tuesday',
  };
  const ids: Record<string, string> = {};

  before(async () => {
    test = await createTestApp();
    const db = test.database.db;
    coordinator = await createStaffUser(db, { role: 'coordinator' });
    const forceId = (await createOrganisation(db, { kind: 'police', areaId: coordinator.areaId })).id;
    const providerId = (await createOrganisation(db, { kind: 'provider', areaId: coordinator.areaId, name: 'Safer Homes' })).id;
    const commissionerId = (await createOrganisation(db, { kind: 'commissioner', areaId: coordinator.areaId, name: 'Office of the Police and Crime Commissioner' })).id;
    analyst = await createStaffUser(db, { role: 'commissioner_analyst', organisationId: commissionerId, displayName: 'Ana Analyst' });

    const receipt = await inTransaction(db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: victim.sourceReference,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: victim.givenName, familyName: victim.familyName, dateOfBirth: '1984-03-02', phone: victim.phone, email: victim.email, postcode: victim.postcode, addressLine1: '4 Quarry Row', town: 'Leeds', safeContact: { channels: ['email'] } },
        crime: { crimeReference: victim.crimeReference, offenceCode: '8N', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    ids.caseId = receipt.caseId;
    ids.personId = receipt.personId;
    const actor = actorFor(coordinator);
    const service = await db
      .insertInto('organisation_service')
      .values({ organisation_id: providerId, name: 'Locks', category: 'Practical support', description: 'Locks fitted.', specialism: 'practical', capacity: 3 })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.serviceId = service.id;
    ids.consentId = (await recordConsent(db, actor, receipt.caseId, { submissionKey: randomUUID(), recipientOrganisationId: providerId, purpose: 'support_referral', legalBasis: 'consent', givenHow: 'verbal' })).consentId;
    ids.referralId = (await createReferral(db, actor, receipt.caseId, { submissionKey: randomUUID(), serviceId: service.id, summary: 'Ottoline needs new locks.', approvedHow: 'phone', action: 'send' })).referralId;
    await replyToVictim(db, actor, receipt.caseId, { body: victim.message, submissionKey: randomUUID() });
    const account = await signInVictim(db, receipt.personId);
    const event = await inTransaction(db, (trx) =>
      appendTimelineEvent(trx, police, { caseId: receipt.caseId, kind: 'hearing_listed', summary: 'A court hearing has been listed', source: 'police', idempotencyKey: `privacy-hearing-${receipt.caseId}`, visibility: 'victim', occurredAt: new Date() }),
    );
    ids.hearingId = randomUUID();
    await db
      .insertInto('hearing')
      .values({ id: ids.hearingId, case_id: receipt.caseId, area_id: coordinator.areaId, hearing_at: new Date(Date.now() + 30 * 86_400_000), court_name: 'Leeds Crown Court', hearing_type: 'trial', timeline_event_id: event.event.id, submission_key: randomUUID() })
      .execute();
    await db.insertInto('victim_feedback').values({ case_id: receipt.caseId, area_id: coordinator.areaId, moment: 'first_contact', rating: 2, comment: victim.comment, given_by_account_id: account.accountId }).execute();
    ids.complaintId = (
      await db
        .insertInto('complaint')
        .values({ case_id: receipt.caseId, area_id: coordinator.areaId, organisation_id: forceId, body: victim.complaint, made_by_account_id: account.accountId, submission_key: randomUUID() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    ids.obligationId = (await db.selectFrom('obligation').select('id').where('case_id', '=', receipt.caseId).executeTakeFirst())?.id ?? randomUUID();
    ids.linkId = (await db.selectFrom('portal_link').select('id').where('person_id', '=', receipt.personId).executeTakeFirst())?.id ?? randomUUID();
    analystCookie = await signIn(test.app, analyst);
  });
  after(() => test.close());

  /** The real id (or other obvious value) for each :param, by its name and the path it is in. */
  function valueFor(name: string, path: string): string {
    const byName: Record<string, string | undefined> = {
      caseId: ids.caseId,
      personId: ids.personId,
      consentId: ids.consentId,
      referralId: ids.referralId,
      hearingId: ids.hearingId,
      complaintId: ids.complaintId,
      obligationId: ids.obligationId,
      serviceId: ids.serviceId,
      linkId: ids.linkId,
      policeReference: victim.sourceReference,
      moment: 'first_contact',
      party: 'hub',
      section: 'language',
      step: 'about-you',
      form: 'application',
      version: '1',
      token: 'not-a-real-token',
      // No records of these kinds exist for her: a well-formed id keeps the route's own checks honest.
      actionId: randomUUID(),
      decisionId: randomUUID(),
      updateId: randomUUID(),
      mergeId: randomUUID(),
    };
    if (name === 'id') {
      if (/^\/complaints\//.test(path)) return ids.complaintId!;
      if (/^\/(matches)\//.test(path)) return ids.personId!;
      if (/^\/users\//.test(path)) return coordinator.id;
      if (/^\/(imports|api\/v1\/imports)\//.test(path)) return randomUUID();
      // /cases/:id, /triage/:id, /my-victims/:id: the case.
      return ids.caseId!;
    }
    const value = byName[name];
    if (value === undefined) throw new Error(`The walk does not know what to put in :${name} (${path}): teach it`);
    return value;
  }

  // The phone as written, as stored (+44…) and as shown nationally; the person's id too.
  const secrets = () => [victim.givenName, victim.familyName, victim.phone, '7700900845', '7700 900845', victim.email, victim.postcode, victim.crimeReference, victim.comment, victim.complaint, victim.message, ids.personId!];
  const leaks = (response: LightMyRequestResponse) => secrets().filter((secret) => response.body.toLowerCase().includes(secret.toLowerCase()));

  async function request(method: string, url: string): Promise<LightMyRequestResponse> {
    if (method === 'GET') return test.app.inject({ method: 'GET', url, headers: { cookie: analystCookie } });
    if (url.startsWith('/api/')) {
      return test.app.inject({ method: method as 'POST', url, headers: { cookie: analystCookie, 'content-type': 'application/json' }, payload: JSON.stringify({ caseId: ids.caseId }) });
    }
    const csrf = await csrfFor(test.app, analystCookie, '/');
    const body = new URLSearchParams({
      _csrf: csrf.csrfToken,
      submissionKey: randomUUID(),
      idempotencyKey: randomUUID(),
      caseId: ids.caseId!,
      personId: ids.personId!,
      userId: coordinator.id,
      body: 'x',
      reason: 'x',
      answer: 'accepted',
      outcome: 'moved_on',
      sex: 'male',
      rating: '5',
      q: victim.familyName,
      query: victim.familyName,
      crimeReference: victim.crimeReference,
    });
    return test.app.inject({ method: method as 'POST', url, headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
  }

  it('walks every route and method, and only the insights pages and pages without a person answer her', async () => {
    const routes = routesOf(test.app);
    // Every method of every route, those that change her session last of all.
    const walk = routes
      .flatMap((route) => route.methods.filter((method) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)).map((method) => ({ ...route, method })))
      .sort((a, b) => Number(changesSession(a.path)) - Number(changesSession(b.path)));
    const problems: string[] = [];
    let walked = 0;
    let insightPages = 0;
    let mustRefuse = 0;
    for (const route of walk) {
      // /cases/:id|:caseId is one node serving routes with either name: the first fills it.
      const url = route.path.replace(/:(\w+)(\|:\w+)*/g, (_whole, name: string) => encodeURIComponent(valueFor(name, route.path))).replace(/\*$/, 'no-such-page');
      const response = await request(route.method, url);
      walked += 1;
      const where = `${route.method} ${route.path} → ${response.statusCode}`;
      const leaked = leaks(response);
      if (leaked.length) problems.push(`${where} shows ${leaked.join(', ')}`);
      const refused = [401, 403, 404].includes(response.statusCode) || (response.statusCode >= 300 && response.statusCode < 400 && /sign-in/.test(String(response.headers.location)));
      if (isApi(route.path)) {
        if (![401, 403].includes(response.statusCode)) problems.push(`${where}: the API must refuse a browser session`);
      } else if (isInsights(route.path)) {
        if (response.statusCode >= 500) problems.push(`${where}: an insights route failed`);
        if (route.method === 'GET' && !route.path.includes(':') && response.statusCode === 200) insightPages += 1;
      } else if (!harmless(route.path)) {
        mustRefuse += 1;
        if (!refused) problems.push(`${where}: not refused${response.headers.location ? ` (to ${String(response.headers.location)})` : ''}`);
      }
      if (changesSession(route.path)) analystCookie = await signIn(test.app, analyst);
    }
    console.log(`walked ${walked} requests, ${mustRefuse} of them to be refused, ${insightPages} insights pages answered`);
    assert.deepEqual(problems, []);
    // When this test was written it made 146 requests on routes that must refuse her and opened 16 insights pages (the
    // rest are static assets, whose number depends on how they are served): losing routes from the app, or from the
    // walk, fails it.
    assert.ok(walked >= 200, `requests walked: ${walked}`);
    assert.ok(mustRefuse >= 140, `requests that must be refused: ${mustRefuse}`);
    assert.ok(insightPages >= 16, `the analyst opened ${insightPages} insights pages: the walk must not pass because she was signed out`);
  });

  it('is still signed in at the end, so the refusals were hers and not a signed-out browser’s', async () => {
    const home = await test.app.inject({ method: 'GET', url: '/', headers: { cookie: analystCookie } });
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Ana Analyst/);
    assert.deepEqual(leaks(home), []);
  });

  it('leaves the coordinator able to see her, so the strings the walk looks for are the right ones', async () => {
    const page = await test.app.inject({ method: 'GET', url: `/cases/${ids.caseId}`, headers: { cookie: await signIn(test.app, coordinator) } });
    assert.equal(page.statusCode, 200);
    for (const shown of [victim.givenName, victim.familyName, '7700900845', victim.email, victim.postcode, victim.crimeReference]) assert.ok(page.body.includes(shown), shown);
  });
});
