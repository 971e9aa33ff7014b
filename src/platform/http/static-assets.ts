// Serves the precompiled GOV.UK Frontend and MoJ Frontend files, and our own small additions, with no build step.
// Their stylesheets and scripts are sent compressed (compressed-assets.ts); fonts and images as they are. None of these
// URLs carries a fingerprint, so a browser keeps a file for an hour and then revalidates it by its ETag (a 304 costs a
// few hundred bytes), rather than for a year: an upgrade of either frontend must reach browsers the same day.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { govukFrontendDist, mojFrontendDir } from '../views/views.ts';
import { registerCompressedAssets } from './compressed-assets.ts';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'public');

const MAX_AGE_SECONDS = 3600;

/** Each URL prefix and the folders it serves, the first folder holding a file winning. */
export const STATIC_MOUNTS: readonly { prefix: string; roots: string[] }[] = [
  { prefix: '/assets/', roots: [join(govukFrontendDist, 'govuk', 'assets'), join(mojFrontendDir, 'moj', 'assets')] },
  { prefix: '/govuk-frontend/', roots: [join(govukFrontendDist, 'govuk')] },
  { prefix: '/moj-frontend/', roots: [join(mojFrontendDir, 'moj')] },
  { prefix: '/public/', roots: [publicDir] },
];

export async function registerStaticAssets(app: FastifyInstance): Promise<void> {
  const common = { maxAge: MAX_AGE_SECONDS * 1000, index: false as const, decorateReply: false };
  for (const mount of STATIC_MOUNTS) {
    registerCompressedAssets(app, { prefix: mount.prefix, roots: mount.roots, cacheControl: `public, max-age=${MAX_AGE_SECONDS}` });
    await app.register(fastifyStatic, { ...common, root: mount.roots.length === 1 ? mount.roots[0] : mount.roots, prefix: mount.prefix });
  }
}
