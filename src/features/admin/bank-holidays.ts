// Administrators see the England and Wales bank holidays in force and add a one-off day, such as a coronation, that
// was announced after the shipped calendar was last updated. The calendar itself lives in platform/time.
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction, type Db } from '../../platform/db/transaction.ts';
import { Forbidden, Invalid } from '../../platform/http/domain-errors.ts';
import { addOneOffHoliday, holidaysFor, refreshHolidays } from '../../platform/time/calendar.ts';
import type { BankHoliday } from '../../platform/time/holiday-rules.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { checkNewHoliday, holidaysByYear, type HolidayForm } from './bank-holiday-rules.ts';

function requireAdministrator(actor: Actor): void {
  if (actor.kind !== 'staff' || actor.staff.role !== 'administrator') throw new Forbidden('administrators only');
}

/**
 * The holidays from this year onwards. Read afresh rather than from the process's cached copy, so a day another web
 * server added a moment ago is listed. Nothing personal is shown, so the read is not audited.
 */
export async function listBankHolidays(db: Db, actor: Actor, now = new Date()) {
  requireAdministrator(actor);
  const calendar = await refreshHolidays(db);
  return holidaysByYear(calendar.holidays, londonDateOf(now));
}

/**
 * Adds a one-off bank holiday with its audit event (written by the calendar), then reloads this process's calendar so
 * every deadline worked out from now on counts the day. Other processes pick it up within HOLIDAY_CACHE_MS.
 */
export async function addBankHoliday(db: Db, actor: Actor, form: HolidayForm, now = new Date()): Promise<BankHoliday> {
  requireAdministrator(actor);
  const checked = checkNewHoliday(form, londonDateOf(now), await holidaysFor(db));
  if ('errors' in checked) throw new Invalid(checked.errors);
  const added = await inTransaction(db, (trx) => addOneOffHoliday(trx, actor, checked.value));
  await refreshHolidays(db);
  return added;
}
