// All SQL for bank holidays added by an administrator. The database driver hands a date column back as 'YYYY-MM-DD'
// text (platform/db/database.ts), so a calendar day never passes through an instant on its way in or out.
import type { Db, Trx } from '../db/transaction.ts';
import type { CalendarDate } from './calendar-date.ts';

export type AddedHoliday = { date: CalendarDate; name: string; addedByUserId: string | null; addedAt: Date };

export async function listAddedHolidays(db: Db | Trx): Promise<AddedHoliday[]> {
  const rows = await db.selectFrom('bank_holiday_added').select(['date', 'name', 'added_by_user_id', 'added_at']).orderBy('date').execute();
  return rows.map((row) => ({ date: row.date, name: row.name, addedByUserId: row.added_by_user_id, addedAt: row.added_at }));
}


export async function insertAddedHoliday(trx: Trx, holiday: { date: CalendarDate; name: string; addedByUserId: string | null }): Promise<void> {
  await trx.insertInto('bank_holiday_added').values({ date: holiday.date, name: holiday.name, added_by_user_id: holiday.addedByUserId }).execute();
}
