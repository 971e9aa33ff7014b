// Easter against dates printed in published tables, including the extremes of its range (22 March and 25 April).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { easterSunday } from './easter.ts';

const KNOWN: Record<number, string> = {
  1818: '1818-03-22', // the earliest possible date
  1886: '1886-04-25', // the latest possible date
  1943: '1943-04-25',
  2000: '2000-04-23',
  2008: '2008-03-23',
  2011: '2011-04-24',
  2019: '2019-04-21',
  2020: '2020-04-12',
  2021: '2021-04-04',
  2022: '2022-04-17',
  2023: '2023-04-09',
  2024: '2024-03-31',
  2025: '2025-04-20',
  2026: '2026-04-05',
  2027: '2027-03-28',
  2028: '2028-04-16',
  2029: '2029-04-01',
  2030: '2030-04-21',
  2031: '2031-04-13',
  2032: '2032-03-28',
  2033: '2033-04-17',
  2034: '2034-04-09',
  2035: '2035-03-25',
  2038: '2038-04-25',
  2285: '2285-03-22',
};

describe('easterSunday', () => {
  for (const [year, date] of Object.entries(KNOWN)) {
    it(`is ${date} in ${year}`, () => assert.equal(easterSunday(Number(year)), date));
  }

  it('is always a Sunday between 22 March and 25 April', () => {
    for (let year = 1583; year <= 4099; year += 1) {
      const easter = easterSunday(year);
      assert.equal(new Date(`${easter}T00:00:00Z`).getUTCDay(), 0, easter);
      const monthDay = easter.slice(5);
      assert.ok(monthDay >= '03-22' && monthDay <= '04-25', easter);
    }
  });

  it('refuses years before the Gregorian calendar and fractions', () => {
    assert.throws(() => easterSunday(1500), RangeError);
    assert.throws(() => easterSunday(2020.5), RangeError);
  });
});
