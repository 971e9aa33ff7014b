// Messages on a case between the victim and named staff (the hub's coordinators, the officer in charge), with read
// receipts, and the index the stale-case nudge relies on to find each case's last update to the victim cheaply.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_message (
      id uuid primary key,
      case_id uuid not null references victim_case(id),
      direction text not null check (direction in ('from_victim', 'to_victim')),
      -- The member of staff who wrote a message to the victim; the victim's own messages have none.
      author_user_id uuid references staff_user(id),
      body text not null check (char_length(body) between 1 and 2000),
      -- The form's submission key, or the portal's key for an inbound message: a replay adds nothing.
      idempotency_key text not null check (char_length(idempotency_key) between 1 and 200),
      created_at timestamptz not null default now(),
      -- The read receipt: when the other side first read it.
      read_at timestamptz,
      unique (case_id, idempotency_key),
      check ((direction = 'to_victim') = (author_user_id is not null))
    );
    create index case_message_thread on case_message (case_id, created_at, id);
    -- The police view counts each case's unread messages from the victim.
    create index case_message_unread_from_victim on case_message (case_id) where direction = 'from_victim' and read_at is null;

    -- A message is never edited or deleted; only its read receipt is set, once.
    create function case_message_only_read_once() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or old.read_at is not null or new.read_at is null
        or (new.id, new.case_id, new.direction, new.author_user_id, new.body, new.idempotency_key, new.created_at)
          is distinct from (old.id, old.case_id, old.direction, old.author_user_id, old.body, old.idempotency_key, old.created_at) then
        raise exception 'case_message is append-only; only its read receipt is set, once';
      end if;
      return new;
    end $$;
    create trigger case_message_append_only before update or delete on case_message
      for each row execute function case_message_only_read_once();

    -- The stale-case nudge (features/police-view) reads each open case's latest victim-visible update, the events
    -- the notification contract marks notifyVictim 'update'. Only those events are in this small partial index, so
    -- the lookup per case is one index probe however long the timeline.
    create index timeline_event_victim_update on timeline_event (case_id, occurred_at)
      where visibility = 'victim' and detail->>'notifyVictim' = 'update';
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
