// The possible-match pages through the whole application (app.inject): supervisor only, area scoping, both records
// side by side, merge with its audit row, undo with its audit row, and keep apart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, csrfFor, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { receiveReferral } from '../intake/service.ts';

const feed: Actor = { kind: 'system', label: 'police-api' };

async function postForm(app: FastifyInstance, url: string, cookie: string, pageUrl: string) {
  const { cookie: withCsrf, csrfToken } = await csrfFor(app, cookie, pageUrl);
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: withCsrf, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfToken }).toString(),
  });
}

describe('possible match pages', () => {
  let test: TestApp;
  let supervisor: TestStaffUser;
  let coordinator: TestStaffUser;
  let elsewhere: TestStaffUser;
  let forceId: string;

  before(async () => {
    test = await createTestApp();
    supervisor = await createStaffUser(test.database.db, { role: 'supervisor' });
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', organisationId: supervisor.organisationId });
    elsewhere = await createStaffUser(test.database.db, { role: 'supervisor' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: supervisor.areaId })).id;
  });
  after(() => test.close());

  let serial = 0;
  async function nearMatchPair(): Promise<{ reviewId: string; keptId: string; mergedId: string }> {
    serial += 1;
    const send = (sourceReference: string, givenName: string, familyName: string, crimeReference: string) =>
      inTransaction(test.database.db, (trx) =>
        receiveReferral(trx, feed, {
          source: 'police_api',
          sourceReference,
          referringOrganisationId: forceId,
          areaId: supervisor.areaId,
          person: { givenName, familyName, dateOfBirth: `1990-07-${10 + serial}`, phone: `07700 90${String(serial).padStart(4, '0')}` },
          crime: { crimeReference, offenceCode: '8N', offenceCategory: '' },
          role: 'victim',
          supportConsent: 'implied',
        }),
      );
    const kept = await send(`A-${serial}`, 'Jon', 'Smyth', `WY/${serial}1/26`);
    const merged = await send(`B-${serial}`, 'Jonathan', 'Smith', `WY/${serial}2/26`);
    assert.equal(merged.match, 'new_person_possible_match_queued');
    const review = await test.database.db.selectFrom('person_match_review').select('id').where('person_id', '=', merged.personId).executeTakeFirstOrThrow();
    return { reviewId: review.id, keptId: kept.personId, mergedId: merged.personId };
  }

  const audit = (action: string) => test.database.db.selectFrom('audit_event').selectAll().where('action', '=', action).execute();

  it('lets a supervisor compare, merge and undo, with audit rows', async () => {
    const pair = await nearMatchPair();
    const cookie = await signIn(test.app, supervisor);

    const queue = await test.app.inject({ method: 'GET', url: '/matches', headers: { cookie } });
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Jonathan Smith/);
    assert.match(queue.body, new RegExp(`/matches/${pair.reviewId}`));
    assert.match(queue.body, /Possible matches<\/a>|href="\/matches"/);

    const page = await test.app.inject({ method: 'GET', url: `/matches/${pair.reviewId}`, headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Jon<\/td>/);
    assert.match(page.body, /Jonathan<\/td>/);
    assert.match(page.body, /1990-07-11/);
    assert.doesNotMatch(/<title>([^<]*)<\/title>/.exec(page.body)?.[1] ?? '', /Smith|Smyth/);

    const merged = await postForm(test.app, `/matches/${pair.reviewId}/merge`, cookie, `/matches/${pair.reviewId}`);
    assert.equal(merged.statusCode, 303);
    const cases = await test.database.db.selectFrom('victim_case').select('id').where('person_id', '=', pair.keptId).execute();
    assert.equal(cases.length, 2);
    const person = await test.database.db.selectFrom('person').selectAll().where('id', '=', pair.mergedId).executeTakeFirstOrThrow();
    assert.equal(person.merged_into_person_id, pair.keptId);
    const mergeRows = await audit('person.merged');
    assert.equal(mergeRows.length, 1);
    assert.equal(mergeRows[0]!.actor_user_id, supervisor.id);

    const after = await test.app.inject({ method: 'GET', url: String(merged.headers.location), headers: { cookie } });
    assert.match(after.body, /The records have been merged/);
    const undoHref = /href="(\/matches\/merges\/[^"]+\/undo)"/.exec(after.body)?.[1];
    assert.ok(undoHref);

    // Merging twice is refused and changes nothing.
    const again = await postForm(test.app, `/matches/${pair.reviewId}/merge`, cookie, `/matches/${pair.reviewId}`);
    assert.equal(again.statusCode, 409);

    const undone = await postForm(test.app, undoHref, cookie, undoHref);
    assert.equal(undone.statusCode, 303);
    const back = await test.database.db.selectFrom('victim_case').select('id').where('person_id', '=', pair.mergedId).execute();
    assert.equal(back.length, 1);
    const restored = await test.database.db.selectFrom('person').selectAll().where('id', '=', pair.mergedId).executeTakeFirstOrThrow();
    assert.equal(restored.merged_into_person_id, null);
    assert.equal((await audit('person.merge_undone')).length, 1);
    const review = await test.database.db.selectFrom('person_match_review').selectAll().where('id', '=', pair.reviewId).executeTakeFirstOrThrow();
    assert.equal(review.status, 'pending');
  });

  it('keeps records apart', async () => {
    const pair = await nearMatchPair();
    const cookie = await signIn(test.app, supervisor);
    const kept = await postForm(test.app, `/matches/${pair.reviewId}/keep-apart`, cookie, `/matches/${pair.reviewId}`);
    assert.equal(kept.statusCode, 303);
    const review = await test.database.db.selectFrom('person_match_review').selectAll().where('id', '=', pair.reviewId).executeTakeFirstOrThrow();
    assert.equal(review.status, 'kept_apart');
    assert.equal(review.decided_by, supervisor.id);
    assert.equal((await audit('person_match.kept_apart')).length, 1);
  });

  it('shows nothing to another area or to a coordinator', async () => {
    const pair = await nearMatchPair();
    const other = await signIn(test.app, elsewhere);
    const page = await test.app.inject({ method: 'GET', url: `/matches/${pair.reviewId}`, headers: { cookie: other } });
    assert.equal(page.statusCode, 404);
    const queue = await test.app.inject({ method: 'GET', url: '/matches', headers: { cookie: other } });
    assert.doesNotMatch(queue.body, /Jonathan/);
    const coordinatorCookie = await signIn(test.app, coordinator);
    const refused = await test.app.inject({ method: 'GET', url: '/matches', headers: { cookie: coordinatorCookie } });
    assert.equal(refused.statusCode, 403);
    const anonymous = await test.app.inject({ method: 'GET', url: '/matches' });
    assert.equal(anonymous.statusCode, 303);
  });
});
