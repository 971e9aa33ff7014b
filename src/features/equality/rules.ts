// The three equality monitoring questions asked with the victim (sex, ethnic group, disability): the answers offered,
// and the check of a sent form. Every question is optional; an unanswered one stays "not asked". Pure.
import { DISABLED_ANSWERS, ETHNIC_GROUPS, PERSON_SEXES, type Disabled, type EthnicGroup, type PersonSex } from '../../platform/db/schema.ts';
import { EQUALITY_CATEGORY_NAMES } from '../insights/rules.ts';

export type EqualityAnswers = { sex: PersonSex | null; ethnicGroup: EthnicGroup | null; disabled: Disabled | null };
export type EqualityField = keyof EqualityAnswers;


/** The question each field asks, its answers with their plain names, and the error when a sent value is not one. */
export const QUESTIONS = [
  {
    field: 'sex',
    legend: 'What is your sex?',
    answers: PERSON_SEXES.map((value) => ({ value, text: EQUALITY_CATEGORY_NAMES.sex![value]! })),
    error: 'Select the victim’s sex from the list, or leave the question unanswered',
  },
  {
    field: 'ethnicGroup',
    legend: 'What is your ethnic group?',
    answers: ETHNIC_GROUPS.map((value) => ({ value, text: EQUALITY_CATEGORY_NAMES.ethnic_group![value]! })),
    error: 'Select the victim’s ethnic group from the list, or leave the question unanswered',
  },
  {
    field: 'disabled',
    legend: 'Do you consider yourself to have a disability or long-term health condition?',
    // "Disabled" and "Not disabled" are the names for the figures; the victim is asked in their own words.
    answers: DISABLED_ANSWERS.map((value) => ({ value, text: { yes: 'Yes', no: 'No', not_stated: 'Prefer not to say' }[value] })),
    error: 'Select yes, no or prefer not to say, or leave the question unanswered',
  },
] as const satisfies readonly { field: EqualityField; legend: string; answers: readonly { value: string; text: string }[]; error: string }[];

const ALLOWED: Record<EqualityField, readonly string[]> = { sex: PERSON_SEXES, ethnicGroup: ETHNIC_GROUPS, disabled: DISABLED_ANSWERS };

/**
 * The answers a form sends, or an error per field whose value is not one offered. A missing or empty field is
 * unanswered (null): the victim does not have to answer.
 */
export function checkEqualityAnswers(form: Readonly<Record<string, unknown>>): { value: EqualityAnswers } | { errors: Partial<Record<EqualityField, string>> } {
  const errors: Partial<Record<EqualityField, string>> = {};
  const value: Record<string, string | null> = {};
  for (const question of QUESTIONS) {
    const sent = form[question.field];
    if (sent === undefined || sent === '') value[question.field] = null;
    else if (typeof sent === 'string' && ALLOWED[question.field].includes(sent)) value[question.field] = sent;
    else errors[question.field] = question.error;
  }
  if (Object.keys(errors).length) return { errors };
  return { value: value as EqualityAnswers };
}

/** The fields whose answer differs: all the audit trail records of a change, never the answers themselves. */
export function changedFields(before: EqualityAnswers, after: EqualityAnswers): EqualityField[] {
  return QUESTIONS.map((question) => question.field).filter((field) => before[field] !== after[field]);
}

/** How the page shows an answer back: its plain name, or "Not answered". */
export function answerText(field: EqualityField, value: string | null): string {
  if (value === null) return 'Not answered';
  return QUESTIONS.find((question) => question.field === field)?.answers.find((answer) => answer.value === value)?.text ?? 'Not answered';
}
