// Opens Haven's database: PostgreSQL through a pg Pool when DATABASE_URL is set, otherwise PGlite through our driver.
// Both backends parse values the same way, so the same SQL and the same code run on either.
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Schema } from './schema.ts';
import { PGliteDialect, PGliteDriver } from './pglite-driver.ts';

/** What the job queue needs: raw SQL, serialised with everything else on the embedded backend. */
export type SqlExecutor = { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

export type Database = {
  db: Kysely<Schema>;
  backend: 'postgres' | 'pglite';
  jobs: SqlExecutor;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

export type DatabaseLocation = { url: string } | { dataDir: string } | { memory: true };

// int8 (counts, bigserial ids) as numbers and date as 'YYYY-MM-DD' text, on both backends: a calendar date must never
// shift with the server's time zone, and our ids stay far below 2^53.
const INT8 = 20;
const DATE = 1082;
const parseInt8 = (value: string) => Number(value);
const keepDate = (value: string) => value;

export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if ('url' in location) return openPostgres(location.url);
  return openPGlite('dataDir' in location ? location.dataDir : undefined);
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
        if (oid === INT8) return parseInt8;
        if (oid === DATE) return keepDate;
        return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server emits 'error'; without a listener that would end the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(db);
  return {
    db,
    backend: 'postgres',
    jobs: {
      async executeSql(text, values) {
        const result = await pool.query(text, values);
        // A multi-statement text returns one result per statement.
        const results = (Array.isArray(result) ? result : [result]) as pg.QueryResult[];
        return { rows: results.flatMap((each): unknown[] => each.rows) };
      },
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function openPGlite(dataDir: string | undefined): Promise<Database> {
  const pglite = await PGlite.create(dataDir, {
    parsers: { [INT8]: parseInt8, [DATE]: keepDate },
    // Matching people uses trigram similarity and phonetic codes; the migration creates the extensions.
    extensions: { pg_trgm, fuzzystrmatch },
  });
  const driver = new PGliteDriver(pglite);
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(driver) });
  return {
    db,
    backend: 'pglite',
    jobs: { executeSql: (text, values) => driver.runExclusive(text, values) },
    ping: async () => {
      if (pglite.closed) throw new Error('The embedded database is closed.');
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
