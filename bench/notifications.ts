// Issue 6's notification targets on real PostgreSQL, with the worker in a process of its own (as `--worker-only` runs
// it) sending to the fake Notify server on loopback:
//   (a) latency: events recorded one per transaction at a steady rate (80% of the real 3,000 a minute, or of the
//       permitted rate when lower), p95 from the moment
//       an event is recorded to the moment the fake Notify receives its message, against 2 s;
//   (b) burst: 10,000 events at once; all are sent, the most in any 60 s at the fake server is at most the permitted
//       rate, Notify never answers 429, and the worker keeps close to the permitted rate (at least 90% of it).
// `--notify-rate N` scales the permitted rate (the real one is 3,000 a minute) so the burst takes less time.
import { withBenchDatabase } from './bench-database.ts';
import type { Database } from '../src/platform/db/database.ts';
import { startFakeNotify, type FakeNotify } from '../test/support/fake-notify.ts';
import { recordUpdates, seedEmailableVictims } from '../test/support/notification-load.ts';
import { startWorkerChild } from '../test/support/notification-worker-child.ts';

type Result = { target: string; measured: string; limit: string; ratio: number };

const LATENCY_LIMIT_MS = 2000;
// The worker may keep a little under the permitted rate (a safety margin); much under it and a burst takes too long.
const MIN_SHARE_OF_RATE = 0.9;

const percentile = (values: number[], share: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = (value: number) => Math.round(value).toLocaleString('en-GB');

export type NotificationBenchOptions = { ratePerMinute: number; burst?: number; latencySeconds?: number };

export async function benchNotifications(results: Result[], options: NotificationBenchOptions): Promise<void> {
  await withBenchDatabase('haven_bench_notifications', async (database, url) => {
    await benchLatency(database, url, options.ratePerMinute, options.latencySeconds ?? 30, results);
    await benchBurst(database, url, options.ratePerMinute, options.burst ?? 10_000, results);
  });
}

/** Starts a fake Notify and a worker process sending to it; runs work; stops both. */
async function withWorker<T>(databaseUrl: string, ratePerMinute: number, work: (fake: FakeNotify) => Promise<T>): Promise<T> {
  const fake = await startFakeNotify({ ratePerMinute });
  try {
    const worker = await startWorkerChild({ databaseUrl, notifyApiKey: fake.apiKey, notifyBaseUrl: fake.baseUrl, ratePerMinute });
    try {
      return await work(fake);
    } finally {
      await worker.stop('SIGTERM');
    }
  } finally {
    await fake.close();
  }
}

/** Waits until every notification for these events is sent (or the time is up); returns notification id → event id. */
async function waitUntilSent(database: Database, eventIds: number[], withinMs: number, label: string): Promise<Map<string, number>> {
  const deadline = Date.now() + withinMs;
  let reported = Date.now();
  for (;;) {
    const rows = await database.db.selectFrom('notification').select(['id', 'event_id', 'state']).where('event_id', 'in', eventIds).execute();
    const sent = rows.filter((row) => row.state === 'sent');
    if (sent.length === eventIds.length || Date.now() > deadline) {
      return new Map(sent.map((row) => [row.id, Number(row.event_id)]));
    }
    if (Date.now() - reported > 15_000) {
      reported = Date.now();
      console.log(`  ${label}: ${count(sent.length)} of ${count(eventIds.length)} sent`);
    }
    await sleep(250);
  }
}

async function benchLatency(database: Database, url: string, ratePerMinute: number, seconds: number, results: Result[]): Promise<void> {
  // The real rate's load even when --notify-rate raises the permitted rate: that only shortens the burst.
  const perSecond = Math.max(1, Math.floor((Math.min(ratePerMinute, 3000) / 60) * 0.8));
  const total = perSecond * seconds;
  const caseIds = await seedEmailableVictims(database.db, total);
  await withWorker(url, ratePerMinute, async (fake) => {
    // One event per transaction, as the events API records them, spaced evenly; the time is taken before each starts.
    const recordedAt = new Map<number, number>();
    const started = performance.now();
    for (let index = 0; index < total; index += 1) {
      const due = started + (index * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const at = Date.now();
      const [eventId] = await recordUpdates(database.db, [caseIds[index] ?? '']);
      if (eventId !== undefined) recordedAt.set(eventId, at);
    }
    const recordSeconds = (performance.now() - started) / 1000;
    const eventIds = [...recordedAt.keys()];
    const sent = await waitUntilSent(database, eventIds, 120_000 + total * 100, 'latency');
    const received = new Map(fake.sent.map((message) => [message.reference ?? '', message.receivedAt]));
    const latencies: number[] = [];
    for (const [notificationId, eventId] of sent) {
      const at = received.get(notificationId);
      const recorded = recordedAt.get(eventId);
      if (at !== undefined && recorded !== undefined) latencies.push(at - recorded);
    }
    // An event never sent counts as never arriving.
    for (let missing = latencies.length; missing < total; missing += 1) latencies.push(Number.POSITIVE_INFINITY);
    const p95 = percentile(latencies, 0.95);
    console.log(
      `  latency: ${count(total)} events at ${perSecond}/s (recorded in ${recordSeconds.toFixed(1)} s); ${count(sent.size)} sent; ` +
        `p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${percentile(latencies, 1).toFixed(0)} ms`,
    );
    results.push({
      target: `Event recorded to message at Notify, ${perSecond} events/s steady, p95`,
      measured: Number.isFinite(p95) ? `${p95.toFixed(0)} ms` : `${count(total - sent.size)} not sent`,
      limit: `${LATENCY_LIMIT_MS} ms`,
      ratio: p95 / LATENCY_LIMIT_MS,
    });
  });
}

async function benchBurst(database: Database, url: string, ratePerMinute: number, burst: number, results: Result[]): Promise<void> {
  const caseIds = await seedEmailableVictims(database.db, burst);
  await withWorker(url, ratePerMinute, async (fake) => {
    const started = performance.now();
    const eventIds = await recordUpdates(database.db, caseIds);
    const recordSeconds = (performance.now() - started) / 1000;
    // Three times as long as sending at the permitted rate takes, and two minutes more, before giving up.
    const idealMs = (burst / ratePerMinute) * 60_000;
    const sent = await waitUntilSent(database, eventIds, idealMs * 3 + 120_000, 'burst');
    const received = fake.sent.map((message) => message.receivedAt).sort((a, b) => a - b);
    const spanMs = received.length > 1 ? (received.at(-1) ?? 0) - (received[0] ?? 0) : 0;
    const achievedPerMinute = spanMs > 0 ? ((received.length - 1) / spanMs) * 60_000 : 0;
    const busiest = fake.maxInAnyMinute();
    console.log(
      `  burst: ${count(burst)} events recorded in ${recordSeconds.toFixed(1)} s; ${count(sent.size)} sent in ${(spanMs / 1000).toFixed(1)} s ` +
        `(${count(achievedPerMinute)}/min); busiest minute ${count(busiest)}; 429s ${fake.rejectedForRate}`,
    );
    results.push({
      target: `Burst of ${count(burst)}: all sent`,
      measured: `${count(sent.size)} sent`,
      limit: `${count(burst)}`,
      // Every one unsent is a miss: the ratio is over 1 unless all went.
      ratio: sent.size === burst ? 0 : 1 + (burst - sent.size) / burst,
    });
    results.push({
      target: `Burst of ${count(burst)}: most at Notify in any 60 s`,
      measured: `${count(busiest)}`,
      limit: `${count(ratePerMinute)} (permitted)`,
      ratio: busiest / ratePerMinute,
    });
    results.push({
      target: `Burst of ${count(burst)}: Notify's 429 (over the rate) answers`,
      measured: `${fake.rejectedForRate}`,
      limit: '0',
      ratio: fake.rejectedForRate === 0 ? 0 : 1 + fake.rejectedForRate,
    });
    results.push({
      target: `Burst of ${count(burst)}: sending rate kept near the permitted rate`,
      measured: `${count(achievedPerMinute)}/min`,
      limit: `${count(ratePerMinute * MIN_SHARE_OF_RATE)}/min (${MIN_SHARE_OF_RATE * 100}% of permitted)`,
      ratio: achievedPerMinute > 0 ? (ratePerMinute * MIN_SHARE_OF_RATE) / achievedPerMinute : Number.POSITIVE_INFINITY,
    });
  });
}
