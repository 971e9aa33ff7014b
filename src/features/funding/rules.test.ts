import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkAward, formatPounds, proratedPence, providerCosts, readPounds } from './rules.ts';

describe('readPounds', () => {
  test('reads pounds and pence as whole pence, counting from the digits', () => {
    assert.deepEqual(readPounds('12500'), { pence: 1_250_000 });
    assert.deepEqual(readPounds('£12,500.5'), { pence: 1_250_050 });
    assert.deepEqual(readPounds(' 0.29 '), { pence: 29 });
    assert.deepEqual(readPounds('1.07'), { pence: 107 });
  });

  test('refuses nothing, zero, negatives, words and a third decimal place', () => {
    assert.deepEqual(readPounds(''), { error: 'Enter the amount in pounds' });
    assert.deepEqual(readPounds(undefined), { error: 'Enter the amount in pounds' });
    assert.deepEqual(readPounds('0.00'), { error: 'Amount must be more than £0' });
    assert.deepEqual(readPounds('-5'), { error: 'Amount must be more than £0' });
    assert.deepEqual(readPounds('ten pounds'), { error: 'Amount must be a number, like 12500 or 12500.50' });
    assert.deepEqual(readPounds('1e5'), { error: 'Amount must be a number, like 12500 or 12500.50' });
    assert.deepEqual(readPounds('10.505'), { error: 'Amount must have no more than 2 numbers after the decimal point' });
    assert.deepEqual(readPounds('1000000001'), { error: 'Amount must be £1,000,000,000 or less' });
  });
});

test('formatPounds shows pounds with separators and two pence figures', () => {
  assert.equal(formatPounds(1_250_050), '£12,500.50');
  assert.equal(formatPounds(7), '£0.07');
  assert.equal(formatPounds(99.6), '£1.00');
});

describe('checkAward', () => {
  const provider = '0b6e5b34-7a0e-4a39-9d3c-8a3a6c1f0a11';
  const good = {
    organisationId: provider, kind: 'grant', reference: ' PCC-2026-014 ',
    'periodStart-day': '1', 'periodStart-month': '4', 'periodStart-year': '2026',
    'periodEnd-day': '31', 'periodEnd-month': '3', 'periodEnd-year': '2027',
    amount: '120,000', note: '',
  };

  test('a sound form is an award in pence', () => {
    assert.deepEqual(checkAward(good, new Set([provider])), {
      organisationId: provider, kind: 'grant', reference: 'PCC-2026-014', periodStart: '2026-04-01', periodEnd: '2027-03-31', amountPence: 12_000_000, note: null,
    });
  });

  test('every bad field has its own message', () => {
    const result = checkAward({ kind: 'loan', reference: 'x'.repeat(101), 'periodStart-day': '31', 'periodStart-month': '2', 'periodStart-year': '2026', amount: '1.234', note: 'n'.repeat(1001) }, new Set([provider]));
    assert.deepEqual(result, {
      errors: {
        organisationId: 'Select the provider',
        kind: 'Select grant or contract',
        reference: 'Reference must be 100 characters or fewer',
        periodStart: 'Start date must be a real date',
        periodEnd: 'Enter the end date',
        amount: 'Amount must have no more than 2 numbers after the decimal point',
        note: 'Note must be 1,000 characters or fewer',
      },
    });
  });

  test('a provider not in the reader’s area is refused, and the end may not come before the start', () => {
    const result = checkAward({ ...good, 'periodEnd-year': '2025' }, new Set(['another']));
    assert.deepEqual(result, { errors: { organisationId: 'Select a provider from the list', periodEnd: 'End date must be the same as or after the start date' } });
  });
});

describe('proratedPence', () => {
  const award = { periodStart: '2026-04-01', periodEnd: '2027-03-31', amountPence: 365_000 };

  test('a range covering the whole award takes all of it, and a range outside it none', () => {
    assert.equal(proratedPence(award, { from: '2026-01-01', to: '2027-12-31' }), 365_000);
    assert.equal(proratedPence(award, { from: '2027-04-01', to: '2027-06-30' }), 0);
    assert.equal(proratedPence(award, { from: '2025-01-01', to: '2026-03-31' }), 0);
  });

  test('a range partly outside the award takes only the award’s days inside it, both ends counted', () => {
    // 1 January to 30 April 2026: only April (30 days) is in the award.
    assert.equal(proratedPence(award, { from: '2026-01-01', to: '2026-04-30' }), 30_000);
    // 1 March to 30 June 2027: only March (31 days).
    assert.equal(proratedPence(award, { from: '2027-03-01', to: '2027-06-30' }), 31_000);
    // A single day.
    assert.equal(proratedPence(award, { from: '2026-04-01', to: '2026-04-01' }), 1_000);
  });

  test('across a leap year, 29 February is a day of the award like any other', () => {
    // 1 April 2027 to 31 March 2028 has 366 days, including 29 February 2028.
    const leap = { periodStart: '2027-04-01', periodEnd: '2028-03-31', amountPence: 366_000 };
    assert.equal(proratedPence(leap, { from: '2028-02-01', to: '2028-02-29' }), 29_000);
    assert.equal(proratedPence(leap, { from: '2028-02-29', to: '2028-02-29' }), 1_000);
    // The year to the end of 2027 holds 275 of its days.
    assert.equal(proratedPence(leap, { from: '2027-01-01', to: '2027-12-31' }), 275_000);
    // Two years running over the leap day: 1 January 2028 to 31 December 2029 holds 91 days (January to March 2028).
    const twoYears = { periodStart: '2028-01-01', periodEnd: '2029-12-31', amountPence: 731 * 100 };
    assert.equal(proratedPence(twoYears, { from: '2028-01-01', to: '2028-03-31' }), 91 * 100);
  });
});

describe('providerCosts', () => {
  const range = { from: '2026-04-01', to: '2026-06-30' };
  const providers = [
    { organisationId: 'a', name: 'Alpha Support' },
    { organisationId: 'b', name: 'Beta Advocacy' },
    { organisationId: 'c', name: 'Gamma Counselling' },
    { organisationId: 'd', name: 'Delta (no funding, no work)' },
  ];
  const whole = (organisationId: string, amountPence: number) => ({ organisationId, periodStart: range.from, periodEnd: range.to, amountPence });

  test('costs per victim and per completed outcome for groups of 5 or more, none for a smaller or hidden one', () => {
    const result = providerCosts(
      providers,
      [whole('a', 1_000_000), whole('b', 300_000), whole('c', 200_000)],
      [
        { organisationId: 'a', name: 'Alpha Support', accepted: 20, completed: 8 },
        { organisationId: 'b', name: 'Beta Advocacy', accepted: 3, completed: 0 },
        { organisationId: 'c', name: 'Gamma Counselling', accepted: 6, completed: 5 },
      ],
      range,
    );
    assert.deepEqual(result.rows.map((row) => row.name), ['Alpha Support', 'Beta Advocacy', 'Gamma Counselling']);
    const [alpha, beta, gamma] = result.rows;
    assert.deepEqual(alpha?.victimsSupported, { value: 20, suppressed: false });
    assert.equal(alpha?.costPerVictimPence, 50_000);
    assert.equal(alpha?.costPerOutcomePence, 125_000);
    // 3 is hidden, and so is the next smallest (6) so that 3 cannot be worked out from the total.
    assert.deepEqual(beta?.victimsSupported, { value: null, suppressed: true });
    assert.equal(beta?.costPerVictimPence, null);
    assert.deepEqual(gamma?.victimsSupported, { value: null, suppressed: true });
    assert.equal(gamma?.costPerVictimPence, null, 'a group of 6 hidden by secondary suppression gives no cost that would reveal it');
    assert.deepEqual(gamma?.completedOutcomes, { value: 5, suppressed: false });
    assert.equal(gamma?.costPerOutcomePence, 40_000);
    assert.equal(beta?.costPerOutcomePence, null, 'no completed outcomes, no cost per outcome');
    assert.deepEqual(result.totals.victimsSupported, { value: 29, suppressed: false });
    assert.equal(result.totals.fundingPence, 1_500_000);
    assert.equal(result.totals.costPerVictimPence, 1_500_000 / 29);
  });

  test('a group of 4 with funding gets no cost, even when shown alone', () => {
    const result = providerCosts(providers, [whole('a', 100_000)], [{ organisationId: 'a', name: 'Alpha Support', accepted: 4, completed: 4 }], range);
    assert.equal(result.rows[0]?.costPerVictimPence, null);
    assert.equal(result.totals.costPerVictimPence, null);
    assert.equal(result.rows[0]?.victimsSupported.suppressed, true);
  });
});
