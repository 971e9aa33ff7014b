// The crimes, cases and timeline events of a batch of referrals, through the cases service. That service takes them
// one at a time today; batch versions (findOrCreateCrimes, openCases, appendTimelineEvents) have been asked for, and
// this file is where they go, so intake's batch shape does not change when they land.
import type { Actor } from '../../platform/auth/identity.ts';
import type { Trx } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvent, findOrCreateCrime, openCase, type CrimeInput, type OpenCaseInput, type TimelineEventInput } from '../cases/service.ts';
import { prefixFields } from './rules.ts';

/** The crime for each input, found by (area, crime reference) or created: their ids, in order. */
export async function crimesFor(trx: Trx, actor: Actor, inputs: readonly CrimeInput[]): Promise<string[]> {
  const ids: string[] = [];
  for (const input of inputs) ids.push((await withPrefix('crime', () => findOrCreateCrime(trx, actor, input))).crime.id);
  return ids;
}

/** Opens each case as openCase does, with its 'referral received' event: the case ids and whether each was new. */
export async function casesFor(trx: Trx, actor: Actor, inputs: readonly OpenCaseInput[]): Promise<{ caseId: string; created: boolean }[]> {
  const opened: { caseId: string; created: boolean }[] = [];
  for (const input of inputs) {
    const result = await withPrefix('referral', () => openCase(trx, actor, input));
    opened.push({ caseId: result.case.id, created: result.created });
  }
  return opened;
}

/** Appends each event as appendTimelineEvent does; an idempotency key already used adds nothing. */
export async function eventsFor(trx: Trx, actor: Actor, inputs: readonly TimelineEventInput[]): Promise<void> {
  for (const input of inputs) await appendTimelineEvent(trx, actor, input);
}

/** Re-throws a service's Invalid with its fields named the way every door expects (crime.offenceCode, ...). */
async function withPrefix<T>(prefix: 'crime' | 'referral', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Invalid) throw new Invalid(prefixFields(prefix, error.fields), error.message);
    throw error;
  }
}
