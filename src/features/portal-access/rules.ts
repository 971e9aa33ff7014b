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
