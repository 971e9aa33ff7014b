// The needs assessment as data and pure rules: the question catalogue (with its version), checking answers question by
// question, contradictions to resolve, and the evidence the entitlements rules read. No I/O.
import { isCalendarDate, type CalendarDate } from '../../platform/time/calendar-date.ts';
import { checkDash, dashStarted, type DashConfig, type DashResult } from './dash.ts';

/** Bump when questions change meaning, so each stored version says which wording the victim answered. */
export const CATALOGUE_VERSION = '2026-1';

export const SECTIONS = ['safety', 'health', 'communication', 'practical', 'emotional', 'children', 'court', 'wishes'] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_NAMES: Record<Section, string> = {
  safety: 'Safety and risk of it happening again',
  health: 'Health, disability and mental health',
  communication: 'Communication',
  practical: 'Practical needs',
  emotional: 'Emotional wellbeing',
  children: 'Children and dependants',
  court: 'Going to court',
  wishes: 'What the victim wants',
};

export type AnswerType = 'yes_no' | 'choice' | 'text' | 'number';
export type Question = {
  id: string;
  section: Section;
  text: string;
  type: AnswerType;
  required: boolean;
  hint?: string;
  options?: readonly { value: string; text: string }[];
  min?: number;
  max?: number;
  maxLength?: number;
};

const yesNo = (id: string, section: Section, text: string, hint?: string): Question => ({ id, section, text, type: 'yes_no', required: true, ...(hint ? { hint } : {}) });
const notes = (id: string, section: Section, text: string): Question => ({ id, section, text, type: 'text', required: false, maxLength: 2000 });

export const QUESTIONS: readonly Question[] = [
  yesNo('feels_safe', 'safety', 'Do you feel safe where you live now?'),
  yesNo('fears_repeat', 'safety', 'Are you worried this could happen to you again?'),
  {
    id: 'knows_offender',
    section: 'safety',
    text: 'Do you know the person who did this?',
    type: 'choice',
    required: true,
    options: [
      { value: 'stranger', text: 'No, they are a stranger' },
      { value: 'known', text: 'Yes, someone I know' },
      { value: 'partner_or_family', text: 'Yes, a partner, ex-partner or family member' },
      { value: 'not_known', text: 'Not known' },
    ],
  },
  yesNo('domestic_abuse', 'safety', 'Is a partner, ex-partner or family member hurting, threatening or controlling you?', 'If yes, complete the DASH risk checklist at the end of this form.'),
  yesNo('targeted_before', 'safety', 'Has the same person or group targeted you before?'),
  { id: 'age', section: 'health', text: 'How old are you?', type: 'number', required: false, min: 0, max: 120, hint: 'In years. Leave blank if they would rather not say.' },
  yesNo('under_18', 'health', 'Are you under 18?'),
  yesNo('lives_alone', 'health', 'Do you live alone?'),
  yesNo('mental_health', 'health', 'Do you have a mental health condition that affects your daily life?'),
  yesNo('learning_disability', 'health', 'Do you have a learning disability, or a condition such as autism, that affects how you understand things or get on with people?'),
  yesNo('physical_disability', 'health', 'Do you have a physical disability or a long-term illness?'),
  yesNo('health_affects_evidence', 'health', 'Could any of these make it harder for you to tell the police or a court what happened?'),
  notes('health_notes', 'health', 'Anything else about your health we should know (optional)'),
  { id: 'language', section: 'communication', text: 'Which language would you like us to use?', type: 'text', required: true, maxLength: 100 },
  yesNo('interpreter', 'communication', 'Do you need an interpreter?'),
  yesNo('bsl', 'communication', 'Do you use British Sign Language (BSL)?'),
  yesNo('easy_read', 'communication', 'Would you like letters and information in Easy Read?'),
  yesNo('home_security', 'practical', 'Do you need help to make your home more secure?'),
  yesNo('money', 'practical', 'Do you need help with money because of the crime?'),
  yesNo('housing', 'practical', 'Do you need help with housing?'),
  yesNo('property', 'practical', 'Do you need help with property that was damaged or taken?'),
  {
    id: 'coping',
    section: 'emotional',
    text: 'How are you coping since the crime?',
    type: 'choice',
    required: true,
    options: [
      { value: 'well', text: 'I am coping well' },
      { value: 'some_difficulty', text: 'I am finding some things hard' },
      { value: 'struggling', text: 'I am struggling' },
    ],
  },
  yesNo('wants_emotional_support', 'emotional', 'Would you like someone to talk to about how you feel?'),
  yesNo('has_dependants', 'children', 'Do you have children, or other people who depend on you?'),
  { id: 'dependants_count', section: 'children', text: 'How many people depend on you?', type: 'number', required: false, min: 0, max: 30 },
  yesNo('children_affected', 'children', 'Were any children affected by the crime?'),
  yesNo('may_give_evidence', 'court', 'Might you need to give evidence in court?'),
  yesNo('fear_testifying', 'court', 'Are you worried or frightened about giving evidence?'),
  {
    id: 'wants_enhanced_support',
    section: 'wishes',
    text: 'Would you like the extra support that victims with enhanced rights can have?',
    type: 'choice',
    required: true,
    options: [
      { value: 'yes', text: 'Yes' },
      { value: 'no', text: 'No' },
      { value: 'not_asked', text: 'Not asked yet' },
    ],
  },
  notes('victim_wants', 'wishes', 'In your own words, what would help you most? (optional)'),
];

export type AnswerValue = string | number;
export type Answers = Record<string, AnswerValue>;
export type FieldErrors = Record<string, string>;
type Form = Record<string, unknown>;

const textOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const YES_NO = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
];
export const optionsOf = (question: Question): readonly { value: string; text: string }[] => (question.type === 'yes_no' ? YES_NO : (question.options ?? []));

/** One answer checked against its question: the stored value, nothing when left blank, or the message to show. */
export function checkAnswer(question: Question, raw: unknown): { value?: AnswerValue } | { error: string } {
  const text = textOf(raw);
  const lower = question.text.charAt(0).toLowerCase() + question.text.slice(1).replace(/ \(optional\)$/, '');
  if (!text) return question.required ? { error: question.type === 'text' ? `Enter an answer to “${question.text}”` : `Select an answer to “${question.text}”` } : {};
  switch (question.type) {
    case 'yes_no':
    case 'choice':
      return optionsOf(question).some((option) => option.value === text) ? { value: text } : { error: `Select an answer to “${question.text}”` };
    case 'number': {
      if (!/^\d{1,3}$/.test(text)) return { error: `The answer to “${lower}” must be a whole number, like 42` };
      const value = Number(text);
      if (value < (question.min ?? 0) || value > (question.max ?? Number.MAX_SAFE_INTEGER)) {
        return { error: `The answer to “${lower}” must be between ${question.min ?? 0} and ${question.max}` };
      }
      return { value };
    }
    case 'text':
      return text.length > (question.maxLength ?? 2000) ? { error: `The answer to “${lower}” must be ${question.maxLength ?? 2000} characters or fewer` } : { value: text };
  }
}

/** Age in whole years on `on`, from a date of birth; both YYYY-MM-DD. */
export function ageOn(dateOfBirth: CalendarDate, on: CalendarDate): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * Answers that cannot all be true. They are errors to resolve with the victim, never saved as they stand: the record
 * decides who has enhanced rights (under 18 makes a victim vulnerable).
 */
export function contradictions(answers: Answers, person: { dateOfBirth: CalendarDate | null; today: CalendarDate }): FieldErrors {
  const errors: FieldErrors = {};
  const recordedAge = person.dateOfBirth && isCalendarDate(person.dateOfBirth) ? ageOn(person.dateOfBirth, person.today) : null;
  const age = typeof answers.age === 'number' ? answers.age : null;
  if (recordedAge !== null && age !== null && age !== recordedAge) {
    errors.age = `The age given is ${age}, but the date of birth on record makes them ${recordedAge}. Check which is right`;
  }
  if (answers.under_18 === 'yes') {
    if (recordedAge !== null && recordedAge >= 18) errors.under_18 = `You said they are under 18, but the date of birth on record makes them ${recordedAge}. Check which is right`;
    else if (age !== null && age >= 18) errors.under_18 = `You said they are under 18, but their age is given as ${age}. Check which is right`;
  }
  if (answers.under_18 === 'no') {
    if (recordedAge !== null && recordedAge < 18) errors.under_18 = `You said they are not under 18, but the date of birth on record makes them ${recordedAge}. Check which is right`;
    else if (age !== null && age < 18) errors.under_18 = `You said they are not under 18, but their age is given as ${age}. Check which is right`;
  }
  if (answers.has_dependants === 'no' && typeof answers.dependants_count === 'number' && answers.dependants_count > 0) {
    errors.dependants_count = 'You said nobody depends on them, but gave a number of dependants. Check which is right';
  }
  return errors;
}

export const METHODS = ['phone', 'in_person'] as const;
export type Method = (typeof METHODS)[number];
export const METHOD_NAMES: Record<Method, string> = { phone: 'By phone', in_person: 'In person' };

export type CheckedAssessment = { method: Method; assessedOn: CalendarDate; answers: Answers; dash: DashResult | null };

function checkDate(form: Form, today: CalendarDate): { value: CalendarDate } | { error: string } {
  const [day, month, year] = [textOf(form.day), textOf(form.month), textOf(form.year)];
  if (!day && !month && !year) return { error: 'Enter the date of the assessment' };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { error: 'The date of the assessment must be a real date' };
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  if (!isCalendarDate(date)) return { error: 'The date of the assessment must be a real date' };
  if (date > today) return { error: 'The date of the assessment must be today or in the past' };
  if (ageOn(date, today) >= 1) return { error: 'The date of the assessment must be within the last year' };
  return { value: date };
}

/**
 * Checks the whole form: how and when, each answer, contradictions, and the DASH checklist when there is domestic abuse.
 * A checklist filled in for a case without domestic abuse is an error too, so nothing the coordinator entered is lost.
 */
export function checkAssessment(
  form: Form,
  context: { dateOfBirth: CalendarDate | null; today: CalendarDate; dash: DashConfig },
): { value: CheckedAssessment } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const method = textOf(form.method);
  if (!(METHODS as readonly string[]).includes(method)) errors.method = 'Select how the assessment was done';
  const date = checkDate(form, context.today);
  if ('error' in date) errors.assessedOn = date.error;
  const answers: Answers = {};
  for (const question of QUESTIONS) {
    const checked = checkAnswer(question, form[question.id]);
    if ('error' in checked) errors[question.id] = checked.error;
    else if (checked.value !== undefined) answers[question.id] = checked.value;
  }
  const assessedOn = 'value' in date ? date.value : context.today;
  for (const [field, message] of Object.entries(contradictions(answers, { dateOfBirth: context.dateOfBirth, today: assessedOn }))) {
    errors[field] ??= message;
  }
  let dash: DashResult | null = null;
  if (answers.domestic_abuse === 'yes') {
    const checked = checkDash(form, context.dash);
    if ('errors' in checked) Object.assign(errors, checked.errors);
    else dash = checked.value;
  } else if (answers.domestic_abuse === 'no' && dashStarted(form)) {
    errors.domestic_abuse = 'You filled in the DASH checklist but said there is no domestic abuse. Check the answer, or clear the checklist';
  }
  if (Object.keys(errors).length) return { errors };
  return { value: { method: method as Method, assessedOn, answers, dash } };
}

/** What the entitlements rules read from an assessment. The shape is shared with that module: change it with them. */
export type EntitlementEvidence = {
  mentalDisorder: boolean;
  impairedIntelligenceAndSocialFunctioning: boolean;
  physicalDisabilityOrDisorder: boolean;
  evidenceLikelyAffected: boolean;
  fearOrDistressAboutTestifying: boolean;
  persistentlyTargeted: boolean;
  domesticAbuse: boolean;
  victimWantsEnhancedSupport: 'yes' | 'no' | 'not_asked';
};

export function entitlementEvidence(answers: Answers): EntitlementEvidence {
  const yes = (id: string) => answers[id] === 'yes';
  const wants = answers.wants_enhanced_support;
  return {
    mentalDisorder: yes('mental_health'),
    impairedIntelligenceAndSocialFunctioning: yes('learning_disability'),
    physicalDisabilityOrDisorder: yes('physical_disability'),
    evidenceLikelyAffected: yes('health_affects_evidence'),
    fearOrDistressAboutTestifying: yes('fear_testifying'),
    persistentlyTargeted: yes('targeted_before'),
    domesticAbuse: yes('domestic_abuse'),
    victimWantsEnhancedSupport: wants === 'yes' || wants === 'no' ? wants : 'not_asked',
  };
}
