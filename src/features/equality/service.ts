// Use-cases for equality monitoring on a case: read the victim's answers, and record them. Only the hub staff who may
// work on the case (the cases service decides, as for every page of a case) may; a guessed id or another area's case
// is a 404, and the refused attempt is audited. The audit trail says which answers changed, never what they are.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db } from '../../platform/db/transaction.ts';
import { Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { refusalsAudited } from '../case-messages/service.ts';
import { getCaseForStaff } from '../cases/service.ts';
// A pure rule (no I/O): pages name a case by the same short reference everywhere.
import { caseReference } from '../cases/rules.ts';
import { findEqualityAnswers, updateEqualityAnswers } from './repository.ts';
import { changedFields, checkEqualityAnswers, type EqualityAnswers, type EqualityField } from './rules.ts';

export type { EqualityAnswers, EqualityField };

export type EqualityPage = { caseId: string; reference: string; personName: string; answers: EqualityAnswers };

/** The case and its person, if this actor may work on the case; getCaseForStaff audits the read of the case. */
async function authorisedCase(db: Db, actor: Actor, caseId: string) {
  const found = await getCaseForStaff(db, actor, caseId);
  if (actor.kind !== 'staff') throw new NotFound('case');
  const personName = [found.person.givenName, found.person.familyName].filter(Boolean).join(' ');
  return { caseId: found.case.id, areaId: found.case.areaId, personId: found.case.personId, reference: caseReference(found.case.id), personName };
}

export async function getEqualityAnswers(db: Db, actor: Actor, caseId: string): Promise<EqualityPage> {
  return refusalsAudited(db, actor, caseId, 'equality', async () => {
    const found = await authorisedCase(db, actor, caseId);
    return inTransaction(db, async (trx) => {
      const answers = await findEqualityAnswers(trx, found.areaId, found.personId);
      if (!answers) throw new NotFound('case');
      await writeAudit(trx, actor, { action: 'equality.viewed', recordType: 'case', recordId: found.caseId });
      return { caseId: found.caseId, reference: found.reference, personName: found.personName, answers };
    });
  });
}

/**
 * Records the answers the form sends (an unanswered question is stored as not asked). Sending the same answers again
 * changes nothing and writes no audit row. A value not offered throws Invalid and stores nothing.
 */
export async function recordEqualityAnswers(db: Db, actor: Actor, caseId: string, form: Readonly<Record<string, unknown>>, now = new Date()): Promise<{ changed: EqualityField[] }> {
  return refusalsAudited(db, actor, caseId, 'equality', async () => {
    const found = await authorisedCase(db, actor, caseId);
    const checked = checkEqualityAnswers(form);
    if ('errors' in checked) throw new Invalid(checked.errors);
    return inTransaction(db, async (trx) => {
      const before = await findEqualityAnswers(trx, found.areaId, found.personId, true);
      if (!before) throw new NotFound('case');
      const changed = changedFields(before, checked.value);
      if (!changed.length) return { changed };
      await updateEqualityAnswers(trx, found.areaId, found.personId, checked.value, now);
      await writeAudit(trx, actor, { action: 'equality.changed', recordType: 'person', recordId: found.personId, detail: { caseId: found.caseId, fields: changed } });
      return { changed };
    });
  });
}
