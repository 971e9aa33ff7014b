// Loads the Wyvern demo data: the area, its organisations and their services, and one staff member per role. Safe to
// run on every start: rows are matched by their natural keys, so a second run adds nothing and changes nothing.
import { sql } from 'kysely';
import { systemActor } from '../platform/auth/identity.ts';
import { hashClientSecret } from '../platform/auth/api-credentials.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import { writeAudit } from '../platform/audit/writer.ts';
import { inTransaction, type Db } from '../platform/db/transaction.ts';
import { DEMO_AREA, DEMO_ORGANISATIONS } from './organisations.ts';
import { DEMO_API_CLIENT, DEMO_PASSWORD, DEMO_USERS } from './sign-ins.ts';

export class DemoDataRefused extends Error {}

export type DemoDataReport = { areaId: string; added: { organisations: number; services: number; users: number; apiClients: number } };

export async function loadDemoData(db: Db, options: { env: 'development' | 'test' | 'production' }): Promise<DemoDataReport> {
  // Checked here, not only by the caller: accounts with a published password must never reach a live service.
  if (options.env === 'production' || process.env.NODE_ENV === 'production') {
    throw new DemoDataRefused('Demo data is never loaded in production: its accounts share a published password.');
  }

  // Hashing is slow by design, so it happens before the transaction, and only for accounts that do not exist yet.
  const existing = await db
    .selectFrom('staff_user')
    .select(sql<string>`lower(email)`.as('email'))
    .where(sql<string>`lower(email)`, 'in', DEMO_USERS.map((user) => user.email.toLowerCase()))
    .execute();
  const present = new Set(existing.map((row) => row.email));
  const missing = DEMO_USERS.filter((user) => !present.has(user.email.toLowerCase()));
  const passwordHash = missing.length ? await hashPassword(DEMO_PASSWORD) : '';

  return inTransaction(db, async (trx) => {
    const area = await trx
      .insertInto('area')
      .values(DEMO_AREA)
      .onConflict((conflict) => conflict.column('code').doUpdateSet({ name: DEMO_AREA.name }))
      .returning('id')
      .executeTakeFirstOrThrow();

    const addedOrganisations = await trx
      .insertInto('organisation')
      .values(DEMO_ORGANISATIONS.map(({ name, kind }) => ({ area_id: area.id, name, kind })))
      .onConflict((conflict) => conflict.columns(['area_id', 'name']).doNothing())
      .returning('id')
      .execute();
    const organisations = await trx.selectFrom('organisation').select(['id', 'name']).where('area_id', '=', area.id).execute();
    const organisationId = new Map(organisations.map((row) => [row.name, row.id]));
    const idOf = (name: string): string => {
      const id = organisationId.get(name);
      if (!id) throw new Error(`Demo organisation ${name} is missing.`);
      return id;
    };

    const services = DEMO_ORGANISATIONS.flatMap((organisation) =>
      organisation.services.map((service) => ({ organisation_id: idOf(organisation.name), ...service })),
    );
    const addedServices = await trx
      .insertInto('organisation_service')
      .values(services)
      .onConflict((conflict) => conflict.columns(['organisation_id', 'name']).doNothing())
      .returning('id')
      .execute();

    const addedUsers = missing.length
      ? await trx
          .insertInto('staff_user')
          .values(
            missing.map((user) => ({
              organisation_id: idOf(user.organisation),
              email: user.email,
              display_name: user.displayName,
              role: user.role,
              status: 'active' as const,
              password_hash: passwordHash,
            })),
          )
          .onConflict((conflict) => conflict.expression(sql`lower(email)`).doNothing())
          .returning('id')
          .execute()
      : [];

    const addedApiClients = await trx
      .insertInto('api_client')
      .values({
        organisation_id: idOf(DEMO_API_CLIENT.organisation),
        client_id: DEMO_API_CLIENT.clientId,
        secret_hash: hashClientSecret(DEMO_API_CLIENT.secret),
        name: DEMO_API_CLIENT.name,
        scopes: DEMO_API_CLIENT.scopes,
      })
      .onConflict((conflict) => conflict.column('client_id').doNothing())
      .returning('id')
      .execute();

    const added = {
      organisations: addedOrganisations.length,
      services: addedServices.length,
      users: addedUsers.length,
      apiClients: addedApiClients.length,
    };
    if (added.organisations || added.services || added.users || added.apiClients) {
      await writeAudit(trx, systemActor('demo-data'), {
        action: 'demo_data.loaded',
        recordType: 'area',
        recordId: area.id,
        detail: added,
      });
    }
    return { areaId: area.id, added };
  });
}
