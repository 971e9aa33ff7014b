// A case as another agency reads it: the police officer in charge, witness care, probation, and the hub. One check
// (agency-rules.ts), one audit row, and a guessed or foreign id that looks exactly like a missing one.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { findOrganisation } from '../../platform/db/organisations.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { NotFound } from '../../platform/http/domain-errors.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { personInArea, type Person } from '../people/service.ts';
import { agencyAccessTo, type AgencyAccess } from './agency-rules.ts';
import { findCaseAnyArea, findCrime, type Crime, type VictimCase } from './repository.ts';

export type { AgencyAccess };
export type AgencyCase = { case: VictimCase; person: Person; crime: Crime | null; access: AgencyAccess };

/** The case for a member of staff of any agency that holds it, audited as viewed; anyone else gets NotFound. */
export async function getCaseForAgency(db: Db, actor: Actor, caseId: string): Promise<AgencyCase> {
  return inTransaction(db, (trx) => caseForAgencyIn(trx, actor, caseId));
}

/** getCaseForAgency inside the caller's transaction, so a write can check access and act in one. */
export async function caseForAgencyIn(trx: Trx, actor: Actor, caseId: string, options: { forUpdate?: boolean } = {}): Promise<AgencyCase> {
  const found = await readableCase(trx, actor, caseId, options);
  await writeAudit(trx, actor, { action: 'case.viewed', recordType: 'case', recordId: found.case.id, detail: { access: found.access } });
  return found;
}

/** The check alone, unaudited: for a caller that audits its own, more specific, action. */
export async function readableCase(trx: Trx, actor: Actor, caseId: string, options: { forUpdate?: boolean } = {}): Promise<AgencyCase> {
  if (actor.kind !== 'staff' || !isUuid(caseId)) throw new NotFound('case');
  const { staff } = actor;
  const organisation = staff.organisationKind ? { kind: staff.organisationKind, areaId: staff.areaId } : await findOrganisation(trx, staff.organisationId);
  if (!organisation) throw new NotFound('case');
  const victimCase = await findCaseAnyArea(trx, caseId, options);
  if (!victimCase) throw new NotFound('case');
  const crime = victimCase.crimeId ? ((await findCrime(trx, victimCase.areaId, victimCase.crimeId)) ?? null) : null;
  const access = agencyAccessTo(
    { userId: staff.userId, role: staff.role, organisationId: staff.organisationId, organisationKind: organisation.kind, areaId: organisation.areaId },
    { areaId: victimCase.areaId, crime },
  );
  if (!access) throw new NotFound('case');
  const person = await personInArea(trx, victimCase.areaId, victimCase.personId);
  if (!person) throw new NotFound('case');
  return { case: victimCase, person, crime, access };
}
