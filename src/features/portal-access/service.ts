// Authorisation for every portal page: which cases the signed-in account reaches, and the one case a page asks for.
// Every portal service calls portalCase (or, reading a case in one statement, readPortalCase) before reading or
// writing a case, so a guessed or another victim's case id is a 404 whichever page it is tried on; a supporter trying
// to change something gets a 403.
import type { RawBuilder } from 'kysely';
import type { Actor, VictimIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Forbidden, NotFound } from '../../platform/http/domain-errors.ts';
import { ensureVictimAccount, reachableCases, reachableFrom, reachOfCase, type ReachRow } from './repository.ts';
import { decideReach, type Need, type ReachableCase } from './rules.ts';

export type { Need, ReachableCase, ReachRow };

/** The portal account behind an actor; anyone else (staff, system, public) is refused. */
export function victimOf(actor: Actor): VictimIdentity {
  if (actor.kind !== 'victim') throw new Forbidden('only a portal account uses the portal');
  return actor.victim;
}

/** Every case the actor reaches, their own first, then those they act for or support. */
export async function casesInReach(db: Db | Trx, actor: Actor): Promise<ReachableCase[]> {
  const victim = victimOf(actor);
  const reach = await reachableCases(db, victim.accountId);
  return reach.sort((a, b) => Number(b.relation === 'self') - Number(a.relation === 'self'));
}

/**
 * The case the page asks for, if the actor reaches it with the need given: NotFound for an id that is not a uuid, not a
 * case or not in reach (the three look the same), Forbidden for a supporter asking to act.
 */
export async function portalCase(db: Db | Trx, actor: Actor, caseId: unknown, need: Need = 'read'): Promise<ReachableCase> {
  const victim = victimOf(actor);
  if (!isUuid(caseId)) throw new NotFound('case');
  const decision = decideReach(await reachableCases(db, victim.accountId), caseId.toLowerCase(), need);
  if (decision === 'missing') throw new NotFound('case');
  if (decision === 'read_only') throw new Forbidden('a supporter can read but not act');
  return decision;
}

/**
 * Reading one case with the reach check inside the reading statement, for the page every victim opens most (the case
 * page): `read` is given the account's reach of the case as SQL (reachOfCase) and must read and audit nothing when it
 * finds no reach row; it returns the reach row it found beside what it read. The rule is applied here, as portalCase
 * applies it: a case that is not a uuid, not a case or not in reach is a 404. Reading needs no more than reach, so
 * this is for reading only; a page that acts uses portalCase.
 */
export async function readPortalCase<T>(
  actor: Actor,
  caseId: unknown,
  read: (reach: RawBuilder<ReachRow>) => Promise<{ reach: ReachRow; record: T } | undefined>,
): Promise<{ reach: ReachableCase; record: T }> {
  const victim = victimOf(actor);
  if (!isUuid(caseId)) throw new NotFound('case');
  const id = caseId.toLowerCase();
  const found = await read(reachOfCase(victim.accountId, id));
  const decision = decideReach(found ? [reachableFrom(found.reach)] : [], id, 'read');
  if (decision === 'missing' || decision === 'read_only' || !found) throw new NotFound('case');
  return { reach: decision, record: found.record };
}

/**
 * Runs a portal use-case on one case and, when it is refused (not in reach, or read-only), records the refused attempt
 * in a transaction of its own, since the use-case's was rolled back; then refuses as before.
 */
export async function portalRefusalsAudited<T>(db: Db, actor: Actor, caseId: unknown, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotFound || error instanceof Forbidden) {
      await inTransaction(db, (trx) =>
        writeAudit(trx, actor, { action: 'portal.access_refused', recordType: 'case', recordId: isUuid(caseId) ? caseId : null, detail: { what, refusal: error.name } }),
      );
    }
    throw error;
  }
}

/**
 * The cases an account reaches, for sign-in's crime-reference check, which runs before the session is signed in and so
 * before there is a victim actor.
 */
export const casesOfAccount = (db: Db | Trx, accountId: string): Promise<ReachableCase[]> => reachableCases(db, accountId);

/** The victim's own portal account, made on first sign-in or invitation, or when staff set the crime-reference check. */
export const victimAccountFor = (trx: Trx, personId: string, createdByUserId: string | null = null): Promise<string> => ensureVictimAccount(trx, personId, createdByUserId);
