// The yearly update: compares a bank-holidays.json downloaded by hand from GOV.UK with the shipped calendar and prints
// the lines to paste into bank-holidays.ts. Haven itself never fetches the file. Run:
//   node src/platform/time/gov-uk-file.ts path/to/bank-holidays.json
import { readFileSync } from 'node:fs';
import { SHIPPED_CALENDAR, shippedBankHolidays } from './bank-holidays.ts';
import { isCalendarDate } from './calendar-date.ts';
import type { BankHoliday } from './holiday-rules.ts';

type GovUkDay = Pick<BankHoliday, 'date' | 'title' | 'notes'>;

/** England and Wales days from GOV.UK's file, from the shipped calendar's first year on. */
export function readGovUkFile(text: string): GovUkDay[] {
  const file = JSON.parse(text) as Record<string, { events?: unknown } | undefined>;
  const events = file[SHIPPED_CALENDAR.division]?.events;
  if (!Array.isArray(events)) throw new Error(`no ${SHIPPED_CALENDAR.division} events in the file`);
  return events
    .map((event: { date?: unknown; title?: unknown; notes?: unknown }) => {
      if (!isCalendarDate(event.date) || typeof event.title !== 'string') throw new Error(`unreadable event ${JSON.stringify(event)}`);
      return { date: event.date, title: event.title, notes: typeof event.notes === 'string' ? event.notes : '' };
    })
    .filter((day) => day.date >= `${SHIPPED_CALENDAR.firstYear}-01-01`)
    .sort((a, b) => (a.date < b.date ? -1 : 1));
}

export type Difference = { date: string; shipped: string | null; govUk: string | null };

/** Every day on which the shipped calendar and GOV.UK disagree, within the years GOV.UK covers. */
export function compareWithShipped(govUk: readonly GovUkDay[], shipped: readonly BankHoliday[] = shippedBankHolidays()): Difference[] {
  const lastYear = govUk.at(-1)?.date.slice(0, 4) ?? '';
  const describe = (day: GovUkDay | undefined) => (day ? `${day.title}${day.notes ? ` (${day.notes})` : ''}` : null);
  const ours = new Map(shipped.filter((day) => day.date.slice(0, 4) <= lastYear).map((day) => [day.date, day]));
  const theirs = new Map(govUk.map((day) => [day.date, day]));
  const dates = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  return dates
    .map((date) => ({ date, shipped: describe(ours.get(date)), govUk: describe(theirs.get(date)) }))
    .filter((difference) => difference.shipped !== difference.govUk);
}

/** GOV.UK's days written as the PUBLISHED list in bank-holidays.ts expects them. */
export function asSourceLines(govUk: readonly GovUkDay[]): string[] {
  const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return govUk.map((day) => `  { date: '${day.date}', title: ${quote(day.title)}, notes: ${quote(day.notes)} },`);
}

if (import.meta.main) {
  const path = process.argv[2];
  if (!path) {
    console.error('Usage: node src/platform/time/gov-uk-file.ts path/to/bank-holidays.json');
    process.exit(2);
  }
  const govUk = readGovUkFile(readFileSync(path, 'utf8'));
  const differences = compareWithShipped(govUk);
  console.log(differences.length ? 'Differences (date: shipped | GOV.UK):' : 'The shipped calendar matches GOV.UK for every year GOV.UK covers.');
  for (const { date, shipped, govUk: theirs } of differences) console.log(`  ${date}: ${shipped ?? '-'} | ${theirs ?? '-'}`);
  console.log(`\nPUBLISHED list for bank-holidays.ts (last year ${govUk.at(-1)?.date.slice(0, 4) ?? 'none'}):`);
  for (const line of asSourceLines(govUk)) console.log(line);
}
