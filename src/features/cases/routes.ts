// The coordinator's pages: the triage queue, "My cases", search, the case page and the contact log. Each route parses
// the request, calls the cases service and renders or redirects; the service decides who may see and do what.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { clockForCasePage } from '../obligations/service.ts';
import { CASE_TASK_KIND_NAMES } from '../tasks/service.ts';
import { CLASSIFICATION_REASON_MAX_LENGTH, OFFENCES_BY_CATEGORY } from './offence-classification.ts';
import {
  CASE_ROLE_NAMES,
  CASE_SOURCE_NAMES,
  CASE_SOURCES,
  CASE_STATUS_NAMES,
  CASE_STATUSES,
  CONTACT_CHANNEL_NAMES,
  CONTACT_CHANNELS,
  CONTACT_DIRECTION_NAMES,
  CONTACT_DIRECTIONS,
  CONTACT_OUTCOME_NAMES,
  CONTACT_OUTCOMES,
  caseListQueryString,
  caseReference,
  isUuid,
  safeContactView,
  smsForbidden,
  type CaseListQuery,
  type CaseListSort,
} from './rules.ts';
import {
  UnsafeContact,
  assignFromTriage,
  getCaseForContact,
  getCasePage,
  getOffenceForm,
  listWorkerCases,
  submitOffenceClassification,
  type OffenceForm,
  logContact,
  searchCases,
  triageQueue,
  type CaseSummary,
} from './service.ts';

type Form = Record<string, unknown>;
type WithId = { Params: { id: string } };

const caseWorkers = requireStaff(['coordinator', 'supervisor']);

const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
// Every page here shows personal data: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const DONE: Record<string, string> = {
  assigned: 'Coordinator assigned',
  taken: 'You are now the coordinator for the case',
  'contact-logged': 'Contact logged',
  'contact-logged-contacted': 'Contact logged. The case is now contacted',
  'offence-classified': 'Offence classified',
};
const doneMessage = (value: unknown) => (typeof value === 'string' ? DONE[value] : undefined);

/** A list row as the templates show it. */
const row = (summary: CaseSummary) => ({
  ...summary,
  reference: caseReference(summary.id),
  sourceName: CASE_SOURCE_NAMES[summary.source],
  statusName: CASE_STATUS_NAMES[summary.status],
  roleName: CASE_ROLE_NAMES[summary.role],
  offence: summary.offenceGroup ?? summary.offenceCategory ?? 'No crime reported',
  receivedIso: summary.receivedAt.toISOString(),
});

const SORT_HEADINGS: [CaseListSort, string][] = [
  ['name', 'Name'],
  ['received', 'Received'],
  ['source', 'Source'],
  ['offence', 'Offence group'],
  ['status', 'Status'],
];

function caseListView(query: CaseListQuery, offenceGroups: string[], canSeeAll: boolean) {
  const base = '/cases';
  const checkbox = <T extends string>(values: readonly T[], names: (value: T) => string, selected: readonly T[]) =>
    values.map((value) => ({ value, text: names(value), checked: selected.includes(value) }));
  const tags: { heading: { text: string }; items: { href: string; text: string }[] }[] = [];
  const tag = (heading: string, items: { href: string; text: string }[]) => items.length && tags.push({ heading: { text: heading }, items });
  tag('Status', query.statuses.map((status) => ({ text: CASE_STATUS_NAMES[status], href: base + caseListQueryString(query, { statuses: query.statuses.filter((s) => s !== status) }) })));
  tag('Source', query.sources.map((source) => ({ text: CASE_SOURCE_NAMES[source], href: base + caseListQueryString(query, { sources: query.sources.filter((s) => s !== source) }) })));
  tag('Offence group', query.offenceGroups.map((group) => ({ text: group, href: base + caseListQueryString(query, { offenceGroups: query.offenceGroups.filter((g) => g !== group) }) })));
  const flags = [
    ...(query.repeatOnly ? [{ text: 'Repeat victim', href: base + caseListQueryString(query, { repeatOnly: false }) }] : []),
    ...(query.overdueOnly ? [{ text: 'Overdue', href: base + caseListQueryString(query, { overdueOnly: false }) }] : []),
  ];
  tag('Flags', flags);
  return {
    statusItems: checkbox(CASE_STATUSES, (status) => CASE_STATUS_NAMES[status], query.statuses),
    sourceItems: checkbox(CASE_SOURCES, (source) => CASE_SOURCE_NAMES[source], query.sources),
    groupItems: offenceGroups.map((group) => ({ value: group, text: group, checked: query.offenceGroups.includes(group) })),
    flagItems: [
      { value: 'repeat', text: 'Repeat victim', checked: query.repeatOnly },
      { value: 'overdue', text: 'Overdue Code duty', checked: query.overdueOnly, hint: { text: 'A Victims’ Code duty on the case has passed its deadline' } },
    ],
    scopeItems: canSeeAll
      ? [
          { value: 'mine', text: 'My cases', checked: query.scope === 'mine' },
          { value: 'all', text: 'All cases in the hub', checked: query.scope === 'all' },
        ]
      : [],
    selectedTags: tags,
    clearHref: base + caseListQueryString({ ...query, statuses: [], sources: [], offenceGroups: [], repeatOnly: false, overdueOnly: false }),
    // The default order is overdue first, then newest: no single column, so no heading claims it. Otherwise the MoJ
    // sortable table would re-sort by Received as the page loads and push overdue cases down.
    overdueFirst: query.sort === 'received' && query.order === 'desc',
    sortHeadings: SORT_HEADINGS.map(([key, text]) => {
      const current = query.sort === key && !(query.sort === 'received' && query.order === 'desc');
      const nextOrder = current && query.order === 'asc' ? 'desc' : 'asc';
      return {
        key,
        text,
        ariaSort: current ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none',
        href: base + caseListQueryString(query, { sort: key, order: nextOrder }),
      };
    }),
  };
}

function safeContactRows(stored: Record<string, unknown> | null | undefined) {
  const view = safeContactView(stored);
  const yesNo = (value: boolean | null) => (value === null ? 'Not known' : value ? 'Yes' : 'No');
  const channelNames: Record<string, string> = { email: 'Email', sms: 'Text message', phone: 'Phone', letter: 'Letter' };
  return {
    doNotText: smsForbidden(view),
    profileKnown: view.channels.length > 0,
    channels: view.channels.map((channel) => channelNames[channel] ?? channel).join(', '),
    forbidden: view.channels.length ? Object.keys(channelNames).filter((channel) => !view.channels.includes(channel)).map((channel) => channelNames[channel]).join(', ') : '',
    safeTimes: typeof stored?.safeTimes === 'string' ? stored.safeTimes : null,
    voicemail: yesNo(view.voicemailSafe),
    homeVisit: yesNo(view.homeVisitSafe),
    hasSafeAddress: typeof stored?.safeAddress === 'string' && stored.safeAddress.length > 0,
    hasCodeWord: typeof stored?.codeWord === 'string' && stored.codeWord.length > 0,
  };
}

const contactOptions = {
  channels: CONTACT_CHANNELS.map((value) => ({ value, text: CONTACT_CHANNEL_NAMES[value] })),
  directions: CONTACT_DIRECTIONS.map((value) => ({ value, text: CONTACT_DIRECTION_NAMES[value] })),
  outcomes: CONTACT_OUTCOMES.map((value) => ({ value, text: CONTACT_OUTCOME_NAMES[value] })),
};

/** The classification form: the known offences grouped by category, the chosen one selected, errors in form order. */
function offenceFormPage(form: OffenceForm, values: Form, fieldErrors: Record<string, string>) {
  const chosen = typeof values.offenceCode === 'string' ? values.offenceCode : '';
  const hrefs: [string, string][] = [
    ['submissionKey', '#offenceCode'],
    ['offenceCode', '#offenceCode'],
    ['reason', '#reason'],
  ];
  return {
    title: `Classify the offence: case ${form.reference}`,
    ...form,
    victimCase: form.case,
    values,
    fieldErrors,
    errors: hrefs.filter(([field]) => fieldErrors[field]).map(([field, href]) => ({ text: fieldErrors[field], href })),
    offenceGroups: OFFENCES_BY_CATEGORY.map((group) => ({
      category: group.category,
      offences: group.offences.map((offence) => ({ value: offence.code, text: `${offence.description} (${offence.code})`, selected: offence.code === chosen })),
    })),
    reasonMax: CLASSIFICATION_REASON_MAX_LENGTH,
  };
}

const CONTACT_FIELDS = ['channel', 'direction', 'outcome', 'contactedAt', 'time', 'notes', 'confirmUnsafe'];

export function registerCasePages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addStaffNavigation({ href: '/triage', text: 'Triage', roles: ['coordinator', 'supervisor'] });
  addStaffNavigation({ href: '/cases', text: 'Cases', roles: ['coordinator', 'supervisor'] });

  app.get<{ Querystring: { done?: string } }>('/triage', { preHandler: caseWorkers }, async (request, reply) => {
    const queue = await triageQueue(db, staffActor(request));
    noStore(reply);
    return reply.view('cases/views/triage.njk', {
      title: 'Triage',
      ...queue,
      cases: queue.cases.map(row),
      coordinatorItems: [{ value: '', text: 'Select a coordinator' }, ...queue.coordinators.map((c) => ({ value: c.id, text: c.displayName }))],
      done: doneMessage(request.query.done),
    });
  });

  app.post<WithId>('/triage/:id/assign', { preHandler: caseWorkers }, async (request, reply) => {
    const actor = staffActor(request);
    const form = formOf(request);
    try {
      await assignFromTriage(db, actor, request.params.id, actor.kind === 'staff' && actor.staff.role === 'supervisor' ? form.coordinator : undefined);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const queue = await triageQueue(db, actor);
      noStore(reply);
      return reply.code(422).view('cases/views/triage.njk', {
        title: 'Triage',
        ...queue,
        cases: queue.cases.map(row),
        coordinatorItems: [{ value: '', text: 'Select a coordinator' }, ...queue.coordinators.map((c) => ({ value: c.id, text: c.displayName }))],
        errorCaseId: request.params.id,
        errorMessage: error.fields.coordinator ?? 'Select a coordinator',
        errors: [{ text: error.fields.coordinator ?? 'Select a coordinator', href: `#coordinator-${request.params.id}` }],
      });
    }
    const role = actor.kind === 'staff' ? actor.staff.role : undefined;
    return reply.redirect(`/triage?done=${role === 'supervisor' ? 'assigned' : 'taken'}`, 303);
  });

  app.get<{ Querystring: Record<string, unknown> }>('/cases', { preHandler: caseWorkers }, async (request, reply) => {
    const list = await listWorkerCases(db, staffActor(request), request.query);
    noStore(reply);
    return reply.view('cases/views/cases.njk', {
      title: list.query.scope === 'all' ? 'All cases' : 'My cases',
      ...list,
      cases: list.cases.map(row),
      ...caseListView(list.query, list.offenceGroups, list.canSeeAll),
    });
  });

  app.get('/cases/search', { preHandler: caseWorkers }, async (_request, reply) => {
    noStore(reply);
    return reply.view('cases/views/search.njk', { title: 'Search cases', searched: false, fieldErrors: {} });
  });

  // POST, not GET: names, dates of birth and phone numbers must never be in a URL.
  app.post('/cases/search', { preHandler: caseWorkers }, async (request, reply) => {
    const term = formOf(request).term;
    noStore(reply);
    try {
      const results = await searchCases(db, staffActor(request), term);
      return await reply.view('cases/views/search.njk', { title: 'Search cases', searched: true, term, results: results.map((found) => ({ ...row(found), matchedBy: found.matchedBy })), fieldErrors: {} });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return reply.code(422).view('cases/views/search.njk', {
        title: 'Search cases',
        searched: false,
        term,
        fieldErrors: error.fields,
        errors: [{ text: error.fields.term, href: '#term' }],
      });
    }
  });

  app.get<WithId & { Querystring: { done?: string } }>('/cases/:id', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await getCasePage(db, staffActor(request), request.params.id);
    // getCasePage has authorised the case and audited the view; the clock is part of that same page.
    const clock = await clockForCasePage(db, page.case.id);
    noStore(reply);
    return reply.view('cases/views/case.njk', {
      clock,
      title: `Case ${page.reference}`,
      ...page,
      roleName: CASE_ROLE_NAMES[page.case.role],
      sourceName: CASE_SOURCE_NAMES[page.case.source],
      statusName: CASE_STATUS_NAMES[page.case.status],
      safe: safeContactRows(page.person.safeContact as unknown as Record<string, unknown>),
      linkedCases: page.linkedCases.map(row),
      timeline: page.timeline.map((event) => ({ ...event, occurredIso: event.occurredAt.toISOString() })),
      contacts: page.contacts.map((entry) => ({
        ...entry,
        channelName: CONTACT_CHANNEL_NAMES[entry.channel],
        directionName: CONTACT_DIRECTION_NAMES[entry.direction],
        outcomeName: CONTACT_OUTCOME_NAMES[entry.outcome].split(':')[0],
      })),
      openTasks: page.openTasks.map((task) => ({
        ...task,
        kindName: CASE_TASK_KIND_NAMES[task.kind],
        raisedIso: task.raisedAt.toISOString(),
        href: task.kind === 'manual_offence_classification' ? `/cases/${page.case.id}/offence` : null,
      })),
      done: doneMessage(request.query.done),
    });
  });

  app.get<WithId>('/cases/:id/offence', { preHandler: caseWorkers }, async (request, reply) => {
    const form = await getOffenceForm(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('cases/views/offence.njk', offenceFormPage(form, {}, {}));
  });

  app.post<WithId>('/cases/:id/offence', { preHandler: caseWorkers }, async (request, reply) => {
    const actor = staffActor(request);
    const values = formOf(request);
    try {
      await submitOffenceClassification(db, actor, request.params.id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const form = await getOffenceForm(db, actor, request.params.id);
      // Keep the key that was sent, so the corrected form still classifies the offence only once.
      if (isUuid(values.submissionKey)) form.submissionKey = values.submissionKey;
      noStore(reply);
      return reply.code(422).view('cases/views/offence.njk', offenceFormPage(form, values, error.fields));
    }
    return reply.redirect(`/cases/${request.params.id}?done=offence-classified`, 303);
  });

  app.get<WithId>('/cases/:id/contact/new', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await getCaseForContact(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('cases/views/contact.njk', {
      title: `Log contact: case ${page.reference}`,
      ...page,
      safe: safeContactRows(page.person.safeContact as unknown as Record<string, unknown>),
      values: {},
      fieldErrors: {},
      ...contactOptions,
    });
  });

  app.post<WithId>('/cases/:id/contact', { preHandler: caseWorkers }, async (request, reply) => {
    const form = formOf(request);
    const actor = staffActor(request);
    try {
      const logged = await logContact(db, actor, request.params.id, form);
      return await reply.redirect(`/cases/${request.params.id}?done=${logged.movedToContacted ? 'contact-logged-contacted' : 'contact-logged'}`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const page = await getCaseForContact(db, actor, request.params.id);
      noStore(reply);
      return reply.code(422).view('cases/views/contact.njk', {
        title: `Log contact: case ${page.reference}`,
        ...page,
        safe: safeContactRows(page.person.safeContact as unknown as Record<string, unknown>),
        values: form,
        fieldErrors: error.fields,
        breaches: error instanceof UnsafeContact ? error.breaches : [],
        errors: CONTACT_FIELDS.filter((field) => error.fields[field]).map((field) => ({
          text: error.fields[field],
          href: field === 'contactedAt' ? '#contactedAt-day' : field === 'confirmUnsafe' ? '#confirmUnsafe' : `#${field}`,
        })),
        ...contactOptions,
      });
    }
  });
}
