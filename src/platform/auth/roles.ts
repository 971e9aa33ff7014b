// The staff roles and how each is named on the page.
import { STAFF_ROLES, type StaffRole } from '../db/schema.ts';

export { STAFF_ROLES, type StaffRole };

export const ROLE_NAMES: Record<StaffRole, string> = {
  coordinator: 'Victim care coordinator',
  supervisor: 'Hub supervisor',
  police_officer: 'Police officer',
  witness_care_officer: 'Witness care officer',
  provider_caseworker: 'Support caseworker',
  victim_liaison_officer: 'Victim liaison officer',
  commissioner_analyst: 'Commissioner’s analyst',
  administrator: 'Administrator',
};

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}
