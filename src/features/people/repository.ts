// All SQL for people. Every lookup by id is scoped to an area, so a query cannot reach another area's person by mistake.
import type { Trx } from '../../platform/db/transaction.ts';
import type { NewPerson, SafeContact } from './rules.ts';

export type Person = NewPerson & {
  id: string;
  repeatVictim: boolean;
  mergedIntoPersonId: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export async function insertPerson(trx: Trx, person: NewPerson): Promise<string> {
  const row = await trx
    .insertInto('person')
    .values({
      area_id: person.areaId,
      given_name: person.givenName,
      family_name: person.familyName,
      other_names: person.otherNames,
      match_name: person.matchName,
      date_of_birth: person.dateOfBirth,
      email: person.email,
      phone: person.phone,
      address_line_1: person.addressLine1,
      address_line_2: person.addressLine2,
      town: person.town,
      postcode: person.postcode,
      preferred_language: person.preferredLanguage,
      communication_needs: person.communicationNeeds,
      safe_contact: JSON.stringify(person.safeContact),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
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
