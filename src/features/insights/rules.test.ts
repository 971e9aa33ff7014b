import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageBand, lastCompleteQuarter, mayReadInsights, quarterOf, quarterRange, readDateRange } from './rules.ts';

test('quarters run January to March as Q1, and the last complete one is the quarter before today’s', () => {
  assert.equal(quarterOf('2026-11-22'), '2026-Q4');
  assert.deepEqual(quarterRange('2026-Q3'), { from: '2026-07-01', to: '2026-09-30' });
  assert.deepEqual(quarterRange('2024-Q1'), { from: '2024-01-01', to: '2024-03-31' });
  assert.deepEqual(quarterRange('2026-Q4'), { from: '2026-10-01', to: '2026-12-31' });
  assert.equal(lastCompleteQuarter('2026-11-22'), '2026-Q3');
  assert.equal(lastCompleteQuarter('2027-01-01'), '2026-Q4');
});

test('the date range defaults to the 90 days to today, and a bad range says what is wrong', () => {
  assert.deepEqual(readDateRange({}, '2026-11-22'), { range: { from: '2026-08-25', to: '2026-11-22' } });
  assert.deepEqual(readDateRange({ 'from-day': '1', 'from-month': '7', 'from-year': '2026', 'to-day': '30', 'to-month': '9', 'to-year': '2026' }, '2026-11-22'),
    { range: { from: '2026-07-01', to: '2026-09-30' } });
  assert.deepEqual(readDateRange({ 'from-day': '1', 'from-month': '10', 'from-year': '2026', 'to-day': '30', 'to-month': '9', 'to-year': '2026' }, '2026-11-22'),
    { errors: { to: 'End date must be the same as or after the start date' } });
  assert.deepEqual(readDateRange({ 'from-day': '31', 'from-month': '2', 'from-year': '2026' }, '2026-11-22'),
    { errors: { from: 'Start date must be a real date', to: 'Enter the end date' } });
  assert.deepEqual(readDateRange({ 'from-day': '1', 'from-month': '1', 'from-year': '2020', 'to-day': '1', 'to-month': '1', 'to-year': '2026' }, '2026-11-22'),
    { errors: { to: 'End date must be within 5 years of the start date' } });
});

test('age bands are taken on the day the case opened', () => {
  assert.equal(ageBand('2012-06-01', '2026-05-31'), 'under_18');
  assert.equal(ageBand('2008-06-01', '2026-06-01'), '18_24');
  assert.equal(ageBand('1961-01-01', '2026-01-01'), '65_plus');
  assert.equal(ageBand(null, '2026-01-01'), 'not_recorded');
});

test('only analysts and supervisors read insights', () => {
  assert.equal(mayReadInsights('commissioner_analyst'), true);
  assert.equal(mayReadInsights('supervisor'), true);
  assert.equal(mayReadInsights('coordinator'), false);
  assert.equal(mayReadInsights('provider_caseworker'), false);
});
