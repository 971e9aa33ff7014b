// All SQL for people. Every lookup by id is scoped to an area, so a query cannot reach another area's person by mistake.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';
import type { NewPerson, SafeContact } from './rules.ts';

export type Person = NewPerson & {
  id: string;
  repeatVictim: boolean;
  mergedIntoPersonId: string | null;
  createdAt: Date;
  updatedAt: Date;
};

/**
 * Inserts people in one statement, with ids the caller chose (so each result is known without relying on the order
 * RETURNING gives). Arrays through unnest keep the statement small to parse whatever the batch size.
 */
export async function insertPeople(trx: Trx, people: readonly (NewPerson & { id: string })[]): Promise<void> {
  if (!people.length) return;
  const column = <T>(pick: (person: NewPerson & { id: string }) => T): T[] => people.map(pick);
  await sql`
    insert into person (id, area_id, given_name, family_name, other_names, match_name, date_of_birth, email, phone,
      address_line_1, address_line_2, town, postcode, preferred_language, communication_needs, safe_contact)
    select id, area_id, given_name, family_name, array(select jsonb_array_elements_text(other_names)), match_name,
      date_of_birth, email, phone, address_line_1, address_line_2, town, postcode, preferred_language, communication_needs, safe_contact
    from unnest(
      ${column((p) => p.id)}::uuid[], ${column((p) => p.areaId)}::uuid[], ${column((p) => p.givenName)}::text[],
      ${column((p) => p.familyName)}::text[], ${column((p) => JSON.stringify(p.otherNames))}::jsonb[], ${column((p) => p.matchName)}::text[],
      ${column((p) => p.dateOfBirth)}::date[], ${column((p) => p.email)}::text[], ${column((p) => p.phone)}::text[],
      ${column((p) => p.addressLine1)}::text[], ${column((p) => p.addressLine2)}::text[], ${column((p) => p.town)}::text[],
      ${column((p) => p.postcode)}::text[], ${column((p) => p.preferredLanguage)}::text[], ${column((p) => p.communicationNeeds)}::text[],
      ${column((p) => JSON.stringify(p.safeContact))}::jsonb[]
    ) as given (id, area_id, given_name, family_name, other_names, match_name, date_of_birth, email, phone,
      address_line_1, address_line_2, town, postcode, preferred_language, communication_needs, safe_contact)
  `.execute(trx);
}

export async function findPerson(trx: Trx, areaId: string, personId: string): Promise<Person | undefined> {
  const row = await trx.selectFrom('person').selectAll().where('id', '=', personId).where('area_id', '=', areaId).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    areaId: row.area_id,
    givenName: row.given_name,
    familyName: row.family_name,
    otherNames: row.other_names,
    matchName: row.match_name,
    dateOfBirth: row.date_of_birth,
    email: row.email,
    phone: row.phone,
    addressLine1: row.address_line_1,
    addressLine2: row.address_line_2,
    town: row.town,
    postcode: row.postcode,
    preferredLanguage: row.preferred_language,
    communicationNeeds: row.communication_needs,
    safeContact: row.safe_contact as SafeContact,
    repeatVictim: row.repeat_victim,
    mergedIntoPersonId: row.merged_into_person_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function personAreaOf(trx: Trx, personId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('person').select('area_id').where('id', '=', personId).executeTakeFirst();
  return row?.area_id;
}

/** The area of each person that exists, by id. */
export async function areasOfPeople(trx: Trx, personIds: readonly string[]): Promise<Map<string, string>> {
  if (!personIds.length) return new Map();
  const rows = await trx.selectFrom('person').select(['id', 'area_id']).where('id', 'in', [...new Set(personIds)]).execute();
  return new Map(rows.map((row) => [row.id, row.area_id]));
}

/** Replaces the person's safe-contact profile; false when no such person is in the area. */
export async function updateSafeContact(trx: Trx, areaId: string, personId: string, safeContact: SafeContact): Promise<boolean> {
  const result = await trx
    .updateTable('person')
    .set({ safe_contact: JSON.stringify(safeContact), updated_at: new Date() })
    .where('id', '=', personId)
    .where('area_id', '=', areaId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
