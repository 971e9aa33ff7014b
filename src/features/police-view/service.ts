// Use-cases of the police view: "My victims" for the officer in charge (their open cases, those needing an update and
// those with unread messages first), one case as the officer reads it (the victim's name, how they may be contacted,
// what they have been told, and the message thread), and the stale-case nudge, which raises a task for the hub once
// per case per cadence period when the victim has had no update within their area's agreed cadence.
import type { Actor } from '../../platform/auth/identity.ts';
import { systemActor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { organisationsByKind } from '../../platform/db/organisations.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Forbidden, NotFound } from '../../platform/http/domain-errors.ts';
import { refusalsAudited, threadForAgencyCase, type CaseMessage } from '../case-messages/service.ts';
import { caseForAgencyIn } from '../cases/agency-service.ts';
import { raiseTask } from '../tasks/service.ts';
// A pure rule (no I/O): the case's short reference, the same on every page.
import { caseReference } from '../cases/rules.ts';
import { caseStaleness, officerCases, staleCases, storedCodeClockSettings, victimTimeline, type Cadences, type OfficerCaseRow, type VictimTimelineEntry } from './repository.ts';
import { MY_VICTIMS_PAGE_SIZE, cadenceDaysFor, cadenceFor, needsUpdate, pageCount, parsePage, staleTaskTitle } from './rules.ts';

export type MyVictimsRow = OfficerCaseRow & { reference: string };
export type MyVictims = { rows: MyVictimsRow[]; total: number; page: number; pages: number };

function requireOfficer(actor: Actor): { userId: string } {
  if (actor.kind !== 'staff' || actor.staff.role !== 'police_officer') throw new Forbidden('police officers only');
  return actor.staff;
}

async function cadences(db: Db | Trx): Promise<Cadences> {
  const stored = await storedCodeClockSettings(db);
  return { areas: new Map(stored.map((row) => [row.areaId, cadenceFor(row.settings)])), fallback: cadenceFor(undefined) };
}

/** The officer's open cases, a page at a time; only the victim's first name is shown, and the list is audited. */
export async function listMyVictims(db: Db, actor: Actor, rawPage: unknown, now = new Date()): Promise<MyVictims> {
  const officer = requireOfficer(actor);
  const { page, offset } = parsePage(rawPage);
  return inTransaction(db, async (trx) => {
    const { total, rows } = await officerCases(trx, officer.userId, await cadences(trx), now, { limit: MY_VICTIMS_PAGE_SIZE, offset });
    await writeAudit(trx, actor, { action: 'police_view.list_viewed', recordType: 'case', detail: { page, resultCount: rows.length, total } });
    return { rows: rows.map((row) => ({ ...row, reference: caseReference(row.caseId) })), total, page, pages: pageCount(total) };
  });
}

export type OfficerCase = {
  caseId: string;
  reference: string;
  crimeReference: string;
  personName: string;
  /** The stored safe-contact profile, for the page to summarise (rules.ts safeContactSummary). */
  safeContact: Record<string, unknown>;
  timeline: VictimTimelineEntry[];
  messages: CaseMessage[];
  lastUpdateAt: Date | null;
  needsUpdate: boolean;
};

/**
 * One case for the police: the officer in charge, or an officer of the force that holds the crime. Anyone else (a
 * guessed id, another force's officer, a provider) gets NotFound, and the refused attempt is audited. Reading it sets
 * the read receipts on the victim's messages.
 */
export async function getOfficerCase(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<OfficerCase> {
  requireOfficer(actor);
  return refusalsAudited(db, actor, caseId, 'police_view', () =>
    inTransaction(db, async (trx) => {
      const agencyCase = await caseForAgencyIn(trx, actor, caseId);
      if (agencyCase.access !== 'police' || !agencyCase.crime) throw new NotFound('case');
      const { case: victimCase, person, crime } = agencyCase;
      const timeline = await victimTimeline(trx, victimCase.id);
      const { messages } = await threadForAgencyCase(trx, actor, agencyCase, now);
      const staleness = await caseStaleness(trx, victimCase.id);
      if (!staleness) throw new NotFound('case');
      const areaCadence = (await cadences(trx)).areas.get(staleness.areaId) ?? cadenceFor(undefined);
      return {
        caseId: victimCase.id,
        reference: caseReference(victimCase.id),
        crimeReference: crime.crimeReference,
        personName: [person.givenName, person.familyName].filter(Boolean).join(' '),
        safeContact: person.safeContact as unknown as Record<string, unknown>,
        timeline,
        messages,
        lastUpdateAt: staleness.lastUpdateAt,
        needsUpdate: needsUpdate(staleness.lastUpdateAt ?? staleness.createdAt, now, cadenceDaysFor(areaCadence, staleness.enhanced, staleness.updateFrequency)),
      };
    }),
  );
}

const NUDGE = systemActor('stale-case-nudge');
const NUDGE_BATCH = 1000;

/**
 * Raises a 'stale_case_update' task for the area's hub on each open case whose victim has had no update within the
 * agreed cadence, once per case per cadence period, a batch per transaction. The officer's "needs an update" flag is
 * not stored: My victims computes it with the same rule, so it clears the moment an update is given. Returns how many
 * tasks it raised.
 */
export async function raiseStaleCaseTasks(db: Db, now = new Date()): Promise<number> {
  let raised = 0;
  let afterCaseId: string | null = null;
  for (;;) {
    const batch: { picked: number; lastCaseId: string | null; created: number } = await inTransaction(db, async (trx) => {
      const stale = await staleCases(trx, await cadences(trx), now, { afterCaseId, limit: NUDGE_BATCH });
      const hubs = await organisationsByKind(trx, stale.map((found) => found.areaId));
      let created = 0;
      for (const found of stale) {
        const hub = hubs.get(`${found.areaId}:hub`);
        if (!hub) continue;
        const task = await raiseTask(trx, NUDGE, {
          caseId: found.caseId,
          kind: 'stale_case_update',
          title: staleTaskTitle(found.cadenceDays),
          owningOrganisationId: hub,
          idempotencyKey: found.taskKey,
        });
        if (task.created) created += 1;
      }
      return { picked: stale.length, lastCaseId: stale.at(-1)?.caseId ?? null, created };
    });
    raised += batch.created;
    if (batch.picked < NUDGE_BATCH || !batch.lastCaseId) return raised;
    afterCaseId = batch.lastCaseId;
  }
}
