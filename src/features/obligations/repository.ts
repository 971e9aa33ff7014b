// All SQL of the Code clock: reading the inbox of new timeline events, obligations and their states, the overdue
// sweep, alerts and each area's settings.
import { sql, type RawBuilder } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { SupportConsent } from '../../platform/db/schema.ts';
import type { Duty, NewObligation, ObligationState, OwnerKind } from './rules.ts';

export type InboxEvent = {
  id: number;
  caseId: string;
  kind: string;
  occurredAt: Date;
  detail: Record<string, unknown>;
  areaId: string;
  supportConsent: SupportConsent;
  hasCrime: boolean;
};

/**
 * Takes up to `limit` unread events off the inbox, oldest first, with what the clock needs of their cases. Rows another
 * clock holds are skipped (or, with `wait`, waited for: they are gone once it commits), and the delete commits with
 * whatever the caller does with them, so each is read once.
 */
export async function takeInboxEvents(trx: Trx, limit: number, wait = false): Promise<InboxEvent[]> {
  const locking = wait ? sql`for update` : sql`for update skip locked`;
  const result = await sql<{
    id: string | number; case_id: string; kind: string; occurred_at: Date; detail: Record<string, unknown>; area_id: string; support_consent: SupportConsent; has_crime: boolean;
  }>`
    with taken as (
      delete from code_clock_inbox
      where event_id in (select event_id from code_clock_inbox order by event_id limit ${limit} ${locking})
      returning event_id
    )
    select e.id, e.case_id, e.kind, e.occurred_at, e.detail, c.area_id, c.support_consent, c.crime_id is not null as has_crime
    from taken join timeline_event e on e.id = taken.event_id join victim_case c on c.id = e.case_id
    order by e.id
  `.execute(trx);
  return result.rows.map((row) => ({
    id: Number(row.id), caseId: row.case_id, kind: row.kind, occurredAt: row.occurred_at, detail: row.detail, areaId: row.area_id,
    supportConsent: row.support_consent, hasCrime: row.has_crime,
  }));
}

/** Whether any event is still waiting, read or not by a clock that has yet to commit. */
export async function inboxHasEvents(db: Db): Promise<boolean> {
  const row = await db.selectFrom('code_clock_inbox').select('event_id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export type Obligation = {
  id: string;
  caseId: string;
  duty: Duty;
  ownerKind: OwnerKind;
  ownerOrganisationId: string | null;
  ownerOrganisationName: string | null;
  triggerEventId: number;
  triggerKind: string;
  triggeredAt: Date;
  workingDays: number;
  enhanced: boolean;
  dueAt: Date;
  state: ObligationState;
  overdueAt: Date | null;
  metAt: Date | null;
  metByKind: string | null;
  breachedAt: Date | null;
  breachReason: string | null;
};

function obligationQuery(db: Db | Trx) {
  return db
    .selectFrom('obligation as o')
    .leftJoin('organisation as owner', 'owner.id', 'o.owner_organisation_id')
    .select([
      'o.id', 'o.case_id', 'o.duty', 'o.owner_kind', 'o.owner_organisation_id', 'owner.name as owner_name', 'o.trigger_event_id', 'o.trigger_kind',
      'o.triggered_at', 'o.working_days', 'o.enhanced', 'o.due_at', 'o.state', 'o.overdue_at', 'o.met_at', 'o.met_by_kind', 'o.breached_at', 'o.breach_reason',
    ]);
}

type ObligationRow = Awaited<ReturnType<ReturnType<typeof obligationQuery>['executeTakeFirstOrThrow']>>;

const toObligation = (row: ObligationRow): Obligation => ({
  id: row.id,
  caseId: row.case_id,
  duty: row.duty as Duty,
  ownerKind: row.owner_kind as OwnerKind,
  ownerOrganisationId: row.owner_organisation_id,
  ownerOrganisationName: row.owner_name,
  triggerEventId: Number(row.trigger_event_id),
  triggerKind: row.trigger_kind,
  triggeredAt: row.triggered_at,
  workingDays: row.working_days,
  enhanced: row.enhanced,
  dueAt: row.due_at,
  state: row.state,
  overdueAt: row.overdue_at,
  metAt: row.met_at,
  metByKind: row.met_by_kind,
  breachedAt: row.breached_at,
  breachReason: row.breach_reason,
});

/** A case's obligations, soonest due first. */
export async function obligationsOfCase(db: Db | Trx, caseId: string): Promise<Obligation[]> {
  const rows = await obligationQuery(db).where('o.case_id', '=', caseId).orderBy('o.due_at').orderBy('o.id').execute();
  return rows.map(toObligation);
}

export async function findObligation(trx: Trx, caseId: string, obligationId: string, forUpdate = false): Promise<Obligation | undefined> {
  let query = obligationQuery(trx).where('o.id', '=', obligationId).where('o.case_id', '=', caseId);
  if (forUpdate) query = query.forUpdate('o');
  const row = await query.executeTakeFirst();
  return row ? toObligation(row) : undefined;
}

/** The unmet obligations of these cases, locked so a concurrent clock cannot meet or re-time them twice. */
export async function unmetObligationsOf(trx: Trx, caseIds: readonly string[]): Promise<Obligation[]> {
  if (!caseIds.length) return [];
  const rows = await obligationQuery(trx)
    .where('o.case_id', 'in', [...new Set(caseIds)])
    .where('o.state', 'in', ['open', 'overdue'])
    .orderBy('o.due_at')
    .forUpdate('o')
    .execute();
  return rows.map(toObligation);
}

export type OverdueAlert = { caseId: string; duty: Duty; dueAt: Date; raisedAt: Date; forMe: boolean };

/**
 * Alerts for obligations still overdue that name this coordinator or this organisation, oldest deadline first, with
 * how many there are in all. An alert stops showing once its duty is met or closed as breached.
 */
export async function overdueAlerts(db: Db | Trx, who: { userId: string; organisationId: string }, limit: number): Promise<{ total: number; alerts: OverdueAlert[] }> {
  const rows = await sql<{ case_id: string; duty: Duty; due_at: Date; raised_at: Date; for_me: boolean; total: number }>`
    select a.case_id, o.duty, o.due_at, a.raised_at, a.coordinator_user_id is not distinct from ${who.userId}::uuid as for_me,
      count(*) over ()::int as total
    from obligation_alert a join obligation o on o.id = a.obligation_id
    where (a.coordinator_user_id = ${who.userId}::uuid or a.organisation_id = ${who.organisationId}::uuid) and o.state = 'overdue'
    order by o.due_at, o.id
    limit ${limit}
  `.execute(db);
  return {
    total: rows.rows[0]?.total ?? 0,
    alerts: rows.rows.map((row) => ({ caseId: row.case_id, duty: row.duty, dueAt: new Date(row.due_at), raisedAt: new Date(row.raised_at), forMe: row.for_me })),
  };
}

export type ObligationToInsert = NewObligation & {
  caseId: string; areaId: string; ownerOrganisationId: string | null; triggerEventId: number; triggerKind: string; triggeredAt: Date;
};

/** Inserts the obligations; one already started by the same event for the same duty is left as it is. */
export async function insertObligations(trx: Trx, obligations: readonly ObligationToInsert[]): Promise<number> {
  if (!obligations.length) return 0;
  const result = await trx
    .insertInto('obligation')
    .values(obligations.map((obligation) => ({
      case_id: obligation.caseId,
      area_id: obligation.areaId,
      duty: obligation.duty,
      owner_kind: obligation.ownerKind,
      owner_organisation_id: obligation.ownerOrganisationId,
      trigger_event_id: obligation.triggerEventId,
      trigger_kind: obligation.triggerKind,
      triggered_at: obligation.triggeredAt,
      working_days: obligation.workingDays,
      enhanced: obligation.enhanced,
      due_at: obligation.dueAt,
    })))
    .onConflict((conflict) => conflict.columns(['case_id', 'duty', 'trigger_event_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function markMet(trx: Trx, obligationId: string, event: { id: number; kind: string; occurredAt: Date }): Promise<void> {
  await trx
    .updateTable('obligation')
    .set({ state: 'met', met_at: event.occurredAt, met_by_event_id: event.id, met_by_kind: event.kind, updated_at: sql<Date>`now()` })
    .where('id', '=', obligationId)
    .execute();
}

/** A new deadline; an overdue obligation whose new deadline is still ahead is open again. */
export async function retime(trx: Trx, obligationId: string, change: { workingDays: number; enhanced: boolean; dueAt: Date }, now: Date): Promise<void> {
  const ahead = change.dueAt.getTime() > now.getTime();
  await trx
    .updateTable('obligation')
    .set({
      working_days: change.workingDays,
      enhanced: change.enhanced,
      due_at: change.dueAt,
      ...(ahead ? { state: 'open' as const, overdue_at: null } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', obligationId)
    .where('state', 'in', ['open', 'overdue'])
    .execute();
}

export async function markBreached(trx: Trx, obligationId: string, reason: string, userId: string): Promise<void> {
  await trx
    .updateTable('obligation')
    .set({ state: 'breached', breach_reason: reason, breached_at: sql<Date>`now()`, breached_by_user_id: userId, updated_at: sql<Date>`now()` })
    .where('id', '=', obligationId)
    .execute();
}

/**
 * Turns up to `limit` open obligations due before `now` overdue, oldest deadline first, and raises one alert for each:
 * to the owning organisation and the case's coordinator. Returns the cases touched, for the audit trail.
 */
/**
 * Turns up to `limit` due obligations overdue, raises their alerts and audits each, in one statement: the sweep may meet
 * a backlog of a hundred thousand after an outage, and sending each row to Node and back cost more than the update.
 */
export async function turnOverdue(trx: Trx, now: Date, limit: number, audit: (source: string) => RawBuilder<unknown>): Promise<number> {
  const result = await sql<{ turned: number }>`
    with due as (
      select id from obligation where state = 'open' and due_at < ${now} order by due_at limit ${limit} for update skip locked
    ),
    turned as (
      update obligation o set state = 'overdue', overdue_at = ${now}, updated_at = ${now}
      from due where o.id = due.id
      returning o.id, o.case_id, o.owner_organisation_id
    ),
    alerted as (
      insert into obligation_alert (obligation_id, case_id, organisation_id, coordinator_user_id)
      select turned.id, turned.case_id, turned.owner_organisation_id, c.coordinator_user_id
      from turned join victim_case c on c.id = turned.case_id
      on conflict (obligation_id) do nothing
      returning obligation_id, case_id
    ),
    audited as (${audit('turned')} returning 1)
    select (select count(*) from turned)::int as turned, (select count(*) from audited)::int as audited
  `.execute(trx);
  return result.rows[0]?.turned ?? 0;
}

export async function areaSettings(trx: Trx, areaIds: readonly string[]): Promise<Map<string, unknown>> {
  if (!areaIds.length) return new Map();
  const rows = await trx.selectFrom('code_clock_setting').select(['area_id', 'settings']).where('area_id', 'in', [...new Set(areaIds)]).execute();
  return new Map(rows.map((row) => [row.area_id, row.settings]));
}

export async function saveAreaSettings(trx: Trx, areaId: string, settings: Record<string, unknown>): Promise<void> {
  await trx
    .insertInto('code_clock_setting')
    .values({ area_id: areaId, settings: JSON.stringify(settings) })
    .onConflict((conflict) => conflict.column('area_id').doUpdateSet({ settings: JSON.stringify(settings), updated_at: sql<Date>`now()` }))
    .execute();
}
