import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, dashboardCsv, csvFilename } from './csv.ts';
import { complianceDashboard, demandDashboard, equalityDashboard, provisionDashboard, provisionGaps, voiceDashboard, type CaseSum, type Dashboard, type ReferralSum } from './dashboard-rules.ts';
import { formatFigure, humanise } from './figures.ts';

/** A table's rows as written on the page: the row's names, then its figures. */
function written(dashboard: Dashboard, id: string): string[][] {
  const table = dashboard.tables.find((candidate) => candidate.id === id);
  assert.ok(table, `no table ${id}`);
  return table.rows.map((row) => [...row.heads, ...row.figures.map((figure) => formatFigure(figure))]);
}

const cases = (source: string, count: number, more: Partial<CaseSum> = {}): CaseSum => ({ source, offenceGroup: 'Robbery', role: 'victim', enhanced: false, repeatVictim: false, cases: count, ...more });

test('demand: a count under 5 is hidden, and so is a second one so it cannot be found from the total', () => {
  const dashboard = demandDashboard([cases('police_feed', 40), cases('self_referral', 3), cases('agency_referral', 20, { enhanced: true, repeatVictim: true })]);
  assert.deepEqual(written(dashboard, 'source'), [
    ['Police daily file', '40', '63%'],
    ['Police system (API)', '0', '0%'],
    ['File upload', '0', '0%'],
    ['Self-referral', '[c]', '[c]'],
    ['Another agency', '[c]', '[c]'],
    ['Total', '63', '100%'],
  ]);
  assert.deepEqual(written(dashboard, 'enhanced'), [['Enhanced rights', '20', '32%'], ['Standard rights', '43', '68%'], ['Total', '63', '100%']]);
  assert.deepEqual(dashboard.headlines.map((headline) => formatFigure(headline.figure)), ['63', '32%', '32%']);
  assert.deepEqual(written(dashboard, 'offence'), [['Robbery', '63', '100%'], ['Total', '63', '100%']]);
});

test('demand: with nothing else to hide, the total is hidden, and the shares with it', () => {
  const dashboard = demandDashboard([cases('police_feed', 3)]);
  assert.deepEqual(written(dashboard, 'source')[0], ['Police daily file', '[c]', '[c]']);
  assert.deepEqual(written(dashboard, 'source').at(-1), ['Total', '[c]', '[c]']);
});

test('compliance: duties by agency in the Code’s plain words, the share met on time of those whose deadline has passed', () => {
  const dashboard = complianceDashboard([
    { duty: 'needs_assessment', ownerKind: 'hub', ownerKey: 'hub', ownerName: null, metOnTime: 30, metLate: 10, overdue: 0, breached: 0, open: 10 },
    { duty: 'charge_update', ownerKind: 'police', ownerKey: 'x', ownerName: 'Wyvern Police', metOnTime: 12, metLate: 2, overdue: 6, breached: 0, open: 0 },
  ]);
  const rows = written(dashboard, 'duties');
  assert.equal(rows[0]?.[0], 'Assess the victim’s needs, including the check for enhanced rights (Right 4)');
  assert.deepEqual(rows[0]?.slice(1), ['Victim gateway (coordinator)', '50', '30', '[c]', '0', '0', '[c]', '[c]']);
  assert.equal(rows[1]?.[1], 'Wyvern Police');
  // 2 met late is hidden, and 6 overdue with it, so 20 − 12 − 6 cannot give it away.
  assert.deepEqual(rows[1]?.slice(2), ['20', '12', '[c]', '[c]', '0', '0', '60%']);
  // The column totals of overdue and not yet due would give their one hidden cell away, so they are hidden too.
  assert.deepEqual(rows.at(-1)?.slice(2), ['70', '42', '12', '[c]', '0', '[c]', '[c]']);
});

const referral = (more: Partial<ReferralSum>): ReferralSum => ({
  organisationName: 'Safe Homes', serviceName: 'Refuge', capacity: 4, declaredWaitDays: 10,
  sent: 30, awaiting: 5, accepted: 10, declined: 5, noCapacity: 10, returned: 0, completed: 5, started: 10, waitDaysTotal: 150, ...more,
});

test('provision: the average wait needs 5 started, and gaps are read only from figures that are shown', () => {
  const dashboard = provisionDashboard([referral({}), referral({ serviceName: 'Outreach', capacity: 0, started: 4, waitDaysTotal: 400, sent: 9, accepted: 9, noCapacity: 0, declined: 0, awaiting: 0, completed: 0 })]);
  const rows = written(dashboard, 'services');
  assert.deepEqual(rows[0], ['Safe Homes', 'Outreach', '9', '9', '0', '0', '0', '0', '0', '[c]', '0', '10', 'No open places declared']);
  assert.deepEqual(rows[1], ['Safe Homes', 'Refuge', '30', '10', '5', '10', '0', '5', '5', '15.0', '4', '10', 'Often no capacity; Wait longer than declared']);
  assert.deepEqual(provisionGaps({ sent: { kind: 'count', value: 30 }, noCapacity: { kind: 'count', value: null, missing: 'suppressed' }, averageWait: { kind: 'days', value: 3 } }, { capacity: 5, waitDays: 5 }), []);
  assert.equal(formatFigure(dashboard.headlines[1]?.figure ?? { kind: 'text', text: '' }), '2');
});

test('voice: ratings by moment with the share rating 4 or 5, themes in plain names (a new one humanised), complaints split so none is found by subtraction', () => {
  const dashboard = voiceDashboard(
    [{ moment: 'first_contact', rating: 5, responses: 10 }, { moment: 'first_contact', rating: 4, responses: 10 }, { moment: 'first_contact', rating: 1, responses: 5 }],
    [{ theme: 'waiting', mentions: 7 }, { theme: 'kindness', mentions: 2 }],
    [{ organisationName: 'Wyvern Police', received: 12, answered: 10, answeredInTime: 8, answerDaysTotal: 90 }],
  );
  assert.deepEqual(written(dashboard, 'ratings')[0], ['First contact', '10', '10', '0', '0', '5', '25', '80%']);
  assert.deepEqual(written(dashboard, 'themes'), [['Kindness', '[c]'], ['Waiting and delays', '[c]'], ['Total', '9']]);
  // 2 answered late and 2 not answered are hidden; so answered (which would give away late) is too.
  assert.deepEqual(written(dashboard, 'complaints')[0], ['Wyvern Police', '12', '[c]', '8', '[c]', '9.0']);
});

test('equality: four one-way breakdowns in the census and survey groups', () => {
  const dashboard = equalityDashboard([{ dimension: 'sex', category: 'female', cases: 12 }, { dimension: 'sex', category: 'not_recorded', cases: 8 }, { dimension: 'ethnic_group', category: 'not_recorded', cases: 20 }]);
  assert.deepEqual(dashboard.tables.map((table) => table.caption), ['Cases opened by age band', 'Cases opened by sex', 'Cases opened by ethnic group', 'Cases opened by disability']);
  assert.deepEqual(written(dashboard, 'equality-sex').filter((row) => row[1] !== '0'), [['Female', '12', '60%'], ['Not recorded', '8', '40%'], ['Total', '20', '100%']]);
  assert.equal(formatFigure(dashboard.headlines[0]?.figure ?? { kind: 'text', text: '' }), '100%');
});

test('the CSV file writes each figure as the page does, and a name cannot become a formula', () => {
  const dashboard = demandDashboard([cases('police_feed', 40), cases('self_referral', 3), cases('agency_referral', 20)]);
  const csv = dashboardCsv(dashboard, { from: '2026-07-01', to: '2026-09-30' });
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines[0], 'From,To,Table,Group,Measure,Value');
  assert.ok(lines.includes('2026-07-01,2026-09-30,Cases opened by source,Self-referral,Cases,[c]'));
  assert.ok(lines.includes('2026-07-01,2026-09-30,Cases opened by source,Total,Cases,63'));
  assert.ok(!lines.some((line) => line.endsWith(',3')));
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvFilename(dashboard, { from: '2026-07-01', to: '2026-09-30' }), 'haven-insights-demand-2026-07-01-to-2026-09-30.csv');
  assert.equal(humanise('not_recorded'), 'Not recorded');
});

test('a range with no figures gives every dashboard zeros and n/a, not an error', () => {
  const dashboards = [demandDashboard([]), complianceDashboard([]), provisionDashboard([]), voiceDashboard([], [], []), equalityDashboard([])];
  for (const dashboard of dashboards) {
    for (const table of dashboard.tables) {
      const total = table.rows.at(-1);
      assert.ok(total?.total, `${table.id} has a total row`);
      assert.ok(total.figures.every((figure) => ['0', 'n/a', ''].includes(formatFigure(figure))), `${table.id}: ${total.figures.map((figure) => formatFigure(figure)).join(',')}`);
    }
  }
  assert.deepEqual(written(complianceDashboard([]), 'duties'), [['All duties', 'All agencies', '0', '0', '0', '0', '0', '0', 'n/a']]);
});
