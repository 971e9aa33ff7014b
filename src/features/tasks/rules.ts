// Pure rules for case tasks: the kinds there are, their names, and what a new task needs. No I/O.
import { CASE_TASK_KINDS, type CaseTaskKind } from '../../platform/db/schema.ts';

export { CASE_TASK_KINDS, type CaseTaskKind };

export const CASE_TASK_KIND_NAMES: Record<CaseTaskKind, string> = {
  marac_referral: 'Refer to MARAC',
  manual_offence_classification: 'Classify the offence by hand',
  support_referral_returned: 'Find other support: a referral came back',
  case_update_review: 'Review an update from an agency',
  notification_undeliverable: 'Tell the victim another way: a notification could not be sent',
  victim_not_contactable: 'Tell the victim in person: they must not be contacted by message',
  stale_case_update: 'Give the victim an update: none within the agreed time',
  message_reply_overdue: 'Reply to the victim: their message has waited past the reply target',
};

export const TASK_TITLE_MAX_LENGTH = 200;

export const isCaseTaskKind = (value: unknown): value is CaseTaskKind =>
  typeof value === 'string' && (CASE_TASK_KINDS as readonly string[]).includes(value);

export type TaskInput = {
  caseId: string;
  kind: CaseTaskKind;
  title: string;
  owningOrganisationId: string;
  dueAt?: Date | null;
  /** The raiser's key for this task: raising again with the same key finds the first one. */
  idempotencyKey: string;
};

export function checkTask(input: TaskInput): { value: TaskInput & { dueAt: Date | null } } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const title = input.title?.trim() ?? '';
  if (!isCaseTaskKind(input.kind)) errors.kind = 'The kind of task is not known';
  if (!title) errors.title = 'Every task needs a title';
  else if (title.length > TASK_TITLE_MAX_LENGTH) errors.title = `A task title must be ${TASK_TITLE_MAX_LENGTH} characters or fewer`;
  if (!input.idempotencyKey?.trim()) errors.idempotencyKey = 'Every task needs an idempotency key';
  if (input.dueAt && Number.isNaN(input.dueAt.getTime())) errors.dueAt = 'The due time is not a real time';
  if (Object.keys(errors).length) return { errors };
  return { value: { ...input, title, dueAt: input.dueAt ?? null } };
}
