// Fills insight_dirty (0026) with the (topic, area, London day) buckets each write makes stale, so the upkeep job
// (features/insights-upkeep) recomputes only those. The triggers are statement-level with transition tables: the daily
// import inserts thousands of rows in one statement, and one set-based insert per statement costs far less than a
// row-level trigger firing thousands of times. PostgreSQL allows transition tables only on triggers without a column
// list and with one event each, so each table has a trigger per event, and an update trigger compares old and new rows
// itself to mark only the writes that change what an aggregate counts.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Every marking statement holds this lock (shared, so writers never wait for each other) until its transaction
    -- ends; the refresh takes it exclusively before it empties the queue, so no write whose mark it consumes can still
    -- be uncommitted when it recomputes (features/insights-upkeep/service.ts explains the race).

    -- The refresh reads one area's London day at a time.
    create index victim_case_area_created on victim_case (area_id, created_at);
    create index obligation_area_due on obligation (area_id, due_at);
    create index support_referral_area_sent on support_referral (area_id, sent_at) where sent_at is not null;
    create index complaint_area_received on complaint (area_id, received_at);

    -- Cases opened (topic case: insight_case_day and insight_equality_day), by the London day each case was opened.
    create function insight_mark_victim_case() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(hashtextextended('insights:mark', 0));
      if tg_op = 'INSERT' then
        insert into insight_dirty (topic, area_id, day)
          select distinct 'case', area_id, (created_at at time zone 'Europe/London')::date from new_rows
          on conflict do nothing;
      elsif tg_op = 'DELETE' then
        insert into insight_dirty (topic, area_id, day)
          select distinct 'case', area_id, (created_at at time zone 'Europe/London')::date from old_rows
          on conflict do nothing;
      else
        -- Both the bucket a case leaves and the one it joins, and only when something an aggregate counts changed.
        insert into insight_dirty (topic, area_id, day)
          select distinct 'case', bucket.area_id, bucket.day
          from new_rows n join old_rows o on o.id = n.id
          cross join lateral (values
            (n.area_id, (n.created_at at time zone 'Europe/London')::date),
            (o.area_id, (o.created_at at time zone 'Europe/London')::date)) as bucket (area_id, day)
          where (n.area_id, n.created_at, n.source, n.role, n.crime_id, n.person_id)
            is distinct from (o.area_id, o.created_at, o.source, o.role, o.crime_id, o.person_id)
          on conflict do nothing;
      end if;
      return null;
    end $$;
    create trigger insight_victim_case_insert after insert on victim_case
      referencing new table as new_rows for each statement execute function insight_mark_victim_case();
    create trigger insight_victim_case_update after update on victim_case
      referencing new table as new_rows old table as old_rows for each statement execute function insight_mark_victim_case();
    create trigger insight_victim_case_delete after delete on victim_case
      referencing old table as old_rows for each statement execute function insight_mark_victim_case();

    -- A person's equality fields, date of birth and repeat-victim flag are counted in their cases' buckets.
    create function insight_mark_person() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(hashtextextended('insights:mark', 0));
      insert into insight_dirty (topic, area_id, day)
        select distinct 'case', c.area_id, (c.created_at at time zone 'Europe/London')::date
        from new_rows n join old_rows o on o.id = n.id
        join victim_case c on c.person_id = n.id
        where (n.sex, n.ethnic_group, n.disabled, n.date_of_birth, n.repeat_victim)
          is distinct from (o.sex, o.ethnic_group, o.disabled, o.date_of_birth, o.repeat_victim)
        on conflict do nothing;
      return null;
    end $$;
    create trigger insight_person_update after update on person
      referencing new table as new_rows old table as old_rows for each statement execute function insight_mark_person();

    -- A crime's offence group is counted in its cases' buckets.
    create function insight_mark_crime() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(hashtextextended('insights:mark', 0));
      insert into insight_dirty (topic, area_id, day)
        select distinct 'case', c.area_id, (c.created_at at time zone 'Europe/London')::date
        from new_rows n join old_rows o on o.id = n.id
        join victim_case c on c.crime_id = n.id
        where n.offence_group is distinct from o.offence_group
        on conflict do nothing;
      return null;
    end $$;
    create trigger insight_crime_update after update on crime
      referencing new table as new_rows old table as old_rows for each statement execute function insight_mark_crime();

    -- Enhanced rights (a decision in force) are counted in the case's bucket; a decision is only ever added or withdrawn.
    create function insight_mark_entitlement_decision() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(hashtextextended('insights:mark', 0));
      insert into insight_dirty (topic, area_id, day)
        select distinct 'case', c.area_id, (c.created_at at time zone 'Europe/London')::date
        from new_rows n join victim_case c on c.id = n.case_id
        on conflict do nothing;
      return null;
    end $$;
    create trigger insight_entitlement_decision_insert after insert on entitlement_decision
      referencing new table as new_rows for each statement execute function insight_mark_entitlement_decision();
    create trigger insight_entitlement_decision_update after update on entitlement_decision
      referencing new table as new_rows for each statement execute function insight_mark_entitlement_decision();

    -- Duties (topic duty) by the London day each falls due: re-timing moves an obligation from one day to another, so an
    -- update marks the old day and the new. A complaint_response duty also decides whether its complaint was answered
    -- in time (topic complaint, by the day the complaint was received), and the Code clock makes that duty after the
    -- complaint is stored, so its writes mark the complaint's bucket too.
    create function insight_mark_obligation() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(hashtextextended('insights:mark', 0));
      if tg_op = 'INSERT' then
        insert into insight_dirty (topic, area_id, day)
          select distinct 'duty', area_id, (due_at at time zone 'Europe/London')::date from new_rows
          on conflict do nothing;
        insert into insight_dirty (topic, area_id, day)
          select distinct 'complaint', k.area_id, (k.received_at at time zone 'Europe/London')::date
          from new_rows n
          join timeline_event e on e.id = n.trigger_event_id and e.kind = 'complaint_received'
          join complaint k on k.case_id = n.case_id and k.id::text = e.detail->>'complaintId'
          where n.duty = 'complaint_response'
          on conflict do nothing;
      elsif tg_op = 'DELETE' then
        insert into insight_dirty (topic, area_id, day)
          select distinct 'duty', area_id, (due_at at time zone 'Europe/London')::date from old_rows
          on conflict do nothing;
      else
        insert into insight_dirty (topic, area_id, day)
          select distinct 'duty', bucket.area_id, bucket.day
          from new_rows n join old_rows o on o.id = n.id
          cross join lateral (values
            (n.area_id, (n.due_at at time zone 'Europe/London')::date),
            (o.area_id, (o.due_at at time zone 'Europe/London')::date)) as bucket (area_id, day)
          where (n.area_id, n.due_at, n.state, n.met_at, n.duty, n.owner_kind, n.owner_organisation_id)
            is distinct from (o.area_id, o.due_at, o.state, o.met_at, o.duty, o.owner_kind, o.owner_organisation_id)
          on conflict do nothing;
        insert into insight_dirty (topic, area_id, day)
          select distinct 'complaint', k.area_id, (k.received_at at time zone 'Europe/London')::date
          from new_rows n join old_rows o on o.id = n.id
          join timeline_event e on e.id = n.trigger_event_id and e.kind = 'complaint_received'
          join complaint k on k.case_id = n.case_id and k.id::text = e.detail->>'complaintId'
          where n.duty = 'complaint_response' and (n.due_at, n.state, n.met_at) is distinct from (o.due_at, o.state, o.met_at)
          on conflict do nothing;
      end if;
      return null;
    end $$;
    create trigger insight_obligation_insert after insert on obligation
      referencing new table as new_rows for each statement execute function insight_mark_obligation();
    create trigger insight_obligation_update after update on obligation
      referencing new table as new_rows old table as old_rows for each statement execute function insight_mark_obligation();
    create trigger insight_obligation_delete after delete on obligation
      referencing old table as old_rows for each statement execute function insight_mark_obligation();

    -- Referrals (topic referral) by the London day each was sent; drafts have no day and count nowhere.
    create function insight_mark_support_referral() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(hashtextextended('insights:mark', 0));
      if tg_op = 'INSERT' then
        insert into insight_dirty (topic, area_id, day)
          select distinct 'referral', area_id, (sent_at at time zone 'Europe/London')::date from new_rows
          where sent_at is not null
          on conflict do nothing;
      elsif tg_op = 'DELETE' then
        insert into insight_dirty (topic, area_id, day)
          select distinct 'referral', area_id, (sent_at at time zone 'Europe/London')::date from old_rows
          where sent_at is not null
          on conflict do nothing;
      else
        insert into insight_dirty (topic, area_id, day)
          select distinct 'referral', bucket.area_id, bucket.day
          from new_rows n join old_rows o on o.id = n.id
          cross join lateral (values
            (n.area_id, (n.sent_at at time zone 'Europe/London')::date),
            (o.area_id, (o.sent_at at time zone 'Europe/London')::date)) as bucket (area_id, day)
          where bucket.day is not null
            and (n.area_id, n.sent_at, n.status, n.answered_at, n.started_at, n.outcome, n.organisation_id, n.service_id)
              is distinct from (o.area_id, o.sent_at, o.status, o.answered_at, o.started_at, o.outcome, o.organisation_id, o.service_id)
          on conflict do nothing;
      end if;
      return null;
    end $$;
    create trigger insight_support_referral_insert after insert on support_referral
      referencing new table as new_rows for each statement execute function insight_mark_support_referral();
    create trigger insight_support_referral_update after update on support_referral
      referencing new table as new_rows old table as old_rows for each statement execute function insight_mark_support_referral();
    create trigger insight_support_referral_delete after delete on support_referral
      referencing old table as old_rows for each statement execute function insight_mark_support_referral();

    -- Victims' ratings and the themes of their comments (topic feedback), by the London day given.
    create function insight_mark_victim_feedback() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(hashtextextended('insights:mark', 0));
      if tg_op = 'DELETE' then
        insert into insight_dirty (topic, area_id, day)
          select distinct 'feedback', area_id, (given_at at time zone 'Europe/London')::date from old_rows
          on conflict do nothing;
      else
        insert into insight_dirty (topic, area_id, day)
          select distinct 'feedback', area_id, (given_at at time zone 'Europe/London')::date from new_rows
          on conflict do nothing;
      end if;
      if tg_op = 'UPDATE' then
        insert into insight_dirty (topic, area_id, day)
          select distinct 'feedback', area_id, (given_at at time zone 'Europe/London')::date from old_rows
          on conflict do nothing;
      end if;
      return null;
    end $$;
    create trigger insight_victim_feedback_insert after insert on victim_feedback
      referencing new table as new_rows for each statement execute function insight_mark_victim_feedback();
    create trigger insight_victim_feedback_update after update on victim_feedback
      referencing new table as new_rows old table as old_rows for each statement execute function insight_mark_victim_feedback();
    create trigger insight_victim_feedback_delete after delete on victim_feedback
      referencing old table as old_rows for each statement execute function insight_mark_victim_feedback();

    -- Complaints (topic complaint) by the London day each was received.
    create function insight_mark_complaint() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(hashtextextended('insights:mark', 0));
      if tg_op = 'INSERT' then
        insert into insight_dirty (topic, area_id, day)
          select distinct 'complaint', area_id, (received_at at time zone 'Europe/London')::date from new_rows
          on conflict do nothing;
      elsif tg_op = 'DELETE' then
        insert into insight_dirty (topic, area_id, day)
          select distinct 'complaint', area_id, (received_at at time zone 'Europe/London')::date from old_rows
          on conflict do nothing;
      else
        insert into insight_dirty (topic, area_id, day)
          select distinct 'complaint', bucket.area_id, bucket.day
          from new_rows n join old_rows o on o.id = n.id
          cross join lateral (values
            (n.area_id, (n.received_at at time zone 'Europe/London')::date),
            (o.area_id, (o.received_at at time zone 'Europe/London')::date)) as bucket (area_id, day)
          where (n.area_id, n.received_at, n.answered_at, n.organisation_id)
            is distinct from (o.area_id, o.received_at, o.answered_at, o.organisation_id)
          on conflict do nothing;
      end if;
      return null;
    end $$;
    create trigger insight_complaint_insert after insert on complaint
      referencing new table as new_rows for each statement execute function insight_mark_complaint();
    create trigger insight_complaint_update after update on complaint
      referencing new table as new_rows old table as old_rows for each statement execute function insight_mark_complaint();
    create trigger insight_complaint_delete after delete on complaint
      referencing old table as old_rows for each statement execute function insight_mark_complaint();
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
