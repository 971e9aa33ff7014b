// Every route an app serves, read from Fastify's printed route tree, for the tests that walk every route (so a route
// added later is walked too, with no list to keep up to date).
import type { FastifyInstance } from 'fastify';

export type Route = { path: string; methods: string[] };

/** Each route with its methods (HEAD included); each tree line's depth says which path it extends. */
export function routesOf(app: FastifyInstance): Route[] {
  const stack: string[] = [];
  const routes: Route[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const at = line.indexOf('── ');
    if (at < 0) continue;
    const depth = Math.round((at - 1) / 4);
    const match = /^(\S+)(?: \(([^)]*)\))?/.exec(line.slice(at + 3));
    if (!match) continue;
    const path = (depth > 0 ? (stack[depth - 1] ?? '') : '') + match[1]!;
    stack[depth] = path.replace(/\/\/+/g, '/');
    if (match[2]) routes.push({ path: stack[depth], methods: match[2].split(', ') });
  }
  return routes.map((route) => ({ ...route, path: route.path.startsWith('/') ? route.path : `/${route.path}` }));
}
