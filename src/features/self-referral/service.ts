// Use-cases of the self-referral: keep a victim's answers in a short-lived draft, then send them to intake as one
// referral, in one transaction with the throttle count and the audit event. Nothing here logs or audits personal data.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db } from '../../platform/db/transaction.ts';
import { receiveReferral } from '../intake/service.ts';
import {
  countSubmissionsSince,
  deleteDraft,
  deleteExpiredDrafts,
  findLiveDraft,
  gatewayAreaId,
  recordSubmission,
  saveDraft,
} from './repository.ts';
import { DRAFT_LIFETIME_MS, answerStep, firstUnanswered, formatReference, toReferral, type Answers, type Step, type StepResult } from './rules.ts';

const HOUR_MS = 60 * 60 * 1000;

/** A new draft id for the victim's cookie: random, and only its hash is stored. */
export const newDraftId = (): string => randomBytes(32).toString('base64url');

const hashDraftId = (draftId: string): string => createHash('sha256').update(draftId).digest('hex');

/** The answers of a draft that has not expired, or undefined. */
export async function loadDraft(db: Db, draftId: string | undefined, now = new Date()): Promise<Answers | undefined> {
  if (!draftId) return undefined;
  return findLiveDraft(db, hashDraftId(draftId), now);
}

/** Checks one page's answer and, when it is good, keeps it in the draft (made now if it is new). */
export async function answerQuestion(
  db: Db,
  draftId: string,
  step: Step,
  form: Record<string, unknown>,
  options: { honeypotFilled: boolean; now?: Date },
): Promise<StepResult> {
  const now = options.now ?? new Date();
  const idHash = hashDraftId(draftId);
  return inTransaction(db, async (trx) => {
    const answers = (await findLiveDraft(trx, idHash, now)) ?? {};
    const result = answerStep(step, form, answers);
    if ('errors' in result) return result;
    const next: Answers = options.honeypotFilled || answers.caughtByHoneypot ? { ...result.answers, caughtByHoneypot: true } : result.answers;
    // Answers left by people who never came back are of no use to anyone: clear them as new drafts are written.
    await deleteExpiredDrafts(trx, now);
    await saveDraft(trx, idHash, next, new Date(now.getTime() + DRAFT_LIFETIME_MS));
    return { answers: next };
  });
}

export async function discardDraft(db: Db, draftId: string | undefined): Promise<void> {
  if (draftId) await deleteDraft(db, hashDraftId(draftId));
}

export type SubmitOutcome =
  | { kind: 'sent'; reference: string }
  | { kind: 'throttled' }
  | { kind: 'no_draft' }
  | { kind: 'incomplete'; step: Step };

export type SubmitRequest = {
  draftId: string | undefined;
  /** The client's address: only a keyed hash of it is stored, to count submissions. */
  address: string;
  addressKey: string;
  honeypotFilled: boolean;
  language: string;
  submissionsPerHour: number;
  now?: Date;
};

/**
 * Sends the draft to intake as a self-referral and deletes it. A submission that filled the honeypot is told it was
 * sent, with a reference, but nothing is stored: only an audit event that says a bot was turned away.
 */
export async function submitSelfReferral(db: Db, actor: Actor, request: SubmitRequest): Promise<SubmitOutcome> {
  const now = request.now ?? new Date();
  const addressHash = createHmac('sha256', request.addressKey).update(`self-referral:${request.address}`).digest('hex');
  return inTransaction(db, async (trx) => {
    const recent = await countSubmissionsSince(trx, addressHash, new Date(now.getTime() - HOUR_MS));
    if (recent >= request.submissionsPerHour) return { kind: 'throttled' };

    const idHash = request.draftId ? hashDraftId(request.draftId) : undefined;
    const answers = idHash ? await findLiveDraft(trx, idHash, now) : undefined;
    if (request.honeypotFilled || answers?.caughtByHoneypot) {
      await recordSubmission(trx, addressHash, now, new Date(now.getTime() - HOUR_MS));
      if (idHash) await deleteDraft(trx, idHash);
      await writeAudit(trx, actor, { action: 'self_referral.honeypot_refused', recordType: 'self_referral', detail: { stored: false } });
      return { kind: 'sent', reference: formatReference(randomBytes(6)) };
    }
    if (!idHash || !answers) return { kind: 'no_draft' };
    const missing = firstUnanswered(answers);
    if (missing) return { kind: 'incomplete', step: missing };

    const areaId = await gatewayAreaId(trx);
    if (!areaId) throw new Error('No area is set up to receive self-referrals');
    await recordSubmission(trx, addressHash, now, new Date(now.getTime() - HOUR_MS));
    // A reference is random; should one ever repeat an earlier one, intake would return that case, so draw again.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const reference = formatReference(randomBytes(6));
      const receipt = await receiveReferral(trx, actor, toReferral(answers, { areaId, reference, language: request.language, receivedAt: now }));
      if (!receipt.created) continue;
      await deleteDraft(trx, idHash);
      await writeAudit(trx, actor, {
        action: 'self_referral.received',
        recordType: 'victim_case',
        recordId: receipt.caseId,
        detail: { match: receipt.match },
      });
      return { kind: 'sent', reference };
    }
    throw new Error('Could not draw an unused self-referral reference');
  });
}
