// Victims who may be emailed, and updates on their cases that call for a notification, in bulk: for the kill -9 test
// and the notifications bench. People and cases go in with one statement each (their own services would audit every
// row, which is not what is measured); updates go through appendTimelineEvents, the door every feature uses, so the
// notification trigger fires exactly as it does in Haven.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { systemActor } from '../../src/platform/auth/identity.ts';
import { inTransaction, type Db } from '../../src/platform/db/transaction.ts';
import { appendTimelineEvents } from '../../src/features/cases/service.ts';

/**
 * Email only, nobody's "do not contact", and quiet hours that start and end at the same minute (none), so a run at
 * 3 am is not deferred to 8 am.
 */
export const EMAILABLE_PROFILE = { channels: ['email'], doNotContact: false, quietHours: { from: '00:00', to: '00:00' } };

/** `count` people in a new area, each with an email address, the profile above and one open case. Returns case ids. */
export async function seedEmailableVictims(db: Db, count: number): Promise<string[]> {
  const tag = randomUUID().slice(0, 8);
  const area = await db.insertInto('area').values({ code: `notify-${tag}`, name: `Notifications load ${tag}` }).returning('id').executeTakeFirstOrThrow();
  const result = await sql<{ id: string }>`
    with people as (
      insert into person (area_id, given_name, family_name, match_name, email, safe_contact)
      select ${area.id}, 'Load', 'Victim ' || n, 'load victim ' || n, 'victim' || n || '.' || ${tag} || '@example.com',
        ${JSON.stringify(EMAILABLE_PROFILE)}::jsonb
      from generate_series(1, ${count}) as n
      returning id
    )
    insert into victim_case (person_id, area_id, role, source, status)
    select id, ${area.id}, 'victim', 'agency_referral', 'active' from people
    returning id
  `.execute(db);
  return result.rows.map((row) => row.id);
}

/**
 * One victim-visible update per case, asking to notify the victim, in one transaction per `batchSize` cases.
 * Returns the events' ids.
 */
export async function recordUpdates(db: Db, caseIds: string[], batchSize = 500): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < caseIds.length; start += batchSize) {
    const batch = caseIds.slice(start, start + batchSize);
    const recorded = await inTransaction(db, (trx) =>
      appendTimelineEvents(
        trx,
        systemActor('notifications load'),
        batch.map((caseId) => ({
          caseId,
          kind: 'case_update_published',
          summary: 'There is an update on your case.',
          detail: { notifyVictim: 'update' },
          source: 'load',
          idempotencyKey: `load:${randomUUID()}`,
          visibility: 'victim' as const,
          occurredAt: new Date(),
        })),
      ),
    );
    ids.push(...recorded.map(({ event }) => Number(event.id)));
  }
  return ids;
}
