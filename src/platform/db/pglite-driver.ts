// Our Kysely driver for PGlite. PGlite is one PostgreSQL session, so the driver hands that session to one user at a time:
// a transaction holds it from BEGIN to COMMIT and every other query, Kysely's or the job queue's, waits its turn.
// (kysely-pglite sends BEGIN on the shared session with no lock, so concurrent requests run inside each other's work.)
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite, Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

// Marks the async path of a transaction, so that a query sent on `db` instead of `trx` inside it fails at once
// rather than waiting for ever on the session its own transaction holds.
const transactionPath = new AsyncLocalStorage<{ holding: boolean }>();

/** Runs fn on a fresh transaction path; the transaction helper wraps every transaction in it. */
export function onTransactionPath<T>(fn: () => Promise<T>): Promise<T> {
  return transactionPath.run({ holding: false }, fn);
}

/** A FIFO lock: whoever holds it owns the PGlite session. */
class SessionLock {
  #tail: Promise<void> = Promise.resolve();

  /** Waits for the session, and returns the function that hands it on. */
  async acquire(): Promise<() => void> {
    if (transactionPath.getStore()?.holding) {
      throw new Error('A query ran outside its transaction while that transaction held the embedded database.');
    }
    let release!: () => void;
    const previous = this.#tail;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }
}

function markHolding(holding: boolean): void {
  const path = transactionPath.getStore();
  if (path) path.holding = holding;
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Text with no parameters may hold several statements (a migration, say), which only exec() accepts, as with pg.
    const result: Results<R> | undefined = compiled.parameters.length
      ? await this.#pglite.query<R>(compiled.sql, [...compiled.parameters])
      : ((await this.#pglite.exec(compiled.sql)).at(-1) as Results<R> | undefined);
    if (!result) return { rows: [] };
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    };
  }

  // eslint-disable-next-line require-yield, @typescript-eslint/require-await
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database.');
  }
}

export class PGliteDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #lock = new SessionLock();
  readonly #connection: PGliteConnection;
  readonly #releases = new WeakMap<DatabaseConnection, () => void>();

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
    this.#connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#lock.acquire();
    this.#releases.set(this.#connection, release);
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    markHolding(true);
    const mode = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${mode}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    markHolding(false);
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    markHolding(false);
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${name}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${name}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${name}`));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.#releases.get(connection);
    this.#releases.delete(connection);
    release?.();
    return Promise.resolve();
  }

  /**
   * Runs raw SQL under the same lock, for the job queue. Parameterless text may hold several statements (pg-boss sends
   * its schema that way), so it goes through exec(); a failed statement inside an explicit block is rolled back so the
   * one session is never left aborted.
   */
  async runExclusive(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    const release = await this.#lock.acquire();
    try {
      if (values?.length) return await this.#pglite.query(text, values);
      const results = await this.#pglite.exec(text);
      return { rows: results.flatMap((result) => result.rows) };
    } catch (error) {
      await this.#pglite.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      release();
    }
  }

  async destroy(): Promise<void> {
    const release = await this.#lock.acquire();
    try {
      if (!this.#pglite.closed) {
        // A checkpoint first, so the data folder is whole on disk before the process goes.
        await this.#pglite.exec('checkpoint');
        await this.#pglite.close();
      }
    } finally {
      release();
    }
  }
}

export class PGliteDialect implements Dialect {
  readonly #driver: PGliteDriver;
  constructor(driver: PGliteDriver) {
    this.#driver = driver;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return this.#driver;
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
