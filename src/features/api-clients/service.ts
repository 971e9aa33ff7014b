// Issuing, listing and disabling machine clients' credentials. Operators do this from the command line, so the actor
// is a system actor; only the command line and demo data reach it. Creating and disabling are audited.
import type { Actor } from '../../platform/auth/identity.ts';
import { hashClientSecret, newClientId, newClientSecret, type ApiScope } from '../../platform/auth/api-credentials.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db } from '../../platform/db/transaction.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { checkNewClient } from './rules.ts';
import {
  apiClientExists,
  disableApiClient,
  findOrganisationsNamed,
  insertApiClient,
  listApiClients,
  type ApiClientListing,
} from './repository.ts';

export type { ApiClientListing };

/** The secret appears here once and is never stored: only its hash is. */
export type IssuedApiClient = { clientId: string; secret: string; name: string; organisationName: string; scopes: ApiScope[] };

function requireOperator(actor: Actor): void {
  if (actor.kind !== 'system') throw new Forbidden('API credentials are managed from the command line');
}

export async function createApiClient(
  db: Db,
  actor: Actor,
  form: { organisation: string; name: string; scopes: string[] },
): Promise<IssuedApiClient> {
  requireOperator(actor);
  const checked = checkNewClient(form);
  if ('errors' in checked) throw new Invalid(checked.errors);
  const { name, scopes } = checked.value;
  const clientId = newClientId();
  const secret = newClientSecret();
  return inTransaction(db, async (trx) => {
    const organisations = await findOrganisationsNamed(trx, form.organisation);
    const organisation = organisations[0];
    if (!organisation) throw new Invalid({ organisation: `No organisation is called ${form.organisation}` });
    if (organisations.length > 1) throw new Invalid({ organisation: `More than one organisation is called ${form.organisation}` });
    const id = await insertApiClient(trx, { organisationId: organisation.id, clientId, secretHash: hashClientSecret(secret), name, scopes });
    await writeAudit(trx, actor, {
      action: 'api_client.created',
      recordType: 'api_client',
      recordId: id,
      detail: { clientId, organisationId: organisation.id, scopes },
    });
    return { clientId, secret, name, organisationName: organisation.name, scopes };
  });
}

export async function listClients(db: Db, actor: Actor): Promise<ApiClientListing[]> {
  requireOperator(actor);
  return inTransaction(db, (trx) => listApiClients(trx));
}

export async function disableClient(db: Db, actor: Actor, clientId: string): Promise<void> {
  requireOperator(actor);
  await inTransaction(db, async (trx) => {
    const disabled = await disableApiClient(trx, clientId);
    if (!disabled) {
      if (await apiClientExists(trx, clientId)) throw new Conflict(`The API client ${clientId} is already disabled.`);
      throw new NotFound('API client');
    }
    await writeAudit(trx, actor, {
      action: 'api_client.disabled',
      recordType: 'api_client',
      recordId: disabled.id,
      detail: { clientId, organisationId: disabled.organisationId },
    });
  });
}
