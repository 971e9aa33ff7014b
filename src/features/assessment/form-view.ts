// Turns the catalogue, a stored version or a submitted form into what the templates show: GOV.UK fieldsets per section,
// the error summary in the order of the form, and answers as plain words. Presentation only, no rules.
import { DASH_ANSWER_NAMES, DASH_ANSWERS, DASH_LEVEL_NAMES, DASH_QUESTIONS } from './dash.ts';
import type { StoredAssessment } from './repository.ts';
import { METHOD_NAMES, METHODS, QUESTIONS, SECTIONS, SECTION_NAMES, optionsOf, type Answers } from './rules.ts';

type Values = Record<string, unknown>;
const stringOf = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** The form's fieldsets, filled with `values` (a submitted form, or a previous version's answers). */
export function formSections(values: Values, fieldErrors: Record<string, string>) {
  const sections = SECTIONS.map((section) => ({
    id: section,
    name: SECTION_NAMES[section],
    questions: QUESTIONS.filter((question) => question.section === section).map((question) => ({
      id: question.id,
      text: question.text,
      type: question.type,
      hint: question.hint,
      maxLength: question.maxLength,
      value: stringOf(values[question.id]),
      error: fieldErrors[question.id],
      items: optionsOf(question).map((option) => ({ value: option.value, text: option.text, checked: stringOf(values[question.id]) === option.value })),
    })),
  }));
  const dash = DASH_QUESTIONS.map((question, index) => ({
    id: question.id,
    text: `${index + 1}. ${question.text}`,
    error: fieldErrors[question.id],
    items: DASH_ANSWERS.map((answer) => ({ value: answer, text: DASH_ANSWER_NAMES[answer], checked: stringOf(values[question.id]) === answer })),
  }));
  const methodItems = METHODS.map((method) => ({ value: method, text: METHOD_NAMES[method], checked: values.method === method }));
  return { sections, dash, methodItems };
}

const FIELD_ORDER = ['method', 'assessedOn', ...QUESTIONS.map((question) => question.id), ...DASH_QUESTIONS.map((question) => question.id), 'dashOverride', 'dashOverrideReason', 'submissionKey'];
const ANCHORS: Record<string, string> = { assessedOn: '#assessedOn-day', submissionKey: '#main-content' };

/** The error summary's list, in the order the fields come on the page. */
export const errorList = (fieldErrors: Record<string, string>) =>
  FIELD_ORDER.filter((field) => fieldErrors[field]).map((field) => ({ text: fieldErrors[field], href: ANCHORS[field] ?? `#${field}` }));

/** A previous version's answers as form values, to start a re-assessment from. The DASH is always asked afresh. */
export const valuesFrom = (previous: StoredAssessment | undefined): Values => ({ ...(previous?.answers ?? {}) });

function answerText(answers: Answers, id: string): string {
  const question = QUESTIONS.find((candidate) => candidate.id === id);
  const value = answers[id];
  if (!question || value === undefined) return 'Not answered';
  if (question.type === 'yes_no' || question.type === 'choice') return optionsOf(question).find((option) => option.value === value)?.text ?? String(value);
  return String(value);
}

/** A stored version as summary lists per section, and its DASH result. */
export function assessmentView(assessment: StoredAssessment) {
  return {
    methodName: METHOD_NAMES[assessment.method],
    sections: SECTIONS.map((section) => ({
      name: SECTION_NAMES[section],
      rows: QUESTIONS.filter((question) => question.section === section).map((question) => ({
        key: { text: question.text.replace(/ \(optional\)$/, '') },
        value: { text: answerText(assessment.answers, question.id) },
      })),
    })),
    dash: assessment.dash && {
      ...assessment.dash,
      levelName: DASH_LEVEL_NAMES[assessment.dash.level],
      scoreLevelName: DASH_LEVEL_NAMES[assessment.dash.scoreLevel],
      rows: DASH_QUESTIONS.map((question, index) => ({
        key: { text: `${index + 1}. ${question.text}` },
        value: { text: DASH_ANSWER_NAMES[assessment.dash?.answers[question.id] ?? 'not_known'] },
      })),
    },
  };
}
