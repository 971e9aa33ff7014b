// Who is acting: the identity every service receives, whichever door (page, API, CLI, job) the request came through.
import type { OrganisationKind, StaffRole } from '../db/schema.ts';
import type { ApiClientIdentity } from './api-credentials.ts';

export type StaffIdentity = {
  userId: string;
  email: string;
  displayName: string;
  role: StaffRole;
  organisationId: string;
  organisationName: string;
  areaId: string;
  /**
   * The kind of the staff member's organisation, when it was read from the same organisation row as areaId (the
   * session lookup reads both), so a service can check it without another query. Identities made elsewhere (the
   * CLI, jobs, tests) leave it out, and a service that needs it reads the organisation itself.
   */
  organisationKind?: OrganisationKind;
};

/**
 * Someone signed in to the victim's portal: a victim (personId is their own record) or a parent, carer or supporter
 * acting for one (personId null unless they are also a victim). Which cases they reach is decided in the service
 * layer (features/portal-access), never from this alone.
 */
export type VictimIdentity = {
  accountId: string;
  personId: string | null;
  displayName: string;
  areaId: string;
};

export type Actor =
  | { kind: 'staff'; staff: StaffIdentity; requestId?: string }
  | { kind: 'victim'; victim: VictimIdentity; requestId?: string }
  | { kind: 'system'; label: string; requestId?: string }
  | { kind: 'api_client'; client: ApiClientIdentity; requestId?: string }
  | { kind: 'public'; requestId?: string };

export const systemActor = (label: string): Actor => ({ kind: 'system', label });

export const apiClientActor = (client: ApiClientIdentity, requestId?: string): Actor => ({ kind: 'api_client', client, requestId });
