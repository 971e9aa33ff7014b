// The Code clock's use-cases. The clock reads new timeline events from its inbox and, for each, starts the obligations
// the event triggers, meets those the recorded action fulfils, or re-times them when enhanced status changes. The
// overdue sweep turns missed deadlines overdue and alerts. Staff see a case's clock, and record why a duty was not met;
// nobody can mark a duty met by hand.
import type { Actor } from '../../platform/auth/identity.ts';
import { systemActor } from '../../platform/auth/identity.ts';
import { sql } from 'kysely';
import { auditRowsFor, writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { organisationsByKind } from '../../platform/db/organisations.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { startRepeating, type Repeating } from '../../platform/jobs/repeating.ts';
import { holidaysFor } from '../../platform/time/calendar.ts';
import type { HolidayLookup } from '../../platform/time/holiday-calendar.ts';
// A pure rule (no I/O): pages name a case by the same short reference everywhere.
import { caseReference } from '../cases/rules.ts';
import { getCaseForStaff } from '../cases/service.ts';
import { decideEntitlementsForCase, isEnhanced } from '../entitlements/service.ts';
import {
  areaSettings,
  findObligation,
  insertObligations,
  markBreached,
  markMet,
  obligationsOfCase,
  overdueAlerts,
  retime,
  inboxHasEvents,
  takeInboxEvents,
  turnOverdue,
  unmetObligationsOf,
  type InboxEvent,
  type Obligation,
  type ObligationToInsert,
} from './repository.ts';
import { actionOf, checkBreach, clockRows, DUTY_DEFINITIONS, meets, obligationsStartedBy, retimed, settingsFor, TRIGGER_KINDS, type CodeClockSettings, type Duty } from './rules.ts';

export type { Obligation };

const clockActor = systemActor('code-clock');
const INBOX_BATCH = 500;
const SWEEP_BATCH = 20_000;
const SWEEPERS = 2;
const ENTITLEMENT_EVENTS = new Set(['entitlements_decided', 'entitlement_added', 'entitlement_withdrawn']);
const isTrigger = (kind: string): boolean => (TRIGGER_KINDS as readonly string[]).includes(kind);

/**
 * Reads every event waiting in the inbox; returns how many it read. Safe to run in several processes at once: events
 * another clock is reading are skipped. With `settle`, it instead waits for them, and returns only when every event
 * recorded before the call has been read by some clock, so what follows (a test, the demo data) sees their duties.
 */
export async function runCodeClock(db: Db, options: { now?: () => Date; settle?: boolean } = {}): Promise<number> {
  const now = options.now ?? (() => new Date());
  const holidays = await holidaysFor(db);
  let read = 0;
  for (;;) {
    const count = await inTransaction(db, async (trx) => {
      const events = await takeInboxEvents(trx, INBOX_BATCH, options.settle);
      if (!events.length) return 0;
      const settings = new Map<string, CodeClockSettings>();
      const stored = await areaSettings(trx, events.map((event) => event.areaId));
      for (const event of events) if (!settings.has(event.areaId)) settings.set(event.areaId, settingsFor(stored.get(event.areaId)));
      const owners = await organisationsByKind(trx, events.map((event) => event.areaId));
      for (const event of events) await readEvent(trx, event, settings.get(event.areaId) as CodeClockSettings, owners, holidays, now());
      return events.length;
    });
    // Waiting on another clock can leave a batch empty while later events still wait.
    if (!count && !(options.settle && (await inboxHasEvents(db)))) return read;
    read += count;
  }
}

/** What one event does to the clock. Events are read in the order they were recorded, so a trigger comes before what meets it. */
async function readEvent(trx: Trx, event: InboxEvent, settings: CodeClockSettings, owners: Map<string, string>, holidays: HolidayLookup, now: Date): Promise<void> {
  if (isTrigger(event.kind)) {
    // Enhanced rights set the deadlines, so they are decided from the referral's facts before its duties start.
    if (event.kind === 'referral_received') await decideEntitlementsForCase(trx, clockActor, event.caseId);
    const enhanced = await isEnhanced(trx, event.caseId);
    const started = obligationsStartedBy(event, { enhanced, supportConsent: event.supportConsent, hasCrime: event.hasCrime }, settings, holidays);
    const rows: ObligationToInsert[] = started.map((obligation) => ({
      ...obligation,
      caseId: event.caseId,
      areaId: event.areaId,
      ownerOrganisationId: ownerOf(obligation.ownerKind, event, owners),
      triggerEventId: event.id,
      triggerKind: event.kind,
      triggeredAt: event.occurredAt,
    }));
    if (await insertObligations(trx, rows)) {
      await writeAudit(trx, clockActor, { action: 'obligations.started', recordType: 'case', recordId: event.caseId, detail: { eventId: event.id, duties: rows.map((row) => row.duty) } });
    }
    // A trigger can also be the action that meets an earlier duty: the referral sent to a provider starts the
    // provider's response clock and meets the hub's duty to refer. So it goes on to the check below.
  }
  if (event.kind === 'assessment_completed' || event.kind === 'offence_classified') {
    // What the assessment found (a disability affecting evidence, fear of testifying, being targeted again) can give
    // enhanced rights, and so can the offence a coordinator classified by hand (attempted murder or wounding with
    // intent is a "most serious crime"); the 'entitlements_decided' event that follows re-times the duties.
    await decideEntitlementsForCase(trx, clockActor, event.caseId);
  }
  if (ENTITLEMENT_EVENTS.has(event.kind)) {
    const enhanced = await isEnhanced(trx, event.caseId);
    const moved: string[] = [];
    for (const obligation of await unmetObligationsOf(trx, [event.caseId])) {
      const change = retimed(obligation, enhanced, settings, holidays);
      if (!change) continue;
      await retime(trx, obligation.id, { ...change, enhanced }, now);
      moved.push(obligation.duty);
    }
    if (moved.length) await writeAudit(trx, clockActor, { action: 'obligations.retimed', recordType: 'case', recordId: event.caseId, detail: { enhanced, duties: moved } });
    return;
  }
  const met = (await unmetObligationsOf(trx, [event.caseId])).filter((obligation) => meets(obligation, event));
  for (const obligation of met) await markMet(trx, obligation.id, { id: event.id, kind: actionOf(event), occurredAt: event.occurredAt });
  if (met.length) {
    await writeAudit(trx, clockActor, { action: 'obligations.met', recordType: 'case', recordId: event.caseId, detail: { eventId: event.id, duties: met.map((obligation) => obligation.duty) } });
  }
}

/** The organisation that owns a duty, where Haven knows it: the area's hub or agency of that kind, or the one complained about. */
function ownerOf(kind: string, event: InboxEvent, owners: Map<string, string>): string | null {
  if (kind === 'named_organisation') {
    const named = event.detail.organisationId;
    return typeof named === 'string' ? named : null;
  }
  return owners.get(`${event.areaId}:${kind}`) ?? null;
}

/**
 * Turns every obligation due before `now` overdue, alerts its owners and audits each; returns how many it turned.
 * After an outage there may be a great many; two batches run side by side, each in its own transaction, since each
 * takes only rows the other has not locked (`skip locked`) and the database does the work on two cores. On PGlite,
 * which has one connection, they simply take turns.
 */
export async function sweepOverdue(db: Db, now: Date = new Date()): Promise<number> {
  const sweeper = async (): Promise<number> => {
    let turned = 0;
    for (;;) {
      const batch = await inTransaction(db, (trx) =>
        turnOverdue(trx, now, SWEEP_BATCH, (source) =>
          auditRowsFor(clockActor, { action: 'obligation.overdue', recordType: 'case', source, recordId: sql.ref(`${source}.case_id`), detail: sql`jsonb_build_object('obligationId', ${sql.ref(`${source}.id`)})` }),
        ),
      );
      turned += batch;
      if (batch < SWEEP_BATCH) return turned;
    }
  };
  const counts = await Promise.all(Array.from({ length: SWEEPERS }, sweeper));
  return counts.reduce((sum, count) => sum + count, 0);
}

/**
 * The clock as the case page shows it, overdue first. The caller has already authorised the case and audited the
 * view (getCasePage), so this is one query, not a second round of checks on a page every coordinator opens all day.
 */
export async function clockForCasePage(db: Db, authorisedCaseId: string): Promise<ReturnType<typeof clockRows<Obligation>>> {
  return clockRows(await obligationsOfCase(db, authorisedCaseId));
}

/** A case's Code clock, for hub staff of its area; anyone else gets NotFound. */
export async function getCodeClock(db: Db, actor: Actor, caseId: string): Promise<Obligation[]> {
  const { case: victimCase } = await getCaseForStaff(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const obligations = await obligationsOfCase(trx, victimCase.id);
    await writeAudit(trx, actor, { action: 'code_clock.viewed', recordType: 'case', recordId: victimCase.id });
    return obligations;
  });
}

/** One duty of a case's clock, for the "not met" form: hub staff of the case's area only; anything else is NotFound. */
export async function getObligationForBreach(db: Db, actor: Actor, caseId: string, obligationId: string): Promise<{ caseId: string; obligation: ReturnType<typeof clockRows<Obligation>>[number] }> {
  const clock = await getCodeClock(db, actor, caseId);
  const obligation = clockRows(clock).find((row) => row.id === obligationId);
  if (!obligation) throw new NotFound('obligation');
  return { caseId, obligation };
}

/**
 * Records that a duty was not met, and why: for an obligation that is due or overdue, by hub staff of the case's
 * area. It closes the obligation as breached; it can never mark one met.
 */
export async function recordBreach(db: Db, actor: Actor, caseId: string, obligationId: string, input: { reason?: unknown }): Promise<void> {
  const { case: victimCase } = await getCaseForStaff(db, actor, caseId);
  if (actor.kind !== 'staff') throw new NotFound('obligation');
  await inTransaction(db, async (trx) => {
    const obligation = isUuid(obligationId) ? await findObligation(trx, victimCase.id, obligationId, true) : undefined;
    if (!obligation) throw new NotFound('obligation');
    const checked = checkBreach(obligation.state, typeof input.reason === 'string' ? input.reason : '');
    if ('errors' in checked) throw new Invalid(checked.errors);
    await markBreached(trx, obligation.id, checked.reason, actor.staff.userId);
    await writeAudit(trx, actor, { action: 'obligation.breached', recordType: 'case', recordId: victimCase.id, detail: { obligationId: obligation.id, duty: obligation.duty } });
  });
}

export type OverdueAlertRow = { caseId: string; caseReference: string; duty: Duty; title: string; dueAt: Date; forMe: boolean };

/**
 * The overdue duties the signed-in staff member is alerted to: as the case's coordinator, or as staff of the
 * organisation that owns the duty. For the home page, so nobody has to go looking. The first `limit`, and the total.
 */
export async function overdueAlertsFor(db: Db, actor: Actor, limit = 10): Promise<{ total: number; alerts: OverdueAlertRow[] }> {
  if (actor.kind !== 'staff') return { total: 0, alerts: [] };
  return inTransaction(db, async (trx) => {
    const { total, alerts } = await overdueAlerts(trx, { userId: actor.staff.userId, organisationId: actor.staff.organisationId }, limit);
    if (alerts.length) {
      await writeAudit(trx, actor, { action: 'obligation_alerts.viewed', recordType: 'case', detail: { caseIds: [...new Set(alerts.map((alert) => alert.caseId))] } });
    }
    return {
      total,
      alerts: alerts.map((alert) => ({ ...alert, caseReference: caseReference(alert.caseId), title: DUTY_DEFINITIONS[alert.duty].title })),
    };
  });
}

export type CodeClockRunner = Repeating;

/**
 * Reads the inbox about once a second, in the web process, so a referral's clock shows within a second or two of it
 * arriving. A failed turn is logged and retried on the next.
 */
export function startCodeClock(db: Db, log: { error(object: unknown, message: string): void }, intervalMs = 1000): CodeClockRunner {
  return startRepeating(() => runCodeClock(db), log, 'The Code clock could not read its inbox', intervalMs);
}
