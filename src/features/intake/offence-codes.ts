// The Home Office offence codes Haven accepts on a crime, with the offence category and group they count under (the
// Home Office Counting Rules classification used by police recorded crime statistics). A realistic working subset of
// the victim-based notifiable offences forces refer most often; check it against the current Counting Rules before
// adding a code. Domestic abuse is not an offence code: it is a flag on the referral.

export const OFFENCE_CATEGORIES = [
  'Violence against the person',
  'Sexual offences',
  'Robbery',
  'Theft offences',
  'Criminal damage and arson',
  'Public order offences',
  'Fraud',
  'Possession of weapons offences',
  'Miscellaneous crimes against society',
] as const;

export type OffenceCategory = (typeof OFFENCE_CATEGORIES)[number];

export type Offence = { code: string; description: string; category: OffenceCategory; group: string };

const V: OffenceCategory = 'Violence against the person';
const S: OffenceCategory = 'Sexual offences';
const T: OffenceCategory = 'Theft offences';
const D: OffenceCategory = 'Criminal damage and arson';

export const OFFENCES: readonly Offence[] = [
  // Violence against the person
  { code: '1', description: 'Murder', category: V, group: 'Homicide' },
  { code: '4/1', description: 'Manslaughter', category: V, group: 'Homicide' },
  { code: '4/2', description: 'Infanticide', category: V, group: 'Homicide' },
  { code: '4/4', description: 'Causing death by dangerous driving', category: V, group: 'Death or serious injury caused by unlawful driving' },
  { code: '4/6', description: 'Causing death by careless driving when under the influence of drink or drugs', category: V, group: 'Death or serious injury caused by unlawful driving' },
  { code: '4/8', description: 'Causing death by careless or inconsiderate driving', category: V, group: 'Death or serious injury caused by unlawful driving' },
  { code: '2', description: 'Attempted murder', category: V, group: 'Violence with injury' },
  { code: '3A', description: 'Conspiracy to murder', category: V, group: 'Violence without injury' },
  { code: '3B', description: 'Threats to kill', category: V, group: 'Violence without injury' },
  { code: '5D', description: 'Assault with intent to cause serious harm (wounding with intent)', category: V, group: 'Violence with injury' },
  { code: '5E', description: 'Endangering life', category: V, group: 'Violence with injury' },
  { code: '8N', description: 'Assault with injury', category: V, group: 'Violence with injury' },
  { code: '8P', description: 'Racially or religiously aggravated assault with injury', category: V, group: 'Violence with injury' },
  { code: '8S', description: 'Assault with injury on a constable', category: V, group: 'Violence with injury' },
  { code: '37/1', description: 'Causing serious injury by dangerous driving', category: V, group: 'Death or serious injury caused by unlawful driving' },
  { code: '105A', description: 'Assault without injury', category: V, group: 'Violence without injury' },
  { code: '105B', description: 'Racially or religiously aggravated assault without injury', category: V, group: 'Violence without injury' },
  { code: '104', description: 'Assault without injury on a constable', category: V, group: 'Violence without injury' },
  { code: '11A', description: 'Cruelty to children or young persons', category: V, group: 'Violence without injury' },
  { code: '36', description: 'Kidnapping', category: V, group: 'Violence without injury' },
  { code: '106', description: 'Modern slavery', category: V, group: 'Violence without injury' },
  { code: '8L', description: 'Harassment', category: V, group: 'Stalking and harassment' },
  { code: '8M', description: 'Racially or religiously aggravated harassment', category: V, group: 'Stalking and harassment' },
  { code: '8Q', description: 'Stalking', category: V, group: 'Stalking and harassment' },
  { code: '8R', description: 'Malicious communications', category: V, group: 'Stalking and harassment' },
  { code: '8U', description: 'Controlling or coercive behaviour', category: V, group: 'Stalking and harassment' },
  { code: '8T', description: 'Disclosure of private sexual photographs and films', category: V, group: 'Stalking and harassment' },
  // Sexual offences
  { code: '17A', description: 'Sexual assault on a male aged 13 and over', category: S, group: 'Other sexual offences' },
  { code: '17B', description: 'Sexual assault on a male child under 13', category: S, group: 'Other sexual offences' },
  { code: '19C', description: 'Rape of a female aged 16 and over', category: S, group: 'Rape' },
  { code: '19D', description: 'Rape of a female child under 16', category: S, group: 'Rape' },
  { code: '19E', description: 'Rape of a female child under 13', category: S, group: 'Rape' },
  { code: '19F', description: 'Rape of a male aged 16 and over', category: S, group: 'Rape' },
  { code: '19G', description: 'Rape of a male child under 16', category: S, group: 'Rape' },
  { code: '19H', description: 'Rape of a male child under 13', category: S, group: 'Rape' },
  { code: '20A', description: 'Sexual assault on a female aged 13 and over', category: S, group: 'Other sexual offences' },
  { code: '20B', description: 'Sexual assault on a female child under 13', category: S, group: 'Other sexual offences' },
  { code: '21', description: 'Sexual activity involving a child under 13', category: S, group: 'Other sexual offences' },
  { code: '22A', description: 'Causing sexual activity without consent', category: S, group: 'Other sexual offences' },
  { code: '22B', description: 'Sexual activity involving a child under 16', category: S, group: 'Other sexual offences' },
  { code: '71', description: 'Abuse of children through sexual exploitation', category: S, group: 'Other sexual offences' },
  { code: '88A', description: 'Exposure and voyeurism', category: S, group: 'Other sexual offences' },
  // Robbery
  { code: '34A', description: 'Robbery of business property', category: 'Robbery', group: 'Robbery' },
  { code: '34B', description: 'Robbery of personal property', category: 'Robbery', group: 'Robbery' },
  // Theft offences
  { code: '28E', description: 'Burglary – residential – dwelling', category: T, group: 'Residential burglary' },
  { code: '28F', description: 'Attempted burglary – residential – dwelling', category: T, group: 'Residential burglary' },
  { code: '28G', description: 'Burglary – residential – non-dwelling', category: T, group: 'Residential burglary' },
  { code: '28H', description: 'Attempted burglary – residential – non-dwelling', category: T, group: 'Residential burglary' },
  { code: '29', description: 'Aggravated burglary in a dwelling', category: T, group: 'Residential burglary' },
  { code: '30C', description: 'Burglary – business and community', category: T, group: 'Non-residential burglary' },
  { code: '30D', description: 'Attempted burglary – business and community', category: T, group: 'Non-residential burglary' },
  { code: '31', description: 'Aggravated burglary – business and community', category: T, group: 'Non-residential burglary' },
  { code: '39', description: 'Theft from the person', category: T, group: 'Theft from the person' },
  { code: '40', description: 'Theft in a dwelling other than from an automatic machine or meter', category: T, group: 'Other theft' },
  { code: '41', description: 'Theft by an employee', category: T, group: 'Other theft' },
  { code: '44', description: 'Theft or unauthorised taking of a pedal cycle', category: T, group: 'Bicycle theft' },
  { code: '45', description: 'Theft from a vehicle', category: T, group: 'Vehicle offences' },
  { code: '46', description: 'Shoplifting', category: T, group: 'Shoplifting' },
  { code: '47', description: 'Theft from an automatic machine or meter', category: T, group: 'Other theft' },
  { code: '48', description: 'Theft or unauthorised taking of a motor vehicle', category: T, group: 'Vehicle offences' },
  { code: '49', description: 'Other theft', category: T, group: 'Other theft' },
  { code: '37/2', description: 'Aggravated vehicle taking', category: T, group: 'Vehicle offences' },
  { code: '126', description: 'Interfering with a motor vehicle', category: T, group: 'Vehicle offences' },
  // Criminal damage and arson
  { code: '56A', description: 'Arson endangering life', category: D, group: 'Arson' },
  { code: '56B', description: 'Arson not endangering life', category: D, group: 'Arson' },
  { code: '58A', description: 'Criminal damage to a dwelling', category: D, group: 'Criminal damage' },
  { code: '58B', description: 'Criminal damage to a building other than a dwelling', category: D, group: 'Criminal damage' },
  { code: '58C', description: 'Criminal damage to a vehicle', category: D, group: 'Criminal damage' },
  { code: '58D', description: 'Other criminal damage', category: D, group: 'Criminal damage' },
  { code: '58E', description: 'Racially or religiously aggravated criminal damage to a dwelling', category: D, group: 'Criminal damage' },
  { code: '58J', description: 'Racially or religiously aggravated other criminal damage', category: D, group: 'Criminal damage' },
  { code: '59', description: 'Threat to commit criminal damage', category: D, group: 'Criminal damage' },
  // Public order (the racially or religiously aggravated codes matter for hate crime)
  { code: '9A', description: 'Public fear, alarm or distress', category: 'Public order offences', group: 'Public order offences' },
  { code: '9B', description: 'Racially or religiously aggravated public fear, alarm or distress', category: 'Public order offences', group: 'Public order offences' },
  { code: '8F', description: 'Stirring up racial, religious or sexual orientation hatred', category: 'Public order offences', group: 'Public order offences' },
  { code: '62A', description: 'Violent disorder', category: 'Public order offences', group: 'Public order offences' },
  // Fraud
  { code: '53A', description: 'Fraud by false representation', category: 'Fraud', group: 'Fraud' },
  { code: '53B', description: 'Fraud by failing to disclose information', category: 'Fraud', group: 'Fraud' },
  { code: '53C', description: 'Fraud by abuse of position', category: 'Fraud', group: 'Fraud' },
  { code: '53D', description: 'Obtaining services dishonestly', category: 'Fraud', group: 'Fraud' },
  // Weapons and miscellaneous crimes with an identifiable victim
  { code: '10A', description: 'Possession of firearms with intent', category: 'Possession of weapons offences', group: 'Possession of weapons offences' },
  { code: '10D', description: 'Possession of an article with a blade or point', category: 'Possession of weapons offences', group: 'Possession of weapons offences' },
  { code: '95', description: 'Disclosure, obstruction, false or misleading statements', category: 'Miscellaneous crimes against society', group: 'Miscellaneous crimes against society' },
  { code: '99', description: 'Other notifiable offences', category: 'Miscellaneous crimes against society', group: 'Miscellaneous crimes against society' },
];

const BY_CODE = new Map(OFFENCES.map((offence) => [offence.code, offence]));

/** Offence codes are compared in capitals without spaces: "8n" and " 8N " are 8N. */
export const normaliseOffenceCode = (value: string): string => value.replace(/\s+/g, '').toUpperCase();

/** The offence for a Home Office code, or undefined when Haven does not know the code. */
export function offenceByCode(code: string): Offence | undefined {
  return BY_CODE.get(normaliseOffenceCode(code));
}
