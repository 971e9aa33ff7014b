// The hub's page for a victim's online access: invitation link, parents, carers and supporters, and the crime-reference
// check. Thin: read the form, call the service, render or redirect.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { createPortalSender, type PortalSender } from '../portal-sign-in/sender.ts';
import { RELATION_NAMES } from './rules.ts';
import { getPortalAccess, linkDelegate, revokeLink, sendInvitation, setCrimeReferenceCheck } from './staff-service.ts';

type Params = { caseId: string };
const HUB = requireStaff(['coordinator', 'supervisor']);
const field = (form: unknown, name: string): unknown => (form as Record<string, unknown> | undefined)?.[name];
const errorList = (fields: Record<string, string>) => Object.entries(fields).map(([name, text]) => ({ text, href: `#${name}` }));

export type PortalAccessDeps = { db: Db; config: Pick<Config, 'notifyApiKey' | 'notifyBaseUrl' | 'notifyTemplateIds' | 'havenBaseUrl'>; sender?: PortalSender };

export function registerPortalAccessPages(app: FastifyInstance, deps: PortalAccessDeps): void {
  const { db } = deps;
  const sender = deps.sender ?? createPortalSender(deps.config, db);
  const page = (caseId: string) => `/cases/${caseId}/portal-access`;

  async function render(request: Parameters<typeof staffActor>[0], caseId: string, extra: Record<string, unknown> = {}) {
    const access = await getPortalAccess(db, staffActor(request), caseId);
    return { access, relationNames: RELATION_NAMES, title: 'Online access', ...extra };
  }

  app.get<{ Params: Params; Querystring: { done?: string } }>('/cases/:caseId/portal-access', { preHandler: HUB }, async (request, reply) =>
    reply.view('portal-access/views/portal-access.njk', await render(request, request.params.caseId, { done: request.query.done })),
  );

  // One handler per form, each answering a bad form with the page and its error summary.
  const action = (path: string, work: (request: { params: Params; body: unknown }, actor: ReturnType<typeof staffActor>) => Promise<unknown>, done: string) =>
    app.post<{ Params: Params }>(`/cases/:caseId/portal-access/${path}`, { preHandler: HUB }, async (request, reply) => {
      try {
        await work(request, staffActor(request));
        return await reply.redirect(`${page(request.params.caseId)}?done=${done}`, 303);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        const form = (request.body ?? {}) as Record<string, unknown>;
        return reply.code(422).view('portal-access/views/portal-access.njk', await render(request, request.params.caseId, { fields: error.fields, errors: errorList(error.fields), form }));
      }
    });

  action('invitation', (request, actor) => sendInvitation(db, actor, request.params.caseId, sender, deps.config.havenBaseUrl), 'invited');
  action('links', (request, actor) => linkDelegate(db, actor, request.params.caseId, { displayName: field(request.body, 'displayName'), relation: field(request.body, 'relation'), contact: field(request.body, 'contact') }), 'linked');
  action('crime-reference-check', (request, actor) => setCrimeReferenceCheck(db, actor, request.params.caseId, field(request.body, 'on') === 'yes'), 'check');
  app.post<{ Params: Params & { linkId: string } }>('/cases/:caseId/portal-access/links/:linkId/revoke', { preHandler: HUB }, async (request, reply) => {
    try {
      await revokeLink(db, staffActor(request), request.params.caseId, request.params.linkId, field(request.body, 'reason'));
      return await reply.redirect(`${page(request.params.caseId)}?done=revoked`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const fields = { [`reason-${request.params.linkId}`]: error.fields.reason ?? 'Enter why access is being removed' };
      return reply.code(422).view('portal-access/views/portal-access.njk', await render(request, request.params.caseId, { fields, errors: errorList(fields) }));
    }
  });
}
