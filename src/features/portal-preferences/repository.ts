// All SQL of the portal's preferences: the preference columns of the people an account reaches, and the change of
// language, communication needs or update frequency. The safe-contact profile is changed through the people service.
import type { Trx } from '../../platform/db/transaction.ts';

export type PersonPreferences = {
  id: string;
  areaId: string;
  givenName: string;
  preferredLanguage: string;
  communicationNeeds: string | null;
  updateFrequency: string | null;
  safeContact: Record<string, unknown>;
};

/**
 * The people by id, with their preferences; a merged-away record is left out (its cases moved with it). A change locks
 * the row, so two changes at once are compared and written one after the other.
 */
export async function preferencesOf(trx: Trx, personIds: readonly string[], options: { lock?: boolean } = {}): Promise<PersonPreferences[]> {
  if (!personIds.length) return [];
  const query = trx
    .selectFrom('person')
    .select(['id', 'area_id', 'given_name', 'preferred_language', 'communication_needs', 'update_frequency', 'safe_contact'])
    .where('id', 'in', personIds)
    .where('merged_into_person_id', 'is', null);
  const rows = await (options.lock ? query.forUpdate() : query).execute();
  return rows.map((row) => ({
    id: row.id,
    areaId: row.area_id,
    givenName: row.given_name,
    preferredLanguage: row.preferred_language,
    communicationNeeds: row.communication_needs,
    updateFrequency: row.update_frequency,
    safeContact: row.safe_contact ?? {},
  }));
}

export type PreferenceColumns = { preferredLanguage?: string; communicationNeeds?: string | null; updateFrequency?: string | null };

export async function updatePreferences(trx: Trx, person: { id: string; areaId: string }, values: PreferenceColumns): Promise<boolean> {
  const result = await trx
    .updateTable('person')
    .set({
      ...(values.preferredLanguage === undefined ? {} : { preferred_language: values.preferredLanguage }),
      ...(values.communicationNeeds === undefined ? {} : { communication_needs: values.communicationNeeds }),
      ...(values.updateFrequency === undefined ? {} : { update_frequency: values.updateFrequency }),
      updated_at: new Date(),
    })
    .where('id', '=', person.id)
    .where('area_id', '=', person.areaId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
