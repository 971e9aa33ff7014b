// Issue 5's inbox target on the loaded synthetic database: a provider's team inbox with 10,000 open referrals, p95
// under 50 ms, through the real service function (which reads names only under the consent check, and audits).
// Each referral has the victim's consent, the 'service_referral_sent' event it names and its response duty on the
// Code clock, as a live one would.
import { sql } from 'kysely';
import type { Actor } from '../src/platform/auth/identity.ts';
import type { Database } from '../src/platform/db/database.ts';
import { getInbox } from '../src/features/support-referrals/provider-service.ts';

type Result = { target: string; measured: string; limit: string; ratio: number };

const percentile = (values: number[], share: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
};

export async function benchProviderInbox(database: Database, context: { areaId: string; coordinatorUserIds: string[] }, results: Result[], referrals = 10_000): Promise<void> {
  const { db } = database;
  const seeded = performance.now();
  const provider = await db.insertInto('organisation').values({ area_id: context.areaId, kind: 'provider', name: 'Wyvern Practical Support (synthetic)' }).returning('id').executeTakeFirstOrThrow();
  const service = await db
    .insertInto('organisation_service')
    .values({ organisation_id: provider.id, name: 'Practical help', category: 'Practical support', description: 'Help after a crime.', specialism: 'practical', capacity: 50 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const caseworker = await db
    .insertInto('staff_user')
    .values({ organisation_id: provider.id, email: 'caseworker@bench.example.org.uk', display_name: 'Caseworker 1', role: 'provider_caseworker', status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const coordinator = context.coordinatorUserIds[0] ?? '';
  // One referral per case for `referrals` cases of distinct people, in one statement each step.
  await sql`
    create temporary table bench_referral as
    select distinct on (c.person_id) c.id as case_id, c.person_id, c.area_id, gen_random_uuid() as referral_id
    from victim_case c where c.area_id = ${context.areaId} order by c.person_id limit ${referrals}`.execute(db);
  await sql`
    insert into consent (person_id, area_id, case_id, recipient_organisation_id, purpose, legal_basis, given_how, recorded_by_user_id, submission_key)
    select person_id, area_id, case_id, ${provider.id}, 'support_referral', 'consent', 'verbal', ${coordinator}, 'bench:' || referral_id
    from bench_referral`.execute(db);
  await sql`
    with sent as (
      insert into timeline_event (case_id, kind, summary, detail, source, idempotency_key, visibility, occurred_at, recorded_by_user_id)
      select case_id, 'service_referral_sent', 'We referred you to Practical help.', jsonb_build_object('referralId', referral_id), 'hub',
        'service_referral_sent:' || referral_id, 'victim', now() - (random() * interval '10 days'), ${coordinator}
      from bench_referral
      returning id, case_id, occurred_at
    ), referral as (
      insert into support_referral (id, case_id, person_id, area_id, service_id, organisation_id, status, summary, summary_approved_how,
        summary_approved_at, created_by_user_id, sent_at, sent_by_user_id, sent_event_id, allocated_to_user_id, submission_key)
      select b.referral_id, b.case_id, b.person_id, b.area_id, ${service.id}, ${provider.id},
        (array['sent', 'accepted', 'in_progress'])[1 + (hashtext(b.referral_id::text) & 3) % 3], 'Needs help with locks.', 'phone',
        s.occurred_at, ${coordinator}, s.occurred_at, ${coordinator}, s.id,
        case when hashtext(b.referral_id::text) & 1 = 0 then ${caseworker.id}::uuid end, 'bench:' || b.referral_id
      from bench_referral b join sent s on s.case_id = b.case_id
      returning case_id, area_id, sent_event_id, sent_at
    )
    insert into obligation (case_id, area_id, duty, owner_kind, owner_organisation_id, trigger_event_id, trigger_kind, triggered_at, working_days, enhanced, due_at)
    select case_id, area_id, 'provider_response', 'named_organisation', ${provider.id}, sent_event_id, 'service_referral_sent', sent_at, 2, false, sent_at + interval '2 days'
    from referral`.execute(db);
  // The clock would have read these events as they came; and statistics, as autovacuum would gather them.
  await sql`truncate code_clock_inbox`.execute(db);
  await sql`vacuum analyze support_referral`.execute(db);
  await sql`vacuum analyze consent`.execute(db);
  await sql`drop table bench_referral`.execute(db);
  const open = Number((await db.selectFrom('support_referral').select((eb) => eb.fn.countAll<string>().as('n')).where('organisation_id', '=', provider.id).executeTakeFirstOrThrow()).n);
  console.log(`  provider inbox: ${open.toLocaleString('en-GB')} open referrals seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  const actor: Actor = {
    kind: 'staff',
    staff: { userId: caseworker.id, email: 'caseworker@bench.example.org.uk', displayName: 'Caseworker 1', role: 'provider_caseworker', organisationId: provider.id, organisationName: 'Wyvern Practical Support (synthetic)', areaId: context.areaId, organisationKind: 'provider' },
  };
  // Mostly the first pages, as a team works its inbox oldest first; now and then a deep page or "my clients".
  const pages = Math.ceil(open / 50);
  const timings: number[] = [];
  for (let each = 0; each < 300; each += 1) {
    const query = each % 10 === 9 ? { view: 'mine' } : { view: 'team', page: String(each % 5 === 4 ? 1 + Math.floor(Math.random() * pages) : 1 + (each % 3)) };
    const started = performance.now();
    const inbox = await getInbox(db, actor, query);
    timings.push(performance.now() - started);
    if (!inbox.entries.length) throw new Error('the benchmark inbox came back empty');
  }
  const p95 = percentile(timings.slice(20), 0.95);
  results.push({ target: `Provider team inbox, ${open.toLocaleString('en-GB')} open referrals, p95`, measured: `${p95.toFixed(1)} ms`, limit: '50 ms', ratio: p95 / 50 });
}
