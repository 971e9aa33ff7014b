// Use-cases for Victims' Code entitlements. decideEntitlements, isEnhanced and currentEntitlements take the caller's
// transaction, for the features that learn new facts (intake, the needs assessment) or time duties by enhanced status;
// the others are whole use-cases for hub coordinators and supervisors, each authorised through the cases service,
// validated, run in one transaction and audited. Nothing here ever deletes or silently drops a category.
import { randomUUID } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Conflict, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvent, caseFacts, getCaseForStaff } from '../cases/service.ts';
import {
  ENTITLEMENT_CATEGORY_NAMES,
  checkAddition,
  checkVictimView,
  checkWithdrawal,
  decideEntitlementsFor,
  evidenceKey,
  factsFromCase,
  victimViewFromAssessment,
  type EntitlementCategory,
  type EntitlementFacts,
} from './rules.ts';
import { latestAssessment } from '../assessment/service.ts';
import { insertCheck, insertDecisionIfNew, insertVictimView, latestCheckRules, listDecisions, withdrawDecision, type EntitlementDecision } from './repository.ts';

export type { EntitlementCategory, EntitlementFacts };

/** A category in force, marked for review when a rule gave it and the latest run of the rules no longer does. */
export type CurrentEntitlement = EntitlementDecision & { forReview: boolean };

const decidedBy = (actor: Actor): { userId: string | null; label: string } => {
  switch (actor.kind) {
    case 'staff':
      return { userId: actor.staff.userId, label: actor.staff.userId };
    case 'system':
      return { userId: null, label: `system:${actor.label}` };
    case 'api_client':
      return { userId: null, label: `api:${actor.client.clientId}` };
    case 'public':
      return { userId: null, label: 'public' };
    case 'victim':
      return { userId: null, label: `portal:${actor.victim.accountId}` };
  }
};

const categoriesOf = (entitlements: readonly { category: EntitlementCategory }[]): EntitlementCategory[] => [...new Set(entitlements.map((item) => item.category))];

function inForce(decisions: readonly EntitlementDecision[], latestRules: readonly string[] | undefined): CurrentEntitlement[] {
  return decisions
    .filter((decision) => decision.withdrawnAt === null)
    .map((decision) => ({ ...decision, forReview: decision.source === 'rule' && latestRules !== undefined && !latestRules.includes(decision.rule) }));
}

/** The categories in force on the case, those for review included. The caller has authorised and audits its use-case. */
export async function currentEntitlements(trx: Trx, caseId: string): Promise<CurrentEntitlement[]> {
  return inForce(await listDecisions(trx, caseId), await latestCheckRules(trx, caseId));
}

/** Whether the case has enhanced rights: any category in force, including one for review until a coordinator decides. */
export async function isEnhanced(trx: Trx, caseId: string): Promise<boolean> {
  return (await currentEntitlements(trx, caseId)).length > 0;
}

export type EntitlementOutcome = {
  categories: EntitlementCategory[];
  enhanced: boolean;
  enhancedChanged: boolean;
  /** Rules recorded by this run. */
  added: string[];
  /** Rule-given categories the rules no longer give: kept, for a coordinator to decide. */
  forReview: string[];
};

/**
 * Runs the rules on a case's facts, in the caller's transaction, and records each newly given category. The same
 * facts twice record nothing the second time. A category the rules no longer give stays in force, marked for review.
 * A category a coordinator withdrew is not given back on the same evidence, only on different facts.
 */
export async function decideEntitlements(trx: Trx, actor: Actor, caseId: string, facts: EntitlementFacts): Promise<EntitlementOutcome> {
  const before = await listDecisions(trx, caseId);
  const enhancedBefore = before.some((decision) => decision.withdrawnAt === null);
  const given = decideEntitlementsFor(facts);
  const who = decidedBy(actor);
  const victimView = victimViewFromAssessment(facts.assessment);
  const added: string[] = [];
  for (const entitlement of given) {
    const sameRule = before.filter((decision) => decision.source === 'rule' && decision.rule === entitlement.rule);
    if (sameRule.some((decision) => decision.withdrawnAt === null)) continue;
    if (sameRule.some((decision) => evidenceKey(decision.evidence) === evidenceKey(entitlement.evidence))) continue;
    const id = await insertDecisionIfNew(trx, { caseId, ...entitlement, source: 'rule', decidedByUserId: who.userId, decidedBy: who.label, victimView });
    if (id) added.push(entitlement.rule);
  }
  const rules = given.map((entitlement) => entitlement.rule);
  const latest = await latestCheckRules(trx, caseId);
  const rulesChanged = latest === undefined || latest.length !== rules.length || rules.some((rule) => !latest.includes(rule));
  if (rulesChanged) await insertCheck(trx, caseId, rules, who.userId, who.label);
  const current = await currentEntitlements(trx, caseId);
  const forReview = current.filter((item) => item.forReview).map((item) => item.rule);
  const enhanced = current.length > 0;
  const outcome = { categories: categoriesOf(current), enhanced, enhancedChanged: enhanced !== enhancedBefore, added, forReview };
  if (added.length || rulesChanged) {
    await appendTimelineEvent(trx, actor, {
      caseId,
      kind: 'entitlements_decided',
      summary: enhanced
        ? `Enhanced rights: ${outcome.categories.map((category) => ENTITLEMENT_CATEGORY_NAMES[category].toLowerCase()).join(', ')}${forReview.length ? ' (some for review)' : ''}`
        : 'No enhanced rights under the Victims’ Code rules',
      detail: { added, rules, forReview, enhanced },
      source: 'entitlement_rules',
      idempotencyKey: `entitlements:${caseId}:${randomUUID()}`,
      visibility: 'staff',
      occurredAt: new Date(),
    });
  }
  await writeAudit(trx, actor, { action: 'entitlements.decided', recordType: 'case', recordId: caseId, detail: { rules, added, forReview, enhanced, enhancedChanged: outcome.enhancedChanged } });
  return outcome;
}

/**
 * Runs the rules on what Haven holds about the case (the case, person, crime, referral flags, recent cases and the
 * latest needs assessment), in the caller's transaction: for the features that learn new facts and have authorised.
 */
export async function decideEntitlementsForCase(trx: Trx, actor: Actor, caseId: string): Promise<EntitlementOutcome> {
  const record = await caseFacts(trx, caseId);
  const assessment = await latestAssessment(trx, caseId);
  return decideEntitlements(trx, actor, caseId, factsFromCase({ ...record, assessment: assessment?.evidence ?? null }));
}

// --- The coordinator's page: see, add, withdraw, and record the victim's view. ---

/** The case, if the actor is a hub coordinator or supervisor of its area; anything else is NotFound, from the cases service. */
async function authorisedCase(db: Db, actor: Actor, caseId: string): Promise<{ staff: StaffIdentity; caseId: string }> {
  if (actor.kind !== 'staff') throw new NotFound('case');
  const found = await getCaseForStaff(db, actor, caseId);
  return { staff: actor.staff, caseId: found.case.id };
}

export type EntitlementsPage = {
  caseId: string;
  /** A short reference that names no one, as the cases feature shows it (the first 8 characters of the id). */
  reference: string;
  current: CurrentEntitlement[];
  withdrawn: EntitlementDecision[];
  enhanced: boolean;
};

export async function getEntitlementsPage(db: Db, actor: Actor, caseId: string): Promise<EntitlementsPage> {
  const { caseId: id } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const decisions = await listDecisions(trx, id);
    const current = inForce(decisions, await latestCheckRules(trx, id));
    await writeAudit(trx, actor, { action: 'entitlements.viewed', recordType: 'case', recordId: id, detail: { inForce: current.length } });
    return {
      caseId: id,
      reference: id.replace(/-/g, '').slice(0, 8).toUpperCase(),
      current,
      withdrawn: decisions.filter((decision) => decision.withdrawnAt !== null),
      enhanced: current.length > 0,
    };
  });
}

/** A coordinator adds a category with a reason (required) and, if they have it, the victim's view. */
export async function addEntitlement(db: Db, actor: Actor, caseId: string, input: { category?: unknown; reason?: unknown; victimView?: unknown }): Promise<string> {
  const { staff, caseId: id } = await authorisedCase(db, actor, caseId);
  const checked = checkAddition(input);
  if ('errors' in checked) throw new Invalid(checked.errors);
  const { category, reason, victimView } = checked.value;
  return inTransaction(db, async (trx) => {
    const decisionId = await insertDecisionIfNew(trx, {
      caseId: id,
      category,
      source: 'coordinator',
      rule: `coordinator.${category}`,
      reason,
      evidence: { decidedBy: 'coordinator' },
      decidedByUserId: staff.userId,
      decidedBy: staff.userId,
      victimView,
    });
    // Sending the form twice, or adding what a colleague already added, records nothing new.
    if (!decisionId) throw new Invalid({ category: `A coordinator has already put this case in the ${ENTITLEMENT_CATEGORY_NAMES[category].toLowerCase()} category` });
    await appendTimelineEvent(trx, actor, {
      caseId: id,
      kind: 'entitlement_added',
      summary: `Enhanced rights: ${ENTITLEMENT_CATEGORY_NAMES[category].toLowerCase()}, added by ${staff.displayName}`,
      detail: { decisionId, category },
      source: 'staff',
      idempotencyKey: `entitlement:${decisionId}:added`,
      visibility: 'staff',
      occurredAt: new Date(),
    });
    // The reason and the view may name people or circumstances: they stay on the decision, not in the audit trail.
    await writeAudit(trx, actor, { action: 'entitlement.added', recordType: 'case', recordId: id, detail: { decisionId, category, withVictimView: victimView !== null } });
    return decisionId;
  });
}

async function decisionInCase(trx: Trx, caseId: string, decisionId: string): Promise<EntitlementDecision> {
  const decision = (await listDecisions(trx, caseId)).find((item) => item.id === decisionId);
  if (!decision) throw new NotFound('entitlement');
  return decision;
}

/** Withdraws a category, whoever gave it, with a reason; it stays in the history with who, when and why. */
export async function withdrawEntitlement(db: Db, actor: Actor, caseId: string, decisionId: string, input: { reason?: unknown }): Promise<void> {
  const { staff, caseId: id } = await authorisedCase(db, actor, caseId);
  const checked = checkWithdrawal(input);
  if ('errors' in checked) throw new Invalid(checked.errors);
  await inTransaction(db, async (trx) => {
    const decision = await decisionInCase(trx, id, decisionId);
    if (!(await withdrawDecision(trx, decision.id, staff.userId, checked.value.reason))) throw new Conflict('This category has already been withdrawn');
    await appendTimelineEvent(trx, actor, {
      caseId: id,
      kind: 'entitlement_withdrawn',
      summary: `Enhanced rights: ${ENTITLEMENT_CATEGORY_NAMES[decision.category].toLowerCase()} withdrawn by ${staff.displayName}`,
      detail: { decisionId: decision.id, category: decision.category, rule: decision.rule, source: decision.source },
      source: 'staff',
      idempotencyKey: `entitlement:${decision.id}:withdrawn`,
      visibility: 'staff',
      occurredAt: new Date(),
    });
    await writeAudit(trx, actor, {
      action: 'entitlement.withdrawn',
      recordType: 'case',
      recordId: id,
      detail: { decisionId: decision.id, category: decision.category, rule: decision.rule, source: decision.source },
    });
  });
}

/** Records what the victim thinks of a category in force; earlier views stay in the history. */
export async function recordVictimView(db: Db, actor: Actor, caseId: string, decisionId: string, input: { victimView?: unknown }): Promise<void> {
  const { staff, caseId: id } = await authorisedCase(db, actor, caseId);
  const checked = checkVictimView(input);
  if ('errors' in checked) throw new Invalid(checked.errors);
  await inTransaction(db, async (trx) => {
    const decision = await decisionInCase(trx, id, decisionId);
    if (decision.withdrawnAt) throw new Conflict('This category has been withdrawn');
    await insertVictimView(trx, decision.id, checked.value.victimView, staff.userId);
    await writeAudit(trx, actor, { action: 'entitlement.victim_view_recorded', recordType: 'case', recordId: id, detail: { decisionId: decision.id, category: decision.category } });
  });
}

/** A coordinator asks for the rules to be run again on the case as it stands now. */
export async function recheckEntitlements(db: Db, actor: Actor, caseId: string): Promise<EntitlementOutcome> {
  const { caseId: id } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, (trx) => decideEntitlementsForCase(trx, actor, id));
}
