// Pure rules for deciding whether a referral's person is someone Haven already holds. The repository finds candidates
// by indexed keys and measures name similarity in the database (pg_trgm, fuzzystrmatch); these rules weigh what matched.
// Deterministic: no I/O.

/** The person in a new referral, already normalised by the people rules. */
export type MatchSubject = {
  givenName: string;
  familyName: string | null;
  matchName: string;
  dateOfBirth: string | null;
  phone: string | null;
  email: string | null;
  postcode: string | null;
};

/** What the referral says beyond the person: the crime it is about, and the sender's own reference. */
export type MatchContext = {
  crimeReference?: string | null;
  referringOrganisationId?: string | null;
  sourceReference?: string | null;
};

/** A person Haven holds, with what the database measured against the subject. */
export type MatchCandidate = {
  id: string;
  givenName: string;
  familyName: string | null;
  matchName: string;
  dateOfBirth: string | null;
  phone: string | null;
  email: string | null;
  postcode: string | null;
  /** pg_trgm similarity() of the two match names, 0 to 1. */
  nameSimilarity: number;
  /** Double metaphone of the family names agree (both present). */
  familyNameSoundsAlike: boolean;
  /** Double metaphone of the given names agree. */
  givenNameSoundsAlike: boolean;
  /** The candidate already has a case on the referral's crime reference. */
  onSameCrime: boolean;
  /** The candidate already has a case with the same sender's reference from the same sender. */
  sameSourceReference: boolean;
};

export type MatchLevel = 'exact' | 'strong' | 'possible' | 'none';

/** A field that matched; names only, so the reasons may be stored and audited. */
export type MatchReason =
  | 'source_reference'
  | 'crime_reference'
  | 'full_name'
  | 'given_name'
  | 'family_name'
  | 'similar_name'
  | 'date_of_birth'
  | 'phone'
  | 'email'
  | 'postcode';

export type MatchScore = { level: MatchLevel; score: number; reasons: MatchReason[] };

/** Names at least this similar by trigrams count as the same name spelled differently. */
export const TRIGRAM_THRESHOLD = 0.5;

export const isCertain = (level: MatchLevel): boolean => level === 'exact' || level === 'strong';

const firstWord = (name: string): string => name.split(' ')[0] ?? '';

/** "Jon" and "Jonathan", "Sam" and "Samantha": one given name is the start of the other. */
export function givenNamesAgree(a: string, b: string): boolean {
  const [x, y] = [firstWord(a), firstWord(b)];
  if (!x || !y) return false;
  if (x === y) return true;
  const [shorter, longer] = x.length <= y.length ? [x, y] : [y, x];
  return shorter.length >= 3 && longer.startsWith(shorter);
}

/** Weighs one candidate against the subject. `subject` names are in matching form (matchingName). */
export function scoreCandidate(subject: MatchSubject, candidate: MatchCandidate): MatchScore {
  const reasons: MatchReason[] = [];
  const same = (a: string | null, b: string | null) => a !== null && b !== null && a === b;
  const fullName = subject.matchName === candidate.matchName;
  const given = firstWord(subject.givenName) !== '' && firstWord(subject.givenName) === firstWord(candidate.givenName);
  const family = same(subject.familyName, candidate.familyName);
  const dateOfBirth = same(subject.dateOfBirth, candidate.dateOfBirth);
  const dateOfBirthConflicts = subject.dateOfBirth !== null && candidate.dateOfBirth !== null && !dateOfBirth;
  const phone = same(subject.phone, candidate.phone);
  const email = same(subject.email, candidate.email);
  const postcode = same(subject.postcode, candidate.postcode);
  const similarName =
    !fullName &&
    (candidate.nameSimilarity >= TRIGRAM_THRESHOLD ||
      (candidate.familyNameSoundsAlike && (candidate.givenNameSoundsAlike || givenNamesAgree(subject.givenName, candidate.givenName))));

  if (candidate.sameSourceReference) reasons.push('source_reference');
  if (candidate.onSameCrime) reasons.push('crime_reference');
  if (fullName) reasons.push('full_name');
  else {
    if (given) reasons.push('given_name');
    if (family) reasons.push('family_name');
    if (similarName) reasons.push('similar_name');
  }
  if (dateOfBirth) reasons.push('date_of_birth');
  if (phone) reasons.push('phone');
  if (email) reasons.push('email');
  if (postcode) reasons.push('postcode');

  if (candidate.sameSourceReference || (candidate.onSameCrime && fullName)) return { level: 'exact', score: 1, reasons };
  // A different date of birth on both records outweighs a shared phone or email: families share both.
  if (!dateOfBirthConflicts && ((fullName && dateOfBirth) || ((phone || email) && (fullName || given || family)))) {
    return { level: 'strong', score: 0.9, reasons };
  }
  const otherFields = [dateOfBirth, phone, email, postcode].filter(Boolean).length;
  if ((similarName || fullName || candidate.onSameCrime) && otherFields > 0) {
    const score = Math.min(0.85, 0.5 + 0.1 * otherFields + 0.1 * Math.min(1, candidate.nameSimilarity));
    return { level: 'possible', score: Math.round(score * 1000) / 1000, reasons };
  }
  return { level: 'none', score: 0, reasons };
}

export type MatchOutcome =
  | { kind: 'certain'; personId: string; score: MatchScore }
  | { kind: 'possible'; candidates: { personId: string; score: MatchScore }[] }
  | { kind: 'none' };

const RANK: Record<MatchLevel, number> = { exact: 3, strong: 2, possible: 1, none: 0 };

/** At most this many possible matches go to the review queue for one referral. */
export const MAX_POSSIBLE_MATCHES = 3;

/** The best of the candidates: a certain match links; otherwise the best possible ones go to review. */
export function decideMatch(subject: MatchSubject, candidates: readonly MatchCandidate[]): MatchOutcome {
  const scored = candidates
    .map((candidate) => ({ personId: candidate.id, score: scoreCandidate(subject, candidate) }))
    .filter((entry) => entry.score.level !== 'none')
    .sort((a, b) => RANK[b.score.level] - RANK[a.score.level] || b.score.score - a.score.score || a.personId.localeCompare(b.personId));
  const best = scored[0];
  if (!best) return { kind: 'none' };
  if (isCertain(best.score.level)) return { kind: 'certain', personId: best.personId, score: best.score };
  return { kind: 'possible', candidates: scored.slice(0, MAX_POSSIBLE_MATCHES) };
}

/** Two or more cases opened in the last 12 months make a person a repeat victim. */
export const REPEAT_VICTIM_CASES = 2;

/** The start of the 12-month window that ends at `now`. */
export function repeatVictimWindowStart(now: Date): Date {
  const start = new Date(now.getTime());
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  return start;
}

export const isRepeatVictim = (casesInWindow: number): boolean => casesInWindow >= REPEAT_VICTIM_CASES;

export const MATCH_REASON_NAMES: Record<MatchReason, string> = {
  source_reference: 'Sender’s reference',
  crime_reference: 'Crime reference',
  full_name: 'Full name',
  given_name: 'First name',
  family_name: 'Last name',
  similar_name: 'Similar name',
  date_of_birth: 'Date of birth',
  phone: 'Phone number',
  email: 'Email address',
  postcode: 'Postcode',
};

/** The details shown side by side on a possible match, in matching form where that is how they are compared. */
export type ComparableRecord = {
  givenName: string;
  familyName: string | null;
  dateOfBirth: string | null;
  phone: string | null;
  email: string | null;
  postcode: string | null;
  town: string | null;
};

export type ComparisonRow = { field: string; left: string | null; right: string | null; same: boolean };

/** One row per detail, saying whether the two records agree on it; names are compared in matching form. */
export function compareRecords(left: ComparableRecord, right: ComparableRecord, nameForm: (name: string) => string): ComparisonRow[] {
  const row = (field: string, a: string | null, b: string | null, normalise: (value: string) => string = (value) => value) => ({
    field,
    left: a,
    right: b,
    same: a !== null && b !== null && normalise(a) === normalise(b),
  });
  return [
    row('First name', left.givenName, right.givenName, nameForm),
    row('Last name', left.familyName, right.familyName, nameForm),
    row('Date of birth', left.dateOfBirth, right.dateOfBirth),
    row('Phone number', left.phone, right.phone),
    row('Email address', left.email, right.email),
    row('Postcode', left.postcode, right.postcode),
    row('Town', left.town, right.town, nameForm),
  ];
}
