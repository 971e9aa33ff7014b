// Pure rules for the portal's message pages: how a thread and a message are named for the victim (catalogue keys, so
// every word can be Welsh), the page addresses, and which words explain a refused message. No I/O.
import type { ThreadKey, ThreadListing } from '../case-messages/rules.ts';

export type Text = { key: string; values?: Record<string, string | number> };

export const overviewPath = '/my-case/messages';
export const casePath = (caseId: string) => `/my-case/cases/${caseId}/messages`;
export const threadPath = (caseId: string, slug: string) => `${casePath(caseId)}/${slug}`;

/** Who the thread is with, for the lists and the thread's heading (a provider by its name when it is known). */
export function partyName(listing: { thread: ThreadKey; organisationName: string | null }): Text {
  if (listing.thread.party !== 'provider') return { key: `portalMessages.party.${listing.thread.party}` };
  return listing.organisationName ? { key: 'portalMessages.party.provider', values: { name: listing.organisationName } } : { key: 'portalMessages.party.providerUnnamed' };
}

/**
 * The thread page's title: never the provider's name, since a service's name can say what happened (a rape crisis
 * centre, say), and titles are kept in browser history and shown in tabs.
 */
export const threadTitle = (thread: ThreadKey): Text => ({ key: `portalMessages.thread.title.${thread.party}` });

/** How one message is shown to the victim: who wrote it and its paragraphs (the body's own line breaks). */
export function victimMessageView(message: { id: string; direction: 'from_victim' | 'to_victim'; authorName: string | null; body: string; createdAt: Date }) {
  return {
    id: message.id,
    direction: message.direction,
    heading: message.direction === 'from_victim' ? { key: 'portalMessages.fromYou' } : message.authorName ? { key: 'portalMessages.fromStaff', values: { name: message.authorName } } : undefined,
    createdAt: message.createdAt,
    createdIso: message.createdAt.toISOString(),
    lines: message.body.split(/\n+/).filter((line) => line.trim().length > 0),
  };
}

/**
 * The words for a refused message, from the case-messages check's fields: an empty or over-long body, or a form whose
 * hidden key was lost. Each points at the message box, as the GOV.UK error summary asks.
 */
export function formErrors(fields: Record<string, string>): { key: string; href: string; field: string }[] {
  const errors: { key: string; href: string; field: string }[] = [];
  if (fields.idempotencyKey) errors.push({ key: 'portalMessages.error.key', href: '#body', field: 'idempotencyKey' });
  if (fields.body) errors.push({ key: fields.body === 'Enter a message' ? 'portalMessages.error.empty' : 'portalMessages.error.tooLong', href: '#body', field: 'body' });
  return errors;
}

/** The unread count's words: counted, or none. */
export const unreadText = (unread: number): Text => (unread > 0 ? { key: 'portalMessages.unread', values: { count: unread } } : { key: 'portalMessages.noUnread' });

export const totalUnread = (threads: readonly ThreadListing[]): number => threads.reduce((sum, item) => sum + item.unreadByVictim, 0);
