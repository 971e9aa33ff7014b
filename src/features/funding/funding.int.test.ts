// Funding through the pages, on PGlite or PostgreSQL: the commissioner's analyst records a grant to one of the area's
// providers (once, however often the form is sent), every bad field is named in the error summary and nothing is
// stored, another area's provider is refused, supervisors read but do not record, coordinators reach nothing; and the
// cost per victim from the referral aggregates, shown only for groups of 5 or more.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

describe('funding', () => {
  let test: TestApp;
  let analyst: TestStaffUser;
  let supervisor: TestStaffUser;
  let coordinator: TestStaffUser;
  let analystCookie: string;
  let alpha: { id: string; name: string };
  let beta: { id: string; name: string };
  let gamma: { id: string; name: string };
  let elsewhere: { id: string; name: string };

  const goodForm = (overrides: Record<string, string> = {}) => ({
    submissionKey: randomUUID(),
    organisationId: alpha.id,
    kind: 'grant',
    reference: 'PCC-2026-001',
    'periodStart-day': '1', 'periodStart-month': '4', 'periodStart-year': '2026',
    'periodEnd-day': '30', 'periodEnd-month': '6', 'periodEnd-year': '2026',
    amount: '9,100.00',
    note: '',
    ...overrides,
  });
  const awardCount = async () => Number((await test.database.db.selectFrom('funding_award').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  async function referralDay(organisationId: string, day: string, accepted: number, completed: number) {
    const service = await test.database.db
      .insertInto('organisation_service')
      .values({ organisation_id: organisationId, name: `Service ${randomUUID().slice(0, 6)}`, category: 'emotional', description: 'Support' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await test.database.db
      .insertInto('insight_referral_day')
      .values({
        area_id: analyst.areaId, day, organisation_id: organisationId, service_id: service.id,
        sent: accepted + 1, awaiting: 0, accepted, declined: 1, no_capacity: 0, returned: 0, closed: completed, completed, started: accepted, wait_days_total: 0,
      })
      .execute();
  }

  before(async () => {
    test = await createTestApp();
    const db = test.database.db;
    const commissioner = await createOrganisation(db, { kind: 'commissioner', name: 'Office of the Commissioner' });
    analyst = await createStaffUser(db, { role: 'commissioner_analyst', organisationId: commissioner.id });
    const hub = await createOrganisation(db, { kind: 'hub', areaId: commissioner.areaId, name: 'Victim Gateway' });
    supervisor = await createStaffUser(db, { role: 'supervisor', organisationId: hub.id });
    coordinator = await createStaffUser(db, { role: 'coordinator', organisationId: hub.id });
    alpha = await createOrganisation(db, { kind: 'provider', areaId: commissioner.areaId, name: 'Alpha Support' });
    beta = await createOrganisation(db, { kind: 'provider', areaId: commissioner.areaId, name: 'Beta Advocacy' });
    gamma = await createOrganisation(db, { kind: 'provider', areaId: commissioner.areaId, name: 'Gamma Counselling' });
    elsewhere = await createOrganisation(db, { kind: 'provider', name: 'Provider in another area' });
    analystCookie = await signIn(test.app, analyst);
  });

  after(() => test.close());

  it('offers only the area’s providers, and records a grant once however often the form is sent', async () => {
    const page = await test.app.inject({ method: 'GET', url: '/insights/funding/new', headers: { cookie: analystCookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Alpha Support/);
    assert.match(page.body, /Gamma Counselling/);
    assert.doesNotMatch(page.body, /Provider in another area|Victim Gateway|Office of the Commissioner<\/option>/);

    const form = goodForm();
    const first = await postForm(test.app, '/insights/funding/new', analystCookie, form, '/insights/funding/new');
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, '/insights/funding?done=recorded');
    const second = await postForm(test.app, '/insights/funding/new', analystCookie, form, '/insights/funding/new');
    assert.equal(second.statusCode, 303);
    assert.equal(await awardCount(), 1);
    const award = await test.database.db.selectFrom('funding_award').selectAll().executeTakeFirstOrThrow();
    assert.equal(Number(award.amount_pence), 910_000);
    assert.equal(award.period_start, '2026-04-01');
    assert.equal(award.period_end, '2026-06-30');
    assert.equal(award.area_id, analyst.areaId);
    assert.equal(award.note, null);
    const recorded = await test.database.db.selectFrom('audit_event').select('record_id').where('action', '=', 'insights.funding_recorded').execute();
    assert.deepEqual(recorded.map((row) => row.record_id), [award.id]);

    const list = await test.app.inject({ method: 'GET', url: '/insights/funding?done=recorded', headers: { cookie: analystCookie } });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Funding recorded/);
    assert.match(list.body, /Alpha Support<\/th>\s*<td class="govuk-table__cell">Grant<\/td>\s*<td class="govuk-table__cell">PCC-2026-001<\/td>\s*<td class="govuk-table__cell">1 April 2026 to 30 June 2026<\/td>\s*<td[^>]*>£9,100.00<\/td>/);
    const viewed = await test.database.db.selectFrom('audit_event').select('record_id').where('action', '=', 'insights.funding_viewed').execute();
    assert.ok(viewed.some((row) => row.record_id === analyst.areaId));
  });

  it('names every bad field in the error summary and stores nothing', async () => {
    const before = await awardCount();
    const response = await postForm(test.app, '/insights/funding/new', analystCookie, {
      submissionKey: randomUUID(), organisationId: '', reference: '', 'periodStart-day': '31', 'periodStart-month': '2', 'periodStart-year': '2026',
      'periodEnd-day': '', 'periodEnd-month': '6', 'periodEnd-year': '2026', amount: '12.345', note: 'x'.repeat(1001),
    }, '/insights/funding/new');
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /<title>Error: Record funding/);
    const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(response.body)?.[0] ?? '';
    for (const [href, message] of [
      ['#organisationId', 'Select the provider'],
      ['#kind', 'Select grant or contract'],
      ['#reference', 'Enter the reference'],
      ['#periodStart-day', 'Start date must be a real date'],
      ['#periodEnd-day', 'End date must include a day'],
      ['#amount', 'Amount must have no more than 2 numbers after the decimal point'],
      ['#note', 'Note must be 1,000 characters or fewer'],
    ]) assert.match(summary, new RegExp(`href="${href}">${message}`), message);
    // What was typed is kept.
    assert.match(response.body, /<input[^>]*id="amount"[^>]*value="12.345"/);
    assert.equal(await awardCount(), before);
  });

  it('refuses another area’s provider as a field error, and zero or negative amounts', async () => {
    const before = await awardCount();
    const foreign = await postForm(test.app, '/insights/funding/new', analystCookie, goodForm({ organisationId: elsewhere.id }), '/insights/funding/new');
    assert.equal(foreign.statusCode, 422);
    assert.match(foreign.body, /href="#organisationId">Select a provider from the list/);
    for (const amount of ['0', '-100', 'lots']) {
      const response = await postForm(test.app, '/insights/funding/new', analystCookie, goodForm({ amount }), '/insights/funding/new');
      assert.equal(response.statusCode, 422, amount);
      assert.match(response.body, /href="#amount">Amount must/);
    }
    assert.equal(await awardCount(), before);
  });

  it('lets a supervisor read funding but not record it, and keeps coordinators out of every funding and report page', async () => {
    const supervisorCookie = await signIn(test.app, supervisor);
    assert.equal((await test.app.inject({ method: 'GET', url: '/insights/funding', headers: { cookie: supervisorCookie } })).statusCode, 200);
    assert.equal((await test.app.inject({ method: 'GET', url: '/insights/funding/costs', headers: { cookie: supervisorCookie } })).statusCode, 200);
    assert.equal((await test.app.inject({ method: 'GET', url: '/insights/funding/new', headers: { cookie: supervisorCookie } })).statusCode, 403);
    const before = await awardCount();
    assert.equal((await postForm(test.app, '/insights/funding/new', supervisorCookie, goodForm(), '/insights/funding')).statusCode, 403);
    assert.equal(await awardCount(), before);

    const coordinatorCookie = await signIn(test.app, coordinator);
    for (const url of ['/insights/funding', '/insights/funding/new', '/insights/funding/costs', '/insights/report', '/insights/report?quarter=2026-Q2', '/insights/report.csv?quarter=2026-Q2']) {
      assert.equal((await test.app.inject({ method: 'GET', url, headers: { cookie: coordinatorCookie } })).statusCode, 403, url);
    }
    assert.equal((await postForm(test.app, '/insights/funding/new', coordinatorCookie, goodForm(), '/')).statusCode, 403);
    assert.equal(await awardCount(), before);
  });

  it('shows the cost per victim supported and per completed outcome, only for groups of 5 or more that are shown', async () => {
    // Alpha has the £9,100 grant for April to June (91 days). Beta a contract for the whole of 2026; Gamma a grant.
    await postForm(test.app, '/insights/funding/new', analystCookie, goodForm({ organisationId: beta.id, kind: 'contract', reference: 'C-9', 'periodStart-day': '1', 'periodStart-month': '1', 'periodEnd-day': '31', 'periodEnd-month': '12', amount: '36500' }), '/insights/funding/new');
    await postForm(test.app, '/insights/funding/new', analystCookie, goodForm({ organisationId: gamma.id, reference: 'G-3', amount: '910' }), '/insights/funding/new');
    // Accepted in May: Alpha 20 (8 completed), Beta 3 (0), Gamma 6 (5). Another area's activity counts for nothing.
    await referralDay(alpha.id, '2026-05-04', 12, 5);
    await referralDay(alpha.id, '2026-05-20', 8, 3);
    await referralDay(beta.id, '2026-05-06', 3, 0);
    await referralDay(gamma.id, '2026-05-07', 6, 5);
    // Outside the range: not counted.
    await referralDay(alpha.id, '2026-07-01', 50, 50);

    const url = '/insights/funding/costs?from-day=1&from-month=5&from-year=2026&to-day=31&to-month=5&to-year=2026';
    const response = await test.app.inject({ method: 'GET', url, headers: { cookie: analystCookie } });
    assert.equal(response.statusCode, 200);
    const rows = [...response.body.matchAll(/<tr class="govuk-table__row" data-testid="cost-(?:row|total)">([\s\S]*?)<\/tr>/g)].map((match) =>
      [...(match[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => (cell[1] ?? '').replace(/<span class="govuk-visually-hidden">[^<]*<\/span>/g, '').replace(/<[^>]+>/g, '').trim()),
    );
    // May is 31 of Alpha's 91 days (£3,100), 31 of Beta's 365 (£3,100), 31 of Gamma's 91 (£310).
    assert.deepEqual(rows, [
      ['Alpha Support', '£3,100.00', '20', '£155.00', '8', '£387.50'],
      // 3 is hidden, and Gamma's 6 with it, so that 3 cannot be found from the total: no cost for either.
      ['Beta Advocacy', '£3,100.00', '[c]', '[c]', '0', '[c]'],
      ['Gamma Counselling', '£310.00', '[c]', '[c]', '5', '£62.00'],
      ['All providers', '£6,510.00', '29', '£224.48', '13', '£500.77'],
    ]);
    assert.match(response.body, /\[c\]<\/strong> hidden to protect privacy/);
    const viewed = await test.database.db.selectFrom('audit_event').select('detail').where('action', '=', 'insights.funding_costs_viewed').execute();
    assert.ok(viewed.some((row) => (row.detail as { from?: string }).from === '2026-05-01'));

    const bad = await test.app.inject({ method: 'GET', url: '/insights/funding/costs?from-day=1&from-month=13&from-year=2026&to-day=1&to-month=1&to-year=2026', headers: { cookie: analystCookie } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#from-day">Start date must be a real date/);
  });
});
