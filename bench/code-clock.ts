// Issue 4's speed targets on the loaded synthetic database: the overdue sweep over 1,000,000 open obligations (limit
// 10 s), and loading one case's Code clock (p95 limit 10 ms), both through the real service functions.
import { sql } from 'kysely';
import type { Actor } from '../src/platform/auth/identity.ts';
import type { Database } from '../src/platform/db/database.ts';
import { getCodeClock, sweepOverdue } from '../src/features/obligations/service.ts';

type Result = { target: string; measured: string; limit: string; ratio: number };

const percentile = (values: number[], share: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
};

/**
 * Gives the loaded cases `obligations` open obligations, about one in ten already past its deadline, as a backlog a
 * sweep could meet after a long outage (in steady state a one-minute sweep finds a handful). Then sweeps once, and
 * loads 1,000 cases' clocks as a coordinator.
 */
export async function benchCodeClock(database: Database, staff: Actor, obligations: number, results: Result[]): Promise<void> {
  const seeded = performance.now();
  // Spread over the cases in id order, several duties a case, each triggered by one of the case's own events.
  await sql`
    insert into obligation (case_id, area_id, duty, owner_kind, trigger_event_id, trigger_kind, triggered_at, working_days, enhanced, due_at)
    select c.id, c.area_id, duty, 'hub', e.id, 'referral_received', now() - interval '3 days', 2, false,
      now() + make_interval(mins => ((hashtext(c.id::text || duty) & 65535) % 86400) - 8640)
    from (select id, area_id from victim_case order by id limit ${Math.ceil(obligations / 4)}) c
    cross join unnest(array['needs_assessment', 'support_referral', 'charge_update', 'hearing_update']) as duty
    join lateral (select id from timeline_event where case_id = c.id order by occurred_at, id limit 1) e on true
    limit ${obligations}
  `.execute(database.db);
  await sql`vacuum analyze obligation`.execute(database.db);
  const counts = await sql<{ open: number; due: number }>`
    select count(*)::int as open, count(*) filter (where due_at < now())::int as due from obligation where state = 'open'`.execute(database.db);
  const { open = 0, due = 0 } = counts.rows[0] ?? {};
  console.log(`  code clock: ${open.toLocaleString('en-GB')} open obligations seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s, ${due.toLocaleString('en-GB')} past their deadline`);

  const started = performance.now();
  const turned = await sweepOverdue(database.db);
  const seconds = (performance.now() - started) / 1000;
  console.log(`  overdue sweep: ${turned.toLocaleString('en-GB')} turned overdue, with alerts and audit, in ${seconds.toFixed(2)} s`);
  results.push({ target: `Overdue sweep over ${open.toLocaleString('en-GB')} open obligations (${turned.toLocaleString('en-GB')} due)`, measured: `${seconds.toFixed(2)} s`, limit: '10 s', ratio: seconds / 10 });

  const caseIds = (await sql<{ case_id: string }>`select distinct case_id from obligation where case_id >= '40000000-0000-0000-0000-000000000000' order by case_id limit 1000`.execute(database.db)).rows.map((row) => row.case_id);
  const timings: number[] = [];
  for (const caseId of caseIds) {
    const begun = performance.now();
    await getCodeClock(database.db, staff, caseId);
    timings.push(performance.now() - begun);
  }
  const p95 = percentile(timings, 0.95);
  console.log(`  case clock: ${timings.length} cases, median ${percentile(timings, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
  results.push({ target: `Loading a case's Code clock p95, ${timings.length} cases, getCodeClock`, measured: `${p95.toFixed(1)} ms`, limit: '10 ms', ratio: p95 / 10 });
}
