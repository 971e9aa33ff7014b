// The "My data" pages of the victim's portal: the hub, who has seen the record, consents with one-click withdrawal,
// and the download page with its two files. Each route parses the request, calls the service and renders, redirects
// or sends the file. Everything is under /my-case, so the portal cookie reaches it and no response is cached.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireVictim, victimActor } from '../../platform/auth/portal-sessions.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { translate, type Language } from '../../platform/views/i18n/catalogue.ts';
import { addPortalDataMessages } from './messages.ts';
import { londonDay, londonTime, pageNumber } from './rules.ts';
import { exportMyData, getDataHub, getMyConsents, getWhoHasSeen, withdrawMyConsent, type ConsentsPage, type ExportFormat } from './service.ts';

const BASE = '/my-case/my-data';
type PersonQuery = { Querystring: { person?: string; page?: string; done?: string } };
type WithConsent = { Params: { consentId: string } };

/** ?person= only when the account reaches more than one record, so the usual URL names nobody. */
const personQuery = (personId: string, several: boolean): string => (several ? `?person=${encodeURIComponent(personId)}` : '');

const consentView = (language: Language) => (consent: ConsentsPage['inForce'][number]) => {
  const say = (key: string, values?: Record<string, string>) => translate(language, key, values);
  const row = (key: string, text: string) => ({ key: { text: say(key) }, value: { text } });
  const given = say('portalData.consents.givenValue', { date: londonDay(consent.givenAt, language), how: say(`portalData.how.${consent.givenHow}`) });
  const ending = consent.withdrawnAt
    ? row('portalData.consents.withdrawn', londonDay(consent.withdrawnAt, language))
    : consent.state === 'expired' && consent.expiresAt
      ? row('portalData.consents.expired', londonDay(consent.expiresAt, language))
      : row('portalData.consents.expires', consent.expiresAt ? londonDay(consent.expiresAt, language) : say('portalData.consents.noEnd'));
  return {
    id: consent.id,
    organisation: consent.recipientName,
    rows: [row('portalData.consents.purpose', say(`portalData.purpose.${consent.purpose}`)), row('portalData.consents.given', given), ending],
  };
};

export function registerPortalDataPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addPortalDataMessages();
  const guard = { preHandler: requireVictim() };
  const t = (request: FastifyRequest, key: string) => translate(request.language, key);

  app.get<PersonQuery>(BASE, guard, async (request, reply) => {
    const hub = await getDataHub(db, victimActor(request), request.query.person);
    const several = hub.people.length > 1;
    return reply.view('portal-data/views/hub.njk', {
      title: t(request, 'portalData.hub.title'),
      hub,
      several,
      query: hub.personId ? personQuery(hub.personId, several) : '',
    });
  });

  app.get<PersonQuery>(`${BASE}/who-has-seen`, guard, async (request, reply) => {
    const trail = await getWhoHasSeen(db, victimActor(request), request.query.person, pageNumber(request.query.page), request.language);
    const query = personQuery(trail.personId, trail.several);
    const pageUrl = (page: number) => `${BASE}/who-has-seen${query ? `${query}&` : '?'}page=${page}`;
    return reply.view('portal-data/views/who-has-seen.njk', {
      title: t(request, 'portalData.seen.title'),
      trail,
      query,
      newer: trail.page > 1 ? pageUrl(trail.page - 1) : null,
      older: trail.more ? pageUrl(trail.page + 1) : null,
    });
  });

  app.get<PersonQuery>(`${BASE}/consents`, guard, async (request, reply) => {
    const page = await getMyConsents(db, victimActor(request), request.query.person);
    const view = consentView(request.language);
    return reply.view('portal-data/views/consents.njk', {
      title: t(request, 'portalData.consents.title'),
      personId: page.personId,
      several: page.several,
      query: personQuery(page.personId, page.several),
      inForce: page.inForce.map(view),
      past: page.past.map(view),
      done: request.query.done === 'withdrawn' ? 'withdrawn' : request.query.done === 'already' ? 'already' : null,
    });
  });

  // One click: the button is the whole form. The person comes with it so a parent withdraws for the right child.
  app.post<WithConsent>(`${BASE}/consents/:consentId/withdraw`, guard, async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const asked = typeof form.person === 'string' && form.person !== '' ? form.person : undefined;
    const result = await withdrawMyConsent(db, victimActor(request), asked, request.params.consentId);
    const query = asked ? `?person=${encodeURIComponent(result.personId)}&` : '?';
    return reply.redirect(`${BASE}/consents${query}done=${result.withdrawn ? 'withdrawn' : 'already'}`, 303);
  });

  app.get<PersonQuery>(`${BASE}/download`, guard, async (request, reply) => {
    // The same check as the files, so a supporter is refused here and not only at the download.
    const hub = await getDataHub(db, victimActor(request), request.query.person);
    if (!hub.personId) return reply.callNotFound();
    return reply.view('portal-data/views/download.njk', {
      title: t(request, 'portalData.download.title'),
      query: personQuery(hub.personId, hub.people.length > 1),
    });
  });

  const sendExport = async (request: FastifyRequest<PersonQuery>, reply: FastifyReply, format: ExportFormat) => {
    const { data } = await exportMyData(db, victimActor(request), request.query.person, format);
    void reply.header('content-disposition', `attachment; filename="my-data.${format}"`);
    if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
    const language = request.language;
    const at = (value: string | null) => (value ? `${londonDay(new Date(value), language)}, ${londonTime(new Date(value), language)}` : '');
    const day = (value: string | null) => (value ? londonDay(new Date(value), language) : '');
    return reply.type('text/html; charset=utf-8').view('portal-data/views/export.njk', { data, at, day, madeOn: at(data.madeAt) });
  };
  app.get<PersonQuery>(`${BASE}/download/my-data.html`, guard, (request, reply) => sendExport(request, reply, 'html'));
  app.get<PersonQuery>(`${BASE}/download/my-data.json`, guard, (request, reply) => sendExport(request, reply, 'json'));
}
