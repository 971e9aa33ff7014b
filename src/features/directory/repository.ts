// All SQL of the service directory: a provider's own services, the area's active services for matching and the public
// page, and the writes a provider administrator makes to their services.
import type { Selectable } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { OrganisationServiceTable } from '../../platform/db/schema.ts';
import type { Accessibility, AgeBand, DirectoryService, Gender, ReferralRoute, ServiceDetails, Specialism } from './rules.ts';

/** A service as its provider sees it: the directory entry, with its Welsh text and what the forms need. */
export type ProviderService = DirectoryService & {
  welshName: string | null;
  welshDescription: string | null;
  revision: number;
  updatedAt: Date;
};

type Row = Selectable<OrganisationServiceTable> & { organisation_name: string; area_id: string };

const toProviderService = (row: Row): ProviderService => ({
  id: row.id,
  organisationId: row.organisation_id,
  organisationName: row.organisation_name,
  areaId: row.area_id,
  name: row.name,
  description: row.description,
  // The database checks these columns against the same lists.
  specialism: row.specialism as Specialism,
  offenceGroups: row.offence_groups,
  ageBands: row.age_bands as AgeBand[],
  genders: row.genders as Gender[],
  enhancedOnly: row.enhanced_only,
  referralRoutes: row.referral_routes as ReferralRoute[],
  languages: row.languages,
  accessibility: row.accessibility as Accessibility[],
  capacity: row.capacity,
  waitDays: row.wait_days,
  responseWorkingDays: row.response_working_days,
  active: row.active,
  welshName: row.welsh_name,
  welshDescription: row.welsh_description,
  revision: row.revision,
  updatedAt: row.updated_at,
});

const toDirectoryService = (row: Row): DirectoryService => {
  const service = toProviderService(row);
  return {
    id: service.id,
    organisationId: service.organisationId,
    organisationName: service.organisationName,
    areaId: service.areaId,
    name: service.name,
    description: service.description,
    specialism: service.specialism,
    offenceGroups: service.offenceGroups,
    ageBands: service.ageBands,
    genders: service.genders,
    enhancedOnly: service.enhancedOnly,
    referralRoutes: service.referralRoutes,
    languages: service.languages,
    accessibility: service.accessibility,
    capacity: service.capacity,
    waitDays: service.waitDays,
    responseWorkingDays: service.responseWorkingDays,
    active: service.active,
  };
};

function servicesWithOrganisation(db: Db | Trx) {
  return db
    .selectFrom('organisation_service')
    .innerJoin('organisation', 'organisation.id', 'organisation_service.organisation_id')
    .selectAll('organisation_service')
    .select(['organisation.name as organisation_name', 'organisation.area_id']);
}

function activeServicesIn(db: Db | Trx, areaId: string) {
  return servicesWithOrganisation(db)
    .where('organisation.area_id', '=', areaId)
    .where('organisation.kind', '=', 'provider')
    .where('organisation_service.active', '=', true)
    .orderBy('organisation.name')
    .orderBy('organisation_service.name')
    .execute();
}

/** The area's providers' services that are taking referrals, by provider and name. */
export async function listActiveServices(db: Db | Trx, areaId: string): Promise<DirectoryService[]> {
  return (await activeServicesIn(db, areaId)).map(toDirectoryService);
}

/** As listActiveServices, with the Welsh name and description for the public page. */
export async function listActiveServicesWithWelsh(db: Db | Trx, areaId: string): Promise<ProviderService[]> {
  return (await activeServicesIn(db, areaId)).map(toProviderService);
}

export async function listOrganisationServices(db: Db | Trx, organisationId: string): Promise<ProviderService[]> {
  const rows = await servicesWithOrganisation(db).where('organisation_service.organisation_id', '=', organisationId).orderBy('organisation_service.name').execute();
  return rows.map(toProviderService);
}

/** One of the organisation's services; another organisation's id finds nothing. */
export async function findOrganisationService(trx: Trx, organisationId: string, serviceId: string, options: { forUpdate?: boolean } = {}): Promise<ProviderService | undefined> {
  let query = servicesWithOrganisation(trx).where('organisation_service.id', '=', serviceId).where('organisation_service.organisation_id', '=', organisationId);
  if (options.forUpdate) query = query.forUpdate('organisation_service');
  const row = await query.executeTakeFirst();
  return row && toProviderService(row);
}

export async function findServiceBySubmission(trx: Trx, organisationId: string, submissionKey: string): Promise<{ id: string } | undefined> {
  return trx
    .selectFrom('organisation_service')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('submission_key', '=', submissionKey)
    .executeTakeFirst();
}

/** Another of the organisation's services already has this name (names are unique within an organisation). */
export async function nameTaken(trx: Trx, organisationId: string, name: string, exceptServiceId?: string): Promise<boolean> {
  let query = trx.selectFrom('organisation_service').select('id').where('organisation_id', '=', organisationId).where('name', '=', name);
  if (exceptServiceId) query = query.where('id', '<>', exceptServiceId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function listAreas(db: Db | Trx): Promise<{ id: string; code: string; name: string }[]> {
  return db.selectFrom('area').select(['id', 'code', 'name']).orderBy('name').execute();
}

const detailColumns = (details: ServiceDetails) => ({
  name: details.name,
  description: details.description,
  welsh_name: details.welshName,
  welsh_description: details.welshDescription,
  specialism: details.specialism,
  offence_groups: details.offenceGroups,
  age_bands: details.ageBands,
  genders: details.genders,
  enhanced_only: details.enhancedOnly,
  referral_routes: details.referralRoutes,
  languages: details.languages,
  accessibility: details.accessibility,
  capacity: details.capacity,
  wait_days: details.waitDays,
  response_working_days: details.responseWorkingDays,
  active: details.active,
});

/**
 * Adds a service, or nothing when the submission key (or, in a race, the name) is already taken: the caller then
 * looks for the first one. The category is the plain-English name of the specialism, as the old category column held.
 */
export async function insertServiceIfNew(
  trx: Trx,
  service: { organisationId: string; category: string; submissionKey: string; userId: string; details: ServiceDetails },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('organisation_service')
    .values({
      organisation_id: service.organisationId,
      category: service.category,
      submission_key: service.submissionKey,
      updated_by_user_id: service.userId,
      ...detailColumns(service.details),
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Saves the whole form when the service is still at the revision the form was opened at; false when it has moved on. */
export async function updateServiceDetails(
  trx: Trx,
  serviceId: string,
  change: { revision: number; category: string; userId: string; details: ServiceDetails; now: Date },
): Promise<boolean> {
  const result = await trx
    .updateTable('organisation_service')
    .set((eb) => ({
      ...detailColumns(change.details),
      category: change.category,
      updated_at: change.now,
      updated_by_user_id: change.userId,
      revision: eb('revision', '+', 1),
    }))
    .where('id', '=', serviceId)
    .where('revision', '=', change.revision)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function updateServiceCapacity(trx: Trx, serviceId: string, change: { capacity: number; waitDays: number; userId: string; now: Date }): Promise<void> {
  await trx
    .updateTable('organisation_service')
    .set((eb) => ({
      capacity: change.capacity,
      wait_days: change.waitDays,
      updated_at: change.now,
      updated_by_user_id: change.userId,
      revision: eb('revision', '+', 1),
    }))
    .where('id', '=', serviceId)
    .execute();
}
