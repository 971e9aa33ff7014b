// Pure rules for the care plan: what a valid action looks like, which status changes are allowed, when an action is
// overdue, and how an action reads to the victim ("Haven Victim Gateway will ... by 3 December 2026").
import type { CarePlanOwnerKind, CarePlanStatus } from '../../platform/db/schema.ts';
import { readDateInput } from '../../platform/forms/date-input.ts';
import { type CalendarDate } from '../../platform/time/calendar-date.ts';
import { londonDateOf } from '../../platform/time/london.ts';

export const DESCRIPTION_MIN_LENGTH = 10;
export const DESCRIPTION_MAX_LENGTH = 500;
export const CANCEL_REASON_MAX_LENGTH = 500;
/** The owner radio's value for "the victim"; every other value is an organisation id. */
export const VICTIM_OWNER = 'victim';

export type FieldErrors = Record<string, string>;


/** Ids in a path and the form's submission key are uuids; anything else names nothing and must not reach a uuid column. */
export { isUuid } from '../../platform/db/uuid.ts';

export type ActionOwner = { kind: 'victim' } | { kind: 'organisation'; organisationId: string; userId: string | null };

export type NewAction = { description: string; owner: ActionOwner; dueDate: CalendarDate };

/** Who may own an action on this case: the organisations of its area, and the named staff the form offers. */
export type OwnerChoices = {
  organisations: readonly { id: string; name: string }[];
  staff: readonly { id: string; displayName: string; organisationId: string }[];
};

/** The add form as sent: any field may be missing or repeated, so each is read as unknown. */
export type ActionForm = {
  description?: unknown;
  owner?: unknown;
  ownerUserId?: unknown;
  'dueDate-day'?: unknown;
  'dueDate-month'?: unknown;
  'dueDate-year'?: unknown;
};

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

function checkOwner(form: ActionForm, choices: OwnerChoices, errors: FieldErrors): ActionOwner | undefined {
  const owner = text(form.owner);
  const userId = text(form.ownerUserId);
  if (owner === VICTIM_OWNER) {
    if (userId) errors.ownerUserId = 'Do not name a member of staff when the victim will do this';
    return { kind: 'victim' };
  }
  if (!choices.organisations.some((organisation) => organisation.id === owner)) {
    errors.owner = 'Select who will do this';
    return undefined;
  }
  if (!userId) return { kind: 'organisation', organisationId: owner, userId: null };
  const named = choices.staff.find((member) => member.id === userId);
  if (!named) errors.ownerUserId = 'Select a named person from the list';
  else if (named.organisationId !== owner) errors.ownerUserId = 'The named person must work for the organisation that will do this';
  return { kind: 'organisation', organisationId: owner, userId };
}

/** Checks a new action. Every problem is reported at once, keyed by the field it belongs to. */
export function checkAction(form: ActionForm, today: CalendarDate, choices: OwnerChoices): { value: NewAction } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const description = text(form.description).replace(/\s+/g, ' ');
  if (!description) errors.description = 'Enter what will be done';
  else if (description.length < DESCRIPTION_MIN_LENGTH) errors.description = `What will be done must be ${DESCRIPTION_MIN_LENGTH} characters or more`;
  else if (description.length > DESCRIPTION_MAX_LENGTH) errors.description = `What will be done must be ${DESCRIPTION_MAX_LENGTH} characters or fewer`;
  const owner = checkOwner(form, choices, errors);
  const due = readDateInput(form['dueDate-day'], form['dueDate-month'], form['dueDate-year'], 'due date');
  if ('error' in due) errors.dueDate = due.error;
  // An action agreed today cannot already be late; a past date is almost always a typing slip.
  else if (due.date < today) errors.dueDate = 'Due date must be today or in the future';
  if (Object.keys(errors).length || !owner || 'error' in due) return { errors };
  return { value: { description, owner, dueDate: due.date } };
}

export function checkCancelReason(reason: unknown): { value: string } | { errors: FieldErrors } {
  const value = text(reason);
  if (!value) return { errors: { reason: 'Enter why the action is cancelled' } };
  if (value.length > CANCEL_REASON_MAX_LENGTH) return { errors: { reason: `Reason must be ${CANCEL_REASON_MAX_LENGTH} characters or fewer` } };
  return { value };
}

/** Only an agreed action changes: it is done, or it is cancelled. Done and cancelled are final, so history stays true. */
const NEXT_STATUSES: Record<CarePlanStatus, readonly CarePlanStatus[]> = { agreed: ['done', 'cancelled'], done: [], cancelled: [] };

/** 'change' to go ahead; 'same' when the action already has that status (a form sent twice); 'refused' otherwise. */
export function statusChange(from: CarePlanStatus, to: CarePlanStatus): 'change' | 'same' | 'refused' {
  if (from === to) return 'same';
  return NEXT_STATUSES[from].includes(to) ? 'change' : 'refused';
}

/** An agreed action whose due date has passed: the due date itself still counts as on time. */
export const isOverdue = (action: { status: CarePlanStatus; dueDate: CalendarDate }, today: CalendarDate): boolean =>
  action.status === 'agreed' && action.dueDate < today;

export const STATUS_TAGS: Record<CarePlanStatus | 'overdue', { text: string; colour: string }> = {
  agreed: { text: 'Agreed', colour: 'blue' },
  done: { text: 'Done', colour: 'green' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
  overdue: { text: 'Overdue', colour: 'red' },
};

const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** "3 December 2026", built from parts so the words never depend on the ICU version's punctuation. */
export function writtenDate(date: CalendarDate): string {
  const parts = new Map(DAY_MONTH_YEAR.formatToParts(new Date(`${date}T00:00:00Z`)).map((part) => [part.type, part.value]));
  return `${parts.get('day')} ${parts.get('month')} ${parts.get('year')}`;
}

/** What the victim reads for an action; names come from the owner's records. */
export type ActionForVictim = {
  description: string;
  ownerKind: CarePlanOwnerKind;
  ownerOrganisationName: string | null;
  ownerUserName: string | null;
  dueDate: CalendarDate;
  status: CarePlanStatus;
  doneAt: Date | null;
};

/** Who will do it, as the victim is addressed: "You", "Haven Victim Gateway", or "Sam Smith at Haven Victim Gateway". */
export function ownerPhrase(action: Pick<ActionForVictim, 'ownerKind' | 'ownerOrganisationName' | 'ownerUserName'>): string {
  if (action.ownerKind === 'victim') return 'You';
  const organisation = action.ownerOrganisationName ?? 'Your support service';
  return action.ownerUserName ? `${action.ownerUserName} at ${organisation}` : organisation;
}

/**
 * The description as it follows "will": no full stop at the end, and a capital first letter lowered, unless the word
 * is an abbreviation or a name in capitals ("BSL", "I").
 */
export function asPredicate(description: string): string {
  const trimmed = description.trim().replace(/\s+/g, ' ').replace(/[.\s]+$/, '');
  return /^[A-Z][a-z]/.test(trimmed) ? trimmed.charAt(0).toLowerCase() + trimmed.slice(1) : trimmed;
}

/** One action in plain English for the victim, by its status. */
export function victimText(action: ActionForVictim): string {
  const who = ownerPhrase(action);
  const what = asPredicate(action.description);
  const by = writtenDate(action.dueDate);
  switch (action.status) {
    case 'agreed':
      return `${who} will ${what} by ${by}.`;
    case 'done':
      return `Done${action.doneAt ? ` on ${writtenDate(londonDateOf(action.doneAt))}` : ''}: ${who} agreed to ${what}.`;
    case 'cancelled':
      return `No longer planned: ${who} ${who === 'You' ? 'were' : 'was'} going to ${what} by ${by}.`;
  }
}
