// Pure rules for messages on a case: what a message may hold, who may write one, and the words the timeline uses.
// No I/O. The timeline never carries a message's words: the notification engine tells the victim only that there is
// a new message, so nothing of its content can reach a lock screen.
import type { CaseMessageDirection } from '../../platform/db/schema.ts';
import { isUuid } from '../../platform/db/uuid.ts';

export type { CaseMessageDirection };

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
