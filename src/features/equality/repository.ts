// All SQL of equality monitoring: the three answers on the person, read and written within the case's area only.
import type { Trx } from '../../platform/db/transaction.ts';
import type { EqualityAnswers } from './rules.ts';

/** The person's answers, locked when about to change them; undefined when no such person is in the area. */
export async function findEqualityAnswers(trx: Trx, areaId: string, personId: string, forUpdate = false): Promise<EqualityAnswers | undefined> {
  let query = trx.selectFrom('person').select(['sex', 'ethnic_group', 'disabled']).where('id', '=', personId).where('area_id', '=', areaId);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? { sex: row.sex, ethnicGroup: row.ethnic_group, disabled: row.disabled } : undefined;
}

export async function updateEqualityAnswers(trx: Trx, areaId: string, personId: string, answers: EqualityAnswers, now: Date): Promise<void> {
  await trx
    .updateTable('person')
    .set({ sex: answers.sex, ethnic_group: answers.ethnicGroup, disabled: answers.disabled, updated_at: now })
    .where('id', '=', personId)
    .where('area_id', '=', areaId)
    .execute();
}
