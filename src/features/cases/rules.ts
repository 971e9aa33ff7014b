// Pure rules for cases: the names of roles, sources and statuses, which status changes are allowed, what a crime
// record needs, and who may work on a case. Deterministic: no I/O.
import type { StaffRole } from '../../platform/auth/roles.ts';
import {
  CASE_ROLES,
  CASE_SOURCES,
  CASE_STATUSES,
  CONTACT_CHANNELS,
  CONTACT_DIRECTIONS,
  CONTACT_OUTCOMES,
  type CaseRole,
  type CaseSource,
  type CaseStatus,
  type ContactChannel,
  type ContactDirection,
  type ContactOutcome,
} from '../../platform/db/schema.ts';

export { CASE_ROLES, CASE_SOURCES, CASE_STATUSES, type CaseRole, type CaseSource, type CaseStatus };
export { CONTACT_CHANNELS, CONTACT_DIRECTIONS, CONTACT_OUTCOMES, type ContactChannel, type ContactDirection, type ContactOutcome };

export type FieldErrors = Record<string, string>;

export const CASE_ROLE_NAMES: Record<CaseRole, string> = {
  victim: 'Victim',
  witness: 'Witness',
  bereaved_relative: 'Bereaved relative',
  parent_of_child_victim: 'Parent of a child victim',
};

export const CASE_SOURCE_NAMES: Record<CaseSource, string> = {
  police_feed: 'Police feed',
  police_api: 'Police referral',
  file_import: 'Daily file',
  self_referral: 'Self-referral',
  agency_referral: 'Agency referral',
};

export const CASE_STATUS_NAMES: Record<CaseStatus, string> = {
  new: 'New',
  contacted: 'Contacted',
  active: 'Active',
  closed: 'Closed',
};

// A closed case can be reopened as active when the person comes back; nothing goes back to "new".
const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  new: ['contacted', 'active', 'closed'],
  contacted: ['active', 'closed'],
  active: ['closed'],
  closed: ['active'],
};

export const isCaseStatus = (value: unknown): value is CaseStatus =>
  typeof value === 'string' && (CASE_STATUSES as readonly string[]).includes(value);
export const isCaseRole = (value: unknown): value is CaseRole =>
  typeof value === 'string' && (CASE_ROLES as readonly string[]).includes(value);
export const isCaseSource = (value: unknown): value is CaseSource =>
  typeof value === 'string' && (CASE_SOURCES as readonly string[]).includes(value);

export function canMoveCase(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const CLOSED_REASON_MAX_LENGTH = 500;

/** Checks a status change; a closed case must say why, and the reason is kept only for closing. */
export function checkStatusChange(
  from: CaseStatus,
  to: unknown,
  reason: string | null | undefined,
): { value: { status: CaseStatus; closedReason: string | null } } | { errors: FieldErrors } {
  if (!isCaseStatus(to)) return { errors: { status: 'Select a status' } };
  if (from === to) return { errors: { status: `The case is already ${CASE_STATUS_NAMES[to].toLowerCase()}` } };
  if (!canMoveCase(from, to)) {
    return { errors: { status: `A ${CASE_STATUS_NAMES[from].toLowerCase()} case cannot become ${CASE_STATUS_NAMES[to].toLowerCase()}` } };
  }
  if (to !== 'closed') return { value: { status: to, closedReason: null } };
  const closedReason = (reason ?? '').trim();
  if (!closedReason) return { errors: { reason: 'Enter why the case is being closed' } };
  if (closedReason.length > CLOSED_REASON_MAX_LENGTH) {
    return { errors: { reason: `The reason must be ${CLOSED_REASON_MAX_LENGTH} characters or fewer` } };
  }
  return { value: { status: to, closedReason } };
}

/** Hub staff who work on cases: coordinators, and supervisors who assign and oversee them. */
export const CASE_WORKER_ROLES: readonly StaffRole[] = ['coordinator', 'supervisor'];
export const canWorkOnCases = (role: StaffRole): boolean => CASE_WORKER_ROLES.includes(role);

export type CrimeInput = {
  areaId: string;
  crimeReference: string;
  offenceCode: string;
  offenceCategory: string;
  offenceGroup?: string | null;
  committedFrom?: string | null;
  committedTo?: string | null;
  reportedAt?: Date | null;
  officerInCharge?: string | null;
  policeOrganisationId?: string | null;
};

export type NewCrime = Required<CrimeInput>;

/** Crime references are compared in capitals without surrounding spaces. */
export const normaliseCrimeReference = (value: string): string => value.trim().replace(/\s+/g, ' ').toUpperCase();

const isDate = (value: string): boolean => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
};

/** Checks a crime's details; `today` is YYYY-MM-DD in Europe/London, as an offence cannot be in the future. */
export function checkCrime(input: CrimeInput, today: string): { value: NewCrime } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const crimeReference = normaliseCrimeReference(input.crimeReference ?? '');
  if (!crimeReference) errors.crimeReference = 'Enter the crime reference';
  else if (crimeReference.length > 50) errors.crimeReference = 'Crime reference must be 50 characters or fewer';
  const offenceCode = (input.offenceCode ?? '').trim();
  if (!offenceCode) errors.offenceCode = 'Enter the Home Office offence code';
  const offenceCategory = (input.offenceCategory ?? '').trim();
  if (!offenceCategory) errors.offenceCategory = 'Enter the offence category';
  const committedFrom = input.committedFrom?.trim() || null;
  const committedTo = input.committedTo?.trim() || null;
  for (const [field, value] of [['committedFrom', committedFrom], ['committedTo', committedTo]] as const) {
    if (value && !isDate(value)) errors[field] = 'Enter a real date';
    else if (value && value > today) errors[field] = 'The offence date must not be in the future';
  }
  if (!errors.committedFrom && !errors.committedTo && committedFrom && committedTo && committedFrom > committedTo) {
    errors.committedTo = 'The end of the offence must be on or after its start';
  }
  if (Object.keys(errors).length) return { errors };
  return {
    value: {
      areaId: input.areaId,
      crimeReference,
      offenceCode,
      offenceCategory,
      offenceGroup: input.offenceGroup?.trim() || null,
      committedFrom,
      committedTo,
      reportedAt: input.reportedAt ?? null,
      officerInCharge: input.officerInCharge?.trim() || null,
      policeOrganisationId: input.policeOrganisationId ?? null,
    },
  };
}

export { isUuid } from '../../platform/db/uuid.ts';

// --- The coordinator's work: triage, case lists, search and the contact log. ---

/** A short reference for a case that names no one, for page titles and lists: the first 8 characters of its id. */
export const caseReference = (caseId: string): string => caseId.replace(/-/g, '').slice(0, 8).toUpperCase();

export const CASE_LIST_SORTS = ['received', 'name', 'status', 'source', 'offence'] as const;
export type CaseListSort = (typeof CASE_LIST_SORTS)[number];

/** What a case list may be narrowed by. Only category values: never a name, a date of birth or anything personal. */
export type CaseListQuery = {
  statuses: CaseStatus[];
  sources: CaseSource[];
  offenceGroups: string[];
  repeatOnly: boolean;
  overdueOnly: boolean;
  /** Supervisors see every case in the hub's area unless they choose their own. */
  scope: 'mine' | 'all';
  sort: CaseListSort;
  order: 'asc' | 'desc';
};

const listOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item): item is string => typeof item === 'string');

/**
 * Reads a case list's query string. Unknown values are dropped rather than refused, so an old bookmark still works;
 * offence groups must be ones the area has, so nothing typed by hand reaches the page or the URL.
 */
export function parseCaseListQuery(query: Record<string, unknown>, knownOffenceGroups: readonly string[], canSeeAll: boolean): CaseListQuery {
  const sort = listOf(query.sort)[0];
  const order = listOf(query.order)[0];
  const scope = listOf(query.scope)[0];
  return {
    statuses: [...new Set(listOf(query.status).filter(isCaseStatus))],
    sources: [...new Set(listOf(query.source).filter(isCaseSource))],
    offenceGroups: [...new Set(listOf(query.group).filter((group) => knownOffenceGroups.includes(group)))],
    repeatOnly: listOf(query.flag).includes('repeat'),
    overdueOnly: listOf(query.flag).includes('overdue'),
    scope: canSeeAll && scope === 'all' ? 'all' : 'mine',
    sort: (CASE_LIST_SORTS as readonly string[]).includes(sort ?? '') ? (sort as CaseListSort) : 'received',
    order: order === 'asc' ? 'asc' : order === 'desc' ? 'desc' : sort ? 'asc' : 'desc',
  };
}

/** The query string for a case list, in a stable order; `change` overrides parts of it (for sort links and tags). */
export function caseListQueryString(query: CaseListQuery, change: Partial<CaseListQuery> = {}): string {
  const merged = { ...query, ...change };
  const params = new URLSearchParams();
  if (merged.scope === 'all') params.append('scope', 'all');
  for (const status of merged.statuses) params.append('status', status);
  for (const source of merged.sources) params.append('source', source);
  for (const group of merged.offenceGroups) params.append('group', group);
  if (merged.repeatOnly) params.append('flag', 'repeat');
  if (merged.overdueOnly) params.append('flag', 'overdue');
  if (merged.sort !== 'received' || merged.order !== 'desc') {
    params.append('sort', merged.sort);
    params.append('order', merged.order);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const SEARCH_TERM_MAX_LENGTH = 100;

/** Which indexed lookups a search term can be: several at once when it is ambiguous (a postcode may be a reference). */
export type SearchKeys = {
  name: string | null;
  crimeReference: string | null;
  dateOfBirth: string | null;
  phone: string | null;
  postcode: string | null;
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A date as people type it (4/7/1990, 04-07-1990, 1990-07-04, 4 July 1990) as YYYY-MM-DD, or null. */
export function parseTypedDate(value: string): string | null {
  const text = value.trim().toLowerCase();
  let day: number, month: number, year: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text))) [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\s+(\d{4})$/.exec(text))) {
    const index = MONTHS.indexOf(match[2]!.slice(0, 3));
    if (index < 0 || !'january february march april may june july august september october november december'.split(' ').some((name) => name.startsWith(match![2]!))) return null;
    [day, month, year] = [Number(match[1]), index + 1, Number(match[3])];
  } else return null;
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? iso : null;
}

/**
 * Works out what a search term could be. Normalisers are passed in (the people feature's phone and postcode rules),
 * so this stays free of other features. Returns the keys, or an error message fit to show.
 */
export function searchKeysFor(
  term: unknown,
  normalise: { phone: (value: string) => string | null; postcode: (value: string) => string | null; name: (value: string) => string },
): { keys: SearchKeys } | { error: string } {
  const text = typeof term === 'string' ? term.trim().replace(/\s+/g, ' ') : '';
  if (!text) return { error: 'Enter a name, crime reference, date of birth, phone number or postcode' };
  if (text.length > SEARCH_TERM_MAX_LENGTH) return { error: `Search must be ${SEARCH_TERM_MAX_LENGTH} characters or fewer` };
  const hasDigit = /\d/.test(text);
  const dateOfBirth = parseTypedDate(text);
  const name = hasDigit ? '' : normalise.name(text);
  const keys: SearchKeys = {
    name: name.length >= 2 ? name : null,
    crimeReference: hasDigit && !dateOfBirth ? normaliseCrimeReference(text) : null,
    dateOfBirth,
    phone: hasDigit && !dateOfBirth ? normalise.phone(text) : null,
    postcode: hasDigit ? normalise.postcode(text) : null,
  };
  if (!Object.values(keys).some((key) => key !== null)) return { error: 'Enter at least 2 letters of a name, or a crime reference, date of birth, phone number or postcode' };
  return { keys };
}

export const CONTACT_CHANNEL_NAMES: Record<ContactChannel, string> = {
  phone: 'Phone call',
  letter: 'Letter',
  email: 'Email',
  sms: 'Text message',
  visit: 'Visit',
};
export const CONTACT_DIRECTION_NAMES: Record<ContactDirection, string> = { outbound: 'We contacted them', inbound: 'They contacted us' };
export const CONTACT_OUTCOME_NAMES: Record<ContactOutcome, string> = {
  successful: 'Successful: we spoke or they replied',
  no_answer: 'No answer',
  voicemail_left: 'Voicemail left',
  wrong_number: 'Wrong number or address',
  refused: 'They did not want contact',
  returned: 'Returned or bounced',
  other: 'Other',
};

export const CONTACT_NOTES_MAX_LENGTH = 2000;

export type ContactLogInput = {
  channel?: unknown;
  direction?: unknown;
  outcome?: unknown;
  day?: unknown;
  month?: unknown;
  year?: unknown;
  time?: unknown;
  notes?: unknown;
  confirmUnsafe?: unknown;
};

export type CheckedContact = {
  channel: ContactChannel;
  direction: ContactDirection;
  outcome: ContactOutcome;
  contactedAt: Date;
  notes: string | null;
  confirmedUnsafe: boolean;
};

const textOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);

/** Minutes east of UTC that Europe/London is at an instant (0 in winter, 60 in summer). */
function londonOffsetMinutes(at: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((item) => item.type === type)?.value);
  return (Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute')) - Math.floor(at / 60_000) * 60_000) / 60_000;
}

/** The instant of a wall-clock time in England and Wales. */
export function londonTime(year: number, month: number, day: number, hour: number, minute: number): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = asUtc - londonOffsetMinutes(asUtc) * 60_000;
  return new Date(asUtc - londonOffsetMinutes(first) * 60_000);
}

/** "14:30", "2:30pm", "9am" as hours and minutes, or null. */
export function parseTime(value: string): { hour: number; minute: number } | null {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(value.trim());
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  const half = match[3]?.toLowerCase();
  if (minute > 59) return null;
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (hour > 23 || match[2] === undefined) return null;
  return { hour, minute };
}

/** Checks a contact log entry; `now` bounds the date, as a contact cannot be logged before it happens. */
export function checkContactLog(input: ContactLogInput, now: Date): { value: CheckedContact } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!oneOf(CONTACT_CHANNELS, input.channel)) errors.channel = 'Select how the contact was made';
  if (!oneOf(CONTACT_DIRECTIONS, input.direction)) errors.direction = 'Select who made contact';
  if (!oneOf(CONTACT_OUTCOMES, input.outcome)) errors.outcome = 'Select what happened';
  const [day, month, year] = [textOf(input.day), textOf(input.month), textOf(input.year)];
  let contactedAt: Date | null = null;
  if (!day && !month && !year) errors.contactedAt = 'Enter the date of the contact';
  else if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) errors.contactedAt = 'Date of the contact must be a real date';
  else {
    const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    const time = parseTime(textOf(input.time));
    const parsedDate = parseTypedDate(iso);
    if (!parsedDate) errors.contactedAt = 'Date of the contact must be a real date';
    if (!textOf(input.time)) errors.time = 'Enter the time of the contact';
    else if (!time) errors.time = 'Enter the time like 14:30 or 2:30pm';
    if (parsedDate && time) {
      contactedAt = londonTime(Number(year), Number(month), Number(day), time.hour, time.minute);
      // A minute's grace for a clock that runs a little ahead of the server's.
      if (contactedAt.getTime() > now.getTime() + 60_000) errors.contactedAt = 'The contact must not be in the future';
      else if (now.getTime() - contactedAt.getTime() > 366 * 24 * 3600_000) errors.contactedAt = 'The contact must be within the last year';
    }
  }
  const notes = typeof input.notes === 'string' ? input.notes.trim() : '';
  if (notes.length > CONTACT_NOTES_MAX_LENGTH) errors.notes = `Notes must be ${CONTACT_NOTES_MAX_LENGTH} characters or fewer`;
  if (Object.keys(errors).length || !contactedAt) return { errors };
  return {
    value: {
      channel: input.channel as ContactChannel,
      direction: input.direction as ContactDirection,
      outcome: input.outcome as ContactOutcome,
      contactedAt,
      notes: notes || null,
      confirmedUnsafe: input.confirmUnsafe === 'yes',
    },
  };
}

/** The parts of a safe-contact profile this feature reads; unknown (null or no channels) is never treated as forbidden. */
export type SafeContactView = { channels: readonly string[]; voicemailSafe: boolean | null; homeVisitSafe: boolean | null };

/** A stored profile read defensively: a record written before the profile existed has none of its fields. */
export function safeContactView(stored: Partial<Record<'channels' | 'voicemailSafe' | 'homeVisitSafe', unknown>> | null | undefined): SafeContactView {
  const channels = Array.isArray(stored?.channels) ? stored.channels.filter((item): item is string => typeof item === 'string') : [];
  const flag = (value: unknown) => (typeof value === 'boolean' ? value : null);
  return { channels, voicemailSafe: flag(stored?.voicemailSafe), homeVisitSafe: flag(stored?.homeVisitSafe) };
}

/** Whether texting is ruled out: only when the person has named their safe channels and text is not one of them. */
export const smsForbidden = (safe: SafeContactView): boolean => safe.channels.length > 0 && !safe.channels.includes('sms');

/** What an outbound contact would break in the safe-contact profile, in words fit for a warning; empty when nothing. */
export function safeContactBreaches(safe: SafeContactView, contact: Pick<CheckedContact, 'channel' | 'direction' | 'outcome'>): string[] {
  if (contact.direction !== 'outbound') return [];
  const breaches: string[] = [];
  if (contact.channel === 'sms' && smsForbidden(safe)) breaches.push('Their safe-contact profile says do not text them.');
  else if (contact.channel !== 'sms' && contact.channel !== 'visit' && safe.channels.length > 0 && !safe.channels.includes(contact.channel)) {
    breaches.push(`Their safe-contact profile does not list ${CONTACT_CHANNEL_NAMES[contact.channel].toLowerCase()} as safe.`);
  }
  if (contact.channel === 'visit' && safe.homeVisitSafe === false) breaches.push('Their safe-contact profile says a home visit is not safe.');
  if (contact.outcome === 'voicemail_left' && safe.voicemailSafe === false) breaches.push('Their safe-contact profile says do not leave a voicemail.');
  return breaches;
}
