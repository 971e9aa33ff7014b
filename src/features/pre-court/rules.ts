// Pure rules for hearings and the pre-court review (victims-code.md, "Special measures"): checking a recorded hearing,
// the review horizon, which cases qualify (domestic abuse, rape and serious sexual offences, enhanced rights), the
// victim's needs as the needs assessment recorded them, and the special measures to consider. No I/O.
import type { CaseRole, EntitlementCategory, HearingType } from '../../platform/db/schema.ts';
import { HEARING_TYPES } from '../../platform/db/schema.ts';
import { addDays, calendarDate, isCalendarDate, partsOf, type CalendarDate } from '../../platform/time/calendar-date.ts';
import { endOfLondonDay, londonDateOf, startOfLondonDay } from '../../platform/time/london.ts';
// Pure rules (no I/O): a time typed on a form is read, and turned into an instant, exactly as the contact log does.
import { londonTime, parseTime } from '../cases/rules.ts';

export { isUuid } from '../../platform/db/uuid.ts';
export { HEARING_TYPES, type HearingType };

export type FieldErrors = Record<string, string>;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

// --- Hearings ---

export const HEARING_TYPE_NAMES: Record<HearingType, string> = {
  first_hearing: 'First hearing',
  plea_and_trial_preparation: 'Plea and trial preparation hearing',
  trial: 'Trial',
  sentencing: 'Sentencing hearing',
  appeal: 'Appeal hearing',
  other: 'Other hearing',
};

export const COURT_NAME_MAX_LENGTH = 120;
/** Courts list trials up to about two years ahead; a later date is almost always a typing slip in the year. */
export const HEARING_MAX_YEARS_AHEAD = 2;

/** The form as sent: any field may be missing or repeated, so each is read as unknown. */
export type HearingForm = {
  'hearingDate-day'?: unknown;
  'hearingDate-month'?: unknown;
  'hearingDate-year'?: unknown;
  time?: unknown;
  courtName?: unknown;
  hearingType?: unknown;
};

export type NewHearing = { hearingAt: Date; courtName: string; hearingType: HearingType };

export const isHearingType = (value: unknown): value is HearingType => typeof value === 'string' && (HEARING_TYPES as readonly string[]).includes(value);

/** The day a GOV.UK date input names, or the message to show against it, in the design system's words. */
function readHearingDate(form: HearingForm): { date: CalendarDate } | { error: string } {
  const parts = { day: text(form['hearingDate-day']), month: text(form['hearingDate-month']), year: text(form['hearingDate-year']) };
  const missing = (Object.keys(parts) as (keyof typeof parts)[]).filter((key) => !parts[key]);
  if (missing.length === 3) return { error: 'Enter the date of the hearing' };
  if (missing.length) return { error: `Date of the hearing must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) return { error: 'Date of the hearing must be a real date' };
  const date = calendarDate(Number(parts.year), Number(parts.month), Number(parts.day));
  // calendarDate rolls 31 February over into March; a real date reads back as the same day and month.
  const back = partsOf(date);
  if (!isCalendarDate(date) || back.day !== Number(parts.day) || back.month !== Number(parts.month)) return { error: 'Date of the hearing must be a real date' };
  return { date };
}

/**
 * Checks a hearing to record. Every problem is reported at once, keyed by its field. The date is today or later: the
 * form records a hearing so the victim can be told of it and prepared for it, which is past help once it has been.
 */
export function checkHearing(form: HearingForm, now: Date): { value: NewHearing } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const today = londonDateOf(now);
  const date = readHearingDate(form);
  if ('error' in date) errors.hearingDate = date.error;
  else if (date.date < today) errors.hearingDate = 'Date of the hearing must be today or in the future';
  else if (date.date > addDays(today, Math.round(365.25 * HEARING_MAX_YEARS_AHEAD))) errors.hearingDate = `Date of the hearing must be within the next ${HEARING_MAX_YEARS_AHEAD} years`;
  const typedTime = text(form.time);
  const time = parseTime(typedTime);
  if (!typedTime) errors.time = 'Enter the time of the hearing';
  else if (!time) errors.time = 'Enter the time like 10:00 or 10am';
  const courtName = text(form.courtName).replace(/\s+/g, ' ');
  if (!courtName) errors.courtName = 'Enter the name of the court';
  else if (courtName.length > COURT_NAME_MAX_LENGTH) errors.courtName = `Court name must be ${COURT_NAME_MAX_LENGTH} characters or fewer`;
  if (!isHearingType(form.hearingType)) errors.hearingType = 'Select the type of hearing';
  if (Object.keys(errors).length || 'error' in date || !time || !isHearingType(form.hearingType)) return { errors };
  const { year, month, day } = partsOf(date.date);
  return { value: { hearingAt: londonTime(year, month, day, time.hour, time.minute), courtName, hearingType: form.hearingType } };
}

const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const LONDON_HOUR_MINUTE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });

/** "3 December 2026", built from parts so the words never depend on the ICU version's punctuation. */
export function writtenDate(date: CalendarDate): string {
  const parts = new Map(DAY_MONTH_YEAR.formatToParts(new Date(`${date}T00:00:00Z`)).map((part) => [part.type, part.value]));
  return `${parts.get('day')} ${parts.get('month')} ${parts.get('year')}`;
}

/** A London time of day in GOV.UK style: "10am", "2:30pm", "midday", "midnight". */
export function writtenTime(instant: Date): string {
  const parts = new Map(LONDON_HOUR_MINUTE.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  const hour = parts.get('hour') ?? 0;
  const minute = parts.get('minute') ?? 0;
  if (minute === 0 && hour === 12) return 'midday';
  if (minute === 0 && hour === 0) return 'midnight';
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  return `${twelve}${minute ? `:${String(minute).padStart(2, '0')}` : ''}${hour < 12 ? 'am' : 'pm'}`;
}

/** "Trial at Leeds Crown Court on 3 December 2026 at 10am": the hearing as the timeline tells it, fit for the victim. */
export function hearingText(hearing: NewHearing): string {
  return `${HEARING_TYPE_NAMES[hearing.hearingType]} at ${hearing.courtName} on ${writtenDate(londonDateOf(hearing.hearingAt))} at ${writtenTime(hearing.hearingAt)}`;
}

// --- The review horizon ---

/** Four weeks: time to check needs and apply for special measures before the victim attends court. */
export const DEFAULT_HORIZON_DAYS = 28;
export const MAX_HORIZON_DAYS = 365;

const validHorizon = (days: number): boolean => Number.isInteger(days) && days >= 1 && days <= MAX_HORIZON_DAYS;

/** An area's stored horizon, or the default when it has none (or holds one out of range). */
export const areaHorizonDays = (stored: number | null | undefined): number => (typeof stored === 'number' && validHorizon(stored) ? stored : DEFAULT_HORIZON_DAYS);

/** A number of days typed on a form: required, whole, and in range. */
export function checkHorizonDays(raw: unknown): { days: number } | { error: string } {
  if (typeof raw !== 'string') return { error: 'Enter one number of days, like 28' };
  const typed = raw.trim();
  if (!typed) return { error: 'Enter the number of days' };
  if (!/^\d{1,4}$/.test(typed)) return { error: 'Enter the number of days as a whole number, like 28' };
  const days = Number(typed);
  if (!validHorizon(days)) return { error: `Enter a number of days between 1 and ${MAX_HORIZON_DAYS}` };
  return { days };
}

/** The horizon asked for in the query string: the area's own when none is given, or the message to show. */
export function parseHorizon(raw: unknown, areaDefault: number): { days: number } | { error: string } {
  if (raw === undefined || (typeof raw === 'string' && !raw.trim())) return { days: areaDefault };
  // A repeated parameter arrives as a list, which names no single horizon: checkHorizonDays refuses it.
  return checkHorizonDays(raw);
}

/**
 * The hearings the review looks at: from the start of today (a hearing later today still needs its review, and one
 * this morning may still be sitting), to the end of the horizon's last day, in London time.
 */
export function horizonWindow(now: Date, days: number): { from: Date; to: Date; lastDay: CalendarDate } {
  const today = londonDateOf(now);
  const lastDay = addDays(today, days);
  return { from: startOfLondonDay(today), to: endOfLondonDay(lastDay), lastDay };
}

// --- Which cases qualify ---

/** What the review reads about one case; each part comes from the feature that holds it. */
export type ReviewFacts = {
  role: CaseRole;
  /** YYYY-MM-DD, or null when not known. */
  dateOfBirth: string | null;
  offence: { code: string; category: string; group: string | null } | null;
  /** The indicator names the referral carried, such as 'domesticAbuse'. */
  referralIndicators: readonly string[];
  /** Enhanced-rights categories in force, with the rule that gave each and its reason. */
  entitlements: readonly { category: EntitlementCategory; rule: string; reason: string }[];
  /** The latest needs assessment's answers, or null when the victim has not been assessed. */
  assessment: { version: number; assessedOn: CalendarDate; answers: Readonly<Record<string, string | number>>; dashLevel: 'high' | 'standard' | null } | null;
  /** The London day of the hearing under review: age for special measures is counted at the hearing. */
  hearingDate: CalendarDate;
};

export type QualifyingReason = { kind: 'domestic_abuse' | 'rape' | 'sexual_offence' | 'enhanced'; text: string };

const SEXUAL_OFFENCES = 'Sexual offences';
const RAPE = 'Rape';
// Controlling or coercive behaviour is domestic abuse by its definition (as in features/entitlements).
const DOMESTIC_ABUSE_OFFENCE_CODES = ['8U'];
const MODERN_SLAVERY_OFFENCE_CODES = ['106'];

const offenceCode = (facts: ReviewFacts): string | null => (facts.offence ? facts.offence.code.replace(/\s+/g, '').toUpperCase() : null);
const hasRule = (facts: ReviewFacts, ...rules: string[]): boolean => facts.entitlements.some((item) => rules.includes(item.rule));
const answered = (facts: ReviewFacts, id: string): boolean => facts.assessment?.answers[id] === 'yes';

/** The referral's flag, the offence, the needs assessment (and its DASH checklist), or the rule that gave enhanced rights. */
export function isDomesticAbuse(facts: ReviewFacts): boolean {
  const code = offenceCode(facts);
  return (
    facts.referralIndicators.includes('domesticAbuse') ||
    (code !== null && DOMESTIC_ABUSE_OFFENCE_CODES.includes(code)) ||
    answered(facts, 'domestic_abuse') ||
    (facts.assessment?.dashLevel ?? null) !== null ||
    hasRule(facts, 'most_serious.domestic_abuse', 'intimidated.domestic_abuse_complainant')
  );
}

/** Rape and serious sexual offences: every offence the Home Office counts as a sexual offence, or the referral's flag. */
export function sexualOffence(facts: ReviewFacts): 'rape' | 'sexual_offence' | null {
  if (facts.offence?.category === SEXUAL_OFFENCES) return facts.offence.group === RAPE ? 'rape' : 'sexual_offence';
  if (facts.referralIndicators.includes('sexualOffence') || hasRule(facts, 'most_serious.sexual_offence', 'intimidated.sexual_offence_complainant')) return 'sexual_offence';
  return null;
}

const isModernSlavery = (facts: ReviewFacts): boolean => {
  const code = offenceCode(facts);
  return (code !== null && MODERN_SLAVERY_OFFENCE_CODES.includes(code)) || hasRule(facts, 'most_serious.human_trafficking', 'intimidated.trafficking_complainant');
};

export const CATEGORY_NAMES: Record<EntitlementCategory, string> = {
  most_serious: 'most serious crime',
  persistently_targeted: 'persistently targeted',
  vulnerable: 'vulnerable',
  intimidated: 'intimidated',
};
const CATEGORY_ORDER: readonly EntitlementCategory[] = ['most_serious', 'persistently_targeted', 'vulnerable', 'intimidated'];

/** Why the case is on the review list; empty when it is not (victims-code.md: high-risk cases get a pre-court review). */
export function qualifyingReasons(facts: ReviewFacts): QualifyingReason[] {
  const reasons: QualifyingReason[] = [];
  if (isDomesticAbuse(facts)) reasons.push({ kind: 'domestic_abuse', text: 'Domestic abuse' });
  const sexual = sexualOffence(facts);
  if (sexual === 'rape') reasons.push({ kind: 'rape', text: 'Rape' });
  else if (sexual) reasons.push({ kind: 'sexual_offence', text: 'Sexual offence' });
  const categories = CATEGORY_ORDER.filter((category) => facts.entitlements.some((item) => item.category === category));
  if (categories.length) reasons.push({ kind: 'enhanced', text: `Enhanced rights: ${categories.map((category) => CATEGORY_NAMES[category]).join(', ')}` });
  return reasons;
}

// --- The victim's needs ---

/** What the latest needs assessment says matters at court: health, communication and going to court, and DASH risk. */
export function victimNeeds(assessment: ReviewFacts['assessment']): string[] {
  if (!assessment) return [];
  const yes = (id: string) => assessment.answers[id] === 'yes';
  const needs: string[] = [];
  if (yes('mental_health')) needs.push('Mental health condition that affects daily life');
  if (yes('learning_disability')) needs.push('Learning disability, or a condition such as autism');
  if (yes('physical_disability')) needs.push('Physical disability or long-term illness');
  if (yes('health_affects_evidence')) needs.push('Their health could make it harder to tell a court what happened');
  const language = typeof assessment.answers.language === 'string' ? assessment.answers.language.trim() : '';
  if (yes('interpreter')) needs.push(language ? `Needs an interpreter (${language})` : 'Needs an interpreter');
  if (yes('bsl')) needs.push('Uses British Sign Language (BSL)');
  if (yes('easy_read')) needs.push('Information in Easy Read');
  if (yes('may_give_evidence')) needs.push('Might need to give evidence');
  if (yes('fear_testifying')) needs.push('Worried or frightened about giving evidence');
  if (assessment.dashLevel === 'high') needs.push('High risk on the DASH checklist');
  return needs;
}

// --- Special measures (Youth Justice and Criminal Evidence Act 1999) ---

/** Ages in whole years on a day, from a date of birth; null when either is missing or not a real date. */
export function ageOn(dateOfBirth: string | null, on: CalendarDate): number | null {
  if (!dateOfBirth || !isCalendarDate(dateOfBirth) || !isCalendarDate(on) || on < dateOfBirth) return null;
  const born = partsOf(dateOfBirth);
  const at = partsOf(on);
  const beforeBirthday = at.month < born.month || (at.month === born.month && at.day < born.day);
  return at.year - born.year - (beforeBirthday ? 1 : 0);
}

/** One ground for eligibility, with an id so the same ground found two ways (a rule and an answer) shows once. */
export type Ground = { id: string; text: string };

export type Eligibility = {
  /** s16: the witness is vulnerable. */
  vulnerable: Ground[];
  /** s17: the witness is intimidated. */
  intimidated: Ground[];
  /** Under 18 on the day of the hearing: true, false, or null when the age is not known. */
  childAtHearing: boolean | null;
  /** A complainant of a sexual offence: eligible under s17(4), which also opens pre-recorded cross-examination. */
  sexualOffenceComplainant: boolean;
};

/** The victim, or the parent acting for a child victim, is the complainant; a witness or bereaved relative is not. */
const isComplainant = (role: CaseRole): boolean => role === 'victim' || role === 'parent_of_child_victim';

function add(grounds: Ground[], ground: Ground): void {
  if (!grounds.some((item) => item.id === ground.id)) grounds.push(ground);
}

/**
 * Whether the witness is eligible for special measures, and on which grounds: from their age at the hearing, the
 * enhanced-rights categories in force (vulnerable maps to s16, intimidated to s17) and the needs assessment's answers,
 * so a ground shows even before the entitlement rules have run on a new assessment.
 */
export function eligibility(facts: ReviewFacts): Eligibility {
  const vulnerable: Ground[] = [];
  const intimidated: Ground[] = [];
  const age = ageOn(facts.dateOfBirth, facts.hearingDate);
  let childAtHearing: boolean | null = age === null ? null : age < 18;
  if (childAtHearing === null && facts.assessment?.answers.under_18 === 'yes') childAtHearing = true;
  if (childAtHearing) add(vulnerable, { id: 'under_18', text: age === null ? 'Under 18, as the needs assessment recorded' : `Under 18 at the hearing (aged ${age})` });

  const health = (answer: string, id: string, words: string) => {
    if (answered(facts, answer) && answered(facts, 'health_affects_evidence')) add(vulnerable, { id, text: words });
  };
  health('mental_health', 'mental_disorder', 'A mental disorder is likely to affect the quality of their evidence');
  health('learning_disability', 'impaired_intelligence', 'A significant impairment of intelligence and social functioning is likely to affect their evidence');
  health('physical_disability', 'physical_disability', 'A physical disability or disorder is likely to affect the quality of their evidence');

  const complainant = isComplainant(facts.role);
  const sexual = complainant && sexualOffence(facts) !== null;
  if (answered(facts, 'fear_testifying')) add(intimidated, { id: 'fear_or_distress', text: 'Fear or distress about giving evidence is likely to affect it' });
  if (sexual) add(intimidated, { id: 'sexual_offence_complainant', text: 'Complainant of a sexual offence: eligible automatically unless they decline (s17(4))' });
  if (complainant && isModernSlavery(facts)) add(intimidated, { id: 'trafficking_complainant', text: 'Complainant of modern slavery or trafficking: eligible automatically unless they decline' });
  if (complainant && isDomesticAbuse(facts)) add(intimidated, { id: 'domestic_abuse_complainant', text: 'Complainant of domestic abuse: eligible automatically unless they decline' });

  for (const entitlement of facts.entitlements) {
    const [, route] = entitlement.rule.split('.');
    if (entitlement.category === 'vulnerable') {
      // Under 18 at the offence is not under 18 at the hearing: the age above decides that ground.
      if (entitlement.rule === 'vulnerable.under_18') continue;
      if (entitlement.rule === 'vulnerable.parent_of_child_victim') add(vulnerable, { id: 'child_victim', text: 'The witness is a child victim, for whom a parent or carer acts' });
      else if (entitlement.rule.startsWith('coordinator.')) add(vulnerable, { id: 'coordinator', text: 'A coordinator recorded them as vulnerable' });
      else add(vulnerable, { id: route ?? entitlement.rule, text: entitlement.reason });
    }
    if (entitlement.category === 'intimidated') {
      if (entitlement.rule.startsWith('coordinator.')) add(intimidated, { id: 'coordinator', text: 'A coordinator recorded them as intimidated' });
      else add(intimidated, { id: route ?? entitlement.rule, text: entitlement.reason });
    }
  }
  return { vulnerable, intimidated, childAtHearing, sexualOffenceComplainant: sexual };
}

export const SPECIAL_MEASURES = [
  'screens',
  'live_link',
  'evidence_in_private',
  'wigs_and_gowns',
  'video_recorded_evidence',
  'pre_recorded_cross_examination',
  'intermediary',
  'communication_aids',
] as const;
export type SpecialMeasure = (typeof SPECIAL_MEASURES)[number];

export const SPECIAL_MEASURE_NAMES: Record<SpecialMeasure, { section: number; name: string }> = {
  screens: { section: 23, name: 'Screens, so they do not see the defendant' },
  live_link: { section: 24, name: 'Live link: giving evidence from another room or place' },
  evidence_in_private: { section: 25, name: 'Evidence in private, with the public gallery cleared' },
  wigs_and_gowns: { section: 26, name: 'Removal of wigs and gowns' },
  video_recorded_evidence: { section: 27, name: 'Video-recorded interview as their evidence-in-chief' },
  pre_recorded_cross_examination: { section: 28, name: 'Pre-recorded cross-examination' },
  intermediary: { section: 29, name: 'An intermediary' },
  communication_aids: { section: 30, name: 'Aids to communication' },
};

export type MeasureReview = {
  measure: SpecialMeasure;
  section: number;
  name: string;
  /** Open to this witness under the Act, given the grounds found. */
  available: boolean;
  /** Why the answers and the case point to it; a measure available with no reason is still open to them. */
  reasons: string[];
};

export type SpecialMeasuresReview = {
  eligibility: Eligibility;
  eligible: boolean;
  /** Available and pointed to by the answers or the case: the measures to talk through with the victim. */
  toConsider: MeasureReview[];
  /** Available, with nothing in the record pointing to them yet. */
  alsoAvailable: MeasureReview[];
  /** Arrangements at court that are not special measures: interpreters are every victim's right (Right 1). */
  otherArrangements: string[];
  /**
   * Alternative arrangements to consider, open whatever their eligibility: a remote live link from another place for a
   * victim whose health could make attending court very hard (victims-code.md: the pre-court review checks these).
   */
  alternativeArrangements: string[];
};

/**
 * Which special measures to consider for the witness, and why (victims-code.md's table): screens, live link, removal
 * of wigs and gowns and video-recorded evidence for s16 and s17 witnesses; evidence in private in sexual or
 * modern-slavery cases, or where intimidation is feared; pre-recorded cross-examination for s16 witnesses and s17(4)
 * complainants; an intermediary and aids to communication for s16 witnesses only. Child witnesses default to a
 * video-recorded interview and live link. Applications and their outcomes belong to a later issue.
 */
export function reviewSpecialMeasures(facts: ReviewFacts): SpecialMeasuresReview {
  const found = eligibility(facts);
  const s16 = found.vulnerable.length > 0;
  const s17 = found.intimidated.length > 0;
  const complainant = isComplainant(facts.role);
  const sexualOrSlaveryCase = sexualOffence(facts) !== null || isModernSlavery(facts);
  const fear = answered(facts, 'fear_testifying') || found.intimidated.some((ground) => ground.id === 'fear_or_distress');
  const child = found.childAtHearing === true;
  const domesticAbuse = complainant && isDomesticAbuse(facts);
  const healthAffects = answered(facts, 'health_affects_evidence');
  const understanding = found.vulnerable.some((ground) => ground.id === 'mental_disorder' || ground.id === 'impaired_intelligence');

  const available: Record<SpecialMeasure, boolean> = {
    screens: s16 || s17,
    live_link: s16 || s17,
    evidence_in_private: (s16 || s17) && (sexualOrSlaveryCase || fear),
    wigs_and_gowns: s16 || s17,
    video_recorded_evidence: s16 || s17,
    pre_recorded_cross_examination: s16 || found.sexualOffenceComplainant,
    intermediary: s16,
    communication_aids: s16,
  };
  const reasons: Record<SpecialMeasure, string[]> = {
    screens: [],
    live_link: [],
    evidence_in_private: [],
    wigs_and_gowns: [],
    video_recorded_evidence: [],
    pre_recorded_cross_examination: [],
    intermediary: [],
    communication_aids: [],
  };
  const because = (measure: SpecialMeasure, reason: string) => {
    if (!reasons[measure].includes(reason)) reasons[measure].push(reason);
  };

  if (child) {
    because('video_recorded_evidence', 'The default for a child witness');
    because('live_link', 'The default for a child witness');
    because('wigs_and_gowns', 'A child witness');
  }
  if (fear) {
    because('screens', 'Worried or frightened about giving evidence');
    because('live_link', 'Worried or frightened about giving evidence');
    because('wigs_and_gowns', 'Worried or frightened about giving evidence');
    because('evidence_in_private', 'Intimidation is feared');
  }
  if (domesticAbuse) {
    because('screens', 'Domestic abuse: they need not see the defendant');
    because('live_link', 'Domestic abuse: they need not be in the courtroom with the defendant');
  }
  if (found.sexualOffenceComplainant) {
    because('video_recorded_evidence', 'Complainant of a sexual offence');
    because('pre_recorded_cross_examination', 'Complainant of a sexual offence (s17(4))');
    because('screens', 'Complainant of a sexual offence');
  }
  if (sexualOrSlaveryCase) because('evidence_in_private', sexualOffence(facts) ? 'A sexual offence case' : 'A modern slavery case');
  if (answered(facts, 'physical_disability') && healthAffects) {
    because('live_link', 'Their health could make attending court very hard: consider a remote live link');
  }
  if (understanding) {
    because('intermediary', 'A condition that affects how they understand or communicate');
    because('communication_aids', 'A condition that affects how they understand or communicate');
    because('video_recorded_evidence', 'A condition that affects how they give evidence');
    because('pre_recorded_cross_examination', 'A condition that affects how they give evidence');
  }
  if (child) because('intermediary', 'A child witness');
  if (answered(facts, 'easy_read')) because('communication_aids', 'Asked for information in Easy Read');

  const measures = SPECIAL_MEASURES.map((measure): MeasureReview => ({
    measure,
    ...SPECIAL_MEASURE_NAMES[measure],
    available: available[measure],
    reasons: available[measure] ? reasons[measure] : [],
  }));
  const otherArrangements: string[] = [];
  const language = typeof facts.assessment?.answers.language === 'string' ? facts.assessment.answers.language.trim() : '';
  if (answered(facts, 'interpreter')) otherArrangements.push(language ? `An interpreter at court (${language})` : 'An interpreter at court');
  if (answered(facts, 'bsl')) otherArrangements.push('A British Sign Language interpreter at court');
  return {
    alternativeArrangements: alternativeArrangements(facts),
    eligibility: found,
    eligible: s16 || s17,
    toConsider: measures.filter((measure) => measure.available && measure.reasons.length > 0),
    alsoAvailable: measures.filter((measure) => measure.available && measure.reasons.length === 0),
    otherArrangements,
  };
}

/**
 * A remote live link from another place (home, a hospital) for a victim with a physical condition or long-term illness
 * (such as severe epileptic seizures) that could make attending court very hard: flagged when the assessment says their
 * health affects giving evidence, or that they may have to give evidence at all, since the journey and the day in court
 * are the hard part even when the evidence itself would not suffer. The coordinator confirms it with the victim.
 */
export function alternativeArrangements(facts: ReviewFacts): string[] {
  if (!answered(facts, 'physical_disability')) return [];
  if (!answered(facts, 'health_affects_evidence') && !answered(facts, 'may_give_evidence')) return [];
  return ['A remote live link from another place, such as home or hospital: a medical condition could make attending court very hard'];
}
