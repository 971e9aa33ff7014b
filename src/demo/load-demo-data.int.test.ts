// Demo data loads once however often it runs, has a user for every role and about thirty providers, a year of cases
// for the commissioner's dashboards, and is refused in production.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { verifyPassword } from '../platform/auth/passwords.ts';
import { STAFF_ROLES } from '../platform/db/schema.ts';
import { DemoDataRefused, loadDemoData } from './load-demo-data.ts';
import { DEMO_API_CLIENT, DEMO_PASSWORD, DEMO_USERS, formatDemoSignIns } from './sign-ins.ts';
import { authenticateApiClient } from '../platform/auth/api-clients.ts';
import { listActiveServices } from '../features/directory/repository.ts';

async function counts(database: TestDatabase) {
  const count = async (table: 'area' | 'organisation' | 'organisation_service' | 'staff_user' | 'victim_case' | 'timeline_event' | 'obligation' | 'support_referral' | 'victim_feedback' | 'complaint' | 'funding_award') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    areas: await count('area'),
    organisations: await count('organisation'),
    services: await count('organisation_service'),
    users: await count('staff_user'),
    cases: await count('victim_case'),
    events: await count('timeline_event'),
    obligations: await count('obligation'),
    referrals: await count('support_referral'),
    feedback: await count('victim_feedback'),
    complaints: await count('complaint'),
    awards: await count('funding_award'),
  };
}

describe('demo data', () => {
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase();
  });

  after(async () => {
    await database.drop();
  });

  test('loads once, however many times it runs', async () => {
    const first = await loadDemoData(database.db, { env: 'test' });
    const once = await counts(database);
    const second = await loadDemoData(database.db, { env: 'test' });
    assert.deepEqual(await counts(database), once);
    assert.equal(second.areaId, first.areaId);
    assert.deepEqual(second.added, { organisations: 0, services: 0, users: 0, apiClients: 0 });
    assert.deepEqual(second.history, { cases: 0, events: 0, awards: 0 });
    assert.equal(once.areas, 1);
    assert.equal(once.users, DEMO_USERS.length);
    assert.equal(first.history.cases, once.cases);
    assert.equal(once.awards, 3);
    const audit = await database.db.selectFrom('audit_event').select('action').orderBy('id').execute();
    assert.deepEqual(audit.map((row) => row.action), ['demo_data.loaded', 'demo_data.history_loaded']);
  });

  test('has a year of cases with everything the commissioner’s dashboards count, and the aggregates built', async () => {
    const once = await counts(database);
    assert.ok(once.cases >= 300 && once.cases <= 450, `${once.cases} cases`);
    assert.ok(once.events >= once.cases * 8, `${once.events} events for ${once.cases} cases`);
    assert.ok(once.obligations >= once.cases * 2, `${once.obligations} obligations`);
    assert.ok(once.referrals >= 50 && once.feedback >= 20 && once.complaints >= 1, JSON.stringify(once));
    const oldest = await database.db.selectFrom('victim_case').select((eb) => eb.fn.min('created_at').as('at')).executeTakeFirstOrThrow();
    assert.ok(Date.now() - new Date(oldest.at).getTime() <= 367 * 86_400_000, 'every case opened within the last year');
    const states = await database.db.selectFrom('obligation').select('state').distinct().execute();
    assert.deepEqual(states.map((row) => row.state).sort(), ['breached', 'met', 'open', 'overdue']);
    const statuses = await database.db.selectFrom('support_referral').select('status').distinct().execute();
    assert.ok(statuses.length >= 7, statuses.map((row) => row.status).join(', '));
    const recorded = await database.db.selectFrom('person').select('ethnic_group').distinct().execute();
    assert.ok(recorded.some((row) => row.ethnic_group === null) && recorded.some((row) => row.ethnic_group === 'white'));
    // The Code clock must not read the history's events as new ones.
    const inbox = await database.db.selectFrom('code_clock_inbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(inbox.n), 0);
    // rebuildInsights ran once at the end: the dashboards' tables have rows, and nothing is left stale.
    const built = await database.db.selectFrom('insight_case_day').select((eb) => eb.fn.sum<number>('cases').as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(built.n), once.cases);
    const stale = await database.db.selectFrom('insight_dirty').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(stale.n), 0);
  });

  test('has an active user for every role, with the demo password and no second factor yet', async () => {
    const users = await database.db.selectFrom('staff_user').selectAll().execute();
    for (const role of STAFF_ROLES) {
      const user = users.find((each) => each.role === role);
      assert.ok(user, `a demo user with the role ${role}`);
      assert.equal(user.status, 'active');
      assert.equal(user.totp_secret, null);
      assert.ok(user.email.endsWith('@haven.example'));
      assert.ok(await verifyPassword(user.password_hash ?? '', DEMO_PASSWORD));
    }
  });

  test('has about thirty providers, each with one to three services', async () => {
    const providers = await database.db
      .selectFrom('organisation')
      .leftJoin('organisation_service', 'organisation_service.organisation_id', 'organisation.id')
      .select(['organisation.name', (eb) => eb.fn.count<number>('organisation_service.id').as('services')])
      .where('organisation.kind', '=', 'provider')
      .groupBy('organisation.name')
      .execute();
    assert.ok(providers.length >= 25 && providers.length <= 35, `${providers.length} providers`);
    for (const provider of providers) {
      assert.ok(Number(provider.services) >= 1 && Number(provider.services) <= 3, provider.name);
    }
    const kinds = await database.db.selectFrom('organisation').select('kind').distinct().execute();
    assert.deepEqual(
      kinds.map((row) => row.kind).sort(),
      ['commissioner', 'hub', 'police', 'probation', 'provider', 'witness_care'],
    );
  });

  test('is refused in production, even when the caller forgets to check', async () => {
    await assert.rejects(loadDemoData(database.db, { env: 'production' }), DemoDataRefused);
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await assert.rejects(loadDemoData(database.db, { env: 'development' }), DemoDataRefused);
    } finally {
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    }
  });

  test('prints every sign-in and the password', () => {
    const table = formatDemoSignIns();
    for (const user of DEMO_USERS) assert.ok(table.includes(user.email));
    assert.ok(table.includes(DEMO_PASSWORD));
    assert.ok(table.includes(DEMO_API_CLIENT.clientId) && table.includes(DEMO_API_CLIENT.secret));
  });

  test('has an API client for the police force that authenticates with the printed secret', async () => {
    const client = await authenticateApiClient(database.db, DEMO_API_CLIENT.clientId, DEMO_API_CLIENT.secret);
    assert.equal(client?.organisationName, DEMO_API_CLIENT.organisation);
    assert.deepEqual(client?.scopes, ['referrals:write', 'referrals:read', 'imports:write', 'events:write']);
    const rows = await database.db.selectFrom('api_client').select('client_id').execute();
    assert.equal(rows.length, 1);
  });

  test('gives the directory a specialist for each kind of case, a full service and one in Welsh', async () => {
    const area = await database.db.selectFrom('area').select('id').where('code', '=', 'WYV').executeTakeFirstOrThrow();
    const services = await listActiveServices(database.db, area.id);
    const named = (name: string) => {
      const service = services.find((each) => each.name === name);
      assert.ok(service, name);
      return service;
    };
    const isva = named('Independent sexual violence adviser (ISVA)');
    assert.equal(isva.specialism, 'isva');
    assert.deepEqual(isva.offenceGroups, ['Rape', 'Other sexual offences']);
    assert.deepEqual(isva.genders, ['female', 'male']);
    const idva = named('Independent domestic violence adviser (IDVA)');
    assert.equal(idva.specialism, 'idva');
    assert.deepEqual(idva.offenceGroups, ['Domestic abuse']);
    assert.equal(idva.enhancedOnly, true);
    const young = named('Young victims service');
    assert.equal(young.specialism, 'young_victims');
    assert.deepEqual(young.ageBands, ['child']);
    const security = named('Home security and target hardening');
    assert.equal(security.specialism, 'practical');
    assert.ok(security.offenceGroups.includes('Residential burglary'));
    assert.deepEqual(security.ageBands, []);
    assert.ok(security.capacity > 0);
    const full = named('Sexual violence counselling');
    assert.equal(full.capacity, 0);
    assert.equal(full.waitDays, 21);
    assert.ok(named('Welsh-language victim support').languages.includes('cy'));
    assert.equal(services.length, Number((await counts(database)).services), 'every demo service is active and in the area');
  });
});
