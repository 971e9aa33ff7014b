// Which organisation plays each part in an area: the hub that coordinates, the police force, witness care and so on.
// Several features need it (the Code clock to give a duty its owner, intake to give a task to the hub), and the
// organisation table belongs to the platform.
import type { Db, Trx } from './transaction.ts';
import type { OrganisationKind } from './schema.ts';

/**
 * The organisation of each kind in each area, where an area has one (the first made, if it has several), keyed
 * `${areaId}:${kind}`.
 */
export async function organisationsByKind(trx: Trx, areaIds: readonly string[]): Promise<Map<string, string>> {
  if (!areaIds.length) return new Map();
  const rows = await trx
    .selectFrom('organisation')
    .select(['id', 'area_id', 'kind'])
    .where('area_id', 'in', [...new Set(areaIds)])
    .where('kind', 'in', ['hub', 'police', 'witness_care', 'prosecutor', 'probation'])
    .orderBy('created_at', 'desc')
    .execute();
  // Later rows overwrite earlier ones, so ordering newest first leaves the first made.
  return new Map(rows.map((row) => [`${row.area_id}:${row.kind satisfies OrganisationKind}`, row.id]));
}


/** One organisation's kind, area and name: what a service checks before it lets a member of staff act. */
export async function findOrganisation(db: Db | Trx, organisationId: string): Promise<{ kind: OrganisationKind; areaId: string; name: string } | undefined> {
  const row = await db.selectFrom('organisation').select(['kind', 'area_id', 'name']).where('id', '=', organisationId).executeTakeFirst();
  return row && { kind: row.kind, areaId: row.area_id, name: row.name };
}
