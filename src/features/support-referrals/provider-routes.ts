// The provider's referral pages: the team inbox ("All open", "Not yet allocated"), "My clients", and one referral with
// only what the victim's consent allows, and the forms for each step the provider takes. Each route parses the request,
// calls the provider service (which decides who may do what, and refuses anyone outside the provider) and renders or
// redirects.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { CASE_ROLE_NAMES } from '../cases/rules.ts';
import {
  addNote,
  allocateReferral,
  answerReferral,
  closeReferral,
  getInbox,
  getProviderReferral,
  sendBack,
  startSupport,
  type InboxPage,
  type ProviderReferralPage,
} from './provider-service.ts';
import { APPROVAL_NAMES, CLOSING_OUTCOMES, NOTE_MAX_LENGTH, OUTCOME_NAMES, REASON_MAX_LENGTH, SCALE_NAMES, STATUS_NAMES, type SupportReferralStatus } from './rules.ts';

type Form = Record<string, unknown>;
type WithReferral = { Params: { referralId: string } };
type Consented = Extract<ProviderReferralPage, { consented: true }>;

const INBOX = '/team-inbox';
const MY_CLIENTS = '/my-clients';
const referralPath = (referralId: string) => `${INBOX}/referrals/${referralId}`;

const providerStaff = requireStaff(['provider_caseworker', 'supervisor']);
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
// Every page here shows a victim's details, or that a referral of theirs exists: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });
const DAY_AND_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true });
const dayOf = (value: Date | null) => (value ? DAY.format(value) : null);
const dayAndTimeOf = (value: Date | null) => (value ? DAY_AND_TIME.format(value).replace(' am', 'am').replace(' pm', 'pm') : null);

const STATUS_TAG_CLASSES: Partial<Record<SupportReferralStatus, string>> = {
  sent: 'govuk-tag--blue',
  accepted: 'govuk-tag--turquoise',
  in_progress: 'govuk-tag--green',
  closed: 'govuk-tag--grey',
};
const statusTag = (status: SupportReferralStatus) => ({ text: STATUS_NAMES[status], classes: STATUS_TAG_CLASSES[status] ?? 'govuk-tag--grey' });

/** Success messages after a step; the page names the step, never what was written. */
const DONE: Record<string, string> = {
  accepted: 'Referral accepted',
  declined: 'Referral declined. The coordinator has been told',
  no_capacity: 'Referral answered: no capacity. The coordinator has been told',
  allocated: 'Referral allocated',
  started: 'Support started',
  progress: 'Progress note added',
  message: 'Message sent to the coordinator',
  closed: 'Referral closed',
  sent_back: 'Case sent back to the coordinator',
};
const doneOf = (query: { done?: unknown }) => (typeof query.done === 'string' ? DONE[query.done] : undefined);

// ---- The inbox -----------------------------------------------------------------------------------------------------

const VIEW_TITLES: Record<InboxPage['view'], string> = { team: 'Team inbox', unallocated: 'Not yet allocated', mine: 'My clients' };
const VIEW_PATHS: Record<InboxPage['view'], string> = { team: INBOX, unallocated: `${INBOX}?view=unallocated`, mine: MY_CLIENTS };
const EMPTY: Record<InboxPage['view'], string> = {
  team: 'There are no open referrals for your team.',
  unallocated: 'Every open referral has been allocated to someone in your team.',
  mine: 'No referrals are allocated to you at the moment.',
};

const pageHref = (view: InboxPage['view'], page: number) => {
  const base = VIEW_PATHS[view];
  return page === 1 ? base : `${base}${base.includes('?') ? '&' : '?'}page=${page}`;
};

/** GOV.UK pagination: every page when there are few, else the first, the last and those beside the current one. */
function paginationOf(inbox: InboxPage) {
  if (inbox.pages <= 1) return undefined;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let page = 1; page <= inbox.pages; page += 1) {
    if (page === 1 || page === inbox.pages || Math.abs(page - inbox.page) <= 1) items.push({ number: page, href: pageHref(inbox.view, page), current: page === inbox.page });
    else if (!('ellipsis' in (items.at(-1) ?? {}))) items.push({ ellipsis: true });
  }
  return {
    items,
    previous: inbox.page > 1 ? { href: pageHref(inbox.view, inbox.page - 1) } : undefined,
    next: inbox.page < inbox.pages ? { href: pageHref(inbox.view, inbox.page + 1) } : undefined,
  };
}

function inboxPage(inbox: InboxPage, done: string | undefined, now: Date) {
  return {
    title: VIEW_TITLES[inbox.view],
    view: inbox.view,
    total: inbox.total,
    done,
    emptyText: EMPTY[inbox.view],
    subNavigation: (['team', 'unallocated', 'mine'] as const).map((view) => ({
      text: view === 'team' ? 'All open' : VIEW_TITLES[view],
      href: VIEW_PATHS[view],
      active: view === inbox.view,
    })),
    entries: inbox.entries.map((entry) => ({
      ...entry,
      href: referralPath(entry.id),
      tag: statusTag(entry.status),
      sentText: dayOf(entry.sentAt),
      // Only an unanswered referral has a response due: the answer meets the duty.
      dueText: entry.status === 'sent' ? dayAndTimeOf(entry.responseDueAt) : null,
      overdue: entry.status === 'sent' && entry.responseDueAt !== null && entry.responseDueAt.getTime() < now.getTime(),
    })),
    pagination: paginationOf(inbox),
    closedByWithdrawal: inbox.closedByWithdrawal.map((closed) => ({ reference: closed.reference, serviceName: closed.serviceName, closedText: dayOf(closed.closedAt) })),
  };
}

// ---- One referral --------------------------------------------------------------------------------------------------

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', cy: 'Welsh' };
const CHANNEL_NAMES: Record<string, string> = { email: 'Email', sms: 'Text message', phone: 'Phone', letter: 'Letter', visit: 'Home visit' };
const SAFE_CONTACT_LABELS: Record<string, string> = {
  channels: 'Safe ways to contact them',
  safeTimes: 'Safe times to contact them',
  voicemailSafe: 'Safe to leave a voicemail',
  homeVisitSafe: 'Safe to visit at home',
  safeAddress: 'Safe address',
  codeWord: 'Code word',
};

/** "someKey" as "Some key", for a profile field this page has no words for yet. */
const humanise = (key: string) => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

function readable(key: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.map((item) => (key === 'channels' ? (CHANNEL_NAMES[String(item)] ?? String(item)) : String(item))).join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The safe-contact profile as rows, known fields first in a fixed order. Every field is shown, since it is how the
 * provider reaches the victim without putting them at risk; an empty value is left out.
 */
function safeContactRows(profile: Record<string, unknown>) {
  const known = Object.keys(SAFE_CONTACT_LABELS).filter((key) => key in profile);
  const others = Object.keys(profile).filter((key) => !(key in SAFE_CONTACT_LABELS)).sort();
  return [...known, ...others]
    .filter((key) => {
      const value = profile[key];
      return value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);
    })
    .map((key) => ({ key: { text: SAFE_CONTACT_LABELS[key] ?? humanise(key) }, value: { text: readable(key, profile[key]) } }));
}

const ANSWERS = [
  { value: 'accepted', text: 'Accept the referral' },
  { value: 'declined', text: 'Decline the referral' },
  { value: 'no_capacity', text: 'We have no capacity at the moment' },
];
const MEASURES = [
  { name: 'copingBefore', legend: 'How well was the victim coping before support?' },
  { name: 'copingAfter', legend: 'How well is the victim coping now?' },
  { name: 'safetyBefore', legend: 'How safe did the victim feel before support?' },
  { name: 'safetyAfter', legend: 'How safe does the victim feel now?' },
];

/** Which of the page's forms sent a bad value, and how each field's name maps to the id of its input on this page. */
type FormName = 'answer' | 'allocate' | 'progress' | 'message' | 'close' | 'sendBack';
// The progress log and the message form both send "body": on the page they are different inputs.
const FIELD_IDS: Record<FormName, Record<string, string>> = {
  answer: { answer: 'answer', declineReason: 'declineReason' },
  allocate: { userId: 'userId' },
  progress: { body: 'progressBody' },
  message: { body: 'messageBody' },
  close: { outcome: 'outcome', closeNote: 'closeNote', copingBefore: 'copingBefore', copingAfter: 'copingAfter', safetyBefore: 'safetyBefore', safetyAfter: 'safetyAfter' },
  sendBack: { returnReason: 'returnReason', onwardServiceId: 'onwardServiceId' },
};

/** The form's values and errors keyed by the ids of the inputs they belong to. */
function byInputId(formName: FormName, values: Form, fieldErrors: Record<string, string>) {
  const ids = FIELD_IDS[formName];
  const keyed = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([field]) => ids[field]).map(([field, value]) => [ids[field]!, value]));
  const errors = keyed(fieldErrors) as Record<string, string>;
  // A field the form does not have (a stale key, say) is reported at the form's first input.
  const first = Object.values(ids)[0]!;
  for (const [field, message] of Object.entries(fieldErrors)) if (!ids[field] && !errors[first]) errors[first] = message;
  return { values: keyed(values), fieldErrors: errors };
}

function referralPageView(page: Consented, done: string | undefined, failed: { form: FormName; values: Form; fieldErrors: Record<string, string> } | undefined, keys: { progress: string; message: string }) {
  const { referral, person } = page;
  const { values, fieldErrors } = failed ? byInputId(failed.form, failed.values, failed.fieldErrors) : { values: {} as Form, fieldErrors: {} as Record<string, string> };
  const order = failed ? Object.values(FIELD_IDS[failed.form]) : [];
  const status = referral.status;
  const chosen = (id: string) => (typeof values[id] === 'string' ? values[id] : '');
  return {
    title: `Referral ${page.reference}`,
    reference: page.reference,
    referralId: referral.id,
    done,
    values,
    fieldErrors,
    errors: order.filter((id) => fieldErrors[id]).map((id) => ({ text: fieldErrors[id], href: `#${id}` })),
    serviceName: referral.serviceName,
    tag: statusTag(status),
    victimName: [person.givenName, person.familyName].filter(Boolean).join(' '),
    person: {
      ...person,
      languageName: LANGUAGE_NAMES[person.preferredLanguage] ?? person.preferredLanguage,
      caseRoleName: (CASE_ROLE_NAMES as Record<string, string>)[person.caseRole] ?? person.caseRole,
    },
    safeContact: safeContactRows(person.safeContact),
    summary: referral.summary,
    approvedText: referral.summaryApprovedHow
      ? `The victim approved this summary${referral.summaryApprovedAt ? ` on ${dayOf(referral.summaryApprovedAt)}` : ''}: ${APPROVAL_NAMES[referral.summaryApprovedHow].toLowerCase()}.`
      : null,
    sentText: dayOf(referral.sentAt),
    dueText: status === 'sent' ? dayAndTimeOf(referral.responseDueAt) : null,
    overdue: status === 'sent' && referral.responseDueAt !== null && referral.responseDueAt.getTime() < Date.now(),
    allocatedToName: referral.allocatedToName,
    startedText: dayOf(referral.startedAt),
    can: {
      answer: status === 'sent',
      allocate: page.canAllocate && ['sent', 'accepted', 'in_progress'].includes(status),
      start: status === 'accepted',
      progress: status === 'accepted' || status === 'in_progress',
      message: ['sent', 'accepted', 'in_progress'].includes(status),
      close: status === 'accepted' || status === 'in_progress',
      sendBack: status === 'accepted' || status === 'in_progress',
    },
    answerItems: ANSWERS.map((item) => ({ ...item, checked: chosen('answer') === item.value })),
    staffItems: [
      { value: '', text: 'Choose someone', selected: !(chosen('userId') || referral.allocatedToUserId) },
      ...page.staff.map((member) => ({ value: member.id, text: member.displayName, selected: (chosen('userId') || referral.allocatedToUserId) === member.id })),
    ],
    progressNotes: page.notes.filter((note) => note.kind === 'progress').map((note) => ({ ...note, createdText: dayAndTimeOf(note.createdAt) })),
    messages: page.notes
      .filter((note) => note.kind === 'to_coordinator' || note.kind === 'to_provider')
      .map((note) => ({ ...note, createdText: dayAndTimeOf(note.createdAt), direction: note.kind === 'to_coordinator' ? 'To the coordinator' : 'From the coordinator' })),
    progressKey: keys.progress,
    messageKey: keys.message,
    outcomeItems: CLOSING_OUTCOMES.map((outcome) => ({ value: outcome, text: OUTCOME_NAMES[outcome], checked: chosen('outcome') === outcome })),
    measures: MEASURES.map((measure) => ({
      ...measure,
      items: [
        { value: '', text: 'Not answered', checked: !chosen(measure.name) },
        ...Object.entries(SCALE_NAMES).map(([value, text]) => ({ value, text, checked: chosen(measure.name) === value })),
      ],
    })),
    onwardItems: [
      { value: '', text: 'None', selected: !chosen('onwardServiceId') },
      ...page.onwardServices.map((service) => ({ value: service.id, text: `${service.name} (${service.organisationName})`, selected: chosen('onwardServiceId') === service.id })),
    ],
    reasonMax: REASON_MAX_LENGTH,
    noteMax: NOTE_MAX_LENGTH,
  };
}

export function registerProviderReferralPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  // Only for a provider's caseworkers and supervisors: a hub supervisor has the same role name but not these entries.
  addStaffNavigation({ href: INBOX, text: 'Team inbox', roles: ['provider_caseworker', 'supervisor'], organisationKinds: ['provider'] });
  addStaffNavigation({ href: MY_CLIENTS, text: 'My clients', roles: ['provider_caseworker', 'supervisor'], organisationKinds: ['provider'] });

  app.get<{ Querystring: { view?: unknown; page?: unknown; done?: unknown } }>(INBOX, { preHandler: providerStaff }, async (request, reply) => {
    // "mine" has its own address, so the inbox shows the team's referrals whatever else the query says.
    const view = request.query.view === 'unallocated' ? 'unallocated' : 'team';
    const inbox = await getInbox(db, staffActor(request), { view, page: request.query.page });
    noStore(reply);
    return reply.view('support-referrals/views/inbox.njk', inboxPage(inbox, doneOf(request.query), new Date()));
  });

  app.get<{ Querystring: { page?: unknown } }>(MY_CLIENTS, { preHandler: providerStaff }, async (request, reply) => {
    const inbox = await getInbox(db, staffActor(request), { view: 'mine', page: request.query.page });
    noStore(reply);
    return reply.view('support-referrals/views/inbox.njk', inboxPage(inbox, undefined, new Date()));
  });

  /** Renders the referral page, or the page that says only that it closed once the victim's consent has gone. */
  async function showReferral(
    request: FastifyRequest<WithReferral>,
    reply: FastifyReply,
    options: { done?: string; failed?: { form: FormName; values: Form; fieldErrors: Record<string, string> } } = {},
  ) {
    const page = await getProviderReferral(db, staffActor(request), request.params.referralId);
    noStore(reply);
    if (!page.consented) {
      return reply.view('support-referrals/views/provider-closed.njk', { title: `Referral ${page.reference}`, reference: page.reference, serviceName: page.serviceName, withdrawn: page.withdrawn });
    }
    // The progress log and the message form each carry their own key, so sending one never makes the other a repeat.
    // A form shown again after an error keeps the key it was sent with, so correcting it still adds the note once.
    const sentKey = options.failed && isUuid(options.failed.values.submissionKey) ? options.failed.values.submissionKey : undefined;
    const keys = {
      progress: options.failed?.form === 'progress' && sentKey ? sentKey : page.submissionKey,
      message: options.failed?.form === 'message' && sentKey ? sentKey : randomUUID(),
    };
    return reply.code(options.failed ? 422 : 200).view('support-referrals/views/provider-referral.njk', referralPageView(page, options.done, options.failed, keys));
  }

  app.get<WithReferral & { Querystring: { done?: unknown } }>(`${INBOX}/referrals/:referralId`, { preHandler: providerStaff }, async (request, reply) =>
    showReferral(request, reply, { done: doneOf(request.query) }),
  );

  /** A POST route for one step: on Invalid the referral page again with the form's errors, else a redirect. */
  const step = (path: string, form: FormName, run: (request: FastifyRequest<WithReferral>, values: Form) => Promise<string>) =>
    app.post<WithReferral>(`${INBOX}/referrals/:referralId/${path}`, { preHandler: providerStaff }, async (request, reply) => {
      const values = formOf(request);
      let location: string;
      try {
        location = await run(request, values);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return showReferral(request, reply, { failed: { form, values, fieldErrors: error.fields } });
      }
      return reply.redirect(location, 303);
    });

  step('answer', 'answer', async (request, values) => {
    await answerReferral(db, staffActor(request), request.params.referralId, values);
    // A declined referral goes back to the hub and leaves the provider's view, so the inbox says it was done.
    return values.answer === 'accepted' ? `${referralPath(request.params.referralId)}?done=accepted` : `${INBOX}?done=${values.answer === 'declined' ? 'declined' : 'no_capacity'}`;
  });
  step('allocate', 'allocate', async (request, values) => {
    await allocateReferral(db, staffActor(request), request.params.referralId, values);
    return `${referralPath(request.params.referralId)}?done=allocated`;
  });
  step('start', 'progress', async (request) => {
    await startSupport(db, staffActor(request), request.params.referralId);
    return `${referralPath(request.params.referralId)}?done=started`;
  });
  step('progress', 'progress', async (request, values) => {
    await addNote(db, staffActor(request), request.params.referralId, 'progress', values);
    return `${referralPath(request.params.referralId)}?done=progress`;
  });
  step('messages', 'message', async (request, values) => {
    await addNote(db, staffActor(request), request.params.referralId, 'to_coordinator', values);
    return `${referralPath(request.params.referralId)}?done=message`;
  });
  step('close', 'close', async (request, values) => {
    await closeReferral(db, staffActor(request), request.params.referralId, values);
    return `${INBOX}?done=closed`;
  });
  step('send-back', 'sendBack', async (request, values) => {
    await sendBack(db, staffActor(request), request.params.referralId, values);
    return `${INBOX}?done=sent_back`;
  });
}
