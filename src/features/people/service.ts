// Use-cases for people that intake composes into its own transaction (police feed, API, file import, self-referral,
// agency referral). The caller has already decided the door may create people; these validate and audit.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import type { Trx } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { findPerson, insertPerson, personAreaOf, type Person } from './repository.ts';
import { checkPerson, matchingName, type NewPerson, type PersonInput } from './rules.ts';

export type { NewPerson, Person, PersonInput };
export { matchingName };

/** Today's date in England and Wales, YYYY-MM-DD. */
export const todayInLondon = (now = new Date()): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/** A new person's details checked and normalised as createPerson would store them, for matching before creating. */
export function normalisePerson(input: PersonInput): NewPerson {
  const checked = checkPerson(input, todayInLondon());
  if ('errors' in checked) throw new Invalid(checked.errors);
  return checked.value;
}

export async function createPerson(trx: Trx, actor: Actor, input: PersonInput): Promise<Person> {
  const checked = checkPerson(input, todayInLondon());
  if ('errors' in checked) throw new Invalid(checked.errors);
  const id = await insertPerson(trx, checked.value);
  // Field names only: which details were given, never their values.
  const given = Object.entries(checked.value)
    .filter(([field, value]) => field !== 'areaId' && field !== 'matchName' && value !== null && !(Array.isArray(value) && value.length === 0))
    .map(([field]) => field);
  await writeAudit(trx, actor, { action: 'person.created', recordType: 'person', recordId: id, detail: { fields: given } });
  const person = await findPerson(trx, checked.value.areaId, id);
  if (!person) throw new Error('The person just created could not be read back');
  return person;
}

/** A person in the given area, for other features' services that have already authorised the reader. */
export function personInArea(trx: Trx, areaId: string, personId: string): Promise<Person | undefined> {
  return findPerson(trx, areaId, personId);
}

/** A person named by id, in whichever area, for intake that has just created or matched them. */
export async function personById(trx: Trx, personId: string): Promise<Person | undefined> {
  const areaId = await personAreaOf(trx, personId);
  return areaId === undefined ? undefined : findPerson(trx, areaId, personId);
}
