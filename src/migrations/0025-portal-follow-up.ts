// What the portal's pages needed after 0024: a task kind for a victim's message left unanswered past the reply target,
// and an index that serves "who has seen my record" (a record's audit rows, newest first) without sorting its trail.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table case_task drop constraint case_task_kind_check;
    alter table case_task add constraint case_task_kind_check
      check (kind in ('marac_referral', 'manual_offence_classification', 'support_referral_returned',
        'case_update_review', 'notification_undeliverable', 'victim_not_contactable', 'stale_case_update',
        'message_reply_overdue'));
    create index audit_event_record_newest on audit_event (record_type, record_id, at desc);
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
