// Keeps the insights aggregates (0026) current: takes the stale (topic, area, London day) buckets that the triggers of
// 0027 queue in insight_dirty and recomputes them from the raw tables, a batch at a time. Only counts are written, and
// nothing here is logged, so no personal data leaves the raw tables.
//
// Why no write is lost. A write marks its buckets in its own transaction, with `on conflict do nothing`, so a bucket
// already queued is not queued twice. The danger is a write W that changes raw rows and finds its bucket X already
// queued (its mark merges into the queued one and takes no row lock) while a refresh R takes X off the queue and
// recomputes it from a snapshot that cannot see W, which has not committed: once both commit, X would be stale and no
// longer queued. So every marking statement holds the lock 'insights:mark' shared until its transaction ends, and R
// takes it exclusively before it takes anything off the queue: R waits until every transaction that has marked a
// bucket has committed (or rolled back), so the statements that follow (read committed: each takes a new snapshot)
// see every change whose mark they consume. A write that comes while R holds the lock waits at its first marking
// statement until R commits; by then R has deleted X, so W queues X afresh and the next batch recomputes it. Writers
// share the lock and never wait for each other; R holds it for one batch's recompute only, and asks for it without
// queueing (polling instead), so a long import transaction delays the refresh but never makes other writers wait
// behind a queued refresh. R's own batch takes no lock a writer could hold first, so the two cannot deadlock.
import { setTimeout as sleep } from 'node:timers/promises';
import { inTransaction, type Db } from '../../platform/db/transaction.ts';
import type { InsightTopic } from '../../platform/db/schema.ts';
import { lockRefresh, tryLockMarks, markEveryBucket, RECOMPUTE, takeDirtyBuckets, type Bucket } from './repository.ts';

export const REFRESH_BATCH = 500;
const MARK_LOCK_POLL_MS = 50;

/**
 * Recomputes every queued bucket, in batches of REFRESH_BATCH, each in its own transaction that also removes the
 * batch from the queue, so a crash loses nothing: the batch in hand stays queued. Two processes never recompute at
 * once; a second caller waits for the first rather than skipping, so when this returns, every write committed before
 * the call is counted. Returns how many buckets it recomputed.
 */
export async function refreshInsights(db: Db, options: { batchSize?: number } = {}): Promise<{ buckets: number }> {
  const batchSize = options.batchSize ?? REFRESH_BATCH;
  let buckets = 0;
  for (;;) {
    const done = await inTransaction(db, async (trx) => {
      await lockRefresh(trx);
      while (!(await tryLockMarks(trx))) await sleep(MARK_LOCK_POLL_MS);
      const taken = await takeDirtyBuckets(trx, batchSize);
      const byTopic = new Map<InsightTopic, Bucket[]>();
      for (const { topic, area_id, day } of taken) byTopic.set(topic, [...(byTopic.get(topic) ?? []), { area_id, day }]);
      for (const [topic, batch] of byTopic) await RECOMPUTE[topic](trx, batch);
      return taken.length;
    });
    buckets += done;
    if (done < batchSize) return { buckets };
  }
}

/** Recomputes every bucket that has raw data or aggregate rows: after loading bench or demo data in bulk. */
export async function rebuildInsights(db: Db): Promise<void> {
  await inTransaction(db, (trx) => markEveryBucket(trx));
  await refreshInsights(db);
}
