// What victims' comments are about, for the commissioner: a plain keyword classifier run only while the upkeep job
// refreshes the feedback aggregates, which keep a count per theme and never the words. Keywords are matched at the
// start of a word, so "wait" finds "waiting" and "waited" but not "await"; one comment can carry several themes.
export const FEEDBACK_THEMES = ['kept_informed', 'waiting', 'staff_attitude', 'support_quality', 'court', 'safety', 'accessibility'] as const;
export type FeedbackTheme = (typeof FEEDBACK_THEMES)[number];

/** Plain names for pages and CSVs. */
export const FEEDBACK_THEME_NAMES: Record<FeedbackTheme, string> = {
  kept_informed: 'Being kept informed',
  waiting: 'Waiting and delays',
  staff_attitude: 'How staff treated them',
  support_quality: 'The support given',
  court: 'Court and the trial',
  safety: 'Feeling safe',
  accessibility: 'Access and communication needs',
};

// Word starts (lower case, no accents). Phrases are matched as written, at a word boundary.
const KEYWORDS: Record<FeedbackTheme, readonly string[]> = {
  kept_informed: ['inform', 'update', 'kept me', 'keep me', 'told', 'heard nothing', 'no news', 'news', 'call back', 'called back', 'never called', 'ring back', 'rang back', 'reply', 'replied', 'respond', 'contact', 'in the dark', 'explain'],
  waiting: ['wait', 'delay', 'slow', 'took ages', 'took weeks', 'took months', 'long time', 'still no', 'quick', 'prompt', 'fast', 'late'],
  staff_attitude: ['rude', 'kind', 'polite', 'respect', 'disrespect', 'dismissive', 'listen', 'caring', 'compassion', 'understanding', 'patient', 'friendly', 'unhelpful', 'judg', 'believed', 'not believed', 'empath', 'sympath'],
  support_quality: ['support', 'help', 'counsell', 'advice', 'advis', 'therap', 'caseworker', 'case worker', 'advocate', 'isva', 'idva', 'service', 'referral', 'referred'],
  court: ['court', 'trial', 'hearing', 'judge', 'jury', 'witness', 'sentenc', 'verdict', 'prosecut', 'cps', 'evidence', 'special measures', 'screen', 'video link'],
  safety: ['safe', 'unsafe', 'scare', 'scary', 'afraid', 'fear', 'frighten', 'threat', 'intimidat', 'protect', 'harass', 'stalk', 'bail', 'released', 'retaliat'],
  accessibility: ['interpret', 'translat', 'language', 'access', 'disab', 'wheelchair', 'deaf', 'blind', 'hearing loop', 'large print', 'easy read', 'sign language', 'bsl', 'dyslex', 'autis', 'adjustment', 'welsh'],
};

const normalise = (comment: string): string =>
  ` ${comment.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[’']/g, '').replace(/[^a-z0-9]+/g, ' ').trim()} `;

/** The themes a comment mentions, in FEEDBACK_THEMES order; none for an empty or unrelated comment. */
export function themesOf(comment: string | null | undefined): FeedbackTheme[] {
  if (!comment) return [];
  const text = normalise(comment);
  return FEEDBACK_THEMES.filter((theme) => KEYWORDS[theme].some((keyword) => text.includes(` ${keyword}`)));
}
