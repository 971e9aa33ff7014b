// Pure rules for cases: the names of roles, sources and statuses, which status changes are allowed, what a crime
// record needs, and who may work on a case. Deterministic: no I/O.
import type { StaffRole } from '../../platform/auth/roles.ts';
import {
  CASE_ROLES,
  CASE_SOURCES,
  CASE_STATUSES,
  type CaseRole,
  type CaseSource,
  type CaseStatus,
} from '../../platform/db/schema.ts';

export { CASE_ROLES, CASE_SOURCES, CASE_STATUSES, type CaseRole, type CaseSource, type CaseStatus };

export type FieldErrors = Record<string, string>;

export const CASE_ROLE_NAMES: Record<CaseRole, string> = {
  victim: 'Victim',
  witness: 'Witness',
  bereaved_relative: 'Bereaved relative',
  parent_of_child_victim: 'Parent of a child victim',
};

export const CASE_SOURCE_NAMES: Record<CaseSource, string> = {
  police_feed: 'Police feed',
  police_api: 'Police referral',
  file_import: 'Daily file',
  self_referral: 'Self-referral',
  agency_referral: 'Agency referral',
};

export const CASE_STATUS_NAMES: Record<CaseStatus, string> = {
  new: 'New',
  contacted: 'Contacted',
  active: 'Active',
  closed: 'Closed',
};

// A closed case can be reopened as active when the person comes back; nothing goes back to "new".
const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  new: ['contacted', 'active', 'closed'],
  contacted: ['active', 'closed'],
  active: ['closed'],
  closed: ['active'],
};

export const isCaseStatus = (value: unknown): value is CaseStatus =>
  typeof value === 'string' && (CASE_STATUSES as readonly string[]).includes(value);
export const isCaseRole = (value: unknown): value is CaseRole =>
  typeof value === 'string' && (CASE_ROLES as readonly string[]).includes(value);
export const isCaseSource = (value: unknown): value is CaseSource =>
  typeof value === 'string' && (CASE_SOURCES as readonly string[]).includes(value);

export function canMoveCase(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const CLOSED_REASON_MAX_LENGTH = 500;

/** Checks a status change; a closed case must say why, and the reason is kept only for closing. */
export function checkStatusChange(
  from: CaseStatus,
  to: unknown,
  reason: string | null | undefined,
): { value: { status: CaseStatus; closedReason: string | null } } | { errors: FieldErrors } {
  if (!isCaseStatus(to)) return { errors: { status: 'Select a status' } };
  if (from === to) return { errors: { status: `The case is already ${CASE_STATUS_NAMES[to].toLowerCase()}` } };
  if (!canMoveCase(from, to)) {
    return { errors: { status: `A ${CASE_STATUS_NAMES[from].toLowerCase()} case cannot become ${CASE_STATUS_NAMES[to].toLowerCase()}` } };
  }
  if (to !== 'closed') return { value: { status: to, closedReason: null } };
  const closedReason = (reason ?? '').trim();
  if (!closedReason) return { errors: { reason: 'Enter why the case is being closed' } };
  if (closedReason.length > CLOSED_REASON_MAX_LENGTH) {
    return { errors: { reason: `The reason must be ${CLOSED_REASON_MAX_LENGTH} characters or fewer` } };
  }
  return { value: { status: to, closedReason } };
}

/** Hub staff who work on cases: coordinators, and supervisors who assign and oversee them. */
export const CASE_WORKER_ROLES: readonly StaffRole[] = ['coordinator', 'supervisor'];
export const canWorkOnCases = (role: StaffRole): boolean => CASE_WORKER_ROLES.includes(role);

export type CrimeInput = {
  areaId: string;
  crimeReference: string;
  offenceCode: string;
  offenceCategory: string;
  offenceGroup?: string | null;
  committedFrom?: string | null;
  committedTo?: string | null;
  reportedAt?: Date | null;
  officerInCharge?: string | null;
  policeOrganisationId?: string | null;
};

export type NewCrime = Required<CrimeInput>;

/** Crime references are compared in capitals without surrounding spaces. */
export const normaliseCrimeReference = (value: string): string => value.trim().replace(/\s+/g, ' ').toUpperCase();

const isDate = (value: string): boolean => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
};

/** Checks a crime's details; `today` is YYYY-MM-DD in Europe/London, as an offence cannot be in the future. */
export function checkCrime(input: CrimeInput, today: string): { value: NewCrime } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const crimeReference = normaliseCrimeReference(input.crimeReference ?? '');
  if (!crimeReference) errors.crimeReference = 'Enter the crime reference';
  else if (crimeReference.length > 50) errors.crimeReference = 'Crime reference must be 50 characters or fewer';
  const offenceCode = (input.offenceCode ?? '').trim();
  if (!offenceCode) errors.offenceCode = 'Enter the Home Office offence code';
  const offenceCategory = (input.offenceCategory ?? '').trim();
  if (!offenceCategory) errors.offenceCategory = 'Enter the offence category';
  const committedFrom = input.committedFrom?.trim() || null;
  const committedTo = input.committedTo?.trim() || null;
  for (const [field, value] of [['committedFrom', committedFrom], ['committedTo', committedTo]] as const) {
    if (value && !isDate(value)) errors[field] = 'Enter a real date';
    else if (value && value > today) errors[field] = 'The offence date must not be in the future';
  }
  if (!errors.committedFrom && !errors.committedTo && committedFrom && committedTo && committedFrom > committedTo) {
    errors.committedTo = 'The end of the offence must be on or after its start';
  }
  if (Object.keys(errors).length) return { errors };
  return {
    value: {
      areaId: input.areaId,
      crimeReference,
      offenceCode,
      offenceCategory,
      offenceGroup: input.offenceGroup?.trim() || null,
      committedFrom,
      committedTo,
      reportedAt: input.reportedAt ?? null,
      officerInCharge: input.officerInCharge?.trim() || null,
      policeOrganisationId: input.policeOrganisationId ?? null,
    },
  };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);
