// Use-cases of the service directory. A provider's administrator lists, adds and edits their own organisation's
// services and keeps their open places and wait up to date; nobody else may, and a guessed id of another
// organisation's service looks exactly like a missing one (the attempt is audited). Every write is audited in its
// transaction. Anyone, signed in or not, may search the area's active services: they hold no personal data.
import { findOrganisation } from '../../platform/db/organisations.ts';
import { randomUUID } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import {
  findOrganisationService,
  findServiceBySubmission,
  insertServiceIfNew,
  listActiveServicesWithWelsh,
  listAreas,
  listOrganisationServices,
  nameTaken,
  updateServiceCapacity,
  updateServiceDetails,
  type ProviderService,
} from './repository.ts';
import { SPECIALISM_LABELS, checkCapacity, checkService, isNeed, isUuid, servicesForNeed, type FieldErrors, type Need, type ServiceDetails, type ServiceForm } from './rules.ts';

export type { ProviderService };
/**
 * The area's providers' services that are taking referrals. No use-case wraps it: it holds no personal data, and the
 * features that call it (matching, referrals) have authorised their reader first.
 */
export { listActiveServices } from './repository.ts';

const RECORD = 'organisation_service';

/** Administrators of a provider organisation; anyone else is refused. */
async function requireProviderAdministrator(trx: Trx, actor: Actor): Promise<StaffIdentity> {
  if (actor.kind !== 'staff' || actor.staff.role !== 'administrator') throw new Forbidden('provider administrators only');
  // A signed-in page's identity carries its organisation's kind; one made elsewhere has it read here.
  const kind = actor.staff.organisationKind ?? (await findOrganisation(trx, actor.staff.organisationId))?.kind;
  if (kind !== 'provider') throw new Forbidden('provider administrators only');
  return actor.staff;
}

/** Thrown inside a transaction when the service is not the actor's organisation's, so the refusal is audited after it. */
class NotOwnService extends Error {}

/**
 * Runs `work` on one of the actor's organisation's services in one transaction. A service id that is not one of theirs
 * (another organisation's, or none at all) throws NotFound, and the attempt is audited in its own transaction, since
 * the work's is rolled back.
 */
async function withOwnService<T>(
  db: Db,
  actor: Actor,
  serviceId: string,
  work: (trx: Trx, staff: StaffIdentity, service: ProviderService) => Promise<T>,
  options: { forUpdate?: boolean } = {},
): Promise<T> {
  try {
    return await inTransaction(db, async (trx) => {
      const staff = await requireProviderAdministrator(trx, actor);
      const service = isUuid(serviceId) ? await findOrganisationService(trx, staff.organisationId, serviceId, options) : undefined;
      if (!service) throw new NotOwnService();
      return work(trx, staff, service);
    });
  } catch (error) {
    if (!(error instanceof NotOwnService)) throw error;
    await inTransaction(db, (trx) =>
      writeAudit(trx, actor, { action: 'directory_service.access_refused', recordType: RECORD, recordId: isUuid(serviceId) ? serviceId : null }),
    );
    throw new NotFound('service');
  }
}

export type OwnServices = { organisationName: string; services: ProviderService[] };

export async function listOwnServices(db: Db, actor: Actor): Promise<OwnServices> {
  return inTransaction(db, async (trx) => {
    const staff = await requireProviderAdministrator(trx, actor);
    return { organisationName: staff.organisationName, services: await listOrganisationServices(trx, staff.organisationId) };
  });
}

/** What the new-service form needs: a fresh submission key, so sending the form twice adds one service. */
export async function newServiceForm(db: Db, actor: Actor): Promise<{ submissionKey: string }> {
  await inTransaction(db, (trx) => requireProviderAdministrator(trx, actor));
  return { submissionKey: randomUUID() };
}

export async function getOwnService(db: Db, actor: Actor, serviceId: string): Promise<ProviderService> {
  return withOwnService(db, actor, serviceId, (_trx, _staff, service) => Promise.resolve(service));
}

const categoryOf = (details: ServiceDetails): string => SPECIALISM_LABELS[details.specialism].en;
const nameClash = (name: string) => new Invalid({ name: `Your organisation already has a service called ${name}` });

/**
 * Adds a service to the actor's organisation. The same submission key returns the service it added before
 * (created: false). Bad input throws Invalid and stores nothing.
 */
export async function createService(db: Db, actor: Actor, form: ServiceForm & { submissionKey?: unknown }): Promise<{ serviceId: string; created: boolean }> {
  const submissionKey = form.submissionKey;
  return inTransaction(db, async (trx) => {
    const staff = await requireProviderAdministrator(trx, actor);
    if (!isUuid(submissionKey)) throw new Invalid({ submissionKey: 'The form could not be matched. Open the form again and re-enter the service' });
    const replay = await findServiceBySubmission(trx, staff.organisationId, submissionKey);
    if (replay) return { serviceId: replay.id, created: false };
    const checked = checkService(form);
    if ('errors' in checked) throw new Invalid(checked.errors);
    const details = checked.value;
    if (await nameTaken(trx, staff.organisationId, details.name)) throw nameClash(details.name);
    const serviceId = await insertServiceIfNew(trx, { organisationId: staff.organisationId, category: categoryOf(details), submissionKey, userId: staff.userId, details });
    if (!serviceId) {
      // The same form sent at the same moment: the unique key let the other one in, so this is its replay.
      const raced = await findServiceBySubmission(trx, staff.organisationId, submissionKey);
      if (raced) return { serviceId: raced.id, created: false };
      throw nameClash(details.name);
    }
    await writeAudit(trx, actor, { action: 'directory_service.created', recordType: RECORD, recordId: serviceId, detail: auditDetail(details) });
    return { serviceId, created: true };
  });
}

/** Ids, codes and numbers only: the audit trail never holds free text. */
const auditDetail = (details: ServiceDetails) => ({
  specialism: details.specialism,
  capacity: details.capacity,
  waitDays: details.waitDays,
  responseWorkingDays: details.responseWorkingDays,
  active: details.active,
  enhancedOnly: details.enhancedOnly,
});

export const STALE_FORM = 'This service was changed by someone else after you opened this page. Check the details and save again';

/**
 * Saves the whole service form. A form opened before someone else's change (its revision is behind) throws Invalid
 * with a `revision` error, so a stale page never overwrites newer open places or wait.
 */
export async function updateService(db: Db, actor: Actor, serviceId: string, form: ServiceForm & { revision?: unknown }, now = new Date()): Promise<void> {
  await withOwnService(
    db,
    actor,
    serviceId,
    async (trx, staff, service) => {
      const checked = checkService(form);
      if ('errors' in checked) throw new Invalid(checked.errors);
      const details = checked.value;
      const revision = Number(form.revision);
      if (!Number.isInteger(revision) || revision !== service.revision) throw new Invalid({ revision: STALE_FORM });
      if (await nameTaken(trx, staff.organisationId, details.name, service.id)) throw nameClash(details.name);
      const saved = await updateServiceDetails(trx, service.id, { revision, category: categoryOf(details), userId: staff.userId, details, now });
      if (!saved) throw new Invalid({ revision: STALE_FORM });
      await writeAudit(trx, actor, {
        action: 'directory_service.updated',
        recordType: RECORD,
        recordId: service.id,
        detail: { ...auditDetail(details), from: { capacity: service.capacity, waitDays: service.waitDays, active: service.active } },
      });
    },
    { forUpdate: true },
  );
}

/** The quick form: open places and the current wait. */
export async function updateCapacity(db: Db, actor: Actor, serviceId: string, form: ServiceForm, now = new Date()): Promise<void> {
  await withOwnService(
    db,
    actor,
    serviceId,
    async (trx, staff, service) => {
      const checked = checkCapacity(form);
      if ('errors' in checked) throw new Invalid(checked.errors);
      await updateServiceCapacity(trx, service.id, { ...checked.value, userId: staff.userId, now });
      await writeAudit(trx, actor, {
        action: 'directory_service.capacity_updated',
        recordType: RECORD,
        recordId: service.id,
        detail: { from: { capacity: service.capacity, waitDays: service.waitDays }, to: checked.value },
      });
    },
    { forUpdate: true },
  );
}

// --- The public directory ---

export type SupportSearch = {
  areas: { code: string; name: string }[];
  area?: { code: string; name: string };
  need?: Need;
  /** Present once an area has been chosen. */
  results?: ProviderService[];
  errors: FieldErrors;
};

/**
 * The area's active services that meet the need (any, when none is chosen). Nothing is searched until an area is
 * chosen; a value not on the lists is reported against its field.
 */
export async function findSupport(db: Db, query: { area?: unknown; need?: unknown }): Promise<SupportSearch> {
  const areas = await listAreas(db);
  const errors: FieldErrors = {};
  const areaCode = typeof query.area === 'string' ? query.area.trim() : '';
  const needValue = typeof query.need === 'string' ? query.need.trim() : '';
  const area = areaCode ? areas.find((each) => each.code === areaCode) : undefined;
  if (areaCode && !area) errors.area = 'directory.find.error.area';
  if (!areaCode && needValue) errors.area = 'directory.find.error.areaRequired';
  const need = isNeed(needValue) ? needValue : undefined;
  if (needValue && needValue !== 'any' && !need) errors.need = 'directory.find.error.need';
  const publicAreas = areas.map(({ code, name }) => ({ code, name }));
  if (!area || Object.keys(errors).length) return { areas: publicAreas, need, errors };
  const results = servicesForNeed(await listActiveServicesWithWelsh(db, area.id), need);
  return { areas: publicAreas, area: { code: area.code, name: area.name }, need, results, errors };
}
