// Use-cases of the commissioner's funding: the area's awards for insight readers, recording an award (the
// commissioner's analyst only), and the cost of support over a date range. Every view and record is audited, and every
// reader sees only their own area.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Forbidden, Invalid } from '../../platform/http/domain-errors.ts';
import { mayReadInsights, mayRecordFunding, type DateRange } from '../insights/rules.ts';
import { awardsOfArea, awardsOverlapping, insertAwardOnce, providerActivity, providersOfArea, type AwardRow, type Provider } from './repository.ts';
import { checkAward, providerCosts } from './rules.ts';

type StaffActor = Extract<Actor, { kind: 'staff' }>;

function reader(actor: Actor): StaffActor {
  if (actor.kind !== 'staff' || !mayReadInsights(actor.staff.role)) throw new Forbidden('insights are for the commissioner’s analysts and supervisors');
  return actor;
}

function recorder(actor: Actor): StaffActor {
  if (actor.kind !== 'staff' || !mayRecordFunding(actor.staff.role)) throw new Forbidden('only the commissioner’s analysts record funding');
  return actor;
}

/** The area's awards, and whether this reader may record one. */
export async function listAwards(db: Db, actor: Actor): Promise<{ awards: AwardRow[]; mayRecord: boolean }> {
  const staff = reader(actor);
  return inTransaction(db, async (trx) => {
    const awards = await awardsOfArea(trx, staff.staff.areaId);
    await writeAudit(trx, actor, { action: 'insights.funding_viewed', recordType: 'area', recordId: staff.staff.areaId, detail: { awards: awards.length } });
    return { awards, mayRecord: mayRecordFunding(staff.staff.role) };
  });
}

/** The providers the record form offers: the reader's own area's. */
export async function awardFormChoices(db: Db, actor: Actor): Promise<{ providers: Provider[] }> {
  const staff = recorder(actor);
  return { providers: await providersOfArea(db, staff.staff.areaId) };
}

/**
 * Records an award from the form. The hidden submission key makes a form sent twice store one award; nothing is stored
 * unless every field is sound, and the record and its audit row commit together.
 */
export async function recordAward(db: Db, actor: Actor, form: Readonly<Record<string, unknown>>): Promise<{ awardId: string; created: boolean }> {
  const staff = recorder(actor);
  const submissionKey = isUuid(form.submissionKey) ? form.submissionKey.toLowerCase() : randomUUID();
  return inTransaction(db, async (trx) => {
    const providers = await providersOfArea(trx, staff.staff.areaId);
    const checked = checkAward(form, new Set(providers.map((provider) => provider.organisationId)));
    if ('errors' in checked) throw new Invalid(checked.errors);
    const stored = await insertAwardOnce(trx, { ...checked, areaId: staff.staff.areaId, recordedBy: staff.staff.userId, submissionKey });
    // A key already used in another area is no award of this reader's: a fresh key would have been sent by the form.
    if (!stored) throw new Invalid({ submissionKey: 'This form has already been sent. Start again to record another award' });
    if (stored.created) {
      await writeAudit(trx, actor, {
        action: 'insights.funding_recorded',
        recordType: 'funding_award',
        recordId: stored.id,
        detail: { organisationId: checked.organisationId, kind: checked.kind, periodStart: checked.periodStart, periodEnd: checked.periodEnd, amountPence: checked.amountPence },
      });
    }
    return { awardId: stored.id, created: stored.created };
  });
}

/** Funding, victims supported and completed outcomes per provider over the range, with suppressed costs per head. */
export async function fundingCosts(db: Db, actor: Actor, range: DateRange) {
  const staff = reader(actor);
  const areaId = staff.staff.areaId;
  return inTransaction(db, async (trx) => {
    const providers = await providersOfArea(trx, areaId);
    const awards = await awardsOverlapping(trx, areaId, range);
    const activity = await providerActivity(trx, areaId, range);
    // A provider whose organisation changed kind still has its referrals counted under its name.
    const known = new Set(providers.map((provider) => provider.organisationId));
    const everyProvider = [...providers, ...activity.filter((row) => !known.has(row.organisationId)).map((row) => ({ organisationId: row.organisationId, name: row.name }))];
    await writeAudit(trx, actor, { action: 'insights.funding_costs_viewed', recordType: 'area', recordId: areaId, detail: { from: range.from, to: range.to } });
    return providerCosts(everyProvider, awards, activity, range);
  });
}
