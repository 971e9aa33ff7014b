// The yearly-update helper: reading GOV.UK's file and spotting where it and the shipped calendar disagree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shippedBankHolidays } from './bank-holidays.ts';
import { asSourceLines, compareWithShipped, readGovUkFile } from './gov-uk-file.ts';

const published = shippedBankHolidays().filter((day) => day.origin === 'gov.uk');
const asGovUkFile = (days: { date: string; title: string; notes: string }[]) =>
  JSON.stringify({
    'england-and-wales': { division: 'england-and-wales', events: [{ title: 'Old', date: '2019-12-26', notes: '', bunting: true }, ...days.map((day) => ({ ...day, bunting: true }))] },
    scotland: { division: 'scotland', events: [] },
  });

describe('GOV.UK file comparison', () => {
  it('finds no difference when GOV.UK says what we ship', () => {
    const govUk = readGovUkFile(asGovUkFile(published));
    assert.equal(govUk.length, published.length, 'years before 2020 are left out');
    assert.deepEqual(compareWithShipped(govUk), []);
  });

  it('reports a day GOV.UK added, removed or renamed', () => {
    const changed = published.filter((day) => day.date !== '2026-05-25').map((day) => (day.date === '2026-04-06' ? { ...day, title: 'Renamed' } : day));
    changed.push({ date: '2026-06-01', title: 'Spring bank holiday', notes: '', origin: 'gov.uk' });
    const differences = compareWithShipped(readGovUkFile(asGovUkFile(changed.sort((a, b) => (a.date < b.date ? -1 : 1)))));
    assert.deepEqual(differences, [
      { date: '2026-04-06', shipped: 'Easter Monday', govUk: 'Renamed' },
      { date: '2026-05-25', shipped: 'Spring bank holiday', govUk: null },
      { date: '2026-06-01', shipped: null, govUk: 'Spring bank holiday' },
    ]);
  });

  it('writes lines ready to paste', () => {
    assert.deepEqual(asSourceLines([{ date: '2026-12-28', title: 'Boxing Day', notes: 'Substitute day' }]), [
      "  { date: '2026-12-28', title: 'Boxing Day', notes: 'Substitute day' },",
    ]);
    assert.deepEqual(asSourceLines([{ date: '2026-06-01', title: "King's day \\ one", notes: '' }]), [
      "  { date: '2026-06-01', title: 'King\\'s day \\\\ one', notes: '' },",
    ]);
  });

  it('refuses a file without England and Wales', () => {
    assert.throws(() => readGovUkFile('{"scotland": {"events": []}}'), /no england-and-wales events/);
  });
});
