// All SQL for managing API clients.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';

export type ApiClientListing = {
  clientId: string;
  name: string;
  organisationName: string;
  scopes: string[];
  createdAt: Date;
  disabledAt: Date | null;
  lastUsedAt: Date | null;
};

export async function findOrganisationsNamed(trx: Trx, name: string): Promise<{ id: string; name: string }[]> {
  return trx.selectFrom('organisation').select(['id', 'name']).where(sql<string>`lower(name)`, '=', name.trim().toLowerCase()).execute();
}

export async function insertApiClient(
  trx: Trx,
  values: { organisationId: string; clientId: string; secretHash: string; name: string; scopes: string[] },
): Promise<string> {
  const row = await trx
    .insertInto('api_client')
    .values({
      organisation_id: values.organisationId,
      client_id: values.clientId,
      secret_hash: values.secretHash,
      name: values.name,
      scopes: values.scopes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listApiClients(trx: Trx): Promise<ApiClientListing[]> {
  const rows = await trx
    .selectFrom('api_client')
    .innerJoin('organisation', 'organisation.id', 'api_client.organisation_id')
    .select([
      'api_client.client_id',
      'api_client.name',
      'organisation.name as organisation_name',
      'api_client.scopes',
      'api_client.created_at',
      'api_client.disabled_at',
      'api_client.last_used_at',
    ])
    .orderBy('organisation.name')
    .orderBy('api_client.created_at')
    .execute();
  return rows.map((row) => ({
    clientId: row.client_id,
    name: row.name,
    organisationName: row.organisation_name,
    scopes: row.scopes,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    lastUsedAt: row.last_used_at,
  }));
}

/** Disables the client if it is active; returns its row id, or undefined when there is no such active client. */
export async function disableApiClient(trx: Trx, clientId: string): Promise<{ id: string; organisationId: string } | undefined> {
  const row = await trx
    .updateTable('api_client')
    .set({ disabled_at: sql<Date>`now()` })
    .where('client_id', '=', clientId)
    .where('disabled_at', 'is', null)
    .returning(['id', 'organisation_id'])
    .executeTakeFirst();
  return row ? { id: row.id, organisationId: row.organisation_id } : undefined;
}

export async function apiClientExists(trx: Trx, clientId: string): Promise<boolean> {
  return Boolean(await trx.selectFrom('api_client').select('id').where('client_id', '=', clientId).executeTakeFirst());
}
