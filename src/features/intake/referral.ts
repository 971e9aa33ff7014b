// The one shape every route in takes once its own format is parsed: police API, daily file, self-referral and agency
// referral all become an IncomingReferral, and receiveReferral (service.ts) turns it into one person and one case.
import type { CaseRole, CaseSource, SupportConsent } from '../../platform/db/schema.ts';
import type { PersonInput } from '../people/service.ts';
import type { CrimeInput } from '../cases/service.ts';

export type IncomingReferral = {
  source: CaseSource;
  /**
   * The sender's own id for this referral (the police system's reference, a file row's referral id, the self-referral's
   * Haven reference). It is the idempotency key: the same source, sender and reference never makes a second case.
   */
  sourceReference: string | null;
  /** The organisation that sent it: the force, the partner agency; null for a self-referral. */
  referringOrganisationId: string | null;
  /** The gateway area that will hold the person and the case. */
  areaId: string;
  person: Omit<PersonInput, 'areaId'>;
  /** Null when the crime was never reported to the police. */
  crime: Omit<CrimeInput, 'areaId'> | null;
  role: CaseRole;
  supportConsent: SupportConsent;
  /** When the sender received or made the referral, which starts the Code clocks; defaults to now. */
  receivedAt?: Date;
  /** What the referrer said, in plain words, for the staff-only timeline (never logged or audited). */
  notes?: string | null;
  /** What the person told us about the crime that matters before assessment: for example, that it is domestic abuse. */
  indicators?: { domesticAbuse?: boolean; hateCrime?: boolean; sexualOffence?: boolean };
};

/** How the person in a referral was matched against the people Haven already holds. */
export type PersonMatch = 'new_person' | 'linked_certain' | 'new_person_possible_match_queued';

export type ReferralReceipt = {
  caseId: string;
  personId: string;
  /** False when the referral was a replay of one already received: nothing new was made. */
  created: boolean;
  match: PersonMatch;
};
