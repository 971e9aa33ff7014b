// The commissioner's dashboards through their pages and CSV files, on PGlite or PostgreSQL, given known counts in the
// aggregate tables: small counts show as [c] and never as the number, a second count that would give one away by
// subtraction is hidden too, totals show, another area's counts never do, only analysts and supervisors get in, every
// view is audited, and a bad range gets the error summary.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOrganisation, createStaffUser, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

const DAY = '2026-08-10';
const RANGE = 'from-day=1&from-month=8&from-year=2026&to-day=31&to-month=8&to-year=2026';

/** A table's body rows as the text of each cell, from the page's HTML. */
function tableRows(html: string, id: string): string[][] {
  const start = html.indexOf(`data-testid="table-${id}"`);
  assert.ok(start >= 0, `no table ${id}`);
  const table = html.slice(start, html.indexOf('</table>', start));
  const body = table.slice(table.indexOf('<tbody'));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => (cell[1] ?? '').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&#39;/g, '’').trim()),
  );
}

const rowNamed = (rows: string[][], name: string) => {
  const row = rows.find((candidate) => candidate[0] === name);
  assert.ok(row, `no row ${name} in ${JSON.stringify(rows)}`);
  return row;
};

describe('insight dashboards', () => {
  let test: TestApp;
  let analyst: TestStaffUser;
  let supervisor: TestStaffUser;
  let coordinator: TestStaffUser;
  let caseworker: TestStaffUser;
  let analystCookie: string;

  async function seedArea(areaId: string, scale: 'ours' | 'theirs') {
    const db = test.database.db;
    const provider = await createOrganisation(db, { areaId, kind: 'provider', name: scale === 'ours' ? 'Safe Homes Trust' : 'Elsewhere Trust' });
    const police = await createOrganisation(db, { areaId, kind: 'police', name: scale === 'ours' ? 'Wyvern Police' : 'Other Police' });
    const service = await db.insertInto('organisation_service')
      .values({ organisation_id: provider.id, name: scale === 'ours' ? 'Refuge places' : 'Other refuge', category: 'Refuge', description: 'Refuge', capacity: 0, wait_days: 10 })
      .returning('id').executeTakeFirstOrThrow();
    if (scale === 'theirs') {
      // Another area: a count no page of ours may ever show.
      await db.insertInto('insight_case_day').values({ area_id: areaId, day: DAY, source: 'police_feed', offence_group: 'Robbery', role: 'victim', enhanced: false, repeat_victim: false, cases: 777 }).execute();
      await db.insertInto('insight_equality_day').values({ area_id: areaId, day: DAY, dimension: 'sex', category: 'male', cases: 777 }).execute();
      await db.insertInto('insight_complaint_day').values({ area_id: areaId, day: DAY, organisation_id: police.id, received: 777, answered: 0, answered_in_time: 0, answer_days_total: 0 }).execute();
      await db.insertInto('insight_referral_day').values({ area_id: areaId, day: DAY, organisation_id: provider.id, service_id: service.id, sent: 777, awaiting: 777, accepted: 0, declined: 0, no_capacity: 0, returned: 0, closed: 0, completed: 0, started: 0, wait_days_total: 0 }).execute();
      return;
    }
    await db.insertInto('insight_case_day').values([
      // 40 + 3 + 20 = 63: the 3 is hidden, and so is the 20 or 63 − 40 would give the 3 away.
      { area_id: areaId, day: DAY, source: 'police_feed', offence_group: 'Robbery', role: 'victim', enhanced: false, repeat_victim: false, cases: 40 },
      { area_id: areaId, day: DAY, source: 'self_referral', offence_group: 'not_reported', role: 'victim', enhanced: false, repeat_victim: false, cases: 3 },
      { area_id: areaId, day: '2026-08-11', source: 'agency_referral', offence_group: 'Robbery', role: 'witness', enhanced: true, repeat_victim: true, cases: 20 },
      // Outside the range: never counted.
      { area_id: areaId, day: '2026-07-31', source: 'police_feed', offence_group: 'Robbery', role: 'victim', enhanced: false, repeat_victim: false, cases: 500 },
    ]).execute();
    await db.insertInto('insight_equality_day').values([
      { area_id: areaId, day: DAY, dimension: 'sex', category: 'female', cases: 30 },
      { area_id: areaId, day: DAY, dimension: 'sex', category: 'male', cases: 2 },
      { area_id: areaId, day: DAY, dimension: 'sex', category: 'not_recorded', cases: 31 },
    ]).execute();
    await db.insertInto('insight_duty_day').values([
      { area_id: areaId, day: DAY, duty: 'needs_assessment', owner_kind: 'hub', owner_key: 'hub', due: 50, met_on_time: 30, met_late: 10, overdue: 0, breached: 0, open: 10 },
      { area_id: areaId, day: DAY, duty: 'charge_update', owner_kind: 'police', owner_key: police.id, due: 20, met_on_time: 12, met_late: 2, overdue: 6, breached: 0, open: 0 },
    ]).execute();
    await db.insertInto('insight_referral_day').values({
      area_id: areaId, day: DAY, organisation_id: provider.id, service_id: service.id,
      sent: 30, awaiting: 5, accepted: 10, declined: 5, no_capacity: 10, returned: 0, closed: 5, completed: 5, started: 10, wait_days_total: 150,
    }).execute();
    await db.insertInto('insight_feedback_day').values([
      { area_id: areaId, day: DAY, moment: 'first_contact', rating: 5, responses: 10 },
      { area_id: areaId, day: DAY, moment: 'first_contact', rating: 4, responses: 10 },
      { area_id: areaId, day: DAY, moment: 'first_contact', rating: 1, responses: 4 },
    ]).execute();
    await db.insertInto('insight_feedback_theme_day').values([
      { area_id: areaId, day: DAY, theme: 'waiting', mentions: 9 },
      { area_id: areaId, day: DAY, theme: 'kindness', mentions: 12 },
    ]).execute();
    await db.insertInto('insight_complaint_day').values({ area_id: areaId, day: DAY, organisation_id: police.id, received: 12, answered: 10, answered_in_time: 8, answer_days_total: 90 }).execute();
  }

  before(async () => {
    test = await createTestApp();
    analyst = await createStaffUser(test.database.db, { role: 'commissioner_analyst', organisationKind: 'commissioner', organisationName: 'Wyvern Commissioner' });
    supervisor = await createStaffUser(test.database.db, { role: 'supervisor', organisationId: (await createOrganisation(test.database.db, { areaId: analyst.areaId, kind: 'hub' })).id });
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', organisationId: supervisor.organisationId });
    caseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: (await createOrganisation(test.database.db, { areaId: analyst.areaId, kind: 'provider' })).id });
    const elsewhere = await createStaffUser(test.database.db, { role: 'commissioner_analyst', organisationKind: 'commissioner' });
    await seedArea(analyst.areaId, 'ours');
    await seedArea(elsewhere.areaId, 'theirs');
    analystCookie = await signIn(test.app, analyst);
  });

  after(() => test.close());

  const get = (url: string, cookie = analystCookie) => test.app.inject({ method: 'GET', url, headers: { cookie } });

  it('demand: a count under 5 shows as [c], the count that would give it away by subtraction is hidden, the total shows', async () => {
    const page = await get(`/insights/demand?${RANGE}`);
    assert.equal(page.statusCode, 200);
    const sources = tableRows(page.body, 'source');
    assert.deepEqual(rowNamed(sources, 'Police daily file'), ['Police daily file', '40', '63%']);
    assert.deepEqual(rowNamed(sources, 'Self-referral'), ['Self-referral', '[c]', '[c]']);
    assert.deepEqual(rowNamed(sources, 'Another agency'), ['Another agency', '[c]', '[c]']);
    assert.deepEqual(rowNamed(sources, 'Total'), ['Total', '63', '100%']);
    assert.ok(!sources.flat().includes('3') && !sources.flat().includes('20'));
    assert.deepEqual(rowNamed(tableRows(page.body, 'offence'), 'No crime reported'), ['No crime reported', '[c]', '[c]']);
    assert.deepEqual(rowNamed(tableRows(page.body, 'enhanced'), 'Enhanced rights'), ['Enhanced rights', '20', '32%']);
    assert.deepEqual(rowNamed(tableRows(page.body, 'repeat'), 'Repeat victims'), ['Repeat victims', '20', '32%']);
    // The chart draws no bar for a hidden figure and says [c]; the key is near the table.
    assert.match(page.body, /<svg [^>]*role="img" aria-labelledby="chart-source-title chart-source-description"/);
    assert.match(page.body, />\[c\]<\/text>/);
    assert.match(page.body, /\[c\] hidden to protect privacy: fewer than 5 people, or a figure that would let one be worked out/);
    assert.match(page.body, /How these figures are worked out/);
    assert.doesNotMatch(page.body, /777|500/);
    assert.doesNotMatch(page.body, /style="/);
    const audit = await test.database.db.selectFrom('audit_event').select(['record_type', 'record_id', 'detail']).where('action', '=', 'insights.demand_viewed').executeTakeFirstOrThrow();
    assert.equal(audit.record_type, 'area');
    assert.equal(audit.record_id, analyst.areaId);
    assert.deepEqual({ from: (audit.detail).from, to: (audit.detail).to }, { from: '2026-08-01', to: '2026-08-31' });
  });

  it('the CSV file carries the same suppression, as an attachment named without personal data', async () => {
    const csv = await get(`/insights/demand.csv?${RANGE}`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.equal(csv.headers['content-disposition'], 'attachment; filename="haven-insights-demand-2026-08-01-to-2026-08-31.csv"');
    const lines = csv.body.trimEnd().split('\r\n');
    assert.ok(lines.includes('2026-08-01,2026-08-31,Cases opened by source,Self-referral,Cases,[c]'));
    assert.ok(lines.includes('2026-08-01,2026-08-31,Cases opened by source,Another agency,Cases,[c]'));
    assert.ok(lines.includes('2026-08-01,2026-08-31,Cases opened by source,Total,Cases,63'));
    assert.ok(!lines.some((line) => /,(3|777|500)$/.test(line)), 'no small count and no other area');
    // The page links to exactly this file.
    const page = await get(`/insights/demand?${RANGE}`);
    assert.match(page.body, new RegExp(`href="/insights/demand.csv\\?${RANGE.replace(/&/g, '&amp;')}"`));
  });

  it('compliance: each duty by agency, with a second hidden cell where one would give the other away', async () => {
    const page = await get(`/insights/compliance?${RANGE}`);
    assert.equal(page.statusCode, 200);
    const rows = tableRows(page.body, 'duties');
    assert.deepEqual(rows[0], ['Assess the victim’s needs, including the check for enhanced rights (Right 4)', 'Victim gateway (coordinator)', '50', '30', '[c]', '0', '0', '[c]', '[c]']);
    assert.deepEqual(rows[1]?.slice(1), ['Wyvern Police', '20', '12', '[c]', '[c]', '0', '0', '60%']);
    assert.doesNotMatch(page.body, />2</);
    const csv = await get(`/insights/compliance.csv?${RANGE}`);
    assert.ok(csv.body.includes('Wyvern Police,Met late,[c]'));
    assert.ok(csv.body.includes('Wyvern Police,Overdue,[c]'));
  });

  it('provision: referrals against declared capacity, the wait only for 5 started, and the gaps flagged', async () => {
    const page = await get(`/insights/provision?${RANGE}`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(tableRows(page.body, 'services')[0], ['Safe Homes Trust', 'Refuge places', '30', '10', '5', '10', '0', '5', '5', '15.0', '0', '10', 'Often no capacity; Wait longer than declared; No open places declared']);
    assert.doesNotMatch(page.body, /Elsewhere|777/);
  });

  it('voice: ratings with the share rating 4 or 5, themes, and complaints answered in time', async () => {
    const page = await get(`/insights/voice?${RANGE}`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(rowNamed(tableRows(page.body, 'ratings'), 'First contact'), ['First contact', '[c]', '10', '0', '0', '[c]', '24', '[c]']);
    assert.deepEqual(tableRows(page.body, 'themes'), [['Kindness', '12'], ['Waiting and delays', '9'], ['Total', '21']]);
    assert.deepEqual(tableRows(page.body, 'complaints')[0], ['Wyvern Police', '12', '[c]', '8', '[c]', '9.0']);
  });

  it('equality: a small group is hidden with the next smallest, in the plain names', async () => {
    const page = await get(`/insights/equality?${RANGE}`);
    assert.equal(page.statusCode, 200);
    const rows = tableRows(page.body, 'equality-sex');
    assert.deepEqual(rowNamed(rows, 'Male'), ['Male', '[c]', '[c]']);
    assert.deepEqual(rowNamed(rows, 'Female'), ['Female', '[c]', '[c]']);
    assert.deepEqual(rowNamed(rows, 'Not recorded'), ['Not recorded', '31', '49%']);
    assert.deepEqual(rowNamed(rows, 'Total'), ['Total', '63', '100%']);
    const csv = await get(`/insights/equality.csv?${RANGE}`);
    assert.ok(csv.body.includes('Cases opened by sex,Male,Cases,[c]'));
    assert.doesNotMatch(csv.body, /,(2|30|777)\r\n/);
  });

  it('the overview shows each dashboard’s headlines and links to it; a supervisor may read it too', async () => {
    const page = await get(`/insights?${RANGE}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/insights\/demand\?from-day=1/);
    assert.match(page.body, /Cases opened<\/dt>\s*<dd class="govuk-summary-list__value">63</);
    assert.match(page.body, /<a class="govuk-service-navigation__link" href="\/insights"|href="\/insights"[^>]*>\s*Insights/);
    assert.doesNotMatch(page.body, /777/);
    // With no range asked for, the 90 days to today: none of the seeded days, so zeros rather than an error.
    for (const url of ['/insights', '/insights/demand', '/insights/compliance', '/insights/provision', '/insights/voice', '/insights/equality', '/insights/voice.csv']) {
      assert.equal((await get(url)).statusCode, 200, url);
    }
    const bySupervisor = await get(`/insights/voice?${RANGE}`, await signIn(test.app, supervisor));
    assert.equal(bySupervisor.statusCode, 200);
  });

  it('a coordinator and a provider caseworker are refused every page and file', async () => {
    for (const user of [coordinator, caseworker]) {
      const cookie = await signIn(test.app, user);
      for (const url of ['/insights', '/insights/demand', '/insights/compliance.csv', `/insights/equality?${RANGE}`]) {
        const response = await get(url, cookie);
        assert.equal(response.statusCode, 403, `${user.role} ${url}`);
        assert.doesNotMatch(response.body, /\[c\]|data-testid="table-|Cases opened/);
      }
      const home = await get('/', cookie);
      assert.doesNotMatch(home.body, /href="\/insights"/);
    }
  });

  it('a bad range gets the error summary and no figures', async () => {
    const backwards = await get('/insights/demand?from-day=1&from-month=9&from-year=2026&to-day=1&to-month=8&to-year=2026');
    assert.equal(backwards.statusCode, 400);
    assert.match(backwards.body, /govuk-error-summary/);
    assert.match(backwards.body, /href="#to-day">End date must be the same as or after the start date/);
    assert.doesNotMatch(backwards.body, /data-testid="table-/);
    const impossible = await get('/insights/demand.csv?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=3&to-year=2026');
    assert.equal(impossible.statusCode, 400);
    assert.match(impossible.body, /Start date must be a real date/);
    const incomplete = await get('/insights?from-day=1&from-year=2026&to-day=1&to-month=3&to-year=2026');
    assert.equal(incomplete.statusCode, 400);
    assert.match(incomplete.body, /href="#from-month">Start date must include a month/);
  });
});
