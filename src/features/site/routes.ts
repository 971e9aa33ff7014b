// Pages every user can see without signing in: cookies and the accessibility statement.
import type { FastifyInstance } from 'fastify';

export function registerSitePages(app: FastifyInstance): void {
  app.get('/cookies', (_request, reply) => reply.view('site/views/cookies.njk'));
  app.get('/accessibility', (_request, reply) => reply.view('site/views/accessibility.njk'));
}
