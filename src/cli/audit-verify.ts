// `npm run audit:verify`: walks the hash-chained audit trail and exits 0 when every row is intact, or names the first
// broken row and exits 1, so it can run on a schedule and alert.
import { verifyAuditChain } from '../platform/audit/verifier.ts';
import type { Db } from '../platform/db/transaction.ts';
import { runWithDatabase } from './run-with-database.ts';

export async function verifyAndReport(db: Db): Promise<{ exitCode: number; message: string }> {
  const report = await verifyAuditChain(db);
  if (report.ok) return { exitCode: 0, message: `Audit trail verified: ${report.checked} rows` };
  return {
    exitCode: 1,
    message:
      `Audit trail broken at row ${report.brokenId}: ${report.reason}.\n` +
      `${report.checked} rows before it were verified. Rows from ${report.brokenId} on cannot be trusted until this is explained.`,
  };
}

if (import.meta.main) {
  await runWithDatabase(async (database) => {
    const { exitCode, message } = await verifyAndReport(database.db);
    (exitCode === 0 ? console.log : console.error)(message);
    return exitCode;
  });
}
