// Serves the precompiled GOV.UK Frontend and MoJ Frontend files, and our own small additions, with no build step.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { govukFrontendDist, mojFrontendDir } from '../views/views.ts';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'public');

export async function registerStaticAssets(app: FastifyInstance): Promise<void> {
  const common = { maxAge: '1h', index: false as const, decorateReply: false };
  await app.register(fastifyStatic, { ...common, root: [join(govukFrontendDist, 'govuk', 'assets'), join(mojFrontendDir, 'moj', 'assets')], prefix: '/assets/' });
  await app.register(fastifyStatic, { ...common, root: join(govukFrontendDist, 'govuk'), prefix: '/govuk-frontend/' });
  await app.register(fastifyStatic, { ...common, root: join(mojFrontendDir, 'moj'), prefix: '/moj-frontend/' });
  await app.register(fastifyStatic, { ...common, root: publicDir, prefix: '/public/' });
}
