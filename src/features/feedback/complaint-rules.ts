// Pure rules for the victim's complaints (no I/O): who answers them, which organisations on a case can be complained
// about, what a sound complaint and answer are, the reference the victim is given, the Code's 10 working days the named
// organisation has to answer (Right 12), and which case updates come from witness care.
import { STAFF_ROLES, type StaffRole } from '../../platform/auth/roles.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { CODE_DEFAULTS } from '../obligations/rules.ts';
import { CASE_UPDATE_TYPES, UPDATE_TYPES } from '../case-updates/rules.ts';

/**
 * Staff who answer complaints: every role, for complaints about their own organisation, except the commissioner's
 * analyst, who sees complaints only as counts in the insights (a complaint's words and case are personal data).
 */
export const COMPLAINT_ANSWERERS: readonly StaffRole[] = STAFF_ROLES.filter((role) => role !== 'commissioner_analyst');

export const COMPLAINT_BODY_MAX_LENGTH = 5000;
export const ANSWER_SUMMARY_MAX_LENGTH = 5000;
export const COMPLAINT_WORKING_DAYS = CODE_DEFAULTS.deadlines.complaint_response.workingDays;

/** The part an organisation played in the case: what the victim is shown beside its name. */
export type OrganisationPart = 'police' | 'hub' | 'provider' | 'witness_care';
const PART_ORDER: Record<OrganisationPart, number> = { police: 0, hub: 1, provider: 2, witness_care: 3 };

/**
 * Timeline events that show witness care has been involved: its own updates (hearings, verdicts) and the charge, whose
 * telling is witness care's duty on the Code clock.
 */
export const WITNESS_CARE_KINDS: readonly string[] = ['suspect_charged', ...CASE_UPDATE_TYPES.filter((type) => UPDATE_TYPES[type].agency === 'witness_care')];

export type ComplaintOrganisation = { id: string; name: string; part: OrganisationPart };

/**
 * The organisations the victim may name, each once, in the order they meet them: the police, the hub, each support
 * provider, then witness care. An organisation playing two parts keeps the first.
 */
export function complaintOrganisations(candidates: readonly ComplaintOrganisation[]): ComplaintOrganisation[] {
  const sorted = [...candidates].sort((a, b) => PART_ORDER[a.part] - PART_ORDER[b.part] || a.name.localeCompare(b.name, 'en-GB'));
  const seen = new Set<string>();
  return sorted.filter((organisation) => !seen.has(organisation.id) && Boolean(seen.add(organisation.id)));
}

export type ComplaintInput = { organisationId: string; body: string };

/** Checks the form against the organisations on the case. Errors are catalogue keys, for the victim's language. */
export function checkComplaint(form: { organisationId?: unknown; body?: unknown }, organisations: readonly ComplaintOrganisation[]): ComplaintInput | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const chosen = typeof form.organisationId === 'string' ? organisations.find((organisation) => organisation.id === form.organisationId) : undefined;
  if (!chosen) errors.organisationId = 'feedback.complaint.error.organisation';
  const body = typeof form.body === 'string' ? form.body.replace(/\r\n/g, '\n').trim() : '';
  if (!body) errors.body = 'feedback.complaint.error.bodyRequired';
  else if (body.length > COMPLAINT_BODY_MAX_LENGTH) errors.body = 'feedback.complaint.error.bodyTooLong';
  if (!chosen || Object.keys(errors).length) return { errors };
  return { organisationId: chosen.id, body };
}

/** The form's one-time key: a uuid the page made, so a double click or a resent form makes one complaint. */
export function checkSubmissionKey(value: unknown): { value: string } | { errors: Record<string, string> } {
  return isUuid(value) ? { value: value.toLowerCase() } : { errors: { body: 'feedback.complaint.error.expired' } };
}

/** What the victim quotes if they get in touch: short enough to read over the phone. */
export const complaintReference = (complaintId: string): string => complaintId.slice(0, 8).toUpperCase();

/** The staff's summary of their answer. Staff pages are in English, so these errors are words, not keys. */
export function checkAnswer(form: { answerSummary?: unknown }): { answerSummary: string } | { errors: Record<string, string> } {
  const summary = typeof form.answerSummary === 'string' ? form.answerSummary.replace(/\r\n/g, '\n').trim() : '';
  if (summary.length < 10) return { errors: { answerSummary: 'Summarise the answer given to the victim, in at least 10 characters' } };
  if (summary.length > ANSWER_SUMMARY_MAX_LENGTH) return { errors: { answerSummary: 'The summary must be 5,000 characters or fewer' } };
  return { answerSummary: summary };
}

/** The timeline keys of a complaint's two events, one each however often a form is resent. */
export const receivedEventKey = (complaintId: string): string => `complaint:${complaintId}:received`;
export const answeredEventKey = (complaintId: string): string => `complaint:${complaintId}:answered`;
