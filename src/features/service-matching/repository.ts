// The SQL of service matching: what it reads of a case that the cases service does not hand over (its area, and the
// language the referral gave for its person). The directory's services are read through the directory.
import type { Trx } from '../../platform/db/transaction.ts';

export async function findCaseForMatching(trx: Trx, caseId: string): Promise<{ areaId: string; preferredLanguage: string | null } | undefined> {
  const row = await trx
    .selectFrom('victim_case')
    .innerJoin('person', 'person.id', 'victim_case.person_id')
    .select(['victim_case.area_id', 'person.preferred_language'])
    .where('victim_case.id', '=', caseId)
    .executeTakeFirst();
  return row && { areaId: row.area_id, preferredLanguage: row.preferred_language };
}
