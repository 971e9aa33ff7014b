// The Code clock against a real database (PGlite, or PostgreSQL when HAVEN_TEST_POSTGRES_URL is set), through the real
// services: a referral starts its duties with enhanced rights decided from the offence, a charge on Good Friday is due
// after Easter (journey 5), the sweep turns it overdue and alerts the coordinator, and a successful call meets it late.
// Also journey 1's 2 WD clock met by the needs assessment, re-timing, breaches, and a replayed event changing nothing.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { sealAuditTrail } from '../../platform/audit/sealer.ts';
import { verifyAuditChain } from '../../platform/audit/verifier.ts';
import { Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { actorFor, createStaffUser, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { appendTimelineEvent, assignCoordinator, findOrCreateCrime, listWorkerCases, logContact, openCase } from '../cases/service.ts';
import { createPerson } from '../people/service.ts';
import { getCodeClock, recordBreach, runCodeClock, sweepOverdue } from './service.ts';

const feed: Actor = { kind: 'system', label: 'police-feed' };
let counter = 0;

describe('Code clock', () => {
  let database: TestDatabase;
  let coordinator: TestStaffUser;
  let stranger: TestStaffUser;

  before(async () => {
    database = await createTestDatabase();
    coordinator = await createStaffUser(database.db, { role: 'coordinator', organisationKind: 'hub' });
    stranger = await createStaffUser(database.db, { role: 'coordinator', organisationKind: 'hub' });
  });
  after(() => database.drop());

  async function referral(options: { offenceCode: string; receivedAt: string; dateOfBirth?: string }) {
    counter += 1;
    return inTransaction(database.db, async (trx) => {
      const person = await createPerson(trx, feed, { areaId: coordinator.areaId, givenName: 'Ada', familyName: `Clock${counter}`, dateOfBirth: options.dateOfBirth ?? '1960-05-01' });
      const { crime } = await findOrCreateCrime(trx, feed, { areaId: coordinator.areaId, crimeReference: `CLK/${counter}/26`, offenceCode: options.offenceCode, offenceCategory: 'Violence against the person', committedFrom: options.receivedAt.slice(0, 10) });
      const opened = await openCase(trx, feed, { personId: person.id, crimeId: crime.id, role: 'victim', source: 'police_feed', receivedAt: new Date(options.receivedAt) });
      return opened.case;
    });
  }

  const clock = async (caseId: string) => Object.fromEntries((await getCodeClock(database.db, actorFor(coordinator), caseId)).map((obligation) => [obligation.duty, obligation]));

  it('keeps journey 5: a charge on Good Friday for wounding with intent is due after Easter Monday, turns overdue, and is met late by a call', async () => {
    const victimCase = await referral({ offenceCode: '5D', receivedAt: '2026-03-02T10:00:00Z' });
    await assignCoordinator(database.db, actorFor(coordinator), victimCase.id, coordinator.id);
    await runCodeClock(database.db, { settle: true });
    let duties = await clock(victimCase.id);
    assert.deepEqual(Object.keys(duties).sort(), ['needs_assessment', 'support_referral']);
    assert.equal(duties.needs_assessment?.enhanced, true, 'wounding with intent is among the most serious crime');
    assert.equal(duties.needs_assessment?.dueAt.toISOString(), '2026-03-04T23:59:59.999Z');

    const charged = { caseId: victimCase.id, kind: 'suspect_charged', summary: 'The suspect has been charged', source: 'police_feed', idempotencyKey: `charge:${victimCase.id}`, visibility: 'victim' as const, occurredAt: new Date('2026-04-03T15:00:00Z') };
    await inTransaction(database.db, (trx) => appendTimelineEvent(trx, feed, charged));
    await runCodeClock(database.db, { settle: true });
    // A replay of the same event adds nothing: no second event, so no second obligation.
    await inTransaction(database.db, (trx) => appendTimelineEvent(trx, feed, charged));
    await runCodeClock(database.db, { settle: true });
    duties = await clock(victimCase.id);
    assert.equal(duties.charge_update?.dueAt.toISOString(), '2026-04-07T22:59:59.999Z');
    assert.equal(duties.charge_update?.workingDays, 1);
    assert.equal(duties.charge_update?.ownerKind, 'witness_care');

    // The night before, only the referral's two duties from March are past their deadline.
    assert.equal(await sweepOverdue(database.db, new Date('2026-04-07T22:00:00Z')), 2);
    assert.equal((await clock(victimCase.id)).charge_update?.state, 'open', 'not overdue before the end of the Tuesday');
    await sweepOverdue(database.db, new Date('2026-04-08T07:00:00Z'));
    duties = await clock(victimCase.id);
    assert.equal(duties.charge_update?.state, 'overdue');
    const alert = await database.db.selectFrom('obligation_alert').select(['coordinator_user_id']).where('obligation_id', '=', duties.charge_update?.id ?? '').executeTakeFirst();
    assert.equal(alert?.coordinator_user_id, coordinator.id);
    const audited = await database.db.selectFrom('audit_event').select(['record_id', 'actor_label', 'detail']).where('action', '=', 'obligation.overdue').where(sql<boolean>`detail->>'obligationId' = ${duties.charge_update?.id ?? ''}`).execute();
    assert.deepEqual(audited.map((row) => [row.record_id, row.actor_label]), [[victimCase.id, 'system:code-clock']], 'one audit row for the obligation turned overdue');
    await sealAuditTrail(database.db);
    assert.equal((await verifyAuditChain(database.db)).ok, true, 'rows the sweep writes in SQL seal and verify like any other');
    // "My cases" puts the overdue case first, flagged, and the overdue filter finds it.
    const later = await referral({ offenceCode: '28E', receivedAt: '2026-04-08T06:00:00Z' });
    await assignCoordinator(database.db, actorFor(coordinator), later.id, coordinator.id);
    const mine = await listWorkerCases(database.db, actorFor(coordinator), {});
    assert.deepEqual(mine.cases.slice(0, 2).map((summary) => [summary.id, summary.overdue, summary.enhanced]), [[victimCase.id, true, true], [later.id, false, false]]);
    const overdueOnly = await listWorkerCases(database.db, actorFor(coordinator), { flag: 'overdue' });
    assert.deepEqual(overdueOnly.cases.map((summary) => summary.id), [victimCase.id]);

    await logContact(database.db, actorFor(coordinator), victimCase.id, { channel: 'phone', direction: 'outbound', outcome: 'successful', day: '8', month: '4', year: '2026', time: '10:00' }, new Date('2026-04-08T12:00:00Z'));
    await runCodeClock(database.db, { settle: true });
    duties = await clock(victimCase.id);
    assert.equal(duties.charge_update?.state, 'met');
    assert.equal(duties.charge_update?.metByKind, 'contact_logged:successful');
    assert.ok((duties.charge_update?.metAt?.getTime() ?? 0) > (duties.charge_update?.dueAt.getTime() ?? 0), 'met, but late');
  });

  it('gives a standard victim 5 working days for the charge update, and re-times it when enhanced rights are given later', async () => {
    const victimCase = await referral({ offenceCode: '28E', receivedAt: '2026-03-02T10:00:00Z' });
    await runCodeClock(database.db, { settle: true });
    await inTransaction(database.db, (trx) => appendTimelineEvent(trx, feed, { caseId: victimCase.id, kind: 'suspect_charged', summary: 'Charged', source: 'police_feed', idempotencyKey: `charge:${victimCase.id}`, visibility: 'victim', occurredAt: new Date('2026-04-03T15:00:00Z') }));
    await runCodeClock(database.db, { settle: true });
    assert.equal((await clock(victimCase.id)).charge_update?.dueAt.toISOString(), '2026-04-13T22:59:59.999Z');
    await sweepOverdue(database.db, new Date('2026-04-08T07:00:00Z'));
    assert.equal((await clock(victimCase.id)).charge_update?.state, 'open');

    const { addEntitlement } = await import('../entitlements/service.ts');
    await addEntitlement(database.db, actorFor(coordinator), victimCase.id, { category: 'intimidated', reason: 'She is frightened of the suspect’s family' });
    await runCodeClock(database.db, { settle: true });
    const retimed = (await clock(victimCase.id)).charge_update;
    assert.equal(retimed?.dueAt.toISOString(), '2026-04-07T22:59:59.999Z');
    assert.equal(retimed?.enhanced, true);
  });

  it('meets journey 1’s 2 WD assessment clock with the needs assessment, not with a tick', async () => {
    // 17:40 on Thursday 19 November 2026: due at the end of Monday 23 November.
    const victimCase = await referral({ offenceCode: '28E', receivedAt: '2026-11-19T17:40:00Z', dateOfBirth: '1945-02-11' });
    await runCodeClock(database.db, { settle: true });
    const duties = await clock(victimCase.id);
    assert.equal(duties.needs_assessment?.dueAt.toISOString(), '2026-11-23T23:59:59.999Z');
    assert.equal(duties.needs_assessment?.enhanced, false);
    await inTransaction(database.db, (trx) => appendTimelineEvent(trx, feed, { caseId: victimCase.id, kind: 'assessment_completed', summary: 'Needs assessed', source: 'staff', idempotencyKey: `assessed:${victimCase.id}`, visibility: 'staff', occurredAt: new Date('2026-11-20T11:00:00Z') }));
    await runCodeClock(database.db, { settle: true });
    const after = await clock(victimCase.id);
    assert.equal(after.needs_assessment?.state, 'met');
    assert.equal(after.support_referral?.state, 'open', 'the referral to a service is its own duty');
  });

  it('records a breach only with a reason, for staff of the case’s area', async () => {
    const victimCase = await referral({ offenceCode: '28E', receivedAt: '2026-03-02T10:00:00Z' });
    await runCodeClock(database.db, { settle: true });
    const duty = (await clock(victimCase.id)).support_referral;
    assert.ok(duty);
    await assert.rejects(recordBreach(database.db, actorFor(coordinator), victimCase.id, duty.id, { reason: 'no' }), Invalid);
    await assert.rejects(recordBreach(database.db, actorFor(stranger), victimCase.id, duty.id, { reason: 'The victim could not be reached' }), NotFound);
    await recordBreach(database.db, actorFor(coordinator), victimCase.id, duty.id, { reason: 'The victim could not be reached by any safe channel' });
    const after = (await clock(victimCase.id)).support_referral;
    assert.equal(after?.state, 'breached');
    await assert.rejects(recordBreach(database.db, actorFor(coordinator), victimCase.id, duty.id, { reason: 'Another reason given later on' }), Invalid);
  });
});
