// The PostgreSQL server for a PostgreSQL-only test file: the one `npm test` started (HAVEN_TEST_POSTGRES_URL), or, when
// the file is run on its own, a throwaway server of its own that goes when the file ends.
import { startPostgresServer } from '../../scripts/postgres-server.ts';

export type PostgresForTests = { url: string; stop(): Promise<void> };

/** Makes sure HAVEN_TEST_POSTGRES_URL names a server, so createTestDatabase() and createTestApp() use it. */
export async function usePostgresServer(): Promise<PostgresForTests> {
  const existing = process.env.HAVEN_TEST_POSTGRES_URL;
  if (existing) return { url: existing, stop: () => Promise.resolve() };
  const server = await startPostgresServer();
  process.env.HAVEN_TEST_POSTGRES_URL = server.url;
  process.once('exit', () => server.stopSync());
  return {
    url: server.url,
    async stop() {
      delete process.env.HAVEN_TEST_POSTGRES_URL;
      await server.stop();
    },
  };
}
