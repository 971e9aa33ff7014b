// All SQL of the self-referral: drafts of answers in progress, the submission count per address, and the gateway area
// a self-referral goes to.
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { Answers } from './rules.ts';

type Conn = Db | Trx;

export async function findLiveDraft(db: Conn, idHash: string, now: Date): Promise<Answers | undefined> {
  const row = await db
    .selectFrom('self_referral_draft')
    .select('answers')
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? row.answers : undefined;
}

/** Saves the answers, making the draft when it is new; every save starts the lifetime again. */
export async function saveDraft(db: Conn, idHash: string, answers: Answers, expiresAt: Date): Promise<void> {
  await db
    .insertInto('self_referral_draft')
    .values({ id_hash: idHash, answers: JSON.stringify(answers), expires_at: expiresAt })
    .onConflict((conflict) => conflict.column('id_hash').doUpdateSet({ answers: JSON.stringify(answers), expires_at: expiresAt }))
    .execute();
}

export async function deleteDraft(db: Conn, idHash: string): Promise<void> {
  await db.deleteFrom('self_referral_draft').where('id_hash', '=', idHash).execute();
}

export async function deleteExpiredDrafts(db: Conn, now: Date): Promise<void> {
  await db.deleteFrom('self_referral_draft').where('expires_at', '<=', now).execute();
}

export async function countSubmissionsSince(db: Conn, addressHash: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('self_referral_submission')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('address_hash', '=', addressHash)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function recordSubmission(db: Conn, addressHash: string, now: Date, forgetBefore: Date): Promise<void> {
  // Counts older than the window are no use: they go as new ones come, so the table stays small.
  await db.deleteFrom('self_referral_submission').where('at', '<', forgetBefore).execute();
  await db.insertInto('self_referral_submission').values({ address_hash: addressHash, at: now }).execute();
}

/** The area that receives self-referrals: the one with a hub, the first by code when there are several. */
export async function gatewayAreaId(db: Conn): Promise<string | undefined> {
  const withHub = await db
    .selectFrom('area')
    .innerJoin('organisation', 'organisation.area_id', 'area.id')
    .select('area.id')
    .where('organisation.kind', '=', 'hub')
    .orderBy('area.code')
    .limit(1)
    .executeTakeFirst();
  if (withHub) return withHub.id;
  const any = await db.selectFrom('area').select('id').orderBy('code').limit(1).executeTakeFirst();
  return any?.id;
}
