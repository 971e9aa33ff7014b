// The consent pages of a case: the person's ledger, the form to record a consent, and withdrawing one. Each route
// parses the request, calls the consent service and renders or redirects.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { dateBoxesInError } from '../../platform/forms/date-input.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  LEGAL_BASES,
  LEGAL_BASIS_HINTS,
  LEGAL_BASIS_NAMES,
  METHOD_NAMES,
  NOTE_MAX_LENGTH,
  PURPOSE_NAMES,
  STATE_TAGS,
  WITHDRAWAL_REASON_MAX_LENGTH,
} from './rules.ts';
import { getConsentForm, getConsentForWithdrawal, getConsents, recordConsent, withdrawConsent, type ConsentFormPage, type ConsentWithState } from './service.ts';

type Form = Record<string, unknown>;
type WithCase = { Params: { id: string } };
type WithConsent = { Params: { id: string; consentId: string } };

const caseWorkers = requireStaff(['coordinator', 'supervisor']);
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
// Every page here shows personal data: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const DONE: Record<string, string> = { recorded: 'Consent recorded', withdrawn: 'Consent withdrawn. The organisation can no longer see the case' };

const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

/** A consent as the ledger shows it to staff. */
const consentView = (consent: ConsentWithState) => ({
  ...consent,
  purposeText: PURPOSE_NAMES[consent.purpose],
  basisText: LEGAL_BASIS_NAMES[consent.legalBasis],
  howText: METHOD_NAMES[consent.givenHow],
  givenText: DAY.format(consent.givenAt),
  expiresText: consent.expiresAt ? DAY.format(consent.expiresAt) : null,
  withdrawnText: consent.withdrawnAt ? DAY.format(consent.withdrawnAt) : null,
  withdrawnHowText: consent.withdrawnHow ? METHOD_NAMES[consent.withdrawnHow] : null,
  tag: STATE_TAGS[consent.state],
});

const options = <T extends string>(values: readonly T[], names: Record<T, string>, hints?: Record<T, string>) =>
  values.map((value) => ({ value, text: names[value], ...(hints ? { hint: hints[value] } : {}) }));

function newFormPage(form: ConsentFormPage, values: Form, fieldErrors: Record<string, string>) {
  const expiry = dateBoxesInError(values, 'expiresOn', Boolean(fieldErrors.expiresOn));
  const hrefs: [string, string][] = [
    ['submissionKey', '#recipientOrganisationId'],
    ['recipientOrganisationId', '#recipientOrganisationId'],
    ['purpose', '#purpose'],
    ['legalBasis', '#legalBasis'],
    ['givenHow', '#givenHow'],
    ['expiresOn', `#expiresOn-${expiry.first}`],
    ['note', '#note'],
  ];
  return {
    title: `Record consent: case ${form.reference}`,
    ...form,
    values,
    fieldErrors,
    errors: hrefs.filter(([field]) => fieldErrors[field]).map(([field, href]) => ({ text: fieldErrors[field], href })),
    expiryBoxesInError: expiry.boxes,
    purposes: options(CONSENT_PURPOSES, PURPOSE_NAMES),
    bases: options(LEGAL_BASES, LEGAL_BASIS_NAMES, LEGAL_BASIS_HINTS),
    methods: options(CONSENT_METHODS, METHOD_NAMES),
    noteMax: NOTE_MAX_LENGTH,
  };
}

export function registerConsentPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get<WithCase & { Querystring: { done?: string } }>('/cases/:id/consents', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await getConsents(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('consent/views/consents.njk', {
      title: `Consent to share: case ${page.reference}`,
      ...page,
      consents: page.consents.map(consentView),
      done: typeof request.query.done === 'string' ? DONE[request.query.done] : undefined,
    });
  });

  app.get<WithCase>('/cases/:id/consents/new', { preHandler: caseWorkers }, async (request, reply) => {
    const form = await getConsentForm(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('consent/views/consent-new.njk', newFormPage(form, {}, {}));
  });

  app.post<WithCase>('/cases/:id/consents', { preHandler: caseWorkers }, async (request, reply) => {
    const actor = staffActor(request);
    const values = formOf(request);
    try {
      await recordConsent(db, actor, request.params.id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const form = await getConsentForm(db, actor, request.params.id);
      // Keep the key that was sent, so the corrected form still records the consent only once.
      if (isUuid(values.submissionKey)) form.submissionKey = values.submissionKey;
      noStore(reply);
      return reply.code(422).view('consent/views/consent-new.njk', newFormPage(form, values, error.fields));
    }
    return reply.redirect(`/cases/${request.params.id}/consents?done=recorded`, 303);
  });

  const withdrawPage = async (request: FastifyRequest<WithConsent>, values: Form, fieldErrors: Record<string, string>) => {
    const page = await getConsentForWithdrawal(db, staffActor(request), request.params.id, request.params.consentId);
    return {
      title: `Withdraw consent: case ${page.reference}`,
      ...page,
      consent: consentView(page.consent),
      values,
      fieldErrors,
      errors: (['how', 'reason'] as const).filter((field) => fieldErrors[field]).map((field) => ({ text: fieldErrors[field], href: `#${field}` })),
      methods: options(CONSENT_METHODS, METHOD_NAMES),
      reasonMax: WITHDRAWAL_REASON_MAX_LENGTH,
    };
  };

  app.get<WithConsent>('/cases/:id/consents/:consentId/withdraw', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await withdrawPage(request, {}, {});
    // Only a consent in force can be withdrawn; for any other the ledger says what happened to it.
    if (page.consent.state !== 'in_force') return reply.redirect(`/cases/${request.params.id}/consents`, 303);
    noStore(reply);
    return reply.view('consent/views/consent-withdraw.njk', page);
  });

  app.post<WithConsent>('/cases/:id/consents/:consentId/withdraw', { preHandler: caseWorkers }, async (request, reply) => {
    const values = formOf(request);
    try {
      await withdrawConsent(db, staffActor(request), request.params.id, request.params.consentId, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      noStore(reply);
      return reply.code(422).view('consent/views/consent-withdraw.njk', await withdrawPage(request, values, error.fields));
    }
    return reply.redirect(`/cases/${request.params.id}/consents?done=withdrawn`, 303);
  });
}
