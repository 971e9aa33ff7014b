// Pure rules for messages on a case: the threads (one per party: the police, the hub, each support provider), what a
// message may hold, who may write one, the reply target, and the words the timeline uses. No I/O. The timeline never carries a message's words: the notification engine tells the victim only that there is
// a new message, so nothing of its content can reach a lock screen.
import type { CaseMessageDirection, CaseTaskKind, MessageParty, OrganisationKind } from '../../platform/db/schema.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import type { HolidayLookup } from '../../platform/time/holiday-calendar.ts';
import { dueBy } from '../../platform/time/working-days.ts';

export type { CaseMessageDirection, MessageParty };

export const MESSAGE_BODY_MAX_LENGTH = 2000;
export const MESSAGE_KEY_MAX_LENGTH = 200;

/** Timeline words. The victim sees the first; the second is staff-only. */
export const TO_VICTIM_SUMMARY = 'You have a new message';
export const FROM_VICTIM_SUMMARY = 'The victim sent a message';

/** The agencies that may write to the victim: the hub's coordinators and the police (agency-rules.ts' access). */
export const MESSAGING_ACCESS = ['hub', 'police'] as const;
export const canMessage = (access: string): boolean => (MESSAGING_ACCESS as readonly string[]).includes(access);

type Checked<T> = { value: T } | { errors: Record<string, string> };

/**
 * A message's body as it will be stored: line endings made one character (a browser sends CRLF, and the limit counts
 * what the character count showed) and surrounding blank space dropped, between 1 and 2,000 characters.
 */
export function checkMessageBody(body: unknown): Checked<string> {
  const text = typeof body === 'string' ? body.replace(/\r\n?/g, '\n').trim() : '';
  if (!text) return { errors: { body: 'Enter a message' } };
  if (text.length > MESSAGE_BODY_MAX_LENGTH) return { errors: { body: `Message must be ${MESSAGE_BODY_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer` } };
  return { value: text };
}

/** A staff form's hidden submission key: a uuid the form was given, so a double submit sends one message. */
export function checkSubmissionKey(key: unknown): Checked<string> {
  return isUuid(key) ? { value: key.toLowerCase() } : { errors: { submissionKey: 'The form could not be matched. Copy your message, open the page again and send it' } };
}

/** An inbound message's own idempotency key (the portal's), any text up to 200 characters. */
export function checkInboundKey(key: unknown): Checked<string> {
  const text = typeof key === 'string' ? key.trim() : '';
  return text && text.length <= MESSAGE_KEY_MAX_LENGTH ? { value: text } : { errors: { idempotencyKey: 'Every message needs an idempotency key of up to 200 characters' } };
}

/** The message's idempotency key on the timeline: one event per message, however often it is sent. */
export const messageEventKey = (messageId: string): string => `case_message:${messageId}`;

/** The lines of a message, for paragraphs on a page (the body is stored with '\n' line endings). */
export const messageLines = (body: string): string[] => body.split(/\n+/).filter((line) => line.trim().length > 0);

/** A message as the thread shows it to staff: who wrote it, when, its paragraphs and, for a reply, its read receipt. */
export function messageView(message: { id: string; direction: CaseMessageDirection; authorName: string | null; body: string; createdAt: Date; readAt: Date | null }) {
  return {
    id: message.id,
    direction: message.direction,
    heading: message.direction === 'from_victim' ? 'From the victim' : `From ${message.authorName ?? 'staff'}`,
    createdAt: message.createdAt,
    createdIso: message.createdAt.toISOString(),
    readAt: message.readAt,
    lines: messageLines(message.body),
  };
}

/** The GOV.UK error summary for the reply form: both of its errors are put right in the message box. */
export const replyFormErrors = (fields: Record<string, string>) =>
  ['submissionKey', 'body'].filter((field) => fields[field]).map((field) => ({ text: fields[field] as string, href: '#body' }));

/**
 * One thread on a case: the officer in charge (police), the coordinator (hub), or one support provider, named by its
 * organisation. A case has at most one thread per party (and per provider).
 */
export type ThreadKey = { party: 'hub' | 'police'; organisationId: null } | { party: 'provider'; organisationId: string };

export const HUB_THREAD: ThreadKey = { party: 'hub', organisationId: null };
export const POLICE_THREAD: ThreadKey = { party: 'police', organisationId: null };
export const providerThread = (organisationId: string): ThreadKey => ({ party: 'provider', organisationId: organisationId.toLowerCase() });

/** The thread's name in a URL: 'police', 'hub' or 'provider-<organisation id>'. */
export const threadSlug = (thread: ThreadKey): string => (thread.party === 'provider' ? `provider-${thread.organisationId}` : thread.party);

/** The thread a URL names, or undefined for anything else (the page is then a 404). */
export function parseThreadSlug(raw: unknown): ThreadKey | undefined {
  if (raw === 'hub') return HUB_THREAD;
  if (raw === 'police') return POLICE_THREAD;
  if (typeof raw === 'string' && raw.startsWith('provider-') && isUuid(raw.slice('provider-'.length))) return providerThread(raw.slice('provider-'.length));
  return undefined;
}

export const sameThread = (a: ThreadKey, b: ThreadKey): boolean => a.party === b.party && a.organisationId === b.organisationId;

/** The stored columns back as a thread (a provider message always names its organisation: a check constraint). */
export const threadOf = (party: MessageParty, organisationId: string | null): ThreadKey =>
  party === 'provider' && organisationId ? providerThread(organisationId) : party === 'police' ? POLICE_THREAD : HUB_THREAD;

/** The party a member of staff writes as, from their organisation's kind: the police, the hub, or a provider. */
export function staffParty(kind: OrganisationKind | undefined): MessageParty | undefined {
  if (kind === 'police' || kind === 'hub' || kind === 'provider') return kind;
  return undefined;
}

/** Staff should answer a victim's message within this many working days. */
export const REPLY_TARGET_WORKING_DAYS = 2;

/** When the reply to a victim's message is due: the end of the 2nd working day after the London day it was sent. */
export const replyDueAt = (sentAt: Date, holidays: HolidayLookup): Date => dueBy(sentAt, REPLY_TARGET_WORKING_DAYS, holidays);

type ThreadMessage = { id: string; direction: CaseMessageDirection; createdAt: Date };

/**
 * The victim's oldest message that no one has answered: the first of theirs after the thread's last reply. Staff's
 * reply answers everything the victim sent before it. Undefined when the thread has been answered (or is empty).
 * `messages` are the thread's, oldest first.
 */
export function firstUnanswered<T extends ThreadMessage>(messages: readonly T[]): T | undefined {
  let first: T | undefined;
  for (const message of messages) {
    if (message.direction === 'to_victim') first = undefined;
    else first ??= message;
  }
  return first;
}

/** Whether the reply target for a victim's message sent at `sentAt` has been missed at `now`. */
export const replyOverdue = (sentAt: Date, now: Date, holidays: HolidayLookup): boolean => now.getTime() > replyDueAt(sentAt, holidays).getTime();

/** The kind of task the nudge raises (migration 0025). */
export const REPLY_TASK_KIND: CaseTaskKind = 'message_reply_overdue';

/**
 * The nudge's task key: one per unanswered message, so a thread with a missed target raises one task however often
 * the job runs, and a later unanswered message (after a reply) raises a new one. The repository builds the same key.
 */
export const replyTaskKey = (messageId: string): string => `message_reply_overdue:${messageId}`;

const PARTY_NAMES: Record<MessageParty, string> = { police: 'the police thread', hub: 'the hub’s thread', provider: 'your organisation’s thread' };
export const replyTaskTitle = (party: MessageParty): string =>
  `Reply to the victim: a message in ${PARTY_NAMES[party]} has had no reply within ${REPLY_TARGET_WORKING_DAYS} working days`;

/** A thread's name for staff pages. */
export const staffThreadName = (thread: ThreadKey, organisationName?: string | null): string =>
  thread.party === 'police' ? 'Police (officer in charge)' : thread.party === 'hub' ? 'Hub (coordinator)' : `Support: ${organisationName ?? 'provider'}`;

export type ThreadListing = {
  thread: ThreadKey;
  slug: string;
  /** The victim may write in it: the police or hub is there, or the provider still has a live referral. */
  open: boolean;
  organisationName: string | null;
  messages: number;
  unreadByVictim: number;
  unreadByStaff: number;
  lastAt: Date | null;
};

/**
 * The threads of one case, police first, then the hub, then providers by name: those the victim may write in (the
 * case's parties) and any older one that still holds messages (a provider whose referral has closed), read-only.
 */
export function threadsOfCase(
  parties: { hasPolice: boolean; providers: readonly { organisationId: string; name: string }[] },
  summaries: readonly { party: MessageParty; organisationId: string | null; messages: number; unreadByVictim: number; unreadByStaff: number; lastAt: Date }[],
  names: ReadonlyMap<string, string>,
): ThreadListing[] {
  const open: { thread: ThreadKey; name: string | null }[] = [
    ...(parties.hasPolice ? [{ thread: POLICE_THREAD, name: null }] : []),
    { thread: HUB_THREAD, name: null },
    ...parties.providers.map((provider) => ({ thread: providerThread(provider.organisationId), name: provider.name })),
  ];
  const listed: ThreadListing[] = open.map(({ thread, name }) => ({ thread, slug: threadSlug(thread), open: true, organisationName: name, messages: 0, unreadByVictim: 0, unreadByStaff: 0, lastAt: null }));
  for (const summary of summaries) {
    const thread = threadOf(summary.party, summary.organisationId);
    let entry = listed.find((item) => sameThread(item.thread, thread));
    if (!entry) {
      entry = { thread, slug: threadSlug(thread), open: false, organisationName: thread.organisationId ? (names.get(thread.organisationId) ?? null) : null, messages: 0, unreadByVictim: 0, unreadByStaff: 0, lastAt: null };
      listed.push(entry);
    }
    Object.assign(entry, { messages: summary.messages, unreadByVictim: summary.unreadByVictim, unreadByStaff: summary.unreadByStaff, lastAt: summary.lastAt });
  }
  const rank = (item: ThreadListing) => (item.thread.party === 'police' ? 0 : item.thread.party === 'hub' ? 1 : 2);
  return listed.sort((a, b) => rank(a) - rank(b) || (a.organisationName ?? '').localeCompare(b.organisationName ?? ''));
}
