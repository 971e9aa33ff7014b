// Table types for Kysely. Generated<T> marks columns the database fills in.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<Record<string, unknown>, string, string>;

export type OrganisationKind = 'hub' | 'police' | 'witness_care' | 'probation' | 'commissioner' | 'provider' | 'prosecutor';

export const STAFF_ROLES = [
  'coordinator',
  'supervisor',
  'police_officer',
  'witness_care_officer',
  'provider_caseworker',
  'victim_liaison_officer',
  'commissioner_analyst',
  'administrator',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type StaffStatus = 'invited' | 'active' | 'disabled';
export type SessionStage = 'second_factor' | 'enrolment' | 'signed_in';

export interface AreaTable {
  id: Generated<string>;
  code: string;
  name: string;
}

export interface OrganisationTable {
  id: Generated<string>;
  area_id: string;
  name: string;
  kind: OrganisationKind;
  created_at: CreatedAt;
}

export interface OrganisationServiceTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  category: string;
  description: string;
}

export interface StaffUserTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  display_name: string;
  role: StaffRole;
  status: ColumnType<StaffStatus, StaffStatus | undefined, StaffStatus>;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  invitation_hash: string | null;
  invitation_expires_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface RecoveryCodeTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Timestamp | null;
}

export interface StaffSessionTable {
  id_hash: string;
  user_id: string;
  stage: SessionStage;
  pending_totp_secret: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface SignInAttemptTable {
  id: Generated<number>;
  account_key: string;
  address: string;
  succeeded: boolean;
  at: Timestamp;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_label: string;
  organisation_id: string | null;
  action: string;
  record_type: string;
  record_id: string | null;
  request_id: string | null;
  detail: Json;
  previous_hash: string;
  hash: string;
}

export interface ApiClientTable {
  id: Generated<string>;
  organisation_id: string;
  client_id: string;
  secret_hash: string;
  name: string;
  scopes: string[];
  created_at: CreatedAt;
  disabled_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface Schema {
  area: AreaTable;
  organisation: OrganisationTable;
  organisation_service: OrganisationServiceTable;
  staff_user: StaffUserTable;
  recovery_code: RecoveryCodeTable;
  staff_session: StaffSessionTable;
  sign_in_attempt: SignInAttemptTable;
  audit_event: AuditEventTable;
  api_client: ApiClientTable;
}
