// Writes synthetic data into Haven's real tables: a bench area with its hub, police force, partner agency and
// coordinators, then people, crimes, cases and timeline events chunk by chunk. On PostgreSQL with a URL it uses COPY
// FROM STDIN (pg-copy-streams); on PGlite, multi-row INSERTs.
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../src/platform/db/database.ts';
import type { Db } from '../../src/platform/db/transaction.ts';
import { generateSyntheticData, type GeneratorOptions, type SyntheticChunk, type SyntheticContext } from './generator.ts';

export type BenchContext = SyntheticContext & {
  hubOrganisationId: string;
  /** With insights: the commissioner's office and its analyst, who reads the dashboards. */
  commissionerOrganisationId?: string;
  analystUserId?: string;
};
export type InsightsCounts = { obligations: number; referrals: number; portalAccounts: number; feedback: number; complaints: number };
export type LoadSummary = {
  people: number; crimes: number; cases: number; events: number; nearDuplicates: number; repeatVictims: number;
  peopleWithTwoOrMoreCases: number; seconds: number; method: 'copy' | 'insert'; context: BenchContext; insights: InsightsCounts;
};

/** Providers and their services for the insights data: a handful, as a small area funds. */
const BENCH_PROVIDERS: { name: string; services: { name: string; category: string; specialism: string }[] }[] = [
  { name: 'Wyvern Sexual Violence Centre (synthetic)', services: [{ name: 'ISVA service', category: 'Sexual violence', specialism: 'isva' }, { name: 'Counselling', category: 'Sexual violence', specialism: 'emotional' }] },
  { name: 'Wyvern Domestic Abuse Service (synthetic)', services: [{ name: 'IDVA service', category: 'Domestic abuse', specialism: 'idva' }, { name: 'Community outreach', category: 'Domestic abuse', specialism: 'emotional' }] },
  { name: 'Wyvern Victim Help (synthetic)', services: [{ name: 'General victim support', category: 'General support', specialism: 'general' }, { name: 'Home security', category: 'Home security', specialism: 'practical' }] },
  { name: 'Wyvern Young Victims (synthetic)', services: [{ name: 'Young victims service', category: 'Children and young people', specialism: 'young_victims' }] },
  { name: 'Wyvern Restorative Justice (synthetic)', services: [{ name: 'Restorative justice', category: 'Restorative justice', specialism: 'restorative_justice' }] },
];

/** Witness care, the commissioner and its analyst, and the providers' services, in a bench area for the insights data. */
async function createInsightsOrganisations(db: Db, areaId: string, seed: number, hubOrganisationId: string, answeringUserId: string) {
  const organisation = async (name: string, kind: 'witness_care' | 'commissioner' | 'provider') =>
    (await db.insertInto('organisation').values({ area_id: areaId, name, kind }).returning('id').executeTakeFirstOrThrow()).id;
  const witnessCareOrganisationId = await organisation('Wyvern Witness Care Unit (synthetic)', 'witness_care');
  const commissionerOrganisationId = await organisation('Office of the Wyvern Commissioner (synthetic)', 'commissioner');
  const analyst = await db
    .insertInto('staff_user')
    .values({ organisation_id: commissionerOrganisationId, email: `analyst-${seed}@bench.example.gov.uk`, display_name: 'Analyst 1', role: 'commissioner_analyst', status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const services: { id: string; organisationId: string }[] = [];
  for (const provider of BENCH_PROVIDERS) {
    const organisationId = await organisation(provider.name, 'provider');
    for (const each of provider.services) {
      const service = await db
        .insertInto('organisation_service')
        .values({ organisation_id: organisationId, name: each.name, category: each.category, description: `${each.name} (synthetic).`, specialism: each.specialism, capacity: 20 })
        .returning('id')
        .executeTakeFirstOrThrow();
      services.push({ id: service.id, organisationId });
    }
  }
  return { commissionerOrganisationId, analystUserId: analyst.id, insights: { hubOrganisationId, witnessCareOrganisationId, services, answeringUserId } };
}

/**
 * The bench area for a seed, with the organisations and coordinators cases point at (and, with `insights`, witness
 * care, a commissioner's analyst and five providers' services). Fails if it is already loaded.
 */
export async function createBenchArea(database: Database, seed: number, options: { insights?: boolean } = {}): Promise<BenchContext> {
  const db = database.db;
  const code = `BENCH-${seed}`;
  const existing = await db.selectFrom('area').select('id').where('code', '=', code).executeTakeFirst();
  if (existing) throw new Error(`This database already holds synthetic data for seed ${seed} (area ${code}): use another --seed or a fresh database.`);
  const area = await db.insertInto('area').values({ code, name: `Wyvern (synthetic, seed ${seed})` }).returning('id').executeTakeFirstOrThrow();
  const organisation = async (name: string, kind: 'hub' | 'police' | 'provider') =>
    (await db.insertInto('organisation').values({ area_id: area.id, name, kind }).returning('id').executeTakeFirstOrThrow()).id;
  const hubOrganisationId = await organisation('Wyvern Victim Gateway (synthetic)', 'hub');
  const policeOrganisationId = await organisation('Wyvern Constabulary (synthetic)', 'police');
  const agencyOrganisationId = await organisation('Wyvern Housing Partnership (synthetic)', 'provider');
  const coordinatorUserIds: string[] = [];
  for (let each = 1; each <= 40; each += 1) {
    const user = await db
      .insertInto('staff_user')
      .values({ organisation_id: hubOrganisationId, email: `coordinator-${seed}-${each}@bench.example.gov.uk`, display_name: `Coordinator ${each}`, role: 'coordinator', status: 'active' })
      .returning('id')
      .executeTakeFirstOrThrow();
    coordinatorUserIds.push(user.id);
  }
  const context: BenchContext = { areaId: area.id, hubOrganisationId, policeOrganisationId, agencyOrganisationId, coordinatorUserIds };
  if (!options.insights) return context;
  return { ...context, ...(await createInsightsOrganisations(db, area.id, seed, hubOrganisationId, coordinatorUserIds[0] ?? '')) };
}

// COPY text format: tab-separated, \N for null, backslash escapes.
const field = (value: string | number | boolean | Date | null | undefined): string => {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string') return String(value);
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
};
const line = (values: (string | number | boolean | Date | null | undefined)[]) => `${values.map(field).join('\t')}\n`;

export const COPY_COLUMNS = {
  person: 'id, area_id, given_name, family_name, match_name, date_of_birth, email, phone, address_line_1, town, postcode, safe_contact, repeat_victim, created_at, updated_at, sex, ethnic_group, disabled',
  crime: 'id, area_id, crime_reference, offence_code, offence_category, offence_group, committed_from, committed_to, reported_at, officer_in_charge, police_organisation_id, status, created_at',
  victim_case: 'id, person_id, crime_id, area_id, role, source, source_reference, referring_organisation_id, status, closed_reason, coordinator_user_id, support_consent, created_at, updated_at',
  timeline_event: 'id, case_id, kind, summary, detail, source, idempotency_key, visibility, occurred_at, recorded_by_user_id',
  obligation: 'id, case_id, area_id, duty, owner_kind, owner_organisation_id, trigger_event_id, trigger_kind, triggered_at, working_days, enhanced, due_at, state, overdue_at, met_at, met_by_kind, breached_at, breach_reason, created_at, updated_at',
  support_referral: 'id, case_id, person_id, area_id, service_id, organisation_id, status, summary, summary_approved_how, summary_approved_at, created_by_user_id, created_at, sent_at, sent_by_user_id, sent_event_id, answered_at, decline_reason, started_at, returned_reason, closed_at, outcome, coping_before, coping_after, safety_before, safety_after, submission_key',
  portal_account: 'id, person_id, area_id, display_name, created_at',
  victim_feedback: 'id, case_id, area_id, moment, rating, comment, given_by_account_id, given_at',
  complaint: 'id, case_id, area_id, organisation_id, body, made_by_account_id, submission_key, received_at, answered_at, answered_by_user_id, answer_summary',
};
/** In the order foreign keys need them. */
const TABLES = Object.keys(COPY_COLUMNS) as (keyof typeof COPY_COLUMNS)[];

/** One row of values per table, in COPY_COLUMNS' order; events get ids from `firstEventId` on, in chunk order. */
function rowsOf(chunk: SyntheticChunk, areaId: string, firstEventId: number): Record<keyof typeof COPY_COLUMNS, unknown[][]> {
  const eventId = (index: number | null) => (index === null ? null : firstEventId + index);
  return {
    person: chunk.people.map((p) => [p.id, areaId, p.givenName, p.familyName, p.matchName, p.dateOfBirth, p.email, p.phone, p.addressLine1, p.town, p.postcode, JSON.stringify(p.safeContact), p.repeatVictim, p.createdAt, p.createdAt, p.sex, p.ethnicGroup, p.disabled]),
    crime: chunk.crimes.map((c) => [c.id, areaId, c.crimeReference, c.offenceCode, c.offenceCategory, c.offenceGroup, c.committedFrom, c.committedTo, c.reportedAt, c.officerInCharge, c.policeOrganisationId, c.status, c.createdAt]),
    victim_case: chunk.cases.map((c) => [c.id, c.personId, c.crimeId, areaId, c.role, c.source, c.sourceReference, c.referringOrganisationId, c.status, c.closedReason, c.coordinatorUserId, c.supportConsent, c.createdAt, c.createdAt]),
    timeline_event: chunk.events.map((e, index) => [eventId(index), e.caseId, e.kind, e.summary, JSON.stringify(e.detail), e.source, e.idempotencyKey, e.visibility, e.occurredAt, e.recordedByUserId]),
    obligation: chunk.obligations.map((o) => [o.id, o.caseId, areaId, o.duty, o.ownerKind, o.ownerOrganisationId, eventId(o.triggerEvent), o.triggerKind, o.triggeredAt, o.workingDays, o.enhanced, o.dueAt, o.state, o.overdueAt, o.metAt, o.metByKind, o.breachedAt, o.breachReason, o.triggeredAt, o.metAt ?? o.breachedAt ?? o.overdueAt ?? o.triggeredAt]),
    support_referral: chunk.referrals.map((r) => [r.id, r.caseId, r.personId, areaId, r.serviceId, r.organisationId, r.status, r.summary, r.sentAt ? 'phone' : null, r.sentAt, r.createdByUserId, r.createdAt, r.sentAt, r.sentAt ? r.createdByUserId : null, eventId(r.sentEvent), r.answeredAt, r.declineReason, r.startedAt, r.returnedReason, r.closedAt, r.outcome, r.copingBefore, r.copingAfter, r.safetyBefore, r.safetyAfter, r.submissionKey]),
    portal_account: chunk.portalAccounts.map((a) => [a.id, a.personId, areaId, a.displayName, a.createdAt]),
    victim_feedback: chunk.feedback.map((f) => [f.id, f.caseId, areaId, f.moment, f.rating, f.comment, f.accountId, f.givenAt]),
    complaint: chunk.complaints.map((c) => [c.id, c.caseId, areaId, c.organisationId, c.body, c.accountId, c.submissionKey, c.receivedAt, c.answeredAt, c.answeredByUserId, c.answerSummary]),
  };
}

/** Takes `count` ids from timeline_event's sequence in one step, so events can be written with ids other rows name. */
export async function reserveEventIds(db: Db, count: number): Promise<number> {
  if (count === 0) return 0;
  const result = await sql<{ first: string }>`
    select (setval(pg_get_serial_sequence('timeline_event', 'id'), nextval(pg_get_serial_sequence('timeline_event', 'id')) + ${count - 1}) - ${count - 1})::text as first`.execute(db);
  return Number(result.rows[0]?.first);
}

function copyText(chunk: SyntheticChunk, areaId: string, firstEventId: number): Record<keyof typeof COPY_COLUMNS, string> {
  const rows = rowsOf(chunk, areaId, firstEventId);
  return Object.fromEntries(TABLES.map((table) => [table, rows[table].map((values) => line(values as Parameters<typeof line>[0])).join('')])) as Record<keyof typeof COPY_COLUMNS, string>;
}

/** COPY rows (text format, or CSV without a header) into a table over one pg client. */
export async function copyInto(client: pg.Client | pg.PoolClient, table: string, columns: string, text: string, format: 'text' | 'csv' = 'text'): Promise<void> {
  if (!text) return;
  const stream = client.query(copyFrom(`copy ${table} (${columns}) from stdin with (format ${format})`));
  await pipeline(Readable.from([text]), stream);
}

/** Multi-row INSERTs of one chunk, table by table, for PGlite or without a URL (and for the demo's few hundred cases). */
export async function insertChunk(db: Db, chunk: SyntheticChunk, areaId: string, firstEventId: number): Promise<void> {
  const rows = rowsOf(chunk, areaId, firstEventId);
  for (const table of TABLES) {
    const columns = COPY_COLUMNS[table].split(', ');
    for (let at = 0; at < rows[table].length; at += 1000) {
      const values = rows[table].slice(at, at + 1000).map((row) => Object.fromEntries(columns.map((column, index) => [column, row[index] ?? null])));
      // The column lists above are the types' check: each name is a real column of its table.
      await db.insertInto(table).values(values).execute();
    }
  }
}

/** Writes one chunk: reserves its events' ids, then COPY over `client` (PostgreSQL) or INSERT. */
export async function writeChunk(db: Db, client: pg.Client | undefined, chunk: SyntheticChunk, areaId: string): Promise<void> {
  const firstEventId = await reserveEventIds(db, chunk.events.length);
  if (!client) return insertChunk(db, chunk, areaId, firstEventId);
  const text = copyText(chunk, areaId, firstEventId);
  for (const table of TABLES) await copyInto(client, table, COPY_COLUMNS[table], text[table]);
}

export type LoadOptions = GeneratorOptions & {
  /** The PostgreSQL URL of `database`, for COPY; without it rows go in with INSERT. */
  url?: string;
  onProgress?: (peopleSoFar: number) => void;
};

/** Creates the bench area and loads synthetic data into it. */
export async function loadSyntheticData(database: Database, options: LoadOptions): Promise<LoadSummary> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const context = await createBenchArea(database, seed, { insights: options.insights });
  const summary = { people: 0, crimes: 0, cases: 0, events: 0, nearDuplicates: 0, repeatVictims: 0, peopleWithTwoOrMoreCases: 0 };
  const insights: InsightsCounts = { obligations: 0, referrals: 0, portalAccounts: 0, feedback: 0, complaints: 0 };
  const useCopy = database.backend === 'postgres' && Boolean(options.url);
  const client = useCopy ? new pg.Client({ connectionString: options.url }) : undefined;
  await client?.connect();
  try {
    for (const chunk of generateSyntheticData(context, { ...options, seed })) {
      await writeChunk(database.db, client, chunk, context.areaId);
      const casesPerPerson = new Map<string, number>();
      for (const each of chunk.cases) casesPerPerson.set(each.personId, (casesPerPerson.get(each.personId) ?? 0) + 1);
      summary.people += chunk.people.length;
      summary.crimes += chunk.crimes.length;
      summary.cases += chunk.cases.length;
      summary.events += chunk.events.length;
      summary.nearDuplicates += chunk.nearDuplicates;
      summary.repeatVictims += chunk.people.filter((person) => person.repeatVictim).length;
      summary.peopleWithTwoOrMoreCases += [...casesPerPerson.values()].filter((count) => count >= 2).length;
      insights.obligations += chunk.obligations.length;
      insights.referrals += chunk.referrals.length;
      insights.portalAccounts += chunk.portalAccounts.length;
      insights.feedback += chunk.feedback.length;
      insights.complaints += chunk.complaints.length;
      options.onProgress?.(summary.people);
    }
  } finally {
    await client?.end();
  }
  return { ...summary, seconds: (performance.now() - started) / 1000, method: useCopy ? 'copy' : 'insert', context, insights };
}
