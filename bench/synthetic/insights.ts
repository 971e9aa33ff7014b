// What the commissioner's insights read, made for each synthetic case when the generator is asked for it (issue 8):
// equality monitoring on the person, a fuller timeline (about ten events a case in all), the Victims' Code duties with
// their outcomes, support referrals to the area's providers in every status, victims' ratings and comments, and
// complaints. It draws from a random stream of its own, so the people, crimes and cases are the same with or without it.
import type { Random } from './random.ts';
import { draw, weighted } from './random.ts';

/** The organisations the insights rows point at; createBenchArea makes them (or the demo's own). */
export type InsightsContext = {
  hubOrganisationId: string;
  witnessCareOrganisationId: string;
  services: { id: string; organisationId: string }[];
  /** Who answers complaints and records funding: any active staff member in the area. */
  answeringUserId: string;
};

export type PersonEquality = { sex: string | null; ethnicGroup: string | null; disabled: string | null };

// ONS Census 2021, England and Wales: sex 51% female; ethnic group white 81.7%, Asian 9.3%, Black 4.0%, mixed 2.9%,
// other 2.1%; disabled under the Equality Act 17.7%. About one victim in eight is never asked (null: not recorded), and
// a few prefer not to say.
const SEX = weighted([['female', 50.6], ['male', 48.6], ['other', 0.3], ['not_stated', 0.5]] as const);
const ETHNIC_GROUP = weighted([['white', 80.6], ['asian', 9.2], ['black', 4.0], ['mixed', 2.9], ['other', 2.1], ['not_stated', 1.2]] as const);
const DISABLED = weighted([['yes', 17.7], ['no', 80.3], ['not_stated', 2.0]] as const);

export function drawEquality(random: Random, female: boolean | undefined): PersonEquality {
  if (random.chance(0.12)) return { sex: null, ethnicGroup: null, disabled: null };
  let sex: string = draw(random, SEX);
  if (female !== undefined && (sex === 'female' || sex === 'male')) sex = female ? 'female' : 'male';
  return {
    sex,
    ethnicGroup: random.chance(0.04) ? null : draw(random, ETHNIC_GROUP),
    disabled: random.chance(0.06) ? null : draw(random, DISABLED),
  };
}

export type InsightEvent = { kind: string; summary: string; visibility: 'victim' | 'staff'; at: number; detail?: Record<string, unknown>; byStaff?: boolean };

export type SyntheticObligation = {
  id: string; caseId: string; duty: string; ownerKind: string; ownerOrganisationId: string | null;
  /** Index of the trigger event in the chunk's events; the loader turns it into the event's id. */
  triggerEvent: number; triggerKind: string; triggeredAt: Date; workingDays: number; enhanced: boolean; dueAt: Date;
  state: 'open' | 'met' | 'overdue' | 'breached'; overdueAt: Date | null; metAt: Date | null; metByKind: string | null;
  breachedAt: Date | null; breachReason: string | null;
};
export type SyntheticReferral = {
  id: string; caseId: string; personId: string; serviceId: string; organisationId: string; status: string; summary: string;
  createdByUserId: string; createdAt: Date; sentAt: Date | null; sentEvent: number | null; answeredAt: Date | null;
  declineReason: string | null; startedAt: Date | null; returnedReason: string | null; closedAt: Date | null; outcome: string | null;
  copingBefore: number | null; copingAfter: number | null; safetyBefore: number | null; safetyAfter: number | null; submissionKey: string;
};
export type SyntheticPortalAccount = { id: string; personId: string; displayName: string; createdAt: Date };
export type SyntheticFeedback = { id: string; caseId: string; moment: string; rating: number; comment: string | null; accountId: string; givenAt: Date };
export type SyntheticComplaint = {
  id: string; caseId: string; organisationId: string; body: string; accountId: string; submissionKey: string; receivedAt: Date;
  answeredAt: Date | null; answeredByUserId: string | null; answerSummary: string | null;
};

export type CaseInsights = {
  events: InsightEvent[];
  obligations: (Omit<SyntheticObligation, 'triggerEvent' | 'id' | 'caseId'> & { trigger: InsightEvent | 'referral_received' })[];
  referrals: (Omit<SyntheticReferral, 'sentEvent' | 'id' | 'caseId' | 'personId' | 'submissionKey'> & { sent: InsightEvent | null })[];
  feedback: Omit<SyntheticFeedback, 'id' | 'caseId' | 'accountId'>[];
  complaints: Omit<SyntheticComplaint, 'id' | 'caseId' | 'accountId' | 'submissionKey'>[];
};

const DAY = 86_400_000;
/** Working days as calendar time, near enough for synthetic deadlines (five in seven days). */
const workingDaysLater = (at: number, days: number) => at + Math.ceil((days * 7) / 5) * DAY;

// Comments in victims' words, with the phrases the feedback themes look for (kept informed, called back, waiting,
// listened to, court, safety, kindness); the dashboards show only theme counts, never the words.
const GOOD_COMMENTS = [
  'My coordinator kept me informed at every step.', 'They listened to me and I felt believed.', 'Really kind and patient on the phone.',
  'The support worker helped me feel safe at home again.', 'Quick to call back when I left a message.', 'Helped me understand the court process.',
  'Thank you, I felt listened to and supported.',
];
const BAD_COMMENTS = [
  'Nobody called me back for two weeks.', 'I had to wait too long for support.', 'I was not kept informed about the court date.',
  'Hard to get through on the phone.', 'I did not feel safe and nobody checked on me.', 'I had to tell my story again to every person.',
  'The court date changed and no one told me.',
];
const DECLINE_REASONS = ['Outside the service’s criteria for this offence', 'The victim is already supported by another service'];
const RETURNED_REASONS = ['Could not reach the victim after three attempts', 'The victim asked for a different kind of help'];
const REFERRAL_SUMMARIES = ['Needs help with new locks and feels unsafe at home.', 'Wants emotional support after the assault.',
  'Would like help to understand the court process.', 'Needs advice on housing and money after the burglary.'];
const OUTCOMES = weighted([['engaged_completed', 60], ['declined_by_victim', 14], ['unable_to_contact', 15], ['moved_on', 6], ['consent_withdrawn', 5]] as const);
const RATINGS = weighted([[5, 44], [4, 30], [3, 12], [2, 7], [1, 7]] as const);

/** Met on time, met late, overdue or breached, for a duty already due; 'open' or met early for one not yet due. */
function dutyOutcome(random: Random, trigger: number, workingDays: number, today: number): Pick<SyntheticObligation, 'state' | 'overdueAt' | 'metAt' | 'breachedAt' | 'breachReason'> & { dueAt: number } {
  const dueAt = workingDaysLater(trigger, workingDays);
  const none = { overdueAt: null, metAt: null, breachedAt: null, breachReason: null };
  const onTime = () => new Date(trigger + random.int(1, Math.max(1, dueAt - trigger - 3_600_000)));
  if (dueAt > today) return random.chance(0.45) ? { ...none, state: 'met', metAt: new Date(Math.min(today - 60_000, onTime().getTime())), dueAt } : { ...none, state: 'open', dueAt };
  const roll = random.next();
  if (roll < 0.74) return { ...none, state: 'met', metAt: onTime(), dueAt };
  const lateBy = random.int(1, 20) * DAY;
  if (roll < 0.88 && dueAt + lateBy < today) return { ...none, state: 'met', metAt: new Date(dueAt + lateBy), overdueAt: new Date(dueAt), dueAt };
  if (roll < 0.95) return { ...none, state: 'overdue', overdueAt: new Date(dueAt), dueAt };
  return { ...none, state: 'breached', overdueAt: new Date(dueAt), breachedAt: new Date(Math.min(today - 60_000, dueAt + lateBy)), breachReason: 'The victim was not told in time: the officer was on leave.', dueAt };
}

/**
 * One case's insights rows, timed after its start. `crime` says whether the police investigate; `supportConsent` whether
 * the hub may refer. Pure: the caller gives the events ids and the rows their keys.
 */
export function caseInsights(
  random: Random,
  input: { caseAt: number; today: number; crime: boolean; coordinator: boolean; supportConsent: string; closed: boolean; enhanced: boolean; context: InsightsContext },
): CaseInsights {
  const { caseAt, today, context } = input;
  const result: CaseInsights = { events: [], obligations: [], referrals: [], feedback: [], complaints: [] };
  const at = (after: number, minDays: number, maxDays: number) => Math.min(today - 60_000, after + random.int(minDays, maxDays) * DAY + random.int(0, DAY - 1));
  const event = (kind: string, summary: string, time: number, visibility: 'victim' | 'staff' = 'victim', detail: Record<string, unknown> = {}, byStaff = false) => {
    const made: InsightEvent = { kind, summary, visibility, at: time, detail, byStaff };
    result.events.push(made);
    return made;
  };
  const duty = (name: string, ownerKind: string, ownerOrganisationId: string | null, trigger: InsightEvent | 'referral_received', triggerAt: number, workingDays: number) => {
    const outcome = dutyOutcome(random, triggerAt, workingDays, today);
    result.obligations.push({
      duty: name, ownerKind, ownerOrganisationId, trigger, triggerKind: trigger === 'referral_received' ? trigger : trigger.kind,
      triggeredAt: new Date(triggerAt), workingDays, enhanced: input.enhanced, dueAt: new Date(outcome.dueAt), state: outcome.state,
      overdueAt: outcome.overdueAt, metAt: outcome.metAt, metByKind: outcome.metAt ? 'victim_told' : null, breachedAt: outcome.breachedAt, breachReason: outcome.breachReason,
    });
  };

  // Contact the hub logged: most cases have a few calls or letters.
  let contactAt = caseAt;
  for (let call = random.int(1, 4); call > 0; call -= 1) {
    contactAt = at(contactAt, 1, 14);
    event('contact_logged', random.pick(['Called the victim', 'Left a voicemail', 'Sent a letter', 'Spoke to the victim']), contactAt, 'staff', {}, true);
  }
  // The hub's two duties on every referral: assess needs, and refer to support unless the victim opted out.
  duty('needs_assessment', 'hub', context.hubOrganisationId, 'referral_received', caseAt, 5);
  if (input.coordinator) event('assessment_completed', 'Needs assessment completed', at(caseAt, 1, 8), 'staff', {}, true);
  if (input.supportConsent !== 'opted_out') duty('support_referral', 'hub', context.hubOrganisationId, 'referral_received', caseAt, 5);

  if (input.crime) {
    let policeAt = caseAt;
    if (random.chance(0.45)) {
      policeAt = at(policeAt, 2, 40);
      const arrested = event('suspect_arrested', 'A suspect has been arrested', policeAt);
      duty('investigation_update', 'police', null, arrested, policeAt, input.enhanced ? 1 : 5);
      policeAt = at(policeAt, 0, 3);
      const interviewed = event('suspect_interviewed', 'A suspect has been interviewed', policeAt);
      duty('investigation_update', 'police', null, interviewed, policeAt, input.enhanced ? 1 : 5);
      if (random.chance(0.35)) {
        policeAt = at(policeAt, 5, 60);
        const charged = event('suspect_charged', 'A suspect has been charged', policeAt);
        duty('charge_update', 'witness_care', context.witnessCareOrganisationId, charged, policeAt, input.enhanced ? 1 : 5);
        if (random.chance(0.7)) {
          policeAt = at(policeAt, 7, 90);
          const listed = event('hearing_listed', 'A court hearing has been set', policeAt, 'victim', { courtName: 'Wyvern Crown Court', hearingType: 'trial' });
          duty('hearing_update', 'witness_care', context.witnessCareOrganisationId, listed, policeAt, input.enhanced ? 1 : 5);
          if (random.chance(0.6)) {
            policeAt = at(policeAt, 20, 120);
            const verdict = event('verdict', 'The court has reached a verdict', policeAt);
            duty('outcome_update', 'witness_care', context.witnessCareOrganisationId, verdict, policeAt, input.enhanced ? 1 : 5);
          }
        }
      }
    } else if (random.chance(0.4)) {
      policeAt = at(policeAt, 5, 60);
      const nfa = event('no_further_action', 'No further action will be taken', policeAt);
      duty('investigation_update', 'police', null, nfa, policeAt, input.enhanced ? 1 : 5);
    }
  }

  // Support referrals to the area's providers, in every status, with the provider's answer as a duty of its own.
  if (input.supportConsent !== 'opted_out' && context.services.length && random.chance(0.45)) {
    const service = random.pick(context.services);
    const roll = random.next();
    const status = roll < 0.02 ? 'draft' : roll < 0.03 ? 'cancelled' : roll < 0.11 ? 'sent' : roll < 0.17 ? 'accepted' : roll < 0.3 ? 'in_progress'
      : roll < 0.35 ? 'declined' : roll < 0.39 ? 'no_capacity' : roll < 0.42 ? 'returned' : 'closed';
    const createdAt = at(caseAt, 1, 12);
    const drafted = status === 'draft' || status === 'cancelled';
    const sentAt = drafted ? null : at(createdAt, 0, 2);
    const sent = sentAt === null ? null : event('service_referral_sent', 'We referred you for support', sentAt, 'victim', {}, true);
    const answered = ['accepted', 'in_progress', 'declined', 'no_capacity', 'returned', 'closed'].includes(status);
    const answeredAt = answered && sentAt !== null ? at(sentAt, 0, random.chance(0.8) ? 2 : 9) : null;
    const started = status === 'in_progress' || (status === 'closed' && random.chance(0.8));
    const startedAt = started && answeredAt !== null ? at(answeredAt, 0, random.int(1, 40)) : null;
    const closedAt = status === 'closed' ? at(startedAt ?? answeredAt ?? sentAt ?? createdAt, 10, 120) : null;
    const outcome = status === 'closed' ? (started ? draw(random, OUTCOMES) : random.pick(['declined_by_victim', 'unable_to_contact'])) : null;
    const completed = outcome === 'engaged_completed';
    if (answeredAt !== null) event(status === 'declined' ? 'service_referral_declined' : status === 'no_capacity' ? 'service_referral_no_capacity' : 'service_referral_accepted', 'The service answered the referral', answeredAt, 'staff');
    if (startedAt !== null) event('service_support_started', 'Support has started', startedAt, 'victim');
    if (closedAt !== null) event('service_referral_closed', 'Support has ended', closedAt, 'victim');
    result.referrals.push({
      serviceId: service.id, organisationId: service.organisationId, status, summary: random.pick(REFERRAL_SUMMARIES), createdByUserId: '',
      createdAt: new Date(createdAt), sentAt: sentAt === null ? null : new Date(sentAt), sent, answeredAt: answeredAt === null ? null : new Date(answeredAt),
      declineReason: status === 'declined' ? random.pick(DECLINE_REASONS) : null, startedAt: startedAt === null ? null : new Date(startedAt),
      returnedReason: status === 'returned' ? random.pick(RETURNED_REASONS) : null, closedAt: closedAt === null ? null : new Date(closedAt), outcome,
      copingBefore: started ? random.int(1, 3) : null, copingAfter: completed ? random.int(3, 5) : null,
      safetyBefore: started ? random.int(1, 3) : null, safetyAfter: completed ? random.int(3, 5) : null,
    });
    if (sent && sentAt !== null) duty('provider_response', 'named_organisation', service.organisationId, sent, sentAt, 2);
    if (closedAt !== null && random.chance(0.3)) {
      const rating = draw(random, RATINGS);
      result.feedback.push({ moment: 'referral_closed', rating, comment: random.chance(0.35) ? random.pick(rating >= 4 ? GOOD_COMMENTS : BAD_COMMENTS) : null, givenAt: new Date(at(closedAt, 0, 5)) });
    }
  }

  // Ratings after first contact, from about one victim in five; and complaints from a few.
  if (input.coordinator && random.chance(0.2)) {
    const rating = draw(random, RATINGS);
    result.feedback.push({ moment: 'first_contact', rating, comment: random.chance(0.3) ? random.pick(rating >= 4 ? GOOD_COMMENTS : BAD_COMMENTS) : null, givenAt: new Date(at(caseAt, 2, 20)) });
  }
  if (random.chance(0.02)) {
    const receivedAt = at(caseAt, 5, 90);
    const received = event('complaint_received', 'We received your complaint', receivedAt, 'victim');
    const organisationId = random.chance(0.5) ? context.hubOrganisationId : random.chance(0.5) ? context.witnessCareOrganisationId : (random.pick(context.services).organisationId);
    duty('complaint_response', 'named_organisation', organisationId, received, receivedAt, 10);
    const roll = random.next();
    const answeredAt = roll < 0.7 ? at(receivedAt, 1, 13) : roll < 0.9 ? at(receivedAt, 15, 40) : null;
    if (answeredAt !== null) event('complaint_answered', 'We answered your complaint', answeredAt, 'victim');
    result.complaints.push({
      organisationId, body: random.pick(BAD_COMMENTS), receivedAt: new Date(receivedAt),
      answeredAt: answeredAt === null ? null : new Date(answeredAt), answeredByUserId: answeredAt === null ? null : context.answeringUserId,
      answerSummary: answeredAt === null ? null : 'We apologised, and explained what we will do differently.',
    });
  }
  if (input.closed) event('case_update_sent', 'We sent you a summary of your case', at(caseAt, 30, 200), 'victim', {}, true);
  return result;
}
