// Issue 8's targets on the loaded synthetic database with its insights data: rebuilding every aggregate from the raw
// tables (rebuildInsights, reported), and each commissioner's dashboard over a one-year range at 8 concurrent requests
// for about 10 s, p95 under 500 ms. Signed in as the area's commissioner's analyst. Parts not landed yet are left out and
// said so.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { readConfig } from '../src/config.ts';
import { buildApp } from '../src/app.ts';
import type { Database } from '../src/platform/db/database.ts';
import type { Db } from '../src/platform/db/transaction.ts';
import { inTransaction } from '../src/platform/db/transaction.ts';
import { createSession, SESSION_COOKIE } from '../src/platform/auth/session-store.ts';

type Result = { target: string; measured: string; limit: string; ratio: number };
type UpkeepModule = { rebuildInsights(db: Db): Promise<void> };

export const DASHBOARDS = ['/insights', '/insights/demand', '/insights/compliance', '/insights/provision', '/insights/voice', '/insights/equality'] as const;
const LIMIT_MS = 500;

const percentile = (values: number[], share: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** GOV.UK date inputs for the year to today, as the dashboards' range form sends them. */
export function lastYearQuery(today: Date): string {
  const from = new Date(today.getTime() - 364 * 86_400_000);
  const parts = (name: string, date: Date) => `${name}-day=${date.getUTCDate()}&${name}-month=${date.getUTCMonth() + 1}&${name}-year=${date.getUTCFullYear()}`;
  return `${parts('from', from)}&${parts('to', today)}`;
}

async function load(url: string, cookie: string, workers: number, durationMs: number): Promise<{ latencies: number[]; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const begun = performance.now();
        const response = await fetch(url, { headers: { cookie } });
        await response.arrayBuffer();
        if (response.status === 200) latencies.push(performance.now() - begun);
        else failures += 1;
      }
    }),
  );
  return { latencies, failures };
}

export async function benchInsightsDashboards(
  database: Database,
  url: string,
  context: { areaId: string; analystUserId?: string },
  results: Result[],
  options: { workers?: number; durationMs?: number } = {},
): Promise<void> {
  const workers = options.workers ?? 8;
  const durationMs = options.durationMs ?? 10_000;
  if (!context.analystUserId) throw new Error('the insights bench needs data loaded with insights (an analyst in the area)');
  const { db } = database;

  const upkeepUrl = new URL('../src/features/insights-upkeep/service.ts', import.meta.url);
  const upkeep = existsSync(upkeepUrl) ? ((await import(upkeepUrl.href)) as Partial<UpkeepModule>) : undefined;
  if (upkeep?.rebuildInsights) {
    const started = performance.now();
    await upkeep.rebuildInsights(db);
    const seconds = (performance.now() - started) / 1000;
    const rows = await sql<{ cases: number; duties: number; referrals: number }>`
      select (select count(*)::int from insight_case_day) as cases, (select count(*)::int from insight_duty_day) as duties,
        (select count(*)::int from insight_referral_day) as referrals`.execute(db);
    const counted = rows.rows[0];
    console.log(`  insights rebuild: rebuildInsights in ${seconds.toFixed(1)} s (aggregate rows: ${counted?.cases} case-days, ${counted?.duties} duty-days, ${counted?.referrals} referral-days)`);
    // Reported, not judged: the issue sets no limit on a full rebuild, which runs once after a bulk load (NaN: no ratio).
    results.push({ target: 'Insights rebuild from the raw tables (rebuildInsights), reported only', measured: `${seconds.toFixed(1)} s`, limit: 'none set', ratio: Number.NaN });
    await sql`vacuum analyze`.execute(db);
  } else {
    console.log('  insights rebuild: LEFT OUT, rebuildInsights (src/features/insights-upkeep/service.ts) has not landed; the dashboards below read empty aggregates');
  }

  const token = await inTransaction(db, (trx) => createSession(trx, context.analystUserId as string, 'signed_in', new Date()));
  const cookie = `${SESSION_COOKIE}=${token}`;
  const config = readConfig({ NODE_ENV: 'production', DATABASE_URL: url, LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-session-secret-bench-session-secret' });
  const app = await buildApp({ config, database });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const query = lastYearQuery(new Date());
    for (const path of DASHBOARDS) {
      const pageUrl = `${baseUrl}${path}?${query}`;
      const probe = await fetch(pageUrl, { headers: { cookie } });
      const body = await probe.text();
      if (probe.status !== 200) {
        console.log(`  ${path}: LEFT OUT, it answered ${probe.status}${probe.status === 404 ? ' (the dashboard has not landed)' : ''}`);
        continue;
      }
      // A short warm-up so template compilation and connection set-up are not timed.
      await load(pageUrl, cookie, workers, 1000);
      const measured = await load(pageUrl, cookie, workers, durationMs);
      const p95 = percentile(measured.latencies, 0.95);
      console.log(
        `  ${path}: ${measured.latencies.length} answered (${measured.failures} not 200), median ${ms(percentile(measured.latencies, 0.5))}, ` +
          `p95 ${ms(p95)}, p99 ${ms(percentile(measured.latencies, 0.99))}; page ${(body.length / 1000).toFixed(1)} KB`,
      );
      if (measured.failures) throw new Error(`${measured.failures} requests for ${path} did not answer 200`);
      results.push({ target: `Dashboard ${path}, one-year range, p95 at ${workers} concurrent requests`, measured: ms(p95), limit: `${LIMIT_MS} ms`, ratio: p95 / LIMIT_MS });
    }
  } finally {
    await app.close();
  }
}
