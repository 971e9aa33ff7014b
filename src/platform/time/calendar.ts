// The bank holidays in force: the shipped calendar merged with the one-off days administrators added, kept in memory
// because every deadline Haven sets asks for them. Also the use-case that adds a one-off day.
import type { Actor } from '../auth/identity.ts';
import { writeAudit } from '../audit/writer.ts';
import type { Db, Trx } from '../db/transaction.ts';
import { Forbidden, Invalid } from '../http/domain-errors.ts';
import { shippedBankHolidays } from './bank-holidays.ts';
import { holidayCalendar, type HolidayCalendar } from './holiday-calendar.ts';
import type { BankHoliday } from './holiday-rules.ts';
import { checkOneOffHoliday, type OneOffHolidayForm } from './one-off-holiday.ts';
import { insertAddedHoliday, listAddedHolidays, type AddedHoliday } from './repository.ts';

/**
 * How long a process trusts its copy. Other processes (the worker, a second web server) cannot be told of an addition,
 * so they reload this often; the process that made the addition calls refreshHolidays() and sees it at once.
 */
export const HOLIDAY_CACHE_MS = 60_000;

type Cached = { calendar: Promise<HolidayCalendar>; loadedAt: number };

// Keyed by database, so tests with a database each, and a process that opens a second one, never share a calendar.
const cache = new WeakMap<Db, Cached>();

const asBankHoliday = (added: AddedHoliday): BankHoliday => ({ date: added.date, title: added.name, notes: '', origin: 'added' });

async function loadCalendar(db: Db | Trx): Promise<HolidayCalendar> {
  const added = await listAddedHolidays(db);
  return holidayCalendar(shippedBankHolidays(), added.map(asBankHoliday));
}

/** The England and Wales bank holidays in force, from this process's copy when it is fresh enough. */
export function holidaysFor(db: Db, now: number = Date.now()): Promise<HolidayCalendar> {
  const cached = cache.get(db);
  if (cached && now - cached.loadedAt < HOLIDAY_CACHE_MS) return cached.calendar;
  return refreshHolidays(db, now);
}

/** Reloads now: call it after the transaction that added a holiday has committed. */
export function refreshHolidays(db: Db, now: number = Date.now()): Promise<HolidayCalendar> {
  const entry: Cached = { calendar: loadCalendar(db), loadedAt: now };
  cache.set(db, entry);
  // A failed load must not stay cached, or every later deadline would fail the same way.
  void entry.calendar.catch(() => {
    if (cache.get(db) === entry) cache.delete(db);
  });
  return entry.calendar;
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

/**
 * Adds a one-off bank holiday inside the caller's transaction, with its audit event. Administrators only, or the
 * system (a command-line task). After the transaction commits, call refreshHolidays(db) so this process sees the day.
 */
export async function addOneOffHoliday(trx: Trx, actor: Actor, form: OneOffHolidayForm): Promise<BankHoliday> {
  const isAdministrator = actor.kind === 'staff' && actor.staff.role === 'administrator';
  if (!isAdministrator && actor.kind !== 'system') throw new Forbidden('administrators only');
  // Read inside the transaction rather than from the cache, so a day added a moment ago by someone else counts.
  const current = await loadCalendar(trx);
  const checked = checkOneOffHoliday(form, current);
  if ('errors' in checked) throw new Invalid(checked.errors);
  const { date, name } = checked.value;
  try {
    await insertAddedHoliday(trx, { date, name, addedByUserId: actor.kind === 'staff' ? actor.staff.userId : null });
  } catch (error) {
    // Two administrators adding the same day at once: the primary key decides, and the second sees the field error.
    if (isUniqueViolation(error)) throw new Invalid({ date: 'That date is already a bank holiday' });
    throw error;
  }
  await writeAudit(trx, actor, { action: 'bank_holiday.added', recordType: 'bank_holiday', recordId: date, detail: { date, name } });
  return { date, title: name, notes: '', origin: 'added' };
}
