// Reference tables for synthetic data: UK given and family names in rough order of frequency (England and Wales birth
// registrations and surname counts, mixed across generations), the usual spelling variants a referral arrives with, an
// offence mix like a victim service's referrals with Home Office-style offence codes, and fictional places.
import { byRank, weighted, type Weighted } from './random.ts';

const FEMALE = `Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Florence Emily Ella Poppy Evie
Elsie Charlotte Evelyn Sienna Sofia Daisy Phoebe Sarah Emma Jessica Lauren Hannah Sophie Chloe Megan Amy Rebecca Laura
Rachel Katie Lucy Charlotte Danielle Gemma Natalie Victoria Kirsty Samantha Nicola Claire Michelle Lisa Kelly Louise
Helen Joanne Karen Julie Susan Angela Tracey Elizabeth Mary Margaret Patricia Linda Jacqueline Carol Sandra Deborah
Janet Christine Barbara Jean Valerie Maureen Pauline Anne Catherine Caroline Alison Amanda Zoe Jade Leah Holly Abigail
Georgia Millie Jasmine Maisie Ruby Eleanor Harriet Alice Matilda Esme Aisha Fatima Maryam Zainab Amira Priya Anjali
Simran Aaliyah Niamh Siobhan Aoife Ceri Sian Bethan Rhiannon Eilidh Kayleigh Stacey Leanne Shannon Chelsea Bethany
Courtney Paige Kayla Ellie Molly Erin Imogen Lydia Naomi Beatrice Agnieszka Katarzyna Oksana Ana Maria`;

const MALE = `Oliver George Noah Arthur Muhammad Leo Oscar Harry Archie Jack Henry Charlie Freddie Theo Thomas James William
Joshua Daniel Matthew Ryan Luke Jamie Liam Connor Callum Lewis Kieran Jordan Adam Ben Samuel Joseph Alexander Christopher
David Michael Andrew Mark Paul Richard Robert Stephen Steven Peter John Jonathan Ian Gary Simon Darren Lee Craig Wayne
Dean Jason Neil Martin Kevin Anthony Stuart Scott Carl Graham Alan Brian Keith Colin Trevor Derek Kenneth Raymond Roy
Dennis Geoffrey Malcolm Barry Terry Philip Nicholas Timothy Edward Patrick Sean Shaun Liam Dylan Tyler Kyle Reece
Bradley Nathan Aaron Ethan Mason Logan Harrison Alfie Max Finley Jacob Toby Louis Reuben Ibrahim Yusuf Ahmed Mohammed
Ali Hassan Omar Bilal Imran Arjun Rohan Dev Sanjay Rajesh Tomasz Piotr Marek Andrei Florin Kwame Kofi Tunde Chinedu
Rhys Gareth Dafydd Owain Ewan Fraser Ross Hamish Ciaran Declan Niall Eoin`;

const FAMILY = `Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker
White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark
Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell
Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis
Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer
Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed
Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West
Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong
Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry
Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane
Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls
Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy
Chambers Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson Rahman
Kowalski Nowak Okafor Mensah Chowdhury Mistry Sharma Kumar Iqbal Akhtar Smyth Thomson MacDonald Llewellyn Pritchard`;

const words = (text: string): string[] => [...new Set(text.split(/\s+/).filter(Boolean))];

export const FEMALE_NAMES: Weighted<string> = byRank(words(FEMALE), 6);
export const MALE_NAMES: Weighted<string> = byRank(words(MALE), 6);
export const FAMILY_NAMES: Weighted<string> = byRank(words(FAMILY), 4);
export const NAME_COUNTS = { female: words(FEMALE).length, male: words(MALE).length, family: words(FAMILY).length };

/** The same person written another way: short forms, long forms and common misspellings. */
export const GIVEN_NAME_VARIANTS: Record<string, string[]> = {
  John: ['Jon', 'Jonathan', 'Johnny'], Jonathan: ['Jon', 'John', 'Johnathan'], James: ['Jim', 'Jimmy', 'Jamie'],
  William: ['Will', 'Bill', 'Billy'], Robert: ['Rob', 'Bob', 'Bobby'], Richard: ['Rich', 'Rick', 'Dick'],
  Michael: ['Mike', 'Micheal', 'Mick'], Christopher: ['Chris', 'Kristopher'], Matthew: ['Matt', 'Mathew'],
  Daniel: ['Dan', 'Danny'], Thomas: ['Tom', 'Tommy'], Joseph: ['Joe', 'Joey'], Samuel: ['Sam', 'Sammy'],
  Alexander: ['Alex', 'Alec', 'Alexandr'], Stephen: ['Steven', 'Steve'], Steven: ['Stephen', 'Steve'],
  Anthony: ['Tony', 'Antony'], Nicholas: ['Nick', 'Nicolas'], Edward: ['Ed', 'Eddie', 'Ted'], Andrew: ['Andy', 'Drew'],
  Muhammad: ['Mohammed', 'Mohammad', 'Mohamed'], Mohammed: ['Muhammad', 'Mohamed'], Sean: ['Shaun', 'Shawn'],
  Shaun: ['Sean'], Philip: ['Phillip', 'Phil'], Geoffrey: ['Jeffrey', 'Geoff'], Elizabeth: ['Liz', 'Beth', 'Elisabeth'],
  Catherine: ['Katherine', 'Kathryn', 'Cath', 'Kate'], Rebecca: ['Becky', 'Rebekah'], Samantha: ['Sam', 'Sammie'],
  Victoria: ['Vicky', 'Vikki'], Jessica: ['Jess', 'Jessika'], Margaret: ['Maggie', 'Peggy'], Susan: ['Sue', 'Suzanne'],
  Deborah: ['Debbie', 'Debra'], Jacqueline: ['Jackie', 'Jacquelyn'], Patricia: ['Pat', 'Trish'], Nicola: ['Nicky', 'Nikki'],
  Sophie: ['Sophia', 'Sofie'], Sophia: ['Sofia', 'Sophie'], Isabella: ['Bella', 'Izzy'], Kirsty: ['Kirstie', 'Kirsten'],
  Zoe: ['Zoë'], Sian: ['Siân'], Niamh: ['Neve'], Siobhan: ['Shivaun'], Leanne: ['Lianne'], Hannah: ['Hanna'],
  Natalie: ['Nat', 'Nathalie'], Charlotte: ['Charlie', 'Lottie'], Amelia: ['Millie', 'Emilia'],
};

export const FAMILY_NAME_VARIANTS: Record<string, string[]> = {
  Smith: ['Smyth', 'Smithe'], Smyth: ['Smith'], Thompson: ['Thomson', 'Tompson'], Thomson: ['Thompson'],
  Davies: ['Davis', 'Davys'], Davis: ['Davies'], Clarke: ['Clark'], Clark: ['Clarke'], Stevens: ['Stephens'],
  Phillips: ['Philips'], Matthews: ['Mathews'], McDonald: ['MacDonald', 'Macdonald'], MacDonald: ['McDonald'],
  Hussain: ['Hussein', 'Husain'], Mohammed: ['Muhammad'], Reid: ['Reed', 'Read'], Reed: ['Reid'], Gray: ['Grey'],
  Nicholls: ['Nichols', 'Nicholl'], Begum: ['Begam'], Chowdhury: ['Choudhury', 'Chaudhry'], "O'Brien": ['OBrien', 'O Brien', 'Obrien'],
  "O'Connor": ['OConnor', 'Connor'], Lloyd: ['Loyd'], Rees: ['Reece', 'Reese'], Kowalski: ['Kowalsky'], Okafor: ['Okafur'],
};

export type Offence = {
  code: string;
  description: string;
  /** The Home Office category (crime.offence_category) and the group within it (crime.offence_group). */
  category: string;
  group: string;
  domesticAbuse: boolean;
  hateCrime: boolean;
  sexualOffence: boolean;
};

const offence = (code: string, description: string, category: string, group: string, flags: Partial<Offence> = {}): Offence => ({
  code, description, category, group, domesticAbuse: false, hateCrime: false, sexualOffence: false, ...flags,
});

const V = 'Violence against the person';
const T = 'Theft offences';
const D = 'Criminal damage and arson';
const S = 'Sexual offences';
const HARASS = 'Stalking and harassment';

/**
 * Roughly the mix of crimes referred to a victim service, weights in per cent, with the Home Office codes, categories
 * and groups Haven accepts (src/features/intake/offence-codes.ts). Domestic abuse is a flag on the referral, not a code.
 */
export const OFFENCES: Weighted<Offence> = weighted([
  [offence('46', 'Shoplifting', T, 'Shoplifting'), 3],
  [offence('49', 'Other theft', T, 'Other theft'), 8],
  [offence('39', 'Theft from the person', T, 'Theft from the person'), 3],
  [offence('45', 'Theft from a vehicle', T, 'Vehicle offences'), 4],
  [offence('48', 'Theft or unauthorised taking of a motor vehicle', T, 'Vehicle offences'), 3],
  [offence('44', 'Theft or unauthorised taking of a pedal cycle', T, 'Bicycle theft'), 1.5],
  [offence('28E', 'Burglary – residential – dwelling', T, 'Residential burglary'), 7],
  [offence('30C', 'Burglary – business and community', T, 'Non-residential burglary'), 1.5],
  [offence('58A', 'Criminal damage to a dwelling', D, 'Criminal damage'), 5],
  [offence('58C', 'Criminal damage to a vehicle', D, 'Criminal damage'), 5],
  [offence('58D', 'Other criminal damage', D, 'Criminal damage'), 2],
  [offence('56B', 'Arson not endangering life', D, 'Arson'), 0.5],
  [offence('105A', 'Assault without injury', V, 'Violence without injury'), 10],
  [offence('8N', 'Assault with injury', V, 'Violence with injury'), 7],
  [offence('5D', 'Assault with intent to cause serious harm (wounding with intent)', V, 'Violence with injury'), 1],
  [offence('105A', 'Assault without injury', V, 'Violence without injury', { domesticAbuse: true }), 6],
  [offence('8N', 'Assault with injury', V, 'Violence with injury', { domesticAbuse: true }), 5],
  [offence('8U', 'Controlling or coercive behaviour', V, HARASS, { domesticAbuse: true }), 2],
  [offence('8L', 'Harassment', V, HARASS), 5],
  [offence('8Q', 'Stalking', V, HARASS), 2],
  [offence('8R', 'Malicious communications', V, HARASS), 2],
  [offence('19C', 'Rape of a female aged 16 and over', S, 'Rape', { sexualOffence: true }), 1.2],
  [offence('20A', 'Sexual assault on a female aged 13 and over', S, 'Other sexual offences', { sexualOffence: true }), 1.8],
  [offence('17A', 'Sexual assault on a male aged 13 and over', S, 'Other sexual offences', { sexualOffence: true }), 0.4],
  [offence('22B', 'Sexual activity involving a child under 16', S, 'Other sexual offences', { sexualOffence: true }), 0.6],
  [offence('53A', 'Fraud by false representation', 'Fraud', 'Fraud'), 5],
  [offence('53C', 'Fraud by abuse of position', 'Fraud', 'Fraud'), 1],
  [offence('53D', 'Obtaining services dishonestly', 'Fraud', 'Fraud'), 2],
  [offence('34B', 'Robbery of personal property', 'Robbery', 'Robbery'), 2],
  [offence('34A', 'Robbery of business property', 'Robbery', 'Robbery'), 0.5],
  [offence('8M', 'Racially or religiously aggravated harassment', V, HARASS, { hateCrime: true }), 1.5],
  [offence('105B', 'Racially or religiously aggravated assault without injury', V, 'Violence without injury', { hateCrime: true }), 1],
  [offence('9B', 'Racially or religiously aggravated public fear, alarm or distress', 'Public order offences', 'Public order offences', { hateCrime: true }), 1],
]);

/** Fictional towns for the bench area (Wyvern), and fictional postcode districts: WY is no real postcode area. */
export const TOWNS = ['Wyvernford', 'Ashby Wold', 'Kingsmere', 'Haddon Cross', 'Stoneleigh Vale', 'Marrowby', 'Fenwick Green',
  'Oakhollow', 'Bramley Heath', 'Lowther Bridge', 'Caddesby', 'Elmsworth'];
export const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Mill Road', 'Victoria Street', 'Park Avenue',
  'The Crescent', 'Queens Road', 'Kings Road', 'Chapel Street', 'Orchard Close', 'Meadow Way', 'Castle Hill',
  'Manor Drive', 'Brook Street', 'Albert Terrace', 'Wyvern Way', 'Holly Grove', 'Canal Side', 'Sandpit Lane'];
export const POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'example.co.uk'];
export const CLOSED_REASONS = ['Support completed', 'Declined support', 'Could not be contacted', 'Moved out of area',
  'Referred to specialist service'];
export const POLICE_UPDATES = ['A suspect has been arrested', 'A suspect has been interviewed', 'The investigation is continuing',
  'A suspect has been charged', 'No further action will be taken', 'A suspect has been released on bail'];
