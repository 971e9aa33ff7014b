// Notifications to victims. A victim-visible timeline event whose detail asks for it (`notifyVictim`) is copied by a
// trigger into notification_inbox in the same transaction, so no door that records an event can forget to notify.
// The runner turns each inbox row into one notification (unique dedupe key) and one job; the worker sends it through
// GOV.UK Notify under our notification id as Notify's reference, so a send repeated after a crash can be found and not
// sent twice. Without a Notify key, messages go to the embedded outbox instead. notify_rate_limit spaces sends per API
// key across every worker process.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notification_inbox (
      event_id bigint primary key references timeline_event(id)
    );
    create function timeline_event_to_notification_inbox() returns trigger language plpgsql as $$
    begin
      insert into notification_inbox (event_id) values (new.id) on conflict do nothing;
      return new;
    end $$;
    create trigger timeline_event_notification after insert on timeline_event
      -- Only 'update' and 'message' ask for a notification (the contract); any other value, or none, asks for nothing.
      for each row when (new.visibility = 'victim' and new.detail->>'notifyVictim' in ('update', 'message'))
      execute function timeline_event_to_notification_inbox();

    create table notification (
      id uuid primary key default gen_random_uuid(),
      -- One notification per event however often the inbox is read: 'event:<timeline event id>'.
      dedupe_key text not null unique,
      case_id uuid not null references victim_case(id),
      person_id uuid not null references person(id),
      area_id uuid not null references area(id),
      event_id bigint not null references timeline_event(id),
      purpose text not null check (purpose in ('update', 'message')),
      language text not null check (language in ('en', 'cy')),
      -- The channels the safe-contact profile allowed when the notification was made, in the profile's order; a
      -- failure on one moves to the next.
      channels text[] not null,
      channel_index integer not null default 0,
      state text not null default 'queued'
        check (state in ('queued', 'sending', 'sent', 'delivered', 'failed', 'withheld')),
      withheld_reason text,
      notify_id text,
      reference text,
      attempts jsonb not null default '[]',
      due_at timestamptz not null,
      sent_at timestamptz,
      delivered_at timestamptz,
      failed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index notification_case on notification (case_id, created_at);
    create index notification_notify_id on notification (notify_id) where notify_id is not null;

    -- What would have gone to Notify when no API key is set: development and test only.
    create table notification_outbox (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      channel text not null check (channel in ('email', 'sms')),
      recipient text not null,
      template_id text not null,
      personalisation jsonb not null,
      created_at timestamptz not null default now()
    );
    create index notification_outbox_newest on notification_outbox (created_at desc);

    -- The next moment a send may start, per API key (a hash of it, never the key): each send takes the next slot.
    create table notify_rate_limit (
      key_id text primary key,
      next_at timestamptz not null
    );
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
