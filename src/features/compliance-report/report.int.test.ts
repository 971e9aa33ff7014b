// The quarterly compliance report on PGlite or PostgreSQL, from aggregate rows seeded with known counts: the page and
// the CSV show the same figures, follow the Code's rights in order, hide counts under 5 and the counts that would
// give them away (secondary suppression) as "[c]", keep to the reader's area and quarter, and are audited.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOrganisation, createStaffUser, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

/** The text of each row of the table with this test id: header and data cells, with "[c]" as shown. */
function tableRows(html: string, testId: string): string[][] {
  const table = new RegExp(`<table[^>]*data-testid="${testId}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1];
  assert.ok(table, `no table ${testId}`);
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => (cell[1] ?? '').replace(/<span class="govuk-visually-hidden">[^<]*<\/span>/g, '').replace(/<[^>]+>/g, '').trim()),
  );
}

/** A CSV file as rows of fields (quoted fields may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  return text.split('\r\n').filter((line) => line !== '').map((line) => {
    const fields: string[] = [];
    for (const match of line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)) fields.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : (match[2] ?? ''));
    return fields;
  });
}

describe('the quarterly compliance report', () => {
  let test: TestApp;
  let analyst: TestStaffUser;
  let cookie: string;
  let hub: { id: string; name: string; areaId: string };
  let alpha: { id: string };

  const duty = (areaId: string, day: string, name: string, ownerKind: string, ownerKey: string, counts: [number, number, number, number, number]) => {
    const [metOnTime, metLate, overdue, breached, open] = counts;
    return { area_id: areaId, day, duty: name, owner_kind: ownerKind, owner_key: ownerKey, due: metOnTime + metLate + overdue + breached + open, met_on_time: metOnTime, met_late: metLate, overdue, breached, open };
  };

  before(async () => {
    test = await createTestApp();
    const db = test.database.db;
    const commissioner = await createOrganisation(db, { kind: 'commissioner', name: 'Office of the Commissioner' });
    analyst = await createStaffUser(db, { role: 'commissioner_analyst', organisationId: commissioner.id });
    const areaId = commissioner.areaId;
    hub = await createOrganisation(db, { kind: 'hub', areaId, name: 'Victim Gateway' });
    alpha = await createOrganisation(db, { kind: 'provider', areaId, name: 'Alpha Support' });
    const beta = await createOrganisation(db, { kind: 'provider', areaId, name: 'Beta Advocacy' });
    const other = await createOrganisation(db, { kind: 'hub', name: 'Another Area Hub' });

    await db.insertInto('insight_duty_day').values([
      // Needs assessments by the hub in the quarter: 40 on time, 8 late, 1 overdue.
      duty(areaId, '2026-04-10', 'needs_assessment', 'hub', hub.id, [30, 6, 1, 0, 0]),
      duty(areaId, '2026-05-10', 'needs_assessment', 'hub', hub.id, [10, 2, 0, 0, 0]),
      // The day after the quarter, and another area: neither counts.
      duty(areaId, '2026-07-01', 'needs_assessment', 'hub', hub.id, [100, 0, 0, 0, 0]),
      duty(other.areaId, '2026-05-10', 'needs_assessment', 'hub', other.id, [500, 0, 0, 0, 0]),
      // Providers' answers: Alpha 12 on time and 3 late; Beta 9 and 7.
      duty(areaId, '2026-06-01', 'provider_response', 'named_organisation', alpha.id, [12, 3, 0, 0, 0]),
      duty(areaId, '2026-06-02', 'provider_response', 'named_organisation', beta.id, [9, 7, 0, 0, 0]),
      // Police updates where Haven does not know the force: named by the owner's kind.
      duty(areaId, '2026-04-20', 'investigation_update', 'police', 'police', [5, 0, 0, 0, 0]),
    ]).execute();
    const caseDay = (day: string, source: string, offenceGroup: string, cases: number) => ({ area_id: areaId, day, source, offence_group: offenceGroup, role: 'victim', enhanced: false, repeat_victim: false, cases });
    await db.insertInto('insight_case_day').values([
      caseDay('2026-04-02', 'police_api', 'Violence against the person', 12),
      caseDay('2026-04-02', 'police_api', 'Theft offences', 8),
      caseDay('2026-05-02', 'self_referral', 'unclassified', 3),
      caseDay('2026-06-02', 'agency_referral', 'unclassified', 6),
      caseDay('2026-07-02', 'police_api', 'unclassified', 40),
    ]).execute();
    await db.insertInto('insight_complaint_day').values([
      { area_id: areaId, day: '2026-05-05', organisation_id: alpha.id, received: 6, answered: 6, answered_in_time: 6, answer_days_total: 30 },
      { area_id: areaId, day: '2026-05-06', organisation_id: hub.id, received: 2, answered: 2, answered_in_time: 1, answer_days_total: 20 },
    ]).execute();
    await db.insertInto('insight_feedback_day').values([
      { area_id: areaId, day: '2026-04-15', moment: 'first_contact', rating: 5, responses: 10 },
      { area_id: areaId, day: '2026-04-15', moment: 'first_contact', rating: 4, responses: 4 },
      { area_id: areaId, day: '2026-05-15', moment: 'first_contact', rating: 3, responses: 3 },
      { area_id: areaId, day: '2026-05-15', moment: 'first_contact', rating: 1, responses: 2 },
    ]).execute();
    cookie = await signIn(test.app, analyst);
  });

  after(() => test.close());

  it('shows each right in order with its duties by agency, suppressed, and the method note', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/insights/report?quarter=2026-Q2', headers: { cookie } });
    assert.equal(response.statusCode, 200);
    const html = response.body;
    assert.match(html, /<title>Victims’ Code compliance report, April to June 2026 – Haven<\/title>/);
    assert.match(html, /from 1 April 2026 to 30 June 2026/);
    // The 12 rights, in order.
    const rights = [...html.matchAll(/id="right-(\d+)-heading">Right (\d+):/g)].map((match) => Number(match[2]));
    assert.deepEqual(rights, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const right = (number: number) => new RegExp(`data-testid="right-${number}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
    for (const unmeasured of [1, 2, 3, 5, 7, 10]) assert.match(right(unmeasured), /Haven does not measure a duty under this right yet/, `right ${unmeasured}`);
    assert.doesNotMatch(right(4), /does not measure/);
    assert.match(right(4), /data-testid="duty-needs_assessment"/);
    assert.match(right(4), /data-testid="duty-provider_response"/);
    assert.match(right(6), /data-testid="duty-investigation_update"/);
    assert.match(right(8), /Tell the victim the date, time and place of the hearing<\/strong>: no duties of this kind fell due in the quarter/);

    // Columns: agency, due, met on time, met late, overdue, breached, not yet due, share met on time.
    // 1 overdue is hidden, and 8 late with it (the smallest other count in the row); the July day and the other area
    // are not counted.
    const needs = ['Victim Gateway', '49', '40', '[c]', '[c]', '0', '0', '81.6%'];
    assert.deepEqual(tableRows(html, 'duty-needs_assessment'), [needs, ['All agencies', ...needs.slice(1)]]);
    // Alpha's 3 late is hidden; so are its 12 on time (the row), Beta's 7 late (the column) and Beta's 9 on time (the
    // other column), so neither 3 can be found by subtraction. Shares of hidden counts are hidden too.
    assert.deepEqual(tableRows(html, 'duty-provider_response'), [
      ['Alpha Support', '15', '[c]', '[c]', '0', '0', '0', '[c]'],
      ['Beta Advocacy', '16', '[c]', '[c]', '0', '0', '0', '[c]'],
      ['All agencies', '31', '21', '10', '0', '0', '0', '67.7%'],
    ]);
    assert.deepEqual(tableRows(html, 'duty-investigation_update'), [
      ['Police', '5', '5', '0', '0', '0', '0', '100.0%'],
      ['All agencies', '5', '5', '0', '0', '0', '0', '100.0%'],
    ]);

    // Self-referrals (3) are hidden, and agency referrals (6) so that 3 cannot be found from the total of 29.
    assert.deepEqual(tableRows(html, 'demand'), [
      ['Police daily file', '0'], ['Police system (API)', '20'], ['File upload', '0'], ['Self-referral', '[c]'], ['Another agency', '[c]'], ['All sources', '29'],
    ]);
    // The hub's 2 complaints (1 in time) are hidden, and so is everything that would give them away.
    assert.deepEqual(tableRows(html, 'complaints'), [
      ['Alpha Support', '[c]', '[c]', '[c]'],
      ['Victim Gateway', '[c]', '[c]', '[c]'],
      ['All organisations', '8', '[c]', '[c]'],
    ]);
    const satisfaction = /data-testid="satisfaction">([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '';
    assert.match(satisfaction, /Ratings given<\/dt><dd[^>]*>19</);
    assert.match(satisfaction, /Rated 4 or 5[^<]*<\/dt><dd[^>]*>14</);
    assert.match(satisfaction, /Share rated 4 or 5<\/dt><dd[^>]*>73.7%</);
    assert.match(html, /data-testid="suppression-key"><strong>\[c\]<\/strong> hidden to protect privacy: fewer than 5 people/);
    const method = /data-testid="method">([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '';
    for (const term of ['Due in the quarter', 'Met on time', 'Met late', 'Overdue', 'Breached', 'Share met on time', 'Cases opened', 'Complaints', 'Satisfaction', '[c]']) assert.match(method, new RegExp(`key">${term.replace(/[[\]]/g, '\\$&')}<`), term);
    assert.match(method, /counted once, on the day its deadline fell/);
    assert.match(html, /href="\/insights\/report.csv\?quarter=2026-Q2"/);
    // No other area's organisation, and nothing but aggregates.
    assert.doesNotMatch(html, /Another Area Hub|500/);

    const audit = await test.database.db.selectFrom('audit_event').select(['record_id', 'detail']).where('action', '=', 'insights.report_viewed').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.record_id, analyst.areaId);
    assert.deepEqual(audit[0]?.detail, { quarter: '2026-Q2', from: '2026-04-01', to: '2026-06-30' });
  });

  it('gives the same figures as a CSV file with the same suppression and the method note', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/insights/report.csv?quarter=2026-Q2', headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    assert.equal(response.headers['content-disposition'], 'attachment; filename="code-compliance-2026-Q2.csv"');
    const rows = parseCsv(response.body);
    assert.deepEqual(rows[0], ['Right', 'Duty', 'Agency', 'Measure', 'Value']);
    const value = (right: string, agency: string, measure: string, dutyTitle?: string) =>
      rows.filter((row) => row[0]?.startsWith(right) && row[2] === agency && row[3] === measure && (!dutyTitle || row[1] === dutyTitle)).map((row) => row[4]);
    const answer = 'Accept or decline the referral for support';
    assert.deepEqual(value('Right 4:', 'Alpha Support', 'Met late', answer), ['[c]']);
    assert.deepEqual(value('Right 4:', 'Beta Advocacy', 'Met late', answer), ['[c]']);
    assert.deepEqual(value('Right 4:', 'Beta Advocacy', 'Due in the quarter', answer), ['16']);
    assert.deepEqual(value('Right 4:', 'All agencies', 'Met on time', answer), ['21']);
    assert.deepEqual(value('Right 4:', 'All agencies', 'Share met on time (%)', answer), ['67.7']);
    assert.deepEqual(value('Right 4:', 'Victim Gateway', 'Overdue'), ['[c]']);
    assert.deepEqual(value('Right 4:', 'Victim Gateway', 'Share met on time (%)'), ['81.6']);
    // A duty title with commas survives quoting.
    assert.ok(rows.some((row) => row[1] === 'Tell the victim about the arrest, interview, release, bail or decision' && row[2] === 'Police' && row[3] === 'Met on time' && row[4] === '5'));
    assert.ok(rows.some((row) => row[0] === 'Right 1: To be able to understand and to be understood' && row[3] === 'Not measured by Haven yet'));
    assert.deepEqual(value('Demand', 'All', 'Self-referral'), ['[c]']);
    assert.deepEqual(value('Demand', 'All', 'Another agency'), ['[c]']);
    assert.deepEqual(value('Demand', 'All', 'All sources'), ['29']);
    assert.deepEqual(value('Complaints', 'All organisations', 'Received'), ['8']);
    assert.deepEqual(value('Complaints', 'Victim Gateway', 'Answered within 10 working days'), ['[c]']);
    assert.deepEqual(value('Satisfaction', 'All', 'Share rated 4 or 5 (%)'), ['73.7']);
    // No count from 1 to 4 anywhere among the figures.
    const figures = rows.slice(1, rows.findIndex((row) => row[0] === 'Method note'));
    for (const row of figures) if (!row[3]?.includes('%')) assert.ok(!/^[1-4]$/.test(row[4] ?? ''), row.join(' | '));
    // The method note follows as its own section.
    assert.ok(rows.some((row) => row[0] === 'Method note'));
    assert.ok(rows.some((row) => row[0] === 'Due in the quarter' && /counted once, on the day its deadline fell/.test(row[1] ?? '')));
    assert.ok(rows.some((row) => row[0] === '[c]'));
    const audit = await test.database.db.selectFrom('audit_event').select('detail').where('action', '=', 'insights.report_downloaded').execute();
    assert.deepEqual(audit.map((row) => row.detail), [{ quarter: '2026-Q2', from: '2026-04-01', to: '2026-06-30' }]);
  });

  it('refuses a quarter that is not one with a clear error, and defaults to the last complete quarter', async () => {
    for (const url of ['/insights/report?quarter=2026-Q5', '/insights/report?quarter=last', '/insights/report.csv?quarter=1999-Q1']) {
      const response = await test.app.inject({ method: 'GET', url, headers: { cookie } });
      assert.equal(response.statusCode, 400, url);
      assert.match(response.body, /href="#quarter">Choose a quarter from the list/, url);
    }
    const plain = await test.app.inject({ method: 'GET', url: '/insights/report', headers: { cookie } });
    assert.equal(plain.statusCode, 200);
    // The select offers 8 quarters, the last complete one chosen.
    const options = [...plain.body.matchAll(/<option value="(\d{4}-Q\d)"( selected)?/g)];
    assert.equal(options.length, 8);
    assert.ok(options[0]?.[2], 'the most recent quarter is chosen');
  });
});
