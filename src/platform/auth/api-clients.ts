// Authenticates machine clients on /api/ routes by HTTP Basic (client id and secret; see api-credentials.ts for why),
// checks the scopes an operation needs, and slows down guessing from one address. Sets request.apiClient.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/transaction.ts';
import { sendError } from '../http/error-pages.ts';
import {
  FailedAttempts,
  knownScopes,
  missingScopes,
  parseBasicAuthorization,
  secretMatches,
  type ApiClientIdentity,
  type ApiScope,
} from './api-credentials.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The machine client whose credentials this request carried; set by requireApiClient. */
    apiClient?: ApiClientIdentity;
  }
}

export const API_REALM = 'Haven API';

// A hash of no secret anyone holds, compared when the client id is unknown, so both refusals take the same time.
const UNKNOWN_CLIENT_HASH = '0'.repeat(64);

/** The active client with these credentials, or null. Disabled clients and wrong secrets are both null. */
export async function authenticateApiClient(db: Db, clientId: string, secret: string): Promise<ApiClientIdentity | null> {
  const row = await db
    .selectFrom('api_client')
    .innerJoin('organisation', 'organisation.id', 'api_client.organisation_id')
    .select([
      'api_client.id',
      'api_client.client_id',
      'api_client.secret_hash',
      'api_client.name',
      'api_client.scopes',
      'api_client.disabled_at',
      'api_client.organisation_id',
      'organisation.name as organisation_name',
      'organisation.area_id',
    ])
    .where('api_client.client_id', '=', clientId)
    .executeTakeFirst();
  const matches = secretMatches(secret, row?.secret_hash ?? UNKNOWN_CLIENT_HASH);
  if (!row || !matches || row.disabled_at) return null;
  // At most one write a minute per client: enough to tell live credentials from forgotten ones.
  await db
    .updateTable('api_client')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', row.id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
  return {
    clientId: row.client_id,
    name: row.name,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    areaId: row.area_id,
    scopes: knownScopes(row.scopes),
  };
}

export type RequireApiClient = (...scopes: ApiScope[]) => preHandlerAsyncHookHandler;

async function refuseCredentials(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  void reply.header('www-authenticate', `Basic realm="${API_REALM}", charset="UTF-8"`);
  await sendError(request, reply, {
    status: 401,
    key: '400',
    title: 'Unauthorized',
    detail: 'Send the client id and secret with HTTP Basic authentication.',
  });
}

/**
 * Makes the preHandler factory for API routes: `requireApiClient()` needs valid credentials only,
 * `requireApiClient('referrals:write')` needs that scope too. Answers 401 (with WWW-Authenticate) for missing or wrong
 * credentials or a disabled client, 403 for a missing scope, and 429 after too many failures from one address.
 */
export function createApiClientGuard(db: Db, options: { failures?: FailedAttempts } = {}): RequireApiClient {
  const failures = options.failures ?? new FailedAttempts();
  return (...scopes) =>
    async function requireApiClient(request, reply) {
      const retryAfter = failures.retryAfterSeconds(request.ip);
      if (retryAfter > 0) {
        void reply.header('retry-after', String(retryAfter));
        await sendError(request, reply, { status: 429, key: '429', title: 'Too many requests' });
        return reply;
      }
      const credentials = parseBasicAuthorization(request.headers.authorization);
      const client = credentials ? await authenticateApiClient(db, credentials.clientId, credentials.secret) : null;
      if (!client) {
        failures.record(request.ip);
        request.log.info({ clientId: credentials?.clientId }, 'API credentials refused');
        await refuseCredentials(request, reply);
        return reply;
      }
      request.apiClient = client;
      const missing = missingScopes(client.scopes, scopes);
      if (missing.length) {
        await sendError(request, reply, {
          status: 403,
          key: '403',
          title: 'Forbidden',
          detail: `These credentials do not carry the scope ${missing.join(', ')}.`,
        });
        return reply;
      }
    };
}
