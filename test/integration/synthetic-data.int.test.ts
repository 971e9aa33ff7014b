// The synthetic data generator behind `npm run bench:data` and `npm run bench`: deterministic for a seed, and its rows
// go into the real tables (COPY on PostgreSQL, INSERT on PGlite) with every constraint holding and the promised shape.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, testBackend, type TestDatabase } from '../support/test-database.ts';
import { matchingFullName, normaliseEmail, normalisePhone, normalisePostcode } from '../../src/features/people/rules.ts';
import { generateSyntheticData, type SyntheticContext } from '../../bench/synthetic/generator.ts';
import { loadSyntheticData, type LoadSummary } from '../../bench/synthetic/load.ts';

const TODAY = '2026-06-01';
const PEOPLE = 500;

describe(`synthetic data (${testBackend()})`, () => {
  let database: TestDatabase;
  let summary: LoadSummary;

  before(async () => {
    database = await createTestDatabase();
    summary = await loadSyntheticData(database, { people: PEOPLE, seed: 3, today: TODAY, url: database.url, chunkSize: 200 });
  });
  after(() => database.drop());

  it('is the same data for the same seed', () => {
    const context: SyntheticContext = { areaId: 'a', policeOrganisationId: 'p', agencyOrganisationId: 'g', coordinatorUserIds: ['c'] };
    const once = [...generateSyntheticData(context, { people: 300, seed: 9, today: TODAY })];
    const again = [...generateSyntheticData(context, { people: 300, seed: 9, today: TODAY })];
    const other = [...generateSyntheticData(context, { people: 300, seed: 10, today: TODAY })];
    assert.deepEqual(once, again);
    assert.notDeepEqual(once, other);
  });

  it('loads the counts it reports, with COPY on PostgreSQL', async () => {
    const { areaId } = summary.context;
    const count = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(database.db)).rows[0]?.n);
    assert.equal(summary.method, database.backend === 'postgres' ? 'copy' : 'insert');
    assert.equal(summary.people, PEOPLE);
    assert.equal(await count(sql`select count(*)::int as n from person where area_id = ${areaId}`), PEOPLE);
    assert.equal(await count(sql`select count(*)::int as n from crime where area_id = ${areaId}`), summary.crimes);
    assert.equal(await count(sql`select count(*)::int as n from victim_case where area_id = ${areaId}`), summary.cases);
    assert.equal(await count(sql`select count(*)::int as n from timeline_event e join victim_case c on c.id = e.case_id where c.area_id = ${areaId}`), summary.events);
    assert.ok(summary.cases > PEOPLE && summary.events > summary.cases);
  });

  it('makes about 15% repeat victims and a few per cent near-duplicates', async () => {
    const result = await sql<{ n: number }>`
      select count(*)::int as n from (select person_id from victim_case where area_id = ${summary.context.areaId} group by person_id having count(*) >= 2) repeat`
      .execute(database.db);
    const share = Number(result.rows[0]?.n) / PEOPLE;
    assert.equal(Number(result.rows[0]?.n), summary.peopleWithTwoOrMoreCases);
    assert.ok(share > 0.09 && share < 0.21, `repeat-victim share ${share}`);
    assert.ok(summary.nearDuplicates >= 3 && summary.nearDuplicates <= 40, `near-duplicates ${summary.nearDuplicates}`);
  });

  it('writes people the way the application would: normalised names, phones, emails and postcodes, ages 10 to 95', async () => {
    const people = await database.db.selectFrom('person')
      .select(['given_name', 'family_name', 'match_name', 'phone', 'email', 'postcode', sql<string | null>`date_of_birth::text`.as('dob')])
      .where('area_id', '=', summary.context.areaId).execute();
    for (const person of people) {
      assert.equal(person.match_name, matchingFullName(person.given_name, person.family_name));
      if (person.phone) assert.deepEqual(normalisePhone(person.phone), { ok: true, value: person.phone });
      if (person.email) {
        assert.deepEqual(normaliseEmail(person.email), { ok: true, value: person.email });
        assert.match(person.email, /@example\.(com|org|net|co\.uk)$/);
      }
      if (person.postcode) {
        assert.deepEqual(normalisePostcode(person.postcode), { ok: true, value: person.postcode });
        assert.match(person.postcode, /^WY/);
      }
      if (person.dob) assert.ok(person.dob >= '1930-01-01' && person.dob <= '2016-06-01', person.dob);
    }
    assert.ok(people.filter((person) => person.dob === null).length > 0, 'some dates of birth are missing');
  });

  it('gives crimes the force reference format and Home Office codes, and closes cases with a reason', async () => {
    const crimes = await database.db.selectFrom('crime').select(['crime_reference', 'offence_code', 'offence_category'])
      .where('area_id', '=', summary.context.areaId).execute();
    for (const crime of crimes) assert.match(crime.crime_reference, /^[A-Z]{2}\/\d{1,8}\/\d{2}$/);
    const categories = new Set(crimes.map((crime) => crime.offence_category));
    assert.ok(categories.has('Theft offences') && categories.has('Violence against the person'), [...categories].join(', '));
    const open = await sql<{ n: number }>`select count(*)::int as n from victim_case where status = 'closed' and closed_reason is null`.execute(database.db);
    assert.equal(Number(open.rows[0]?.n), 0);
  });
});
