// Pure rules for classifying a crime's offence by hand: the offences a coordinator may choose from, grouped by
// category, and what the form needs. No I/O.
// The list is intake's (the codes a referral may carry). It is pure data, read here directly: intake's service
// composes this feature's service, so reading it through that service would go round in a circle, and a copy would
// drift from the codes intake accepts.
import { OFFENCE_CATEGORIES, OFFENCES, offenceByCode, type Offence } from '../intake/offence-codes.ts';
import { isUuid } from '../../platform/db/uuid.ts';

export type { Offence };

export const CLASSIFICATION_REASON_MAX_LENGTH = 500;

/** The known offences by category, in the Counting Rules' order, for the form's grouped select. */
export const OFFENCES_BY_CATEGORY: readonly { category: string; offences: readonly Offence[] }[] = OFFENCE_CATEGORIES.map((category) => ({
  category,
  offences: OFFENCES.filter((offence) => offence.category === category),
})).filter((group) => group.offences.length > 0);

export { offenceByCode };

export type ClassificationInput = { offenceCode?: unknown; reason?: unknown; idempotencyKey?: unknown };
export type CheckedClassification = { offence: Offence; reason: string; idempotencyKey: string };

/** The submission key alone, checked first: a replay is recognised by it before anything else is read. */
export function checkSubmissionKey(value: unknown): { value: string } | { errors: Record<string, string> } {
  if (!isUuid(value)) return { errors: { submissionKey: 'The form could not be matched. Open the form again and choose the offence' } };
  return { value };
}

/**
 * A classification needs an offence Haven knows and a short reason. `currentCode` is the crime's code now: choosing it
 * again would change nothing, so it is refused with a message saying what the offence already is.
 */
export function checkClassification(input: ClassificationInput, currentCode: string): { value: CheckedClassification } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const key = checkSubmissionKey(input.idempotencyKey);
  if ('errors' in key) Object.assign(errors, key.errors);
  const code = typeof input.offenceCode === 'string' ? input.offenceCode.trim() : '';
  const offence = code ? offenceByCode(code) : undefined;
  if (!code) errors.offenceCode = 'Select the offence';
  else if (!offence) errors.offenceCode = 'Select an offence from the list';
  else if (offence.code === offenceByCode(currentCode)?.code) errors.offenceCode = `The offence is already ${offence.description} (${offence.code}). Select a different offence`;
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason) errors.reason = 'Enter why this is the right offence';
  else if (reason.length > CLASSIFICATION_REASON_MAX_LENGTH) errors.reason = `The reason must be ${CLASSIFICATION_REASON_MAX_LENGTH} characters or fewer`;
  if (Object.keys(errors).length || !offence || !('value' in key)) return { errors };
  return { value: { offence, reason, idempotencyKey: key.value } };
}
