// `npm run haven -- api-clients ...`: issue, list and disable the credentials machine clients use for the API.
import { parseArgs } from 'node:util';
import { systemActor } from '../platform/auth/identity.ts';
import type { Db } from '../platform/db/transaction.ts';
import { Conflict, Invalid, NotFound } from '../platform/http/domain-errors.ts';
import { createApiClient, disableClient, listClients } from '../features/api-clients/service.ts';

export const API_CLIENTS_USAGE = [
  'api-clients create --organisation "<name>" --name "<label>" --scopes referrals:write,referrals:read',
  'api-clients list',
  'api-clients disable <client id>',
];

export type Output = { out: (line: string) => void; err: (line: string) => void };

/** A command ready to run on the database, or a usage error found before opening it. */
export type PreparedCommand = { run: (db: Db, output: Output) => Promise<number> } | { usageError: string };

const actor = systemActor('cli');

export function prepareApiClientsCommand(args: string[]): PreparedCommand {
  const [action, ...rest] = args;
  if (action === 'create') {
    let values: { organisation?: string; name?: string; scopes?: string };
    try {
      ({ values } = parseArgs({
        args: rest,
        options: { organisation: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' } },
        strict: true,
      }));
    } catch (error) {
      return { usageError: (error as Error).message };
    }
    if (!values.organisation || !values.name || !values.scopes) return { usageError: 'create needs --organisation, --name and --scopes.' };
    const form = { organisation: values.organisation, name: values.name, scopes: values.scopes.split(',') };
    return {
      run: async (db, output) => {
        const issued = await createApiClient(db, actor, form);
        output.out(`Created API client "${issued.name}" for ${issued.organisationName}.`);
        output.out(`Client id: ${issued.clientId}`);
        output.out(`Secret:    ${issued.secret}`);
        output.out(`Scopes:    ${issued.scopes.join(', ')}`);
        output.out('The secret is shown only this once and Haven keeps only its hash: give it to the client now.');
        return 0;
      },
    };
  }
  if (action === 'list' && rest.length === 0) {
    return {
      run: async (db, output) => {
        const clients = await listClients(db, actor);
        if (!clients.length) {
          output.out('No API clients yet.');
          return 0;
        }
        for (const client of clients) {
          const state = client.disabledAt ? `disabled ${client.disabledAt.toISOString()}` : 'active';
          const used = client.lastUsedAt ? `last used ${client.lastUsedAt.toISOString()}` : 'never used';
          output.out(`${client.clientId}   ${client.organisationName}   ${client.name}   ${client.scopes.join(',')}   ${state}, ${used}`);
        }
        return 0;
      },
    };
  }
  if (action === 'disable' && rest.length === 1 && rest[0]) {
    const clientId = rest[0];
    return {
      run: async (db, output) => {
        await disableClient(db, actor, clientId);
        output.out(`Disabled API client ${clientId}: its credentials no longer work.`);
        return 0;
      },
    };
  }
  return { usageError: action ? `Unknown or incomplete api-clients command: ${args.join(' ')}` : 'api-clients needs a command.' };
}

/** Domain errors become plain messages and exit code 1; anything else is a fault and is thrown. */
export async function runReportingErrors(work: () => Promise<number>, output: Output): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Invalid) {
      for (const message of Object.values(error.fields)) output.err(message);
      return 1;
    }
    if (error instanceof NotFound || error instanceof Conflict) {
      output.err(error instanceof NotFound ? 'No API client has that client id.' : error.message);
      return 1;
    }
    throw error;
  }
}
