// The SafeLives DASH (2009) domestic abuse risk checklist: its 24 questions, how answers are checked, and how the
// score, the level and a professional-judgement override make the result. Pure: the threshold comes in as config.

export const DASH_ANSWERS = ['yes', 'no', 'not_known'] as const;
export type DashAnswer = (typeof DASH_ANSWERS)[number];

export const DASH_ANSWER_NAMES: Record<DashAnswer, string> = { yes: 'Yes', no: 'No', not_known: 'Not known' };

/** The checklist's questions in their published order, in plain words ("the abuser" is the person causing harm). */
export const DASH_QUESTIONS: readonly { id: string; text: string }[] = [
  'Has the current incident resulted in injury?',
  'Are you very frightened?',
  'What are you afraid of? Is it further injury or violence?',
  'Do you feel isolated from family or friends? For example, does the abuser try to stop you seeing friends, family, your doctor or others?',
  'Are you feeling depressed or having suicidal thoughts?',
  'Have you separated or tried to separate from the abuser within the past year?',
  'Is there conflict over contact with the children?',
  'Does the abuser constantly text, call, contact, follow, stalk or harass you?',
  'Are you pregnant, or have you had a baby in the last 18 months?',
  'Is the abuse happening more often?',
  'Is the abuse getting worse?',
  'Does the abuser try to control everything you do, or are they very jealous?',
  'Has the abuser ever used weapons or objects to hurt you?',
  'Has the abuser ever threatened to kill you or someone else, and you believed them?',
  'Has the abuser ever tried to strangle, choke, suffocate or drown you?',
  'Does the abuser do or say things of a sexual nature that make you feel bad, or that physically hurt you or someone else?',
  'Is there any other person who has threatened you, or who you are afraid of?',
  'Do you know if the abuser has hurt anyone else?',
  'Has the abuser ever mistreated an animal or the family pet?',
  'Are there any money problems? For example, do you depend on the abuser for money, or have they recently lost their job?',
  'Has the abuser had problems in the past year with drugs, alcohol or mental health that made normal life hard?',
  'Has the abuser ever threatened or tried to kill themselves?',
  'Has the abuser ever broken bail, an injunction or an agreement about when they can see you or the children?',
  'Do you know if the abuser has ever been in trouble with the police, or has a criminal record?',
].map((text, index) => ({ id: `dash_${index + 1}`, text }));

/** Where an area sets its own reading of the score. SafeLives guidance reads 14 or more "yes" answers as high risk. */
export type DashConfig = { highRiskThreshold: number };
export const DEFAULT_DASH_CONFIG: DashConfig = { highRiskThreshold: 14 };

export type DashLevel = 'high' | 'standard';
export const DASH_LEVEL_NAMES: Record<DashLevel, string> = { high: 'High risk', standard: 'Below the high-risk threshold' };

export type DashResult = {
  answers: Record<string, DashAnswer>;
  score: number;
  threshold: number;
  /** The level the score alone gives. */
  scoreLevel: DashLevel;
  /** The coordinator's written reason for raising the level to high, or null when the score stands. */
  overrideReason: string | null;
  /** The level that counts: high by score or by override. */
  level: DashLevel;
};

export const OVERRIDE_REASON_MAX_LENGTH = 2000;

type Form = Record<string, unknown>;
const textOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const isDashAnswer = (value: unknown): value is DashAnswer => typeof value === 'string' && (DASH_ANSWERS as readonly string[]).includes(value);

/** True when the form carries any DASH answer or override, so a checklist filled in by mistake is not dropped silently. */
export const dashStarted = (form: Form): boolean =>
  DASH_QUESTIONS.some((question) => textOf(form[question.id]) !== '') || textOf(form.dashOverride) !== '' || textOf(form.dashOverrideReason) !== '';

export function scoreDash(answers: Record<string, DashAnswer>, config: DashConfig): { score: number; scoreLevel: DashLevel } {
  const score = Object.values(answers).filter((answer) => answer === 'yes').length;
  return { score, scoreLevel: score >= config.highRiskThreshold ? 'high' : 'standard' };
}

/**
 * Checks a completed checklist and works out its result. Every question needs an answer ("not known" is an answer).
 * An override may only raise the level, and needs a reason a colleague or the MARAC could read.
 */
export function checkDash(form: Form, config: DashConfig): { value: DashResult } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const answers: Record<string, DashAnswer> = {};
  DASH_QUESTIONS.forEach((question, index) => {
    const answer = form[question.id];
    if (isDashAnswer(answer)) answers[question.id] = answer;
    else errors[question.id] = `Select yes, no or not known for DASH question ${index + 1}`;
  });
  const override = textOf(form.dashOverride);
  const reason = textOf(form.dashOverrideReason);
  if (override !== '' && override !== 'high') errors.dashOverride = 'Select whether to raise the risk level to high';
  if (override === 'high' && !reason) errors.dashOverrideReason = 'Enter why your professional judgement is that the risk is high';
  if (override !== 'high' && reason) errors.dashOverrideReason = 'Tick “raise the risk level to high” to use this reason, or remove the reason';
  if (reason.length > OVERRIDE_REASON_MAX_LENGTH) errors.dashOverrideReason = `The reason must be ${OVERRIDE_REASON_MAX_LENGTH} characters or fewer`;
  if (Object.keys(errors).length) return { errors };
  const { score, scoreLevel } = scoreDash(answers, config);
  const overrideReason = override === 'high' ? reason : null;
  return {
    value: { answers, score, threshold: config.highRiskThreshold, scoreLevel, overrideReason, level: overrideReason ? 'high' : scoreLevel },
  };
}
