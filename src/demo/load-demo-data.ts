// Loads the Wyvern demo data: the area, its organisations and their services, one staff member per role, and a year of
// synthetic cases for the commissioner's dashboards (insights-data.ts). Safe to run on every start: rows are matched by
// their natural keys, so a second run adds nothing and changes nothing.
import { sql } from 'kysely';
import { systemActor } from '../platform/auth/identity.ts';
import { hashClientSecret } from '../platform/auth/api-credentials.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import { writeAudit } from '../platform/audit/writer.ts';
import { inTransaction, type Db } from '../platform/db/transaction.ts';
import { DEMO_AREA, DEMO_ORGANISATIONS, type DemoService } from './organisations.ts';
import { loadDemoHistory, type DemoHistoryReport } from './insights-data.ts';
import { DEMO_API_CLIENT, DEMO_PASSWORD, DEMO_USERS } from './sign-ins.ts';

export class DemoDataRefused extends Error {}

/** A demo service's directory entry: who it is for, what it offers, and its places and wait. */
type DirectoryColumns = {
  specialism: string;
  offence_groups?: string[];
  age_bands?: string[];
  genders?: string[];
  enhanced_only?: boolean;
  referral_routes: string[];
  languages?: string[];
  accessibility?: string[];
  capacity: number;
  wait_days: number;
  response_working_days?: number;
  welsh_name?: string;
  welsh_description?: string;
};

const SEXUAL_OFFENCES = ['Rape', 'Other sexual offences'];
const ANY_ROUTE = ['coordinator', 'self', 'police', 'agency'];

/** What each kind of demo service offers, by its category; DEMO_DIRECTORY below says more for some services. */
const BY_CATEGORY: Record<string, DirectoryColumns> = {
  'Sexual violence': { specialism: 'emotional', offence_groups: SEXUAL_OFFENCES, referral_routes: ANY_ROUTE, capacity: 3, wait_days: 10 },
  'Children and young people': { specialism: 'young_victims', age_bands: ['child'], referral_routes: ['coordinator', 'police', 'agency'], capacity: 5, wait_days: 7 },
  'Domestic abuse': { specialism: 'emotional', offence_groups: ['Domestic abuse'], referral_routes: ANY_ROUTE, capacity: 6, wait_days: 5 },
  Refuge: { specialism: 'practical', offence_groups: ['Domestic abuse'], genders: ['female'], referral_routes: ANY_ROUTE, capacity: 1, wait_days: 0 },
  'Restorative justice': { specialism: 'restorative_justice', referral_routes: ANY_ROUTE, capacity: 8, wait_days: 28 },
  'Mental health': { specialism: 'mental_health', referral_routes: ['coordinator', 'self', 'agency'], capacity: 4, wait_days: 35 },
  'Hate crime': { specialism: 'hate_crime', referral_routes: ANY_ROUTE, capacity: 10, wait_days: 3 },
  Fraud: { specialism: 'practical', offence_groups: ['Fraud'], referral_routes: ANY_ROUTE, capacity: 15, wait_days: 2 },
  Bereavement: { specialism: 'emotional', offence_groups: ['Homicide', 'Death or serious injury caused by unlawful driving'], referral_routes: ['coordinator', 'police'], capacity: 2, wait_days: 5 },
  'Home security': { specialism: 'practical', referral_routes: ['coordinator', 'police'], capacity: 10, wait_days: 4 },
  'Practical support': { specialism: 'practical', referral_routes: ANY_ROUTE, capacity: 20, wait_days: 3 },
};
const GENERAL: DirectoryColumns = { specialism: 'general', referral_routes: ANY_ROUTE, capacity: 10, wait_days: 5 };

/** The demo services the journeys lean on: a specialist for each kind of case, one that is full, and one in Welsh. */
const DEMO_DIRECTORY: Record<string, Partial<DirectoryColumns>> = {
  'Independent sexual violence adviser (ISVA)': {
    specialism: 'isva', genders: ['female', 'male'], age_bands: ['adult', 'older'], accessibility: ['bsl', 'step_free', 'interpreter'], capacity: 4, wait_days: 3,
    welsh_name: 'Cynghorydd trais rhywiol annibynnol (ISVA)',
  },
  'Sexual violence counselling': { capacity: 0, wait_days: 21 },
  'Children’s ISVA (ChISVA)': { specialism: 'isva', offence_groups: SEXUAL_OFFENCES },
  'Independent domestic violence adviser (IDVA)': { specialism: 'idva', enhanced_only: true, age_bands: ['adult', 'older'], referral_routes: ['coordinator', 'police', 'agency'], capacity: 2, wait_days: 1, response_working_days: 1 },
  'Young victims service': { accessibility: ['easy_read'], capacity: 6, wait_days: 5 },
  'Home security and target hardening': {
    offence_groups: ['Residential burglary', 'Non-residential burglary', 'Criminal damage', 'Arson', 'Stalking and harassment'], accessibility: ['home_visits'], capacity: 12, wait_days: 3,
  },
  'Welsh-language victim support': {
    languages: ['cy', 'en'], referral_routes: ANY_ROUTE, capacity: 6, wait_days: 2,
    welsh_name: 'Cymorth i ddioddefwyr yn Gymraeg',
    welsh_description: 'Cymorth emosiynol ac ymarferol i unrhyw ddioddefwr yn Gymraeg, dros y ffôn, ar fideo neu wyneb yn wyneb.',
  },
  'British Sign Language interpreting': { accessibility: ['bsl'] },
  'Deaf victims advocacy': { accessibility: ['bsl'] },
  'Spoken language interpreting': { languages: ['en', 'pl', 'ro', 'pa', 'ur', 'ar'], accessibility: ['interpreter'] },
  'Older victims support': { age_bands: ['older'], accessibility: ['large_print', 'home_visits', 'hearing_loop'] },
  'Support for male survivors': { specialism: 'isva', genders: ['male'], offence_groups: [...SEXUAL_OFFENCES, 'Domestic abuse'] },
  'Easy read information': { accessibility: ['easy_read'] },
  'Disabled victims advocacy': { accessibility: ['easy_read', 'step_free', 'bsl'] },
  'Court day support': { specialism: 'general' },
};

const directoryColumns = (service: DemoService): DirectoryColumns => ({ ...(BY_CATEGORY[service.category] ?? GENERAL), ...DEMO_DIRECTORY[service.name] });

export type DemoDataReport = {
  areaId: string;
  added: { organisations: number; services: number; users: number; apiClients: number };
  history: DemoHistoryReport;
};

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

  const loaded = await inTransaction(db, async (trx) => {
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
      organisation.services.map((service) => ({ organisation_id: idOf(organisation.name), ...service, ...directoryColumns(service) })),
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
  return { ...loaded, history: await loadDemoHistory(db, loaded.areaId) };
}
