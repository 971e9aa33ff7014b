// The Home Office offence codes that give an enhanced-rights category on their own, kept as data so they can be
// checked against victims-code.md and the Counting Rules line by line. The codes are those intake accepts
// (features/intake/offence-codes.ts, which that feature does not publish through its service, hence the copy here).

export type QualifyingOffence = { code: string; description: string };

/** Most serious crime by the offence alone (victims-code.md, "Enhanced rights", 1), one rule per listed crime. */
export const MOST_SERIOUS_OFFENCES: readonly { rule: string; crime: string; offences: readonly QualifyingOffence[] }[] = [
  { rule: 'most_serious.attempted_murder', crime: 'attempted murder', offences: [{ code: '2', description: 'Attempted murder' }] },
  // Home Office class 36 counts kidnapping and false imprisonment together.
  { rule: 'most_serious.kidnap_or_false_imprisonment', crime: 'kidnap or false imprisonment', offences: [{ code: '36', description: 'Kidnapping' }] },
  { rule: 'most_serious.arson_endangering_life', crime: 'arson with intent to endanger life', offences: [{ code: '56A', description: 'Arson endangering life' }] },
  {
    rule: 'most_serious.wounding_with_intent',
    crime: 'wounding or causing grievous bodily harm with intent',
    offences: [{ code: '5D', description: 'Assault with intent to cause serious harm (wounding with intent)' }],
  },
];

/** Offences that are hate crime by definition: the racially or religiously aggravated ones and stirring up hatred. */
export const HATE_CRIME_OFFENCES: readonly QualifyingOffence[] = [
  { code: '8P', description: 'Racially or religiously aggravated assault with injury' },
  { code: '105B', description: 'Racially or religiously aggravated assault without injury' },
  { code: '8M', description: 'Racially or religiously aggravated harassment' },
  { code: '58E', description: 'Racially or religiously aggravated criminal damage to a dwelling' },
  { code: '58J', description: 'Racially or religiously aggravated other criminal damage' },
  { code: '9B', description: 'Racially or religiously aggravated public fear, alarm or distress' },
  { code: '8F', description: 'Stirring up racial, religious or sexual orientation hatred' },
];

/** Controlling or coercive behaviour is domestic abuse by its definition, whatever the referral's flag says. */
export const DOMESTIC_ABUSE_OFFENCES: readonly QualifyingOffence[] = [{ code: '8U', description: 'Controlling or coercive behaviour' }];

/** The Home Office category every sexual offence is counted under. */
export const SEXUAL_OFFENCE_CATEGORY = 'Sexual offences';

// Class 106 counts human trafficking together with slavery, servitude and forced labour (Modern Slavery Act 2015).
export const TRAFFICKING_OFFENCES: readonly QualifyingOffence[] = [{ code: '106', description: 'Modern slavery' }];

/** Offences that are a course of conduct by definition, so the victim was targeted more than once. */
export const PERSISTENT_TARGETING_OFFENCES: readonly QualifyingOffence[] = [
  { code: '8L', description: 'Harassment' },
  { code: '8M', description: 'Racially or religiously aggravated harassment' },
  { code: '8Q', description: 'Stalking' },
  { code: '8U', description: 'Controlling or coercive behaviour' },
];

/**
 * Offences whose witnesses are eligible as intimidated without more (YJCEA 1999 s17(5) and Schedule 1A, "certain
 * weapons offences" in victims-code.md): the firearm and blade offences intake knows.
 */
export const WEAPONS_OFFENCES: readonly QualifyingOffence[] = [
  { code: '10A', description: 'Possession of firearms with intent' },
  { code: '10D', description: 'Possession of an article with a blade or point' },
];

/** Offence codes are compared in capitals without spaces, as intake stores them: "8u" and " 8U " are 8U. */
export const normaliseOffenceCode = (value: string): string => value.replace(/\s+/g, '').toUpperCase();

export const findOffence = (offences: readonly QualifyingOffence[], code: string): QualifyingOffence | undefined =>
  offences.find((offence) => offence.code === normaliseOffenceCode(code));
