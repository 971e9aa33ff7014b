// Use-cases for people that intake composes into its own transaction (police feed, API, file import, self-referral,
// agency referral). The caller has already decided the door may create people; these validate and audit.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit, writeAuditMany } from '../../platform/audit/writer.ts';
import type { Trx } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { areasOfPeople, findPerson, insertPeople, personAreaOf, updateSafeContact, type Person } from './repository.ts';
import { checkPerson, matchingName, type NewPerson, type PersonInput, type SafeContact } from './rules.ts';

export type { NewPerson, Person, PersonInput, SafeContact };
export { matchingName };

/** Today's date in England and Wales, YYYY-MM-DD. */
export const todayInLondon = (now = new Date()): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/** A new person's details checked and normalised as createPerson would store them, for matching before creating. */
export function normalisePerson(input: PersonInput, today = todayInLondon()): NewPerson {
  const checked = checkPerson(input, today);
  if ('errors' in checked) throw new Invalid(checked.errors);
  return checked.value;
}

export async function createPerson(trx: Trx, actor: Actor, input: PersonInput): Promise<Person> {
  const [id] = await createPeople(trx, actor, [input]);
  const person = id === undefined ? undefined : await findPerson(trx, input.areaId, id);
  if (!person) throw new Error('The person just created could not be read back');
  return person;
}

/**
 * Creates people in one statement and audits each; returns their ids in the order given. Every input is checked first
 * and nothing is written unless all pass (Invalid names the first bad one's fields), so a batch caller such as the
 * file import checks its people with normalisePerson before it gets here.
 */
export async function createPeople(trx: Trx, actor: Actor, inputs: readonly PersonInput[]): Promise<string[]> {
  const today = todayInLondon();
  const people = inputs.map((input) => {
    const checked = checkPerson(input, today);
    if ('errors' in checked) throw new Invalid(checked.errors);
    return { ...checked.value, id: randomUUID() };
  });
  await insertPeople(trx, people);
  // Field names only: which details were given, never their values.
  await writeAuditMany(
    trx,
    actor,
    people.map((person) => ({ action: 'person.created', recordType: 'person', recordId: person.id, detail: { fields: givenFields(person) } })),
  );
  return people.map((person) => person.id);
}

const givenFields = ({ id: _id, ...person }: NewPerson & { id: string }): string[] =>
  Object.entries(person)
    .filter(([field, value]) => field !== 'areaId' && field !== 'matchName' && value !== null && !(Array.isArray(value) && value.length === 0))
    .map(([field]) => field);

/** A person in the given area, for other features' services that have already authorised the reader. */
export function personInArea(trx: Trx, areaId: string, personId: string): Promise<Person | undefined> {
  return findPerson(trx, areaId, personId);
}

/** A person named by id, in whichever area, for intake that has just created or matched them. */
export async function personById(trx: Trx, personId: string): Promise<Person | undefined> {
  const areaId = await personAreaOf(trx, personId);
  return areaId === undefined ? undefined : findPerson(trx, areaId, personId);
}

/** The area of each of these people, by id: for opening cases in a batch for people intake has just created or matched. */
export function peopleAreas(trx: Trx, personIds: readonly string[]): Promise<Map<string, string>> {
  return areasOfPeople(trx, personIds);
}

/**
 * Replaces a person's safe-contact profile, already checked by the caller, who has also authorised the actor for the
 * person's case. The audit names the fields that changed, never their values (a code word is a secret).
 */
export async function changeSafeContact(trx: Trx, actor: Actor, person: Pick<Person, 'id' | 'areaId' | 'safeContact'>, safeContact: SafeContact): Promise<void> {
  if (!(await updateSafeContact(trx, person.areaId, person.id, safeContact))) throw new Error('The person to update could not be found');
  const before = (person.safeContact ?? {}) as Record<string, unknown>;
  const changed = Object.keys(safeContact).filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify((safeContact as Record<string, unknown>)[field] ?? null));
  await writeAudit(trx, actor, { action: 'person.safe_contact_changed', recordType: 'person', recordId: person.id, detail: { fields: changed } });
}
