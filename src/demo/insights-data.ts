// The demo's history, so the commissioner's dashboards have something to show: a few hundred synthetic cases over the
// last year in the demo area (made by the bench's seeded generator, with equality monitoring, duties, support
// referrals to the demo providers, ratings and complaints), three funding awards recorded by the demo analyst, and one
// rebuild of the insights aggregates. Loaded once: a second start finds the cases by their source references.
import { sql } from 'kysely';
import { generateSyntheticData } from '../../bench/synthetic/generator.ts';
import { insertChunk, reserveEventIds } from '../../bench/synthetic/load.ts';
import { rebuildInsights } from '../features/insights-upkeep/service.ts';
import { systemActor } from '../platform/auth/identity.ts';
import { writeAudit } from '../platform/audit/writer.ts';
import { inTransaction, type Db } from '../platform/db/transaction.ts';
import { DEMO_ORGANISATIONS, HUB, POLICE, WITNESS_CARE } from './organisations.ts';
import { demoUserFor } from './sign-ins.ts';

/** People in the demo history; with repeat victims, about 15% more cases, and about ten events a case. */
export const DEMO_HISTORY_PEOPLE = 320;
/** The demo cases' source references start with this, which is how a second start knows they are there. */
export const DEMO_HISTORY_PREFIX = 'DEMO';
const SEED = 4242;

/** The commissioner's grants and contracts for this financial year (April to March). */
function demoAwards(today: Date) {
  const year = today.getUTCMonth() >= 3 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  const start = `${year}-04-01`;
  const end = `${year + 1}-03-31`;
  return [
    { organisation: 'Wyvern Sexual Violence Support Centre', kind: 'grant' as const, reference: `PCC-ISVA-${year}`, amount_pence: 18_500_000, note: 'Two ISVA posts and the helpline.' },
    { organisation: 'Wyvern Domestic Abuse Partnership', kind: 'contract' as const, reference: `PCC-DA-${year}`, amount_pence: 32_000_000, note: 'IDVA service and community outreach.' },
    { organisation: 'Wyvern Victim Assist', kind: 'grant' as const, reference: `PCC-GEN-${year}`, amount_pence: 9_750_000, note: null },
  ].map((award) => ({ ...award, period_start: start, period_end: end }));
}

export type DemoHistoryReport = { cases: number; events: number; awards: number };

export async function loadDemoHistory(db: Db, areaId: string, today = new Date()): Promise<DemoHistoryReport> {
  const organisations = await db.selectFrom('organisation').select(['id', 'name']).where('area_id', '=', areaId).execute();
  const idOf = (name: string) => {
    const found = organisations.find((each) => each.name === name);
    if (!found) throw new Error(`Demo organisation ${name} is missing.`);
    return found.id;
  };
  const users = await db.selectFrom('staff_user').select(['id', sql<string>`lower(email)`.as('email')])
    .where(sql<string>`lower(email)`, 'in', [demoUserFor('coordinator').email, demoUserFor('supervisor').email, demoUserFor('commissioner_analyst').email]).execute();
  const userOf = (email: string) => {
    const found = users.find((each) => each.email === email.toLowerCase());
    if (!found) throw new Error(`Demo user ${email} is missing.`);
    return found.id;
  };
  const providers = new Set(DEMO_ORGANISATIONS.filter((each) => each.kind === 'provider').map((each) => each.name));
  const services = (
    await db.selectFrom('organisation_service').innerJoin('organisation', 'organisation.id', 'organisation_service.organisation_id')
      .select(['organisation_service.id', 'organisation_service.organisation_id', 'organisation.name'])
      .where('organisation.area_id', '=', areaId).where('organisation_service.active', '=', true).orderBy('organisation_service.id').execute()
  ).filter((each) => providers.has(each.name)).map((each) => ({ id: each.id, organisationId: each.organisation_id }));

  return inTransaction(db, async (trx) => {
    const report: DemoHistoryReport = { cases: 0, events: 0, awards: 0 };
    const loaded = await trx.selectFrom('victim_case').select('id').where('area_id', '=', areaId)
      .where('source_reference', 'like', `${DEMO_HISTORY_PREFIX}-%`).limit(1).executeTakeFirst();
    if (!loaded) {
      const context = {
        areaId,
        policeOrganisationId: idOf(POLICE),
        agencyOrganisationId: idOf('Wyvern Money and Housing Advice'),
        coordinatorUserIds: [userOf(demoUserFor('coordinator').email)],
        insights: {
          hubOrganisationId: idOf(HUB), witnessCareOrganisationId: idOf(WITNESS_CARE), services,
          answeringUserId: userOf(demoUserFor('supervisor').email),
        },
      };
      for (const chunk of generateSyntheticData(context, {
        people: DEMO_HISTORY_PEOPLE, seed: SEED, today: today.toISOString().slice(0, 10), historyDays: 365, insights: true,
        chunkSize: DEMO_HISTORY_PEOPLE, referencePrefix: DEMO_HISTORY_PREFIX, crimeNumberStart: 700_000,
      })) {
        const firstEventId = await reserveEventIds(trx, chunk.events.length);
        await insertChunk(trx, chunk, areaId, firstEventId);
        // This is history: the Code clock has its duties already (made with it), so it must not read the events as new.
        await sql`delete from code_clock_inbox where event_id between ${firstEventId} and ${firstEventId + chunk.events.length - 1}`.execute(trx);
        report.cases += chunk.cases.length;
        report.events += chunk.events.length;
      }
    }
    const analyst = userOf(demoUserFor('commissioner_analyst').email);
    const awards = await trx
      .insertInto('funding_award')
      .values(demoAwards(today).map(({ organisation, ...award }) => ({
        ...award, area_id: areaId, organisation_id: idOf(organisation), recorded_by_user_id: analyst, submission_key: `demo:${award.reference}`,
      })))
      .onConflict((conflict) => conflict.column('submission_key').doNothing())
      .returning('id')
      .execute();
    report.awards = awards.length;
    if (report.cases || report.awards) {
      await writeAudit(trx, systemActor('demo-data'), { action: 'demo_data.history_loaded', recordType: 'area', recordId: areaId, detail: report });
    }
    return report;
  }).then(async (report) => {
    // Once, after the bulk load: the upkeep job keeps the aggregates current from here on.
    if (report.cases || report.awards) await rebuildInsights(db);
    return report;
  });
}
