// Which agencies may read a case, and as what: a pure rule (no I/O), so the service, its tests and every feature that
// shows a case to another agency (the police view, witness care's special measures, messages) share one answer.
import type { OrganisationKind, StaffRole } from '../../platform/db/schema.ts';
import { canWorkOnCases } from './rules.ts';

export const AGENCY_ACCESS = ['hub', 'police', 'witness_care', 'probation'] as const;
export type AgencyAccess = (typeof AGENCY_ACCESS)[number];

export type AgencyViewer = { userId: string; role: StaffRole; organisationId: string; organisationKind: OrganisationKind; areaId: string };
export type AgencyCaseFacts = { areaId: string; crime: { policeOrganisationId: string | null; officerUserId: string | null } | null };

/**
 * How the member of staff may read the case, or undefined when they may not:
 * - the hub's coordinators and supervisors, for every case in their area;
 * - police officers of the force that holds the crime, and the officer in charge it names, wherever they work;
 * - witness care officers, and probation's victim liaison officers, for the crimes of their own area: a case with no
 *   crime (a self-referral never reported) is nothing to them.
 * Providers never read a case this way: they see a referral, under consent (features/support-referrals).
 */
export function agencyAccessTo(viewer: AgencyViewer, victimCase: AgencyCaseFacts): AgencyAccess | undefined {
  const { crime } = victimCase;
  const sameArea = viewer.areaId === victimCase.areaId;
  switch (viewer.organisationKind) {
    case 'hub':
      return sameArea && canWorkOnCases(viewer.role) ? 'hub' : undefined;
    case 'police':
      if (viewer.role !== 'police_officer' || !crime) return undefined;
      return crime.officerUserId === viewer.userId || (crime.policeOrganisationId !== null && crime.policeOrganisationId === viewer.organisationId) ? 'police' : undefined;
    case 'witness_care':
      return sameArea && crime && viewer.role === 'witness_care_officer' ? 'witness_care' : undefined;
    case 'probation':
      return sameArea && crime && viewer.role === 'victim_liaison_officer' ? 'probation' : undefined;
    default:
      return undefined;
  }
}
