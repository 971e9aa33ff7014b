// The crimes, cases and timeline events of a batch of referrals, through the cases service's batch functions: a few
// statements per batch, not several per referral, which is what lets a daily file import at thousands of rows a second.
import type { Actor } from '../../platform/auth/identity.ts';
import type { Trx } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvents, findOrCreateCrimes, openCases, type CrimeInput, type OpenCaseInput, type TimelineEventInput } from '../cases/service.ts';
import { prefixFields } from './rules.ts';

/** The crime for each input, found by (area, crime reference) or created: their ids, in order. */
export async function crimesFor(trx: Trx, actor: Actor, inputs: readonly CrimeInput[]): Promise<string[]> {
  return (await withPrefix('crime', () => findOrCreateCrimes(trx, actor, inputs))).map((found) => found.crime.id);
}

/** Opens each case as openCase does, with its 'referral received' event: the case ids and whether each was new. */
export async function casesFor(trx: Trx, actor: Actor, inputs: readonly OpenCaseInput[]): Promise<{ caseId: string; created: boolean }[]> {
  return (await withPrefix('referral', () => openCases(trx, actor, inputs))).map((opened) => ({ caseId: opened.case.id, created: opened.created }));
}

/** Appends each event as appendTimelineEvent does; an idempotency key already used adds nothing. */
export async function eventsFor(trx: Trx, actor: Actor, inputs: readonly TimelineEventInput[]): Promise<void> {
  await appendTimelineEvents(trx, actor, inputs);
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
