// The support options of a case: the area's directory services ranked for it, with why each is offered and why the
// others are not. Only hub coordinators and supervisors of the case's area may see them; anyone else, and a guessed
// id, gets NotFound from the cases service. Every read is audited. The referral service asks here, in its own
// transaction, whether one service can take a case.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { NotFound } from '../../platform/http/domain-errors.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { latestAssessment } from '../assessment/service.ts';
import { caseFacts, getCaseForStaff } from '../cases/service.ts';
// A pure rule (no I/O): pages name a case by the same short reference everywhere.
import { caseReference } from '../cases/rules.ts';
import { listActiveServices } from '../directory/service.ts';
import type { DirectoryService } from '../directory/rules.ts';
import { isEnhanced } from '../entitlements/service.ts';
import { todayInLondon } from '../people/service.ts';
import { findCaseForMatching } from './repository.ts';
import { factsForMatching, matchServices, type CaseFacts, type Exclusion, type Match, type Tier } from './rules.ts';

/** The case's facts for matching, from the case, its person and crime, the latest assessment and enhanced rights. */
async function matchingFactsOf(trx: Trx, caseId: string, place: { areaId: string; preferredLanguage: string | null }, now: Date): Promise<{ facts: CaseFacts; assessed: boolean }> {
  const [record, assessment, enhanced] = await Promise.all([caseFacts(trx, caseId, now), latestAssessment(trx, caseId), isEnhanced(trx, caseId)]);
  const facts = factsForMatching({
    areaId: place.areaId,
    dateOfBirth: record.dateOfBirth,
    today: todayInLondon(now),
    offenceGroup: record.crime?.offenceGroup ?? null,
    referralIndicators: record.referralIndicators,
    preferredLanguage: place.preferredLanguage,
    assessment: assessment ? { answers: assessment.answers, dashLevel: assessment.dash?.level ?? null } : null,
    enhanced,
  });
  return { facts, assessed: assessment !== undefined };
}

export type SupportOptions = {
  caseId: string;
  reference: string;
  personName: string;
  /** What the ranking was made on, so the page can say so. */
  facts: CaseFacts;
  /** Whether there is a needs assessment: without one, no service is ranked for an assessed need. */
  assessed: boolean;
  matches: Match<DirectoryService>[];
  excluded: Exclusion<DirectoryService>[];
};

export async function getSupportOptions(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<SupportOptions> {
  // The cases service authorises (NotFound for anyone else and for a guessed id) and audits the read of the case.
  const found = await getCaseForStaff(db, actor, caseId);
  if (actor.kind !== 'staff') throw new NotFound('case');
  const victimCase = found.case;
  return inTransaction(db, async (trx) => {
    const [{ facts, assessed }, services] = await Promise.all([
      matchingFactsOf(trx, victimCase.id, { areaId: victimCase.areaId, preferredLanguage: found.person.preferredLanguage }, now),
      listActiveServices(trx, victimCase.areaId),
    ]);
    const { matches, excluded } = matchServices(facts, services);
    // Which services were offered first is part of the record of how the case was handled; none of it names anyone.
    await writeAudit(trx, actor, {
      action: 'support_options.viewed',
      recordType: 'case',
      recordId: victimCase.id,
      detail: { matched: matches.length, excluded: excluded.length, first: matches.slice(0, 3).map((match) => match.service.id), assessed },
    });
    return {
      caseId: victimCase.id,
      reference: caseReference(victimCase.id),
      personName: [found.person.givenName, found.person.familyName].filter(Boolean).join(' '),
      facts,
      assessed,
      matches,
      excluded,
    };
  });
}

/** What matching says of one service for one case: why it cannot take the case (empty when it can), and what to check. */
export type ServiceEligibility = { service: DirectoryService; excludedBecause: string[]; cautions: string[]; tier: Tier | null };

/**
 * Whether one service can take the case, in the caller's transaction, for the referral service, which has authorised
 * the reader. Undefined when the service is not an active one in the case's area (or the case is not there).
 */
export async function eligibilityForService(trx: Trx, caseId: string, serviceId: string, now = new Date()): Promise<ServiceEligibility | undefined> {
  if (!isUuid(caseId) || !isUuid(serviceId)) return undefined;
  const place = await findCaseForMatching(trx, caseId);
  if (!place) return undefined;
  const service = (await listActiveServices(trx, place.areaId)).find((each) => each.id === serviceId);
  if (!service) return undefined;
  const { facts } = await matchingFactsOf(trx, caseId, place, now);
  const { matches, excluded } = matchServices(facts, [service]);
  const [match] = matches;
  if (match) return { service, excludedBecause: [], cautions: match.cautions, tier: match.tier };
  return { service, excludedBecause: excluded[0]?.reasons ?? [], cautions: [], tier: null };
}
