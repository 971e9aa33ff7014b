// Pure rules for the victim's feedback after key moments: which moments a case has reached, which still want a
// rating, what a sound rating and comment are, and the staff's aggregate view. No I/O.
import { FEEDBACK_MOMENTS, type CaseStatus, type FeedbackMoment } from '../../platform/db/schema.ts';

export { FEEDBACK_MOMENTS, type FeedbackMoment };

export const isMoment = (value: unknown): value is FeedbackMoment => typeof value === 'string' && (FEEDBACK_MOMENTS as readonly string[]).includes(value);

/**
 * The case updates that tell the victim how the court case ended (features/case-updates/rules.ts): a verdict or a
 * sentence. An appeal re-opens the outcome rather than ending it, so it asks for no second rating.
 */
export const COURT_OUTCOME_KINDS = ['verdict', 'sentence'] as const;

/** What the timeline shows about the case, as the moments read it. */
export type MomentFacts = {
  caseStatus: CaseStatus;
  /** A successful contact in the contact log. */
  successfulContact: boolean;
  /** Any support referral on the case reached 'closed'. */
  referralClosed: boolean;
  /** A victim-visible verdict or sentence is on the timeline. */
  courtOutcome: boolean;
};

/**
 * The moments the case has reached. First contact is a successful contact in the log, or a case the hub has moved on
 * to contacted or active (a contact recorded before the log existed, or by another route).
 */
export function momentsReached(facts: MomentFacts): FeedbackMoment[] {
  const reached: FeedbackMoment[] = [];
  if (facts.successfulContact || facts.caseStatus === 'contacted' || facts.caseStatus === 'active') reached.push('first_contact');
  if (facts.referralClosed) reached.push('referral_closed');
  if (facts.courtOutcome) reached.push('court_outcome');
  return reached;
}

/** The moments reached that have no feedback yet, in the order they happen in a case. */
export function pendingMoments(reached: readonly FeedbackMoment[], given: readonly FeedbackMoment[]): FeedbackMoment[] {
  return FEEDBACK_MOMENTS.filter((moment) => reached.includes(moment) && !given.includes(moment));
}

export const COMMENT_MAX_LENGTH = 1000;

/** The five answers, best first as the radios show them; the stored rating is 5 for very satisfied down to 1. */
export const RATINGS = [
  { value: 5, key: 'verySatisfied' },
  { value: 4, key: 'satisfied' },
  { value: 3, key: 'neither' },
  { value: 2, key: 'dissatisfied' },
  { value: 1, key: 'veryDissatisfied' },
] as const;

export type FeedbackInput = { rating: number; comment: string | null };

/** Checks the form. Errors are catalogue keys, so the page shows them in the victim's language. */
export function checkFeedback(form: { rating?: unknown; comment?: unknown }): FeedbackInput | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const rating = typeof form.rating === 'string' && /^[1-5]$/.test(form.rating.trim()) ? Number(form.rating.trim()) : Number.NaN;
  if (Number.isNaN(rating)) errors.rating = 'feedback.error.rating';
  const comment = typeof form.comment === 'string' ? form.comment.replace(/\r\n/g, '\n').trim() : '';
  if (comment.length > COMMENT_MAX_LENGTH) errors.comment = 'feedback.error.commentTooLong';
  if (Object.keys(errors).length) return { errors };
  return { rating, comment: comment || null };
}

export type RatingCount = { moment: FeedbackMoment; rating: number; count: number };

/** Counts as the staff table shows them: one row per moment, a column per answer (best first), and the total. */
export function summaryRows(counts: readonly RatingCount[]): { moment: FeedbackMoment; counts: number[]; total: number }[] {
  return FEEDBACK_MOMENTS.map((moment) => {
    const byRating = RATINGS.map((rating) => counts.filter((row) => row.moment === moment && row.rating === rating.value).reduce((sum, row) => sum + row.count, 0));
    return { moment, counts: byRating, total: byRating.reduce((sum, count) => sum + count, 0) };
  });
}

/** Staff words for each moment and answer (the staff pages are in English). */
export const MOMENT_NAMES: Record<FeedbackMoment, string> = {
  first_contact: 'First contact',
  referral_closed: 'Support referral closed',
  court_outcome: 'Court outcome',
};
export const RATING_NAMES: Record<number, string> = { 5: 'Very satisfied', 4: 'Satisfied', 3: 'Neither satisfied nor dissatisfied', 2: 'Dissatisfied', 1: 'Very dissatisfied' };
