// Who is acting: the identity every service receives, whichever door (page, API, CLI, job) the request came through.
import type { StaffRole } from '../db/schema.ts';
import type { ApiClientIdentity } from './api-credentials.ts';

export type StaffIdentity = {
  userId: string;
  email: string;
  displayName: string;
  role: StaffRole;
  organisationId: string;
  organisationName: string;
  areaId: string;
};

export type Actor =
  | { kind: 'staff'; staff: StaffIdentity; requestId?: string }
  | { kind: 'system'; label: string; requestId?: string }
  | { kind: 'api_client'; client: ApiClientIdentity; requestId?: string }
  | { kind: 'public'; requestId?: string };

export const systemActor = (label: string): Actor => ({ kind: 'system', label });

export const apiClientActor = (client: ApiClientIdentity, requestId?: string): Actor => ({ kind: 'api_client', client, requestId });
