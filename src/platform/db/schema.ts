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
  specialism: Generated<string>;
  offence_groups: Generated<string[]>;
  age_bands: Generated<string[]>;
  genders: Generated<string[]>;
  enhanced_only: Generated<boolean>;
  referral_routes: Generated<string[]>;
  languages: Generated<string[]>;
  accessibility: Generated<string[]>;
  capacity: Generated<number>;
  wait_days: Generated<number>;
  response_working_days: Generated<number>;
  active: Generated<boolean>;
  welsh_name: string | null;
  welsh_description: string | null;
  updated_at: Generated<Date>;
  updated_by_user_id: string | null;
  revision: Generated<number>;
  submission_key: string | null;
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
  /** The three seal columns are null until the sealer links the row into the chain (platform/audit/sealer.ts). */
  previous_hash: string | null;
  hash: string | null;
  chain_position: number | null;
}

export const CASE_ROLES = ['victim', 'witness', 'bereaved_relative', 'parent_of_child_victim'] as const;
export type CaseRole = (typeof CASE_ROLES)[number];
export const CASE_SOURCES = ['police_feed', 'police_api', 'file_import', 'self_referral', 'agency_referral'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
export const CASE_STATUSES = ['new', 'contacted', 'active', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const SUPPORT_CONSENTS = ['opted_out', 'opted_in', 'not_asked', 'implied'] as const;
export type SupportConsent = (typeof SUPPORT_CONSENTS)[number];
export type TimelineVisibility = 'victim' | 'staff';

export const PERSON_SEXES = ['female', 'male', 'other', 'not_stated'] as const;
export type PersonSex = (typeof PERSON_SEXES)[number];
/** The ONS 2021 census's five high-level ethnic groups, and "prefer not to say". */
export const ETHNIC_GROUPS = ['asian', 'black', 'mixed', 'white', 'other', 'not_stated'] as const;
export type EthnicGroup = (typeof ETHNIC_GROUPS)[number];
export const DISABLED_ANSWERS = ['yes', 'no', 'not_stated'] as const;
export type Disabled = (typeof DISABLED_ANSWERS)[number];

export interface PersonTable {
  id: Generated<string>;
  area_id: string;
  given_name: string;
  family_name: string | null;
  other_names: ColumnType<string[], string[] | undefined, string[]>;
  match_name: string;
  date_of_birth: string | null;
  email: string | null;
  phone: string | null;
  address_line_1: string | null;
  address_line_2: string | null;
  town: string | null;
  postcode: string | null;
  preferred_language: ColumnType<string, string | undefined, string>;
  communication_needs: string | null;
  safe_contact: ColumnType<Record<string, unknown>, string | undefined, string>;
  repeat_victim: ColumnType<boolean, boolean | undefined, boolean>;
  /** How often the victim wants updates (portal preferences); null until they say. */
  update_frequency: ColumnType<string | null, string | null | undefined, string | null>;
  /** Equality monitoring (0026), optional: null until asked. */
  sex: ColumnType<PersonSex | null, PersonSex | null | undefined, PersonSex | null>;
  ethnic_group: ColumnType<EthnicGroup | null, EthnicGroup | null | undefined, EthnicGroup | null>;
  disabled: ColumnType<Disabled | null, Disabled | null | undefined, Disabled | null>;
  merged_into_person_id: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CrimeTable {
  id: Generated<string>;
  area_id: string;
  crime_reference: string;
  offence_code: string;
  offence_category: string;
  offence_group: string | null;
  committed_from: string | null;
  committed_to: string | null;
  reported_at: Timestamp | null;
  officer_in_charge: string | null;
  police_organisation_id: string | null;
  status: ColumnType<string, string | undefined, string>;
  /** The officer in charge's staff account, when an update named one Haven knows (the police view's "my victims"). */
  officer_user_id: string | null;
  /** The furthest investigation or court stage reached (features/case-updates/rules.ts); null before any update. */
  stage: string | null;
  created_at: CreatedAt;
}

export interface VictimCaseTable {
  id: Generated<string>;
  person_id: string;
  crime_id: string | null;
  area_id: string;
  role: CaseRole;
  source: CaseSource;
  source_reference: string | null;
  referring_organisation_id: string | null;
  status: ColumnType<CaseStatus, CaseStatus | undefined, CaseStatus>;
  closed_reason: string | null;
  coordinator_user_id: string | null;
  support_consent: ColumnType<SupportConsent, SupportConsent | undefined, SupportConsent>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface TimelineEventTable {
  id: Generated<number>;
  case_id: string;
  kind: string;
  summary: string;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
  source: string;
  idempotency_key: string;
  visibility: TimelineVisibility;
  occurred_at: Timestamp;
  recorded_at: CreatedAt;
  recorded_by_user_id: string | null;
}

export const MATCH_REVIEW_STATUSES = ['pending', 'merged', 'kept_apart'] as const;
export type MatchReviewStatus = (typeof MATCH_REVIEW_STATUSES)[number];

export interface PersonMatchReviewTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  candidate_person_id: string;
  score: ColumnType<string, number | string, number | string>;
  reasons: ColumnType<unknown[], string | undefined, string>;
  status: ColumnType<MatchReviewStatus, MatchReviewStatus | undefined, MatchReviewStatus>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface PersonMergeTable {
  id: Generated<string>;
  review_id: string | null;
  kept_person_id: string;
  merged_person_id: string;
  moved_case_ids: ColumnType<string[], string[] | undefined, string[]>;
  merged_by: string | null;
  merged_at: ColumnType<Date, Date | string | undefined, Date | string>;
  undone_by: string | null;
  undone_at: Timestamp | null;
}

export interface SelfReferralDraftTable {
  id_hash: string;
  answers: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface SelfReferralSubmissionTable {
  id: Generated<number>;
  address_hash: string;
  at: ColumnType<Date, Date | string | undefined, never>;
}

export const CONTACT_CHANNELS = ['phone', 'letter', 'email', 'sms', 'visit'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_DIRECTIONS = ['outbound', 'inbound'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];
export const CONTACT_OUTCOMES = ['successful', 'no_answer', 'voicemail_left', 'wrong_number', 'refused', 'returned', 'other'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

export interface ContactLogTable {
  id: Generated<string>;
  case_id: string;
  channel: ContactChannel;
  direction: ContactDirection;
  outcome: ContactOutcome;
  contacted_at: Timestamp;
  notes: string | null;
  overrode_safe_contact: ColumnType<boolean, boolean | undefined, boolean>;
  recorded_by_user_id: string;
  recorded_at: CreatedAt;
}

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_ROW_STATUSES = ['pending', 'imported', 'replayed', 'quarantined'] as const;
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number];

export interface ImportFileTable {
  id: Generated<string>;
  area_id: string;
  organisation_id: string;
  sha256: string;
  size_bytes: number;
  row_count: number;
  status: ColumnType<ImportStatus, ImportStatus | undefined, ImportStatus>;
  imported_count: ColumnType<number, number | undefined, number>;
  replayed_count: ColumnType<number, number | undefined, number>;
  quarantined_count: ColumnType<number, number | undefined, number>;
  created_by_user_id: string | null;
  created_by_label: string;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ImportRowTable {
  import_file_id: string;
  row_number: number;
  raw: ColumnType<Record<string, string>, string, string>;
  police_reference: string | null;
  status: ColumnType<ImportRowStatus, ImportRowStatus | undefined, ImportRowStatus>;
  reasons: ColumnType<Record<string, string>, string | undefined, string>;
  case_id: string | null;
  processed_at: Timestamp | null;
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

/** One-off bank holidays an administrator added on top of the shipped calendar (platform/time/calendar.ts). */
export interface BankHolidayAddedTable {
  /** 'YYYY-MM-DD': the driver returns date columns as text (platform/db/database.ts). */
  date: string;
  name: string;
  added_by_user_id: string | null;
  added_at: CreatedAt;
}

/** One version of a case's needs assessment (features/assessment); a re-assessment adds a version. */
export interface NeedsAssessmentTable {
  id: Generated<string>;
  case_id: string;
  version: number;
  catalogue_version: string;
  method: 'phone' | 'in_person';
  /** 'YYYY-MM-DD' (date columns come back as text). */
  assessed_on: string;
  assessed_by_user_id: string;
  answers: Json;
  dash_answers: ColumnType<Record<string, string> | null, string | null, string | null>;
  dash_score: number | null;
  dash_threshold: number | null;
  dash_score_level: 'high' | 'standard' | null;
  dash_override_reason: string | null;
  dash_level: 'high' | 'standard' | null;
  submission_key: string;
  recorded_at: CreatedAt;
}

export const CASE_TASK_KINDS = [
  'marac_referral',
  'manual_offence_classification',
  'support_referral_returned',
  'case_update_review',
  'notification_undeliverable',
  'victim_not_contactable',
  'stale_case_update',
  'message_reply_overdue',
] as const;
export type CaseTaskKind = (typeof CASE_TASK_KINDS)[number];
export type CaseTaskStatus = 'open' | 'completed';

/** Work a rule raised on a case for an organisation to do (features/tasks). */
export interface CaseTaskTable {
  id: Generated<string>;
  case_id: string;
  kind: CaseTaskKind;
  title: string;
  owning_organisation_id: string;
  due_at: Timestamp | null;
  idempotency_key: string;
  status: ColumnType<CaseTaskStatus, CaseTaskStatus | undefined, CaseTaskStatus>;
  raised_by_user_id: string | null;
  raised_at: CreatedAt;
  completed_at: Timestamp | null;
  completed_by_user_id: string | null;
}

export const ENTITLEMENT_CATEGORIES = ['most_serious', 'persistently_targeted', 'vulnerable', 'intimidated'] as const;
export type EntitlementCategory = (typeof ENTITLEMENT_CATEGORIES)[number];
export type EntitlementSource = 'rule' | 'coordinator';

/** Append-only: only the three withdrawal columns are ever set after insert, once (a trigger enforces it). */
export interface EntitlementDecisionTable {
  id: Generated<string>;
  case_id: string;
  category: EntitlementCategory;
  source: EntitlementSource;
  rule: string;
  reason: string;
  evidence: Json;
  decided_by_user_id: string | null;
  decided_by: string;
  decided_at: CreatedAt;
  victim_view: string | null;
  withdrawn_at: Timestamp | null;
  withdrawn_by_user_id: string | null;
  withdrawn_reason: string | null;
}

export interface EntitlementCheckTable {
  id: Generated<number>;
  case_id: string;
  rules: ColumnType<string[], string, never>;
  checked_by_user_id: string | null;
  checked_by: string;
  checked_at: CreatedAt;
}

export interface EntitlementVictimViewTable {
  id: Generated<string>;
  decision_id: string;
  victim_view: string;
  recorded_by_user_id: string;
  recorded_at: CreatedAt;
}

export const CARE_PLAN_STATUSES = ['agreed', 'done', 'cancelled'] as const;
export type CarePlanStatus = (typeof CARE_PLAN_STATUSES)[number];
export type CarePlanOwnerKind = 'organisation' | 'victim';

/** An action agreed in a case's care plan (features/care-plan). Never deleted: done or cancelled, with who and when. */
export interface CarePlanActionTable {
  id: Generated<string>;
  case_id: string;
  description: string;
  owner_kind: CarePlanOwnerKind;
  owner_organisation_id: string | null;
  owner_user_id: string | null;
  /** 'YYYY-MM-DD' (date columns come back as text). */
  due_date: string;
  status: ColumnType<CarePlanStatus, CarePlanStatus | undefined, CarePlanStatus>;
  done_at: Timestamp | null;
  done_by_user_id: string | null;
  cancelled_at: Timestamp | null;
  cancelled_by_user_id: string | null;
  cancel_reason: string | null;
  submission_key: string;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ObligationTable {
  id: Generated<string>;
  case_id: string;
  area_id: string;
  duty: string;
  owner_kind: string;
  owner_organisation_id: string | null;
  trigger_event_id: number;
  trigger_kind: string;
  triggered_at: Timestamp;
  working_days: number;
  enhanced: boolean;
  due_at: Timestamp;
  state: ColumnType<'open' | 'met' | 'overdue' | 'breached', 'open' | 'met' | 'overdue' | 'breached' | undefined, 'open' | 'met' | 'overdue' | 'breached'>;
  overdue_at: Timestamp | null;
  met_at: Timestamp | null;
  met_by_event_id: number | null;
  met_by_kind: string | null;
  breached_at: Timestamp | null;
  breach_reason: string | null;
  breached_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CodeClockInboxTable {
  event_id: number;
}

export interface ObligationAlertTable {
  id: Generated<number>;
  obligation_id: string;
  case_id: string;
  organisation_id: string | null;
  coordinator_user_id: string | null;
  raised_at: CreatedAt;
  seen_at: Timestamp | null;
}

export interface CodeClockSettingTable {
  area_id: string;
  settings: ColumnType<Record<string, unknown>, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export const HEARING_TYPES = ['first_hearing', 'plea_and_trial_preparation', 'trial', 'sentencing', 'appeal', 'other'] as const;
export type HearingType = (typeof HEARING_TYPES)[number];

/** One entry of the consent ledger (features/consent): never edited, only withdrawn or left to expire. */
export interface ConsentTable {
  id: Generated<string>;
  person_id: string;
  area_id: string;
  case_id: string;
  recipient_organisation_id: string;
  purpose: 'support_referral' | 'progress_updates';
  legal_basis: 'consent' | 'explicit_consent' | 'public_task' | 'legal_obligation';
  given_how: 'verbal' | 'written' | 'online';
  given_at: ColumnType<Date, Date | undefined, never>;
  expires_at: ColumnType<Date | null, Date | null | undefined, never>;
  note: ColumnType<string | null, string | null | undefined, never>;
  recorded_by_user_id: ColumnType<string | null, string | null | undefined, never>;
  withdrawn_at: Timestamp | null;
  withdrawn_how: 'verbal' | 'written' | 'online' | null;
  withdrawal_reason: string | null;
  withdrawn_by_user_id: string | null;
  submission_key: ColumnType<string, string, never>;
}

/** A court hearing on a case (features/pre-court), recorded with the 'hearing_listed' timeline event it names. */
export interface HearingTable {
  id: string;
  case_id: string;
  area_id: string;
  hearing_at: Timestamp;
  court_name: string;
  hearing_type: HearingType;
  timeline_event_id: number;
  submission_key: string;
  recorded_by_user_id: string | null;
  created_at: CreatedAt;
}

export const SUPPORT_REFERRAL_STATUSES = ['draft', 'cancelled', 'sent', 'accepted', 'in_progress', 'declined', 'no_capacity', 'returned', 'closed'] as const;
export type SupportReferralStatus = (typeof SUPPORT_REFERRAL_STATUSES)[number];
export const SUPPORT_REFERRAL_OUTCOMES = ['engaged_completed', 'declined_by_victim', 'unable_to_contact', 'moved_on', 'consent_withdrawn'] as const;
export type SupportReferralOutcome = (typeof SUPPORT_REFERRAL_OUTCOMES)[number];
export type SummaryApproval = 'phone' | 'in_person' | 'portal';

/** A referral of a case to a provider's service (features/support-referrals): its current state; each step is also a timeline event. */
export interface SupportReferralTable {
  id: Generated<string>;
  case_id: string;
  person_id: string;
  area_id: string;
  service_id: string;
  organisation_id: string;
  status: ColumnType<SupportReferralStatus, SupportReferralStatus | undefined, SupportReferralStatus>;
  summary: string;
  summary_approved_how: SummaryApproval | null;
  summary_approved_at: Timestamp | null;
  summary_approved_by_user_id: string | null;
  override_reason: string | null;
  override_by_user_id: string | null;
  excluded_because: ColumnType<string[], string[] | undefined, string[]>;
  created_by_user_id: string;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  sent_by_user_id: string | null;
  sent_event_id: ColumnType<number | null, number | null | undefined, number | null>;
  allocated_to_user_id: string | null;
  allocated_at: Timestamp | null;
  answered_at: Timestamp | null;
  answered_by_user_id: string | null;
  decline_reason: string | null;
  started_at: Timestamp | null;
  returned_reason: string | null;
  onward_service_id: string | null;
  closed_at: Timestamp | null;
  closed_by_user_id: string | null;
  outcome: SupportReferralOutcome | null;
  close_note: string | null;
  coping_before: number | null;
  coping_after: number | null;
  safety_before: number | null;
  safety_after: number | null;
  submission_key: ColumnType<string, string, never>;
}

export type SupportReferralNoteKind = 'progress' | 'to_coordinator' | 'to_provider';

/** The provider's progress log and the messages between provider and coordinator on one referral; never edited. */
export interface SupportReferralNoteTable {
  id: Generated<string>;
  referral_id: string;
  kind: SupportReferralNoteKind;
  body: string;
  author_user_id: string;
  created_at: CreatedAt;
  submission_key: string;
}

/** An area's pre-court review horizon in calendar days, where it differs from the default (features/pre-court). */
export interface PreCourtSettingTable {
  area_id: string;
  horizon_days: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export const CASE_UPDATE_STATES = ['applied', 'flagged', 'quarantined', 'dismissed'] as const;
export type CaseUpdateState = (typeof CASE_UPDATE_STATES)[number];

/** An update from an agency, as it arrived (features/case-updates). */
export interface CaseUpdateTable {
  id: string;
  source_organisation_id: string;
  source_event_id: string;
  area_id: string;
  type: string;
  crime_reference: string | null;
  crime_id: string | null;
  case_id: string | null;
  occurred_at: Timestamp;
  received_at: CreatedAt;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  personal_note: string | null;
  state: CaseUpdateState;
  reason: string | null;
  reviewed_by_user_id: string | null;
  reviewed_at: Timestamp | null;
  review_note: string | null;
  recorded_by_user_id: string | null;
}

export const SPECIAL_MEASURES_RECORD_KINDS = ['wishes', 'application', 'outcome', 'alternative_arrangements', 'familiarisation_visit', 'expenses_information'] as const;
export type SpecialMeasuresRecordKind = (typeof SPECIAL_MEASURES_RECORD_KINDS)[number];

/** One entry of a case's special measures ledger (features/special-measures): append-only, never changed. */
export interface SpecialMeasuresRecordTable {
  id: Generated<number>;
  case_id: string;
  kind: SpecialMeasuresRecordKind;
  detail: ColumnType<Record<string, unknown>, string, never>;
  occurred_at: ColumnType<Date, Date, never>;
  source: 'staff' | 'case_update';
  idempotency_key: string;
  recorded_by_user_id: ColumnType<string | null, string | null, never>;
  recorded_at: CreatedAt;
}

export interface NotificationInboxTable {
  event_id: number;
}

export const NOTIFICATION_STATES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'withheld'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

export interface NotificationTable {
  id: Generated<string>;
  dedupe_key: string;
  case_id: string;
  person_id: string;
  area_id: string;
  event_id: number;
  purpose: 'update' | 'message';
  language: 'en' | 'cy';
  channels: ColumnType<string[], string[], string[]>;
  channel_index: ColumnType<number, number | undefined, number>;
  state: ColumnType<NotificationState, NotificationState | undefined, NotificationState>;
  withheld_reason: string | null;
  notify_id: string | null;
  reference: string | null;
  attempts: ColumnType<unknown[], string | undefined, string>;
  due_at: Timestamp;
  sent_at: Timestamp | null;
  delivered_at: Timestamp | null;
  failed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface NotificationOutboxTable {
  id: Generated<string>;
  reference: string;
  channel: 'email' | 'sms';
  recipient: string;
  template_id: string;
  personalisation: ColumnType<Record<string, string>, string, string>;
  created_at: CreatedAt;
}

export interface NotifyRateLimitTable {
  key_id: string;
  next_at: Timestamp;
}

export const CASE_MESSAGE_DIRECTIONS = ['from_victim', 'to_victim'] as const;
export type CaseMessageDirection = (typeof CASE_MESSAGE_DIRECTIONS)[number];

/** A message on a case between the victim and named staff (features/case-messages); only read_at is ever set, once. */
export interface CaseMessageTable {
  id: string;
  case_id: string;
  direction: CaseMessageDirection;
  author_user_id: string | null;
  body: string;
  idempotency_key: string;
  created_at: CreatedAt;
  read_at: Timestamp | null;
  /** The thread: the hub's coordinator, the police (officer in charge) or a support provider (organisation_id). */
  party: ColumnType<MessageParty, MessageParty | undefined, never>;
  organisation_id: ColumnType<string | null, string | null | undefined, never>;
}

export const MESSAGE_PARTIES = ['hub', 'police', 'provider'] as const;
export type MessageParty = (typeof MESSAGE_PARTIES)[number];

/** A portal account: a victim's own (person_id), or a parent, carer or supporter's, who signs in with email or phone. */
export interface PortalAccountTable {
  id: Generated<string>;
  person_id: string | null;
  area_id: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  crime_reference_check: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  created_by_user_id: string | null;
  disabled_at: Timestamp | null;
}

export interface PortalSignInCodeTable {
  id: string;
  token_hash: string;
  address_key: string;
  client_key: string;
  account_id: string | null;
  person_id: string | null;
  channel: 'email' | 'sms' | null;
  code_hash: string | null;
  failed_attempts: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface PortalInvitationTable {
  token_hash: string;
  person_id: string;
  case_id: string;
  created_by_user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export type PortalSessionStage = 'crime_reference' | 'signed_in';
export interface PortalSessionTable {
  id_hash: string;
  account_id: string;
  stage: PortalSessionStage;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export const PORTAL_RELATIONS = ['parent_or_carer', 'supporter'] as const;
export type PortalRelation = (typeof PORTAL_RELATIONS)[number];
export interface PortalLinkTable {
  id: Generated<string>;
  account_id: string;
  person_id: string;
  relation: PortalRelation;
  granted_by_user_id: string;
  granted_at: CreatedAt;
  revoked_at: Timestamp | null;
  revoked_by_user_id: string | null;
  revoke_reason: string | null;
}

export const UPDATE_FREQUENCIES = ['as_they_happen', 'weekly', 'fortnightly', 'monthly'] as const;
export type UpdateFrequency = (typeof UPDATE_FREQUENCIES)[number];

export const FEEDBACK_MOMENTS = ['first_contact', 'referral_closed', 'court_outcome'] as const;
export type FeedbackMoment = (typeof FEEDBACK_MOMENTS)[number];
export interface VictimFeedbackTable {
  id: Generated<string>;
  case_id: string;
  area_id: string;
  moment: FeedbackMoment;
  rating: number;
  comment: string | null;
  given_by_account_id: string;
  given_at: CreatedAt;
}

export interface ComplaintTable {
  id: Generated<string>;
  case_id: string;
  area_id: string;
  organisation_id: string;
  body: string;
  made_by_account_id: string;
  submission_key: string;
  received_at: CreatedAt;
  answered_at: Timestamp | null;
  answered_by_user_id: string | null;
  answer_summary: string | null;
}

export interface FundingAwardTable {
  id: Generated<string>;
  area_id: string;
  organisation_id: string;
  kind: 'grant' | 'contract';
  reference: string;
  period_start: string;
  period_end: string;
  amount_pence: number;
  note: string | null;
  recorded_by_user_id: string;
  recorded_at: CreatedAt;
  submission_key: string;
}

// The insights aggregates (0026): counts per area and London day ('YYYY-MM-DD'), never a person. Numeric sums read
// back as text, as the driver gives them.
export interface InsightCaseDayTable {
  area_id: string; day: string; source: string; offence_group: string; role: string; enhanced: boolean; repeat_victim: boolean; cases: number;
}
export const EQUALITY_DIMENSIONS = ['age_band', 'sex', 'ethnic_group', 'disability'] as const;
export type EqualityDimension = (typeof EQUALITY_DIMENSIONS)[number];
export interface InsightEqualityDayTable {
  area_id: string; day: string; dimension: EqualityDimension; category: string; cases: number;
}
export interface InsightDutyDayTable {
  area_id: string; day: string; duty: string; owner_kind: string; owner_key: string;
  due: number; met_on_time: number; met_late: number; overdue: number; breached: number; open: number;
}
export interface InsightReferralDayTable {
  area_id: string; day: string; organisation_id: string; service_id: string;
  sent: number; awaiting: number; accepted: number; declined: number; no_capacity: number; returned: number;
  closed: number; completed: number; started: number; wait_days_total: ColumnType<string, string | number, string | number>;
}
export interface InsightFeedbackDayTable {
  area_id: string; day: string; moment: string; rating: number; responses: number;
}
export interface InsightFeedbackThemeDayTable {
  area_id: string; day: string; theme: string; mentions: number;
}
export interface InsightComplaintDayTable {
  area_id: string; day: string; organisation_id: string; received: number; answered: number; answered_in_time: number; answer_days_total: number;
}
export const INSIGHT_TOPICS = ['case', 'duty', 'referral', 'feedback', 'complaint'] as const;
export type InsightTopic = (typeof INSIGHT_TOPICS)[number];
export interface InsightDirtyTable {
  topic: InsightTopic; area_id: string; day: string; marked_at: CreatedAt;
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
  person: PersonTable;
  crime: CrimeTable;
  victim_case: VictimCaseTable;
  timeline_event: TimelineEventTable;
  contact_log: ContactLogTable;
  self_referral_draft: SelfReferralDraftTable;
  self_referral_submission: SelfReferralSubmissionTable;
  person_match_review: PersonMatchReviewTable;
  person_merge: PersonMergeTable;
  import_file: ImportFileTable;
  import_row: ImportRowTable;
  bank_holiday_added: BankHolidayAddedTable;
  care_plan_action: CarePlanActionTable;
  needs_assessment: NeedsAssessmentTable;
  case_task: CaseTaskTable;
  entitlement_decision: EntitlementDecisionTable;
  entitlement_check: EntitlementCheckTable;
  entitlement_victim_view: EntitlementVictimViewTable;
  obligation: ObligationTable;
  code_clock_inbox: CodeClockInboxTable;
  obligation_alert: ObligationAlertTable;
  code_clock_setting: CodeClockSettingTable;
  hearing: HearingTable;
  pre_court_setting: PreCourtSettingTable;
  consent: ConsentTable;
  support_referral: SupportReferralTable;
  support_referral_note: SupportReferralNoteTable;
  case_update: CaseUpdateTable;
  special_measures_record: SpecialMeasuresRecordTable;
  notification_inbox: NotificationInboxTable;
  notification: NotificationTable;
  notification_outbox: NotificationOutboxTable;
  notify_rate_limit: NotifyRateLimitTable;
  case_message: CaseMessageTable;
  portal_account: PortalAccountTable;
  portal_sign_in_code: PortalSignInCodeTable;
  portal_invitation: PortalInvitationTable;
  portal_session: PortalSessionTable;
  portal_link: PortalLinkTable;
  victim_feedback: VictimFeedbackTable;
  complaint: ComplaintTable;
  funding_award: FundingAwardTable;
  insight_case_day: InsightCaseDayTable;
  insight_equality_day: InsightEqualityDayTable;
  insight_duty_day: InsightDutyDayTable;
  insight_referral_day: InsightReferralDayTable;
  insight_feedback_day: InsightFeedbackDayTable;
  insight_feedback_theme_day: InsightFeedbackThemeDayTable;
  insight_complaint_day: InsightComplaintDayTable;
  insight_dirty: InsightDirtyTable;
}
