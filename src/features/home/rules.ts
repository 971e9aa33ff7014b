// What each staff role can do in Haven, in plain words for the start page.
import type { StaffRole } from '../../platform/auth/roles.ts';

export const ROLE_ABILITIES: Record<StaffRole, readonly string[]> = {
  coordinator: [
    'Triage new referrals',
    'Assess a victim’s needs and agree a care plan',
    'Refer people to support services, with their consent',
    'Keep Victims’ Code duties on time',
  ],
  supervisor: ['Assign work to coordinators', 'Review possible duplicate people', 'Watch overdue Victims’ Code duties'],
  police_officer: ['See the victims of your investigations', 'Post investigation updates in plain words', 'Answer victims’ messages'],
  witness_care_officer: ['Record hearing dates and court outcomes', 'Record special-measures needs'],
  provider_caseworker: [
    'Work your team’s inbox of referrals',
    'Accept or decline referrals',
    'Record progress and outcomes',
  ],
  victim_liaison_officer: ['Manage the Victim Contact Scheme: opt-in, contact level and licence-condition representations'],
  commissioner_analyst: ['See compliance, demand, capacity, outcomes and feedback in aggregate'],
  administrator: ['Manage the users, teams, roles and services of your organisation'],
};

export function abilitiesOf(role: StaffRole): readonly string[] {
  return ROLE_ABILITIES[role];
}
