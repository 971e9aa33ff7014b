// The audit trail is hash-chained by a sealer rather than by each writer. Writers used to take one advisory lock and
// hold it until commit, so every request that wrote audit (every read of a case, too) queued behind every other; now
// they insert in parallel, and the sealer links committed rows into the chain in turns, within about a second.
// chain_position is the order of the chain (commit order can differ from id order). The trigger still refuses any
// change to what a row says, and lets the seal be written once, onto a row that has none.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger audit_event_append_only on audit_event;
    alter table audit_event
      alter column previous_hash drop not null,
      alter column hash drop not null,
      add column chain_position bigint;
    -- Rows chained by the writers before this migration keep their order.
    update audit_event set chain_position = id;
    create unique index audit_event_chain_position on audit_event (chain_position);
    create index audit_event_unsealed on audit_event (id) where chain_position is null;
    alter table audit_event add constraint audit_event_sealed_whole
      check ((chain_position is null) = (hash is null) and (hash is null) = (previous_hash is null));

    create function audit_event_only_sealed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.chain_position is null and new.chain_position is not null
        and (new.id, new.at, new.actor_user_id, new.actor_label, new.organisation_id, new.action, new.record_type,
             new.record_id, new.request_id, new.detail)
          is not distinct from
            (old.id, old.at, old.actor_user_id, old.actor_label, old.organisation_id, old.action, old.record_type,
             old.record_id, old.request_id, old.detail) then
        return new;
      end if;
      raise exception 'audit_event is append-only';
    end $$;
    create trigger audit_event_append_only before update or delete on audit_event
      for each row execute function audit_event_only_sealed();
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
