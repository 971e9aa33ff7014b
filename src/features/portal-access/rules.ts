// Pure rules for who reaches which cases in the victim's portal. A victim reaches their own cases; a parent or carer
// of a child victim reaches the child's cases and may act (send messages, change preferences, withdraw consent); a
// named supporter may only read. Nothing else gives access: not the crime, not a shared address.
import type { PortalRelation } from '../../platform/db/schema.ts';

export type Relation = 'self' | PortalRelation;

export type ReachableCase = {
  caseId: string;
  /** The victim's person record (their own, or the child's for a parent). */
  personId: string;
  areaId: string;
  relation: Relation;
  /** False for a supporter: they read, but cannot send, change or withdraw anything. */
  canAct: boolean;
};

export const canActAs = (relation: Relation): boolean => relation !== 'supporter';

export type Need = 'read' | 'act';

/** The case by id among those in reach, if the need allows it: 'missing' is a 404, 'read_only' a 403. */
export function decideReach(reach: readonly ReachableCase[], caseId: string, need: Need): ReachableCase | 'missing' | 'read_only' {
  const found = reach.find((item) => item.caseId === caseId);
  if (!found) return 'missing';
  if (need === 'act' && !found.canAct) return 'read_only';
  return found;
}

export const RELATION_NAMES: Record<PortalRelation, string> = {
  parent_or_carer: 'Parent or carer (can act for the victim)',
  supporter: 'Supporter (can read only)',
};

export const DELEGATE_NAME_MAX_LENGTH = 100;
export const REVOKE_REASON_MAX_LENGTH = 500;
/** A parent or carer may act only for a victim under this age; an adult's supporter may only read. */
export const CHILD_AGE_LIMIT = 18;

export type DelegateForm = { displayName?: unknown; relation?: unknown; contact?: unknown };
export type CheckedDelegate = { displayName: string; relation: PortalRelation; contact: string };

/**
 * The staff form that links a parent, carer or supporter. The contact is checked by the caller with the sign-in rules'
 * parseAddress (an email or a mobile), so both read addresses alike. A parent or carer needs the victim to be a child.
 */
export function checkDelegateForm(form: DelegateForm, victimAge: number | null): { value: CheckedDelegate } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const displayName = typeof form.displayName === 'string' ? form.displayName.trim().replace(/\s+/g, ' ') : '';
  if (!displayName) errors.displayName = 'Enter their name';
  else if (displayName.length > DELEGATE_NAME_MAX_LENGTH) errors.displayName = `Name must be ${DELEGATE_NAME_MAX_LENGTH} characters or fewer`;
  const relation = form.relation === 'parent_or_carer' || form.relation === 'supporter' ? form.relation : null;
  if (!relation) errors.relation = 'Select whether they are a parent or carer, or a supporter';
  else if (relation === 'parent_or_carer' && victimAge === null) errors.relation = 'Record the victim’s date of birth before linking a parent or carer';
  else if (relation === 'parent_or_carer' && victimAge !== null && victimAge >= CHILD_AGE_LIMIT) errors.relation = 'A parent or carer can act only for a victim under 18. Link them as a supporter instead';
  const contact = typeof form.contact === 'string' ? form.contact.trim() : '';
  if (!contact) errors.contact = 'Enter their email address or mobile phone number';
  if (Object.keys(errors).length || !relation) return { errors };
  return { value: { displayName, relation, contact } };
}

export function checkRevokeReason(reason: unknown): { value: string } | { errors: Record<string, string> } {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (!text) return { errors: { reason: 'Enter why access is being removed' } };
  if (text.length > REVOKE_REASON_MAX_LENGTH) return { errors: { reason: `Reason must be ${REVOKE_REASON_MAX_LENGTH} characters or fewer` } };
  return { value: text };
}
