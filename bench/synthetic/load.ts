// Writes synthetic data into Haven's real tables: a bench area with its hub, police force, partner agency and
// coordinators, then people, crimes, cases and timeline events chunk by chunk. On PostgreSQL with a URL it uses COPY
// FROM STDIN (pg-copy-streams); on PGlite, multi-row INSERTs.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../src/platform/db/database.ts';
import { generateSyntheticData, type GeneratorOptions, type SyntheticChunk, type SyntheticContext } from './generator.ts';

export type LoadSummary = {
  people: number; crimes: number; cases: number; events: number; nearDuplicates: number; repeatVictims: number;
  peopleWithTwoOrMoreCases: number; seconds: number; method: 'copy' | 'insert'; context: SyntheticContext & { hubOrganisationId: string };
};

/** The bench area for a seed, with the organisations and coordinators cases point at. Fails if it is already loaded. */
export async function createBenchArea(database: Database, seed: number): Promise<SyntheticContext & { hubOrganisationId: string }> {
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
  return { areaId: area.id, hubOrganisationId, policeOrganisationId, agencyOrganisationId, coordinatorUserIds };
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
  person: 'id, area_id, given_name, family_name, match_name, date_of_birth, email, phone, address_line_1, town, postcode, safe_contact, repeat_victim, created_at, updated_at',
  crime: 'id, area_id, crime_reference, offence_code, offence_category, offence_group, committed_from, committed_to, reported_at, officer_in_charge, police_organisation_id, status, created_at',
  victim_case: 'id, person_id, crime_id, area_id, role, source, source_reference, referring_organisation_id, status, closed_reason, coordinator_user_id, support_consent, created_at, updated_at',
  timeline_event: 'case_id, kind, summary, detail, source, idempotency_key, visibility, occurred_at, recorded_by_user_id',
};

function copyText(chunk: SyntheticChunk, areaId: string): Record<keyof typeof COPY_COLUMNS, string> {
  return {
    person: chunk.people.map((p) => line([p.id, areaId, p.givenName, p.familyName, p.matchName, p.dateOfBirth, p.email, p.phone, p.addressLine1, p.town, p.postcode, JSON.stringify(p.safeContact), p.repeatVictim, p.createdAt, p.createdAt])).join(''),
    crime: chunk.crimes.map((c) => line([c.id, areaId, c.crimeReference, c.offenceCode, c.offenceCategory, c.offenceGroup, c.committedFrom, c.committedTo, c.reportedAt, c.officerInCharge, c.policeOrganisationId, c.status, c.createdAt])).join(''),
    victim_case: chunk.cases.map((c) => line([c.id, c.personId, c.crimeId, areaId, c.role, c.source, c.sourceReference, c.referringOrganisationId, c.status, c.closedReason, c.coordinatorUserId, c.supportConsent, c.createdAt, c.createdAt])).join(''),
    timeline_event: chunk.events.map((e) => line([e.caseId, e.kind, e.summary, JSON.stringify(e.detail), e.source, e.idempotencyKey, e.visibility, e.occurredAt, e.recordedByUserId])).join(''),
  };
}

/** COPY rows (text format, or CSV without a header) into a table over one pg client. */
export async function copyInto(client: pg.Client | pg.PoolClient, table: string, columns: string, text: string, format: 'text' | 'csv' = 'text'): Promise<void> {
  if (!text) return;
  const stream = client.query(copyFrom(`copy ${table} (${columns}) from stdin with (format ${format})`));
  await pipeline(Readable.from([text]), stream);
}

async function insertChunk(database: Database, chunk: SyntheticChunk, areaId: string): Promise<void> {
  const db = database.db;
  const batches = <T>(rows: T[], size: number): T[][] => Array.from({ length: Math.ceil(rows.length / size) }, (_, at) => rows.slice(at * size, at * size + size));
  for (const rows of batches(chunk.people, 1000)) {
    await db.insertInto('person').values(rows.map((p) => ({
      id: p.id, area_id: areaId, given_name: p.givenName, family_name: p.familyName, match_name: p.matchName, date_of_birth: p.dateOfBirth,
      email: p.email, phone: p.phone, address_line_1: p.addressLine1, address_line_2: null, town: p.town, postcode: p.postcode,
      communication_needs: null, merged_into_person_id: null, safe_contact: JSON.stringify(p.safeContact), repeat_victim: p.repeatVictim,
      created_at: p.createdAt, updated_at: p.createdAt,
    }))).execute();
  }
  for (const rows of batches(chunk.crimes, 1000)) {
    await db.insertInto('crime').values(rows.map((c) => ({
      id: c.id, area_id: areaId, crime_reference: c.crimeReference, offence_code: c.offenceCode, offence_category: c.offenceCategory,
      offence_group: c.offenceGroup, committed_from: c.committedFrom, committed_to: c.committedTo, reported_at: c.reportedAt,
      officer_in_charge: c.officerInCharge, police_organisation_id: c.policeOrganisationId, status: c.status, created_at: c.createdAt,
    }))).execute();
  }
  for (const rows of batches(chunk.cases, 1000)) {
    await db.insertInto('victim_case').values(rows.map((c) => ({
      id: c.id, person_id: c.personId, crime_id: c.crimeId, area_id: areaId, role: c.role, source: c.source, source_reference: c.sourceReference,
      referring_organisation_id: c.referringOrganisationId, status: c.status, closed_reason: c.closedReason, coordinator_user_id: c.coordinatorUserId,
      support_consent: c.supportConsent, created_at: c.createdAt, updated_at: c.createdAt,
    }))).execute();
  }
  for (const rows of batches(chunk.events, 1000)) {
    await db.insertInto('timeline_event').values(rows.map((e) => ({
      case_id: e.caseId, kind: e.kind, summary: e.summary, detail: JSON.stringify(e.detail), source: e.source,
      idempotency_key: e.idempotencyKey, visibility: e.visibility, occurred_at: e.occurredAt, recorded_by_user_id: e.recordedByUserId,
    }))).execute();
  }
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
  const context = await createBenchArea(database, seed);
  const summary = { people: 0, crimes: 0, cases: 0, events: 0, nearDuplicates: 0, repeatVictims: 0, peopleWithTwoOrMoreCases: 0 };
  const useCopy = database.backend === 'postgres' && Boolean(options.url);
  const client = useCopy ? new pg.Client({ connectionString: options.url }) : undefined;
  await client?.connect();
  try {
    for (const chunk of generateSyntheticData(context, { ...options, seed })) {
      if (client) {
        const text = copyText(chunk, context.areaId);
        for (const table of ['person', 'crime', 'victim_case', 'timeline_event'] as const) {
          await copyInto(client, table, COPY_COLUMNS[table], text[table]);
        }
      } else {
        await insertChunk(database, chunk, context.areaId);
      }
      const casesPerPerson = new Map<string, number>();
      for (const each of chunk.cases) casesPerPerson.set(each.personId, (casesPerPerson.get(each.personId) ?? 0) + 1);
      summary.people += chunk.people.length;
      summary.crimes += chunk.crimes.length;
      summary.cases += chunk.cases.length;
      summary.events += chunk.events.length;
      summary.nearDuplicates += chunk.nearDuplicates;
      summary.repeatVictims += chunk.people.filter((person) => person.repeatVictim).length;
      summary.peopleWithTwoOrMoreCases += [...casesPerPerson.values()].filter((count) => count >= 2).length;
      options.onProgress?.(summary.people);
    }
  } finally {
    await client?.end();
  }
  return { ...summary, seconds: (performance.now() - started) / 1000, method: useCopy ? 'copy' : 'insert', context };
}
