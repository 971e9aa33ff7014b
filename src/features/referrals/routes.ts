// The agency referral pages: a partner organisation's staff member refers someone into the gateway with one form, and
// sees a confirmation with a short reference. Titles and URLs carry nothing about the person.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { FORM_ORDER, OFFENCE_CHOICES, ROLE_CHOICES, SAFE_CHANNEL_CHOICES, formValues, type AgencyFormValues } from './agency-form.ts';
import { shortCaseReference, type FieldErrors } from './rules.ts';
import { AGENCY_REFERRER_ROLES, agencyReferralSent, submitAgencyReferral } from './service.ts';

const referrers = requireStaff(AGENCY_REFERRER_ROLES);
const TITLE = 'Refer someone for support';


/** The form's answers may name a victim: no browser or proxy keeps the page. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

function errorList(fields: FieldErrors) {
  const known = FORM_ORDER.filter((name) => fields[name]).map((name) => ({ text: fields[name], href: `#${name}` }));
  const others = Object.keys(fields)
    .filter((name) => !(FORM_ORDER as readonly string[]).includes(name))
    .map((name) => ({ text: fields[name], href: '#givenName' }));
  return [...known, ...others];
}

function formPage(reply: FastifyReply, values: Partial<AgencyFormValues>, fieldErrors: FieldErrors = {}) {
  noStore(reply);
  return reply.view('referrals/views/refer.njk', {
    title: TITLE,
    values,
    fieldErrors,
    errors: errorList(fieldErrors),
    roleChoices: ROLE_CHOICES,
    offenceChoices: OFFENCE_CHOICES.map(({ value, text }) => ({ value, text })),
    channelChoices: SAFE_CHANNEL_CHOICES,
  });
}

export function registerReferralPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addStaffNavigation({ href: '/refer', text: 'Refer someone', roles: AGENCY_REFERRER_ROLES });

  app.get('/refer', { preHandler: referrers }, async (_request, reply) => formPage(reply, { referralToken: randomUUID(), safeChannels: [] }));

  app.post('/refer', { preHandler: referrers }, async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    try {
      const result = await submitAgencyReferral(db, staffActor(request), form);
      return await reply.redirect(`/refer/sent/${result.referralToken}`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const values = formValues(form);
      // A form without its token gets a new one, so that correcting it can be sent.
      if (error.fields.form) values.referralToken = randomUUID();
      return formPage(reply.code(422), values, error.fields);
    }
  });

  app.get<{ Params: { token: string } }>('/refer/sent/:token', { preHandler: referrers }, async (request, reply) => {
    const sent = await agencyReferralSent(db, staffActor(request), request.params.token);
    noStore(reply);
    return reply.view('referrals/views/sent.njk', { title: 'Referral sent', reference: shortCaseReference(sent.caseId) });
  });
}
