// receiveReferral against a real database (PGlite, or PostgreSQL when HAVEN_TEST_POSTGRES_URL is set): replays make
// nothing, certain matches link, possible matches queue a review, journey 3 at service level, and the repeat flag.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { mergeMatch } from '../matching/service.ts';
import type { IncomingReferral } from './referral.ts';
import { receiveReferral } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };

describe('receiveReferral', () => {
  let database: TestDatabase;
  let supervisor: TestStaffUser;
  let areaId: string;
  let forceId: string;
  let charityId: string;

  before(async () => {
    database = await createTestDatabase();
    supervisor = await createStaffUser(database.db, { role: 'supervisor' });
    areaId = supervisor.areaId;
    forceId = (await createOrganisation(database.db, { kind: 'police', areaId })).id;
    charityId = (await createOrganisation(database.db, { kind: 'provider', areaId })).id;
  });
  after(() => database.drop());

  const supervisorActor = (): Actor => ({
    kind: 'staff',
    staff: { ...supervisor, userId: supervisor.id },
  });

  const receive = (referral: IncomingReferral) => inTransaction(database.db, (trx) => receiveReferral(trx, police, referral));

  const count = async (table: 'person' | 'victim_case' | 'crime' | 'person_match_review') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  function policeReferral(overrides: Partial<IncomingReferral> = {}): IncomingReferral {
    return {
      source: 'police_api',
      sourceReference: 'PR-1001',
      referringOrganisationId: forceId,
      areaId,
      person: { givenName: 'Jon', familyName: 'Smyth', dateOfBirth: '1990-07-04', phone: '07700 900123' },
      crime: { crimeReference: 'WY/10001/26', offenceCode: '9B', offenceCategory: 'Public order' },
      role: 'victim',
      supportConsent: 'implied',
      notes: 'Prefers afternoon calls',
      indicators: { hateCrime: true },
      ...overrides,
    };
  }

  it('journey 3: police, then a charity near-match queued and merged, then the file repeating the police row', async () => {
    const first = await receive(policeReferral());
    assert.equal(first.created, true);
    assert.equal(first.match, 'new_person');

    // The replay of the same police message makes nothing.
    const before = { people: await count('person'), cases: await count('victim_case') };
    const replay = await receive(policeReferral());
    assert.deepEqual(replay, { caseId: first.caseId, personId: first.personId, created: false, match: 'linked_certain' });
    assert.deepEqual({ people: await count('person'), cases: await count('victim_case') }, before);

    // The charity's "Jonathan Smith" sounds like Jon Smyth and shares date of birth and mobile: a possible match.
    const charity = await receive({
      source: 'agency_referral',
      sourceReference: null,
      referringOrganisationId: charityId,
      areaId,
      person: { givenName: 'Jonathan', familyName: 'Smith', dateOfBirth: '1990-07-04', phone: '+44 7700 900123' },
      crime: { crimeReference: 'WY/20002/26', offenceCode: '8M', offenceCategory: 'Harassment' },
      role: 'victim',
      supportConsent: 'opted_in',
    });
    assert.equal(charity.created, true);
    assert.equal(charity.match, 'new_person_possible_match_queued');
    assert.notEqual(charity.personId, first.personId);
    const review = await database.db.selectFrom('person_match_review').selectAll().where('person_id', '=', charity.personId).executeTakeFirstOrThrow();
    assert.equal(review.candidate_person_id, first.personId);
    assert.equal(review.status, 'pending');
    assert.ok((review.reasons as string[]).includes('similar_name'));
    assert.ok((review.reasons as string[]).includes('phone'));

    // The daily file repeats the police row: same crime reference and same name links to the one person and case.
    const fileRow = await receive(
      policeReferral({ source: 'file_import', sourceReference: 'FILE-2026-01-07:12', notes: null, indicators: {} }),
    );
    assert.equal(fileRow.created, false);
    assert.equal(fileRow.caseId, first.caseId);

    await mergeMatch(database.db, supervisorActor(), review.id);
    const cases = await database.db.selectFrom('victim_case').select(['id', 'crime_id']).where('person_id', '=', first.personId).execute();
    assert.equal(cases.length, 2);
    assert.equal(new Set(cases.map((entry) => entry.crime_id)).size, 2);
    const merged = await database.db.selectFrom('person').selectAll().where('id', '=', charity.personId).executeTakeFirstOrThrow();
    assert.equal(merged.merged_into_person_id, first.personId);
    const kept = await database.db.selectFrom('person').selectAll().where('id', '=', first.personId).executeTakeFirstOrThrow();
    assert.equal(kept.repeat_victim, true, 'two cases in 12 months');

    // The referrer's notes are on the staff-only timeline, with the indicators.
    const notes = await database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', first.caseId).where('kind', '=', 'referral_notes').executeTakeFirstOrThrow();
    assert.equal(notes.visibility, 'staff');
    assert.deepEqual(notes.detail, { notes: 'Prefers afternoon calls', indicators: ['hateCrime'] });
  });

  it('links a strong match (same name and date of birth) and flags a repeat victim', async () => {
    const person = { givenName: 'Priya', familyName: 'Shah', dateOfBirth: '1985-02-01' };
    const one = await receive(policeReferral({ sourceReference: 'PR-2001', person, crime: { crimeReference: 'WY/30001/26', offenceCode: '28E', offenceCategory: '' } }));
    const flagged = async () => (await database.db.selectFrom('person').select('repeat_victim').where('id', '=', one.personId).executeTakeFirstOrThrow()).repeat_victim;
    assert.equal(await flagged(), false);
    const two = await receive(policeReferral({ sourceReference: 'PR-2002', person: { ...person, givenName: 'PRIYA ' }, crime: { crimeReference: 'wy/30002/26', offenceCode: '58a', offenceCategory: '' } }));
    assert.equal(two.match, 'linked_certain');
    assert.equal(two.personId, one.personId);
    assert.equal(two.created, true);
    assert.equal(await flagged(), true);
    const crime = await database.db.selectFrom('crime').selectAll().where('crime_reference', '=', 'WY/30002/26').executeTakeFirstOrThrow();
    assert.equal(crime.offence_code, '58A');
    assert.equal(crime.offence_category, 'Criminal damage and arson');
    assert.equal(crime.offence_group, 'Criminal damage');
  });

  it('reports every bad field at once under stable names and stores nothing', async () => {
    const before = { people: await count('person'), crimes: await count('crime') };
    await assert.rejects(
      receive(
        policeReferral({
          sourceReference: 'PR-3001',
          person: { givenName: ' ', phone: '12345', dateOfBirth: '2990-01-01' },
          crime: { crimeReference: '12345', offenceCode: 'ZZ9', offenceCategory: 'x' },
        }),
      ),
      (error: unknown) => {
        assert.ok(error instanceof Invalid);
        assert.deepEqual(Object.keys(error.fields).sort(), ['crime.crimeReference', 'crime.offenceCode', 'person.dateOfBirth', 'person.givenName', 'person.phone']);
        return true;
      },
    );
    await assert.rejects(
      receive(policeReferral({ sourceReference: 'PR-3002', crime: { crimeReference: 'WY/1/26', offenceCode: '8N', offenceCategory: '', committedFrom: '2999-01-01' } })),
      (error: unknown) => error instanceof Invalid && 'crime.committedFrom' in error.fields,
    );
    assert.deepEqual({ people: await count('person'), crimes: await count('crime') }, before);
  });

  it('lets a self-referral with no crime and no sender reference through', async () => {
    const receipt = await receive({
      source: 'self_referral',
      sourceReference: null,
      referringOrganisationId: null,
      areaId,
      person: { givenName: 'Sara', phone: '07700 900555', safeContact: { channels: ['email', 'phone'] } },
      crime: null,
      role: 'victim',
      supportConsent: 'opted_in',
      indicators: { domesticAbuse: true },
    });
    assert.equal(receipt.created, true);
    assert.equal(receipt.match, 'new_person');
  });

  it('accepts an offence code Haven does not know as needing manual classification, with one task for the hub', async () => {
    const unknownCode = policeReferral({ sourceReference: 'PR-4001', person: { givenName: 'Lena', familyName: 'Okafor', dateOfBirth: '1971-02-03', phone: '07700 900444' }, crime: { crimeReference: 'WY/40001/26', offenceCode: '199Z', offenceCategory: 'Sexual offences' } });
    const receipt = await receive(unknownCode);
    assert.equal(receipt.created, true);
    const crime = await database.db.selectFrom('victim_case').innerJoin('crime', 'crime.id', 'victim_case.crime_id')
      .select(['crime.offence_code', 'crime.offence_category', 'crime.offence_group']).where('victim_case.id', '=', receipt.caseId).executeTakeFirstOrThrow();
    assert.deepEqual(crime, { offence_code: '199Z', offence_category: 'Sexual offences', offence_group: 'Needs manual classification' });
    const tasks = async () => database.db.selectFrom('case_task').innerJoin('organisation', 'organisation.id', 'case_task.owning_organisation_id')
      .select(['case_task.kind', 'case_task.status', 'organisation.kind as owner']).where('case_task.case_id', '=', receipt.caseId).execute();
    assert.deepEqual(await tasks(), [{ kind: 'manual_offence_classification', status: 'open', owner: 'hub' }]);
    // The replay of the same message raises no second task.
    await receive(unknownCode);
    assert.equal((await tasks()).length, 1);
  });
});
