// Pure rules of a referral to a provider's service: which step may follow which, what each form must say, and what
// stops a referral being sent. No I/O. The service layer reads the state, asks these rules, then writes.
//
// The lifecycle: a hub coordinator writes a draft with a summary the victim approves ("tell us once"), then sends it to
// the provider's team inbox. The provider accepts, declines (with a reason) or has no capacity. Once accepted, the
// provider's supervisor allocates a caseworker, support starts (in progress), and it ends with an outcome and
// before-and-after measures, or the provider sends the case back (or onward to another service) with a reason.
import type { SummaryApproval, SupportReferralNoteKind, SupportReferralOutcome, SupportReferralStatus } from '../../platform/db/schema.ts';
import { SUPPORT_REFERRAL_OUTCOMES } from '../../platform/db/schema.ts';

export type { SummaryApproval, SupportReferralNoteKind, SupportReferralOutcome, SupportReferralStatus };

export const SUMMARY_MAX_LENGTH = 4000;
export const REASON_MAX_LENGTH = 500;
export const NOTE_MAX_LENGTH = 2000;

export const STATUS_NAMES: Record<SupportReferralStatus, string> = {
  draft: 'Draft',
  cancelled: 'Cancelled',
  sent: 'Waiting for an answer',
  accepted: 'Accepted',
  in_progress: 'Support started',
  declined: 'Declined',
  no_capacity: 'No capacity',
  returned: 'Sent back',
  closed: 'Closed',
};

export const OUTCOME_NAMES: Record<SupportReferralOutcome, string> = {
  engaged_completed: 'Engaged and completed',
  declined_by_victim: 'Declined by the victim',
  unable_to_contact: 'Unable to contact',
  moved_on: 'Moved on',
  consent_withdrawn: 'Closed: the victim withdrew consent',
};

/** The outcomes a provider can choose; 'consent_withdrawn' is only ever set by a withdrawal. */
export const CLOSING_OUTCOMES = SUPPORT_REFERRAL_OUTCOMES.filter((outcome) => outcome !== 'consent_withdrawn');

export const APPROVAL_NAMES: Record<SummaryApproval, string> = {
  phone: 'By phone',
  in_person: 'In person',
  portal: 'Online, in the portal',
};
/** Staff record an approval given by phone or in person; the portal records its own. */
export const STAFF_APPROVALS: readonly SummaryApproval[] = ['phone', 'in_person'];

/** The 1 to 5 scales asked at the start and end of support: 1 is the worst, 5 the best. */
export const SCALE_NAMES: Record<number, string> = { 1: '1: not at all', 2: '2: a little', 3: '3: somewhat', 4: '4: mostly', 5: '5: completely' };

export type ReferralStep =
  | 'approve_summary'
  | 'send'
  | 'cancel'
  | 'answer'
  | 'allocate'
  | 'start'
  | 'log_progress'
  | 'message'
  | 'close'
  | 'send_back';

/** The states each step may start from. Anything else is a stale page or a replay, never a silent change. */
const STEP_FROM: Record<ReferralStep, readonly SupportReferralStatus[]> = {
  approve_summary: ['draft'],
  send: ['draft'],
  cancel: ['draft'],
  answer: ['sent'],
  allocate: ['sent', 'accepted', 'in_progress'],
  start: ['accepted'],
  log_progress: ['accepted', 'in_progress'],
  message: ['sent', 'accepted', 'in_progress'],
  close: ['accepted', 'in_progress'],
  send_back: ['accepted', 'in_progress'],
};

export function canTake(step: ReferralStep, status: SupportReferralStatus): boolean {
  return STEP_FROM[step].includes(status);
}

/** Open referrals: with the provider, or waiting to be sent. A consent withdrawal closes the ones with the provider. */
export const WITH_PROVIDER: readonly SupportReferralStatus[] = ['sent', 'accepted', 'in_progress'];

export type Checked<T> = { value: T } | { errors: Record<string, string> };

// Browsers send a text box's line breaks as CRLF; one break counts as one character, as the page's counter counts it.
const text = (value: unknown): string => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '');
const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);

export type DraftInput = { summary: string; approvedHow: SummaryApproval | null; overrideReason: string | null };

/**
 * The referral form: the summary in the coordinator's words, how the victim approved it (or not yet, to approve later
 * in the portal), and, for a service whose eligibility excludes the case, a supervisor's reason.
 */
export function checkDraft(form: Record<string, unknown>, options: { excluded: boolean; supervisor: boolean }): Checked<DraftInput> {
  const errors: Record<string, string> = {};
  const summary = text(form.summary);
  if (!summary) errors.summary = 'Enter a summary of what happened and what the victim needs';
  else if (summary.length > SUMMARY_MAX_LENGTH) errors.summary = `The summary must be ${SUMMARY_MAX_LENGTH} characters or fewer`;
  const approval = text(form.approvedHow);
  let approvedHow: SummaryApproval | null = null;
  if (approval === 'not_yet') approvedHow = null;
  else if (isOneOf(STAFF_APPROVALS, approval)) approvedHow = approval;
  else errors.approvedHow = 'Select how the victim approved the summary, or that they have not approved it yet';
  let overrideReason: string | null = null;
  if (options.excluded) {
    overrideReason = text(form.overrideReason) || null;
    if (!options.supervisor) errors.overrideReason = 'This service’s eligibility excludes the case. Ask a hub supervisor to make this referral';
    else if (!overrideReason) errors.overrideReason = 'Enter why this referral should go ahead although the service’s eligibility excludes the case';
    else if (overrideReason.length > REASON_MAX_LENGTH) errors.overrideReason = `The reason must be ${REASON_MAX_LENGTH} characters or fewer`;
  }
  return Object.keys(errors).length ? { errors } : { value: { summary, approvedHow, overrideReason } };
}

export function checkApproval(form: Record<string, unknown>): Checked<SummaryApproval> {
  const approval = text(form.approvedHow);
  return isOneOf(STAFF_APPROVALS, approval) ? { value: approval } : { errors: { approvedHow: 'Select how the victim approved the summary' } };
}

/** Why a draft cannot be sent yet, in words for the coordinator; empty when it can. */
export function sendBlockers(facts: { approved: boolean; sharing: { allowed: true } | { allowed: false; reason: string }; serviceActive: boolean }): string[] {
  const blockers: string[] = [];
  if (!facts.approved) blockers.push('The victim has not yet approved the summary');
  if (!facts.sharing.allowed) blockers.push(facts.sharing.reason);
  if (!facts.serviceActive) blockers.push('The service is no longer taking referrals');
  return blockers;
}

export type Answer = { kind: 'accepted' } | { kind: 'declined'; reason: string } | { kind: 'no_capacity' };

export function checkAnswer(form: Record<string, unknown>): Checked<Answer> {
  const answer = text(form.answer);
  if (answer === 'accepted' || answer === 'no_capacity') return { value: { kind: answer } };
  if (answer !== 'declined') return { errors: { answer: 'Select whether you accept the referral, decline it, or have no capacity' } };
  const reason = text(form.declineReason);
  if (!reason) return { errors: { declineReason: 'Enter why you are declining the referral' } };
  if (reason.length > REASON_MAX_LENGTH) return { errors: { declineReason: `The reason must be ${REASON_MAX_LENGTH} characters or fewer` } };
  return { value: { kind: 'declined', reason } };
}

export type Closing = { outcome: SupportReferralOutcome; note: string | null; copingBefore: number | null; copingAfter: number | null; safetyBefore: number | null; safetyAfter: number | null };

function scale(value: unknown): number | null | 'bad' {
  const raw = text(value);
  if (!raw) return null;
  return /^[1-5]$/.test(raw) ? Number(raw) : 'bad';
}

/** Closing with an outcome. The measures are asked of the victim, who may not answer, so each is optional. */
export function checkClosing(form: Record<string, unknown>): Checked<Closing> {
  const errors: Record<string, string> = {};
  const outcome = text(form.outcome);
  if (!isOneOf(CLOSING_OUTCOMES, outcome)) errors.outcome = 'Select the outcome of the support';
  const note = text(form.closeNote) || null;
  if (note && note.length > REASON_MAX_LENGTH) errors.closeNote = `The note must be ${REASON_MAX_LENGTH} characters or fewer`;
  const measures = { copingBefore: scale(form.copingBefore), copingAfter: scale(form.copingAfter), safetyBefore: scale(form.safetyBefore), safetyAfter: scale(form.safetyAfter) };
  for (const [field, value] of Object.entries(measures)) if (value === 'bad') errors[field] = 'Select a number from 1 to 5, or leave it blank if the victim did not answer';
  if (Object.keys(errors).length) return { errors };
  return { value: { outcome: outcome as SupportReferralOutcome, note, ...(measures as { copingBefore: number | null; copingAfter: number | null; safetyBefore: number | null; safetyAfter: number | null }) } };
}

export type SendBack = { reason: string; onwardServiceId: string | null };

/** Sending back to the coordinator, with a reason, and optionally the service the provider suggests instead. */
export function checkSendBack(form: Record<string, unknown>, knownServiceIds: ReadonlySet<string>): Checked<SendBack> {
  const errors: Record<string, string> = {};
  const reason = text(form.returnReason);
  if (!reason) errors.returnReason = 'Enter why you are sending the case back';
  else if (reason.length > REASON_MAX_LENGTH) errors.returnReason = `The reason must be ${REASON_MAX_LENGTH} characters or fewer`;
  const onward = text(form.onwardServiceId) || null;
  if (onward && !knownServiceIds.has(onward)) errors.onwardServiceId = 'Select a service from the list, or none';
  return Object.keys(errors).length ? { errors } : { value: { reason, onwardServiceId: onward } };
}

export function checkNote(form: Record<string, unknown>): Checked<string> {
  const body = text(form.body);
  if (!body) return { errors: { body: 'Enter the note' } };
  if (body.length > NOTE_MAX_LENGTH) return { errors: { body: `The note must be ${NOTE_MAX_LENGTH} characters or fewer` } };
  return { value: body };
}

/** The words on the victim's timeline for each step the victim sees; the provider's reasons stay with staff. */
export const VICTIM_WORDS = {
  sent: (service: string) => `We referred you to ${service}. They will get in touch about the support they can offer`,
  accepted: (service: string) => `${service} accepted your referral and will contact you`,
  declined: (service: string) => `${service} cannot offer you support. Your coordinator will talk to you about other options`,
  no_capacity: (service: string) => `${service} has no space at the moment. Your coordinator will talk to you about other options`,
  started: (service: string) => `Your support from ${service} has started`,
  closed: (service: string) => `Your support from ${service} has ended`,
  returned: (service: string) => `${service} has passed your case back to your coordinator, who will talk to you about what happens next`,
} as const;

/** The short reference a provider quotes: the first block of the referral's id, in capitals. */
export function referralReference(referralId: string): string {
  return `R-${referralId.slice(0, 8).toUpperCase()}`;
}
