// The victim's "My case" pages under /my-case: the list of cases in reach, one case's page, and a hearing's calendar
// file. Titles come from the catalogue and never name the victim or the crime; the portal layer marks every response
// no-store (platform/auth/portal-sessions.ts), the calendar file included.
import type { FastifyInstance } from 'fastify';
import { requireVictim, victimActor } from '../../platform/auth/portal-sessions.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { translate } from '../../platform/views/i18n/catalogue.ts';
import { addPortalCaseMessages } from './messages.ts';
import { getHearingCalendar, getPortalCase, getPortalCases } from './service.ts';

type CaseParams = { Params: { caseId: string } };
type HearingParams = { Params: { caseId: string; hearingId: string } };

export function registerPortalCasePages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addPortalCaseMessages();
  const signedIn = requireVictim();

  app.get('/my-case', { preHandler: signedIn }, async (request, reply) => {
    const cases = await getPortalCases(db, victimActor(request), request.language);
    return reply.view('portal/views/cases.njk', { title: translate(request.language, 'portalCase.cases.title'), cases });
  });

  app.get<CaseParams>('/my-case/cases/:caseId', { preHandler: signedIn }, async (request, reply) => {
    const page = await getPortalCase(db, victimActor(request), request.params.caseId, request.language);
    return reply.view('portal/views/case.njk', { title: translate(request.language, 'portalCase.case.title'), page, pendingFeedback: page.pendingFeedback, caseId: page.caseId });
  });

  app.get<HearingParams>('/my-case/cases/:caseId/hearings/:hearingId/calendar.ics', { preHandler: signedIn }, async (request, reply) => {
    const file = await getHearingCalendar(db, victimActor(request), request.params.caseId, request.params.hearingId, request.language);
    return reply
      .header('Content-Type', 'text/calendar; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${file.filename}"`)
      .header('Cache-Control', 'no-store')
      .send(file.body);
  });
}
