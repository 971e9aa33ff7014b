// `npm run haven -- <command>`: the operator's command line. Each subcommand is parsed before the database is opened,
// so a typo costs nothing; then it runs on the configured database (respecting the data-folder lock).
import type { Db } from '../platform/db/transaction.ts';
import { API_CLIENTS_USAGE, prepareApiClientsCommand, runReportingErrors, type Output, type PreparedCommand } from './api-clients.ts';
import { runWithDatabase } from './run-with-database.ts';
import { IMPORT_USAGE, prepareImportCommand } from './import-referrals.ts';

const COMMANDS: Record<string, (args: string[]) => PreparedCommand> = {
  'api-clients': prepareApiClientsCommand,
  import: (args) => prepareImportCommand(args),
};

export const USAGE = ['Usage: npm run haven -- <command>', '', 'Commands:', ...API_CLIENTS_USAGE.map((line) => `  ${line}`), ...IMPORT_USAGE.map((line) => `  ${line}`)].join('\n');

export function prepareHavenCommand(argv: string[]): PreparedCommand {
  const [name, ...args] = argv;
  const prepare = name ? COMMANDS[name] : undefined;
  if (!prepare) return { usageError: name ? `Unknown command: ${name}` : 'No command given.' };
  return prepare(args);
}

/** Runs a command on an open database, as the command line does: for tests and for other tools. */
export async function runHavenCommand(argv: string[], db: Db, output: Output): Promise<number> {
  const command = prepareHavenCommand(argv);
  if ('usageError' in command) {
    output.err(`${command.usageError}\n\n${USAGE}`);
    return 2;
  }
  return runReportingErrors(() => command.run(db, output), output);
}

if (import.meta.main) {
  const output: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };
  const command = prepareHavenCommand(process.argv.slice(2));
  if ('usageError' in command) {
    output.err(`${command.usageError}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    await runWithDatabase((database) => runReportingErrors(() => command.run(database.db, output), output));
  }
}
