// Who qualifies for the Victims' Code's enhanced rights (victims-code.md, "Enhanced rights: who qualifies"), decided
// from the facts of one case, each match with the rule that gave it, a reason in plain English and the facts it rests
// on. Pure: no I/O. One match is enough for a case to be enhanced.
import { ENTITLEMENT_CATEGORIES, type CaseRole, type EntitlementCategory } from '../../platform/db/schema.ts';
import {
  DOMESTIC_ABUSE_OFFENCES,
  HATE_CRIME_OFFENCES,
  MOST_SERIOUS_OFFENCES,
  PERSISTENT_TARGETING_OFFENCES,
  SEXUAL_OFFENCE_CATEGORY,
  TRAFFICKING_OFFENCES,
  WEAPONS_OFFENCES,
  findOffence,
  normaliseOffenceCode,
  type QualifyingOffence,
} from './qualifying-offences.ts';

export { ENTITLEMENT_CATEGORIES, type EntitlementCategory };

export const ENTITLEMENT_CATEGORY_NAMES: Record<EntitlementCategory, string> = {
  most_serious: 'Victim of the most serious crime',
  persistently_targeted: 'Persistently targeted',
  vulnerable: 'Vulnerable',
  intimidated: 'Intimidated',
};

export const BEREAVED_RELATIONSHIPS = ['spouse_or_partner', 'parent', 'child', 'sibling', 'grandparent', 'grandchild', 'dependant', 'other'] as const;
export type BereavedRelationship = (typeof BEREAVED_RELATIONSHIPS)[number];

/** What the needs assessment found, in the shape the assessment feature produces. */
export type AssessmentEvidence = {
  mentalDisorder: boolean;
  impairedIntelligenceAndSocialFunctioning: boolean;
  physicalDisabilityOrDisorder: boolean;
  evidenceLikelyAffected: boolean;
  fearOrDistressAboutTestifying: boolean;
  persistentlyTargeted: boolean;
  domesticAbuse: boolean;
  victimWantsEnhancedSupport: 'yes' | 'no' | 'not_asked';
};

export type EntitlementIndicators = {
  domesticAbuse: boolean;
  hateCrime: boolean;
  sexualOffence: boolean;
  terrorism: boolean;
  humanTrafficking: boolean;
};

export type EntitlementFacts = {
  role: CaseRole;
  /** For a bereaved relative: how they were related to the person who was killed; null otherwise or when not known. */
  relationship: BereavedRelationship | null;
  /** The offence on the crime, or null when no crime was reported (a self-referral). */
  offence: { code: string; category: string; group: string | null } | null;
  indicators: EntitlementIndicators;
  /** YYYY-MM-DD, or null when not known. */
  dateOfBirth: string | null;
  /** YYYY-MM-DD: when the offence was committed (its first day), or null when not known. */
  offenceDate: string | null;
  history: {
    /** This person's cases received in the 12 months up to now, this one included. */
    casesInLast12Months: number;
    /** Whether any of those cases is for harassment or stalking. */
    anyHarassmentOrStalking: boolean;
  };
  assessment: AssessmentEvidence | null;
};

export type Entitlement = {
  category: EntitlementCategory;
  /** A stable id for the route that matched, such as 'most_serious.sexual_offence'. */
  rule: string;
  reason: string;
  /** The facts the match rests on, by name: never more than the rule needed. */
  evidence: Record<string, unknown>;
};

/** The victim, or the parent acting for a child victim, is the complainant; a witness or bereaved relative is not. */
const actsForVictim = (role: CaseRole): boolean => role === 'victim' || role === 'parent_of_child_victim';

/** The close relatives the Code names: spouse or partner, direct-line relatives, siblings and dependants. */
export const CLOSE_RELATIONSHIPS: readonly BereavedRelationship[] = ['spouse_or_partner', 'parent', 'child', 'sibling', 'grandparent', 'grandchild', 'dependant'];

const RELATIONSHIP_NAMES: Record<BereavedRelationship, string> = {
  spouse_or_partner: 'spouse or partner',
  parent: 'parent',
  child: 'child',
  sibling: 'brother or sister',
  grandparent: 'grandparent',
  grandchild: 'grandchild',
  dependant: 'dependant',
  other: 'other relative',
};

type Evidence = Record<string, unknown>;

/** Merges the facts that each show the same thing, or null when none does. */
function anyOf(...found: (Evidence | null)[]): Evidence | null {
  const present = found.filter((item): item is Evidence => item !== null);
  return present.length ? present.reduce<Evidence>((merged, item) => ({ ...merged, ...item }), {}) : null;
}

const offenceIn = (facts: EntitlementFacts, offences: readonly QualifyingOffence[]): Evidence | null => {
  const offence = facts.offence && findOffence(offences, facts.offence.code);
  return offence ? { 'offence.code': offence.code, 'offence.description': offence.description } : null;
};
const indicator = (facts: EntitlementFacts, name: keyof EntitlementIndicators): Evidence | null =>
  facts.indicators[name] ? { [`indicators.${name}`]: true } : null;
const assessed = (facts: EntitlementFacts, ...names: (keyof AssessmentEvidence)[]): Evidence | null =>
  facts.assessment && names.every((name) => facts.assessment![name] === true) ? Object.fromEntries(names.map((name) => [`assessment.${name}`, true])) : null;

const domesticAbuse = (facts: EntitlementFacts) => anyOf(indicator(facts, 'domesticAbuse'), assessed(facts, 'domesticAbuse'), offenceIn(facts, DOMESTIC_ABUSE_OFFENCES));
const sexualOffence = (facts: EntitlementFacts) =>
  anyOf(
    indicator(facts, 'sexualOffence'),
    facts.offence?.category === SEXUAL_OFFENCE_CATEGORY ? { 'offence.code': normaliseOffenceCode(facts.offence.code), 'offence.category': SEXUAL_OFFENCE_CATEGORY } : null,
  );
const trafficking = (facts: EntitlementFacts) => anyOf(indicator(facts, 'humanTrafficking'), offenceIn(facts, TRAFFICKING_OFFENCES));

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whole years between a date of birth and a later date, or null when either is missing, unreal or out of order. */
export function ageOn(dateOfBirth: string | null, on: string | null): number | null {
  const born = dateOfBirth ? ISO_DATE.exec(dateOfBirth) : null;
  const at = on ? ISO_DATE.exec(on) : null;
  if (!born || !at) return null;
  const real = (match: RegExpExecArray) => {
    const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    return date.toISOString().slice(0, 10) === match[0];
  };
  if (!real(born) || !real(at) || at[0] < born[0]) return null;
  const years = Number(at[1]) - Number(born[1]);
  // A birthday not yet reached in the year of `on` (29 February counts as reached on 1 March).
  return at[0].slice(5) < born[0].slice(5) ? years - 1 : years;
}

type Route = {
  category: EntitlementCategory;
  rule: string;
  reason: string;
  applies: (facts: EntitlementFacts) => Evidence | null;
};

const forVictim = (applies: (facts: EntitlementFacts) => Evidence | null) => (facts: EntitlementFacts) =>
  actsForVictim(facts.role) ? applies(facts) : null;

const MOST_SERIOUS = 'which the Code counts among the most serious crimes';

/** Every automatic route, in the order the Code lists them. */
export const ROUTES: readonly Route[] = [
  { category: 'most_serious', rule: 'most_serious.domestic_abuse', reason: `Victim of domestic abuse, ${MOST_SERIOUS}`, applies: forVictim(domesticAbuse) },
  {
    category: 'most_serious',
    rule: 'most_serious.hate_crime',
    reason: `Victim of hate crime, ${MOST_SERIOUS}`,
    applies: forVictim((facts) => anyOf(indicator(facts, 'hateCrime'), offenceIn(facts, HATE_CRIME_OFFENCES))),
  },
  { category: 'most_serious', rule: 'most_serious.terrorism', reason: `Victim of terrorism, ${MOST_SERIOUS}`, applies: forVictim((facts) => indicator(facts, 'terrorism')) },
  { category: 'most_serious', rule: 'most_serious.sexual_offence', reason: `Victim of a sexual offence, ${MOST_SERIOUS}`, applies: forVictim(sexualOffence) },
  { category: 'most_serious', rule: 'most_serious.human_trafficking', reason: `Victim of human trafficking, ${MOST_SERIOUS}`, applies: forVictim(trafficking) },
  ...MOST_SERIOUS_OFFENCES.map(
    (listed): Route => ({
      category: 'most_serious',
      rule: listed.rule,
      reason: `Victim of ${listed.crime}, ${MOST_SERIOUS}`,
      applies: forVictim((facts) => offenceIn(facts, listed.offences)),
    }),
  ),
  {
    category: 'most_serious',
    rule: 'most_serious.bereaved_close_relative',
    reason: 'Close relative of a person killed by a crime: the Code gives bereaved spouses, partners, direct-line relatives, brothers and sisters, and dependants enhanced rights',
    applies: (facts) =>
      facts.role === 'bereaved_relative' && facts.relationship && CLOSE_RELATIONSHIPS.includes(facts.relationship)
        ? { role: facts.role, relationship: facts.relationship, 'relationship.name': RELATIONSHIP_NAMES[facts.relationship] }
        : null,
  },
  {
    category: 'persistently_targeted',
    rule: 'persistently_targeted.harassment_or_stalking',
    reason: 'Harassment, stalking or coercive control is conduct repeated over time, so the victim was targeted more than once',
    applies: forVictim((facts) => anyOf(offenceIn(facts, PERSISTENT_TARGETING_OFFENCES), facts.history.anyHarassmentOrStalking ? { 'history.anyHarassmentOrStalking': true } : null)),
  },
  {
    category: 'persistently_targeted',
    rule: 'persistently_targeted.repeat_victim',
    reason: 'Victim of crime more than once in the last 12 months',
    applies: forVictim((facts) => (facts.history.casesInLast12Months > 1 ? { 'history.casesInLast12Months': facts.history.casesInLast12Months } : null)),
  },
  {
    category: 'persistently_targeted',
    rule: 'persistently_targeted.assessment',
    reason: 'The needs assessment found the victim has been targeted persistently',
    applies: forVictim((facts) => assessed(facts, 'persistentlyTargeted')),
  },
  {
    category: 'vulnerable',
    rule: 'vulnerable.under_18',
    reason: 'Under 18 at the time of the offence',
    applies: (facts) => {
      const age = ageOn(facts.dateOfBirth, facts.offenceDate);
      return age !== null && age < 18 ? { ageAtOffence: age, offenceDate: facts.offenceDate } : null;
    },
  },
  {
    category: 'vulnerable',
    rule: 'vulnerable.parent_of_child_victim',
    reason: 'A parent or carer acting for a victim under 18, who is vulnerable by age: the case carries the child’s enhanced rights',
    applies: (facts) => (facts.role === 'parent_of_child_victim' ? { role: facts.role } : null),
  },
  {
    category: 'vulnerable',
    rule: 'vulnerable.mental_disorder',
    reason: 'A mental disorder is likely to affect the quality of their evidence',
    applies: (facts) => assessed(facts, 'mentalDisorder', 'evidenceLikelyAffected'),
  },
  {
    category: 'vulnerable',
    rule: 'vulnerable.impaired_intelligence',
    reason: 'A significant impairment of intelligence and social functioning is likely to affect the quality of their evidence',
    applies: (facts) => assessed(facts, 'impairedIntelligenceAndSocialFunctioning', 'evidenceLikelyAffected'),
  },
  {
    category: 'vulnerable',
    rule: 'vulnerable.physical_disability',
    reason: 'A physical disability or disorder is likely to affect the quality of their evidence',
    applies: (facts) => assessed(facts, 'physicalDisabilityOrDisorder', 'evidenceLikelyAffected'),
  },
  {
    category: 'intimidated',
    rule: 'intimidated.fear_or_distress',
    reason: 'The needs assessment found fear or distress about testifying is likely to affect their evidence',
    applies: (facts) => assessed(facts, 'fearOrDistressAboutTestifying'),
  },
  {
    category: 'intimidated',
    rule: 'intimidated.sexual_offence_complainant',
    reason: 'Complainants of sexual offences are intimidated automatically',
    applies: forVictim(sexualOffence),
  },
  {
    category: 'intimidated',
    rule: 'intimidated.trafficking_complainant',
    reason: 'Complainants of human trafficking and modern slavery are intimidated automatically',
    applies: forVictim(trafficking),
  },
  {
    category: 'intimidated',
    rule: 'intimidated.domestic_abuse_complainant',
    reason: 'Complainants of domestic abuse are eligible as intimidated witnesses automatically (YJCEA 1999 s17)',
    applies: forVictim(domesticAbuse),
  },
  {
    category: 'intimidated',
    rule: 'intimidated.weapons_offence_witness',
    reason: 'Witnesses in firearm and knife offences are eligible as intimidated witnesses automatically (YJCEA 1999 s17(5))',
    applies: (facts) => (facts.role === 'witness' ? offenceIn(facts, WEAPONS_OFFENCES) : null),
  },
];

/** Every enhanced-rights category the facts give, each route that matched once, in the order of ROUTES. */
export function decideEntitlementsFor(facts: EntitlementFacts): Entitlement[] {
  return ROUTES.flatMap((route) => {
    const evidence = route.applies(facts);
    return evidence ? [{ category: route.category, rule: route.rule, reason: route.reason, evidence }] : [];
  });
}

export const isEntitlementCategory = (value: unknown): value is EntitlementCategory =>
  typeof value === 'string' && (ENTITLEMENT_CATEGORIES as readonly string[]).includes(value);

export const REASON_MAX_LENGTH = 1000;
export const VIEW_MAX_LENGTH = 1000;

export type FieldErrors = Record<string, string>;
const textOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** A coordinator adding a category: which one, why (required) and, if given, what the victim thinks. */
export function checkAddition(input: { category?: unknown; reason?: unknown; victimView?: unknown }):
  | { value: { category: EntitlementCategory; reason: string; victimView: string | null } }
  | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!isEntitlementCategory(input.category)) errors.category = 'Select a category';
  const reason = textOf(input.reason);
  if (!reason) errors.reason = 'Enter why the victim is in this category';
  else if (reason.length > REASON_MAX_LENGTH) errors.reason = `The reason must be ${REASON_MAX_LENGTH} characters or fewer`;
  const victimView = textOf(input.victimView);
  if (victimView.length > VIEW_MAX_LENGTH) errors.victimView = `The victim’s view must be ${VIEW_MAX_LENGTH} characters or fewer`;
  if (Object.keys(errors).length) return { errors };
  return { value: { category: input.category as EntitlementCategory, reason, victimView: victimView || null } };
}

/** Removing a category always needs a reason: a rule gave it, or a colleague decided it, for a reason of their own. */
export function checkWithdrawal(input: { reason?: unknown }): { value: { reason: string } } | { errors: FieldErrors } {
  const reason = textOf(input.reason);
  if (!reason) return { errors: { reason: 'Enter why this category no longer applies' } };
  if (reason.length > REASON_MAX_LENGTH) return { errors: { reason: `The reason must be ${REASON_MAX_LENGTH} characters or fewer` } };
  return { value: { reason } };
}

/** Recording what the victim thinks of a category. */
export function checkVictimView(input: { victimView?: unknown }): { value: { victimView: string } } | { errors: FieldErrors } {
  const victimView = textOf(input.victimView);
  if (!victimView) return { errors: { victimView: 'Enter the victim’s view' } };
  if (victimView.length > VIEW_MAX_LENGTH) return { errors: { victimView: `The victim’s view must be ${VIEW_MAX_LENGTH} characters or fewer` } };
  return { value: { victimView } };
}

/** The victim's own view as the assessment recorded it, to store beside the categories the rules give. */
export function victimViewFromAssessment(assessment: AssessmentEvidence | null): string | null {
  if (assessment?.victimWantsEnhancedSupport === 'yes') return 'Wants enhanced support (needs assessment)';
  if (assessment?.victimWantsEnhancedSupport === 'no') return 'Does not want enhanced support (needs assessment)';
  return null;
}

/** Evidence compared as text with its keys in order, so the same facts always compare equal. */
export function evidenceKey(evidence: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(evidence).sort().map((key) => [key, evidence[key]]));
}

/** What Haven holds about a case, read for the rules: the parts of the case, person, crime and referral they use. */
export type CaseRecordForRules = {
  role: CaseRole;
  dateOfBirth: string | null;
  crime: { offenceCode: string; offenceCategory: string; offenceGroup: string | null; committedFrom: string | null } | null;
  /** The indicator names the referral carried (intake's referral_notes event), such as 'domesticAbuse'. */
  referralIndicators: readonly string[];
  /** The person's other cases received in the last 12 months, with their offence group when they have a crime. */
  otherRecentCases: readonly { offenceCode: string | null; offenceGroup: string | null }[];
  assessment: AssessmentEvidence | null;
};

const HARASSMENT_OR_STALKING_GROUP = 'Stalking and harassment';

/**
 * The facts for the rules from what the case record holds. The bereaved relationship is not recorded anywhere yet, so
 * a bereaved relative gets the close-relative route only once a coordinator adds it (or a later form records it).
 */
export function factsFromCase(record: CaseRecordForRules): EntitlementFacts {
  const flag = (name: keyof EntitlementIndicators) => record.referralIndicators.includes(name);
  const harassment = (item: { offenceCode: string | null; offenceGroup: string | null }) =>
    item.offenceGroup === HARASSMENT_OR_STALKING_GROUP || (item.offenceCode !== null && findOffence(PERSISTENT_TARGETING_OFFENCES, item.offenceCode) !== undefined);
  return {
    role: record.role,
    relationship: null,
    offence: record.crime ? { code: record.crime.offenceCode, category: record.crime.offenceCategory, group: record.crime.offenceGroup } : null,
    indicators: {
      domesticAbuse: flag('domesticAbuse'),
      hateCrime: flag('hateCrime'),
      sexualOffence: flag('sexualOffence'),
      terrorism: flag('terrorism'),
      humanTrafficking: flag('humanTrafficking'),
    },
    dateOfBirth: record.dateOfBirth,
    offenceDate: record.crime?.committedFrom ?? null,
    history: { casesInLast12Months: record.otherRecentCases.length + 1, anyHarassmentOrStalking: record.otherRecentCases.some(harassment) },
    assessment: record.assessment,
  };
}
