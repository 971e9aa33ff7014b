// The demo county: Wyvern, a fictional English county, with its statutory bodies and the support services it funds.
// Every name here is made up; any likeness to a real organisation is an accident.
import type { OrganisationKind } from '../platform/db/schema.ts';

export type DemoService = { name: string; category: string; description: string };
export type DemoOrganisation = { name: string; kind: OrganisationKind; services: DemoService[] };

export const DEMO_AREA = { code: 'WYV', name: 'Wyvern' } as const;

export const HUB = 'Wyvern Victim and Witness Hub';
export const POLICE = 'Wyvern Constabulary';
export const WITNESS_CARE = 'Wyvern Witness Care Unit';
export const PROBATION = 'Wyvern Probation Delivery Unit';
export const COMMISSIONER = 'Office of the Wyvern Police and Crime Commissioner';
export const SEXUAL_VIOLENCE_CENTRE = 'Wyvern Sexual Violence Support Centre';

const service = (name: string, category: string, description: string): DemoService => ({ name, category, description });

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { name: HUB, kind: 'hub', services: [] },
  { name: POLICE, kind: 'police', services: [] },
  { name: WITNESS_CARE, kind: 'witness_care', services: [] },
  { name: PROBATION, kind: 'probation', services: [] },
  { name: COMMISSIONER, kind: 'commissioner', services: [] },
  { name: SEXUAL_VIOLENCE_CENTRE, kind: 'provider', services: [
    service('Independent sexual violence adviser (ISVA)', 'Sexual violence', 'Practical and emotional support for adults after rape or sexual assault, recent or in the past, through the police and court process or without reporting.'),
    service('Sexual violence counselling', 'Sexual violence', 'Up to 24 sessions of trauma-informed counselling for survivors aged 16 and over.'),
    service('Helpline', 'Sexual violence', 'A confidential phone and webchat line, evenings and weekends.'),
  ] },
  { name: 'Wyvern Children and Young People’s Sexual Violence Service', kind: 'provider', services: [
    service('Children’s ISVA (ChISVA)', 'Children and young people', 'Advocacy for children and young people under 18 after sexual abuse, and support for their parents and carers.'),
  ] },
  { name: 'Wyvern Domestic Abuse Partnership', kind: 'provider', services: [
    service('Independent domestic violence adviser (IDVA)', 'Domestic abuse', 'Crisis support and safety planning for people at high risk of harm from a partner, ex-partner or family member.'),
    service('Community outreach', 'Domestic abuse', 'Longer-term support for people at standard and medium risk, in their own home or a safe place.'),
    service('MARAC referrals', 'Domestic abuse', 'Preparation and representation at the multi-agency risk assessment conference.'),
  ] },
  { name: 'Lantern House Refuge', kind: 'provider', services: [
    service('Emergency refuge accommodation', 'Refuge', 'Safe, confidential housing for women and their children escaping domestic abuse.'),
    service('Resettlement support', 'Refuge', 'Help to move on from refuge into a safe home of their own.'),
  ] },
  { name: 'Young Voices Wyvern', kind: 'provider', services: [
    service('Young victims service', 'Children and young people', 'Support for victims of any crime aged 8 to 17, at school, at home or online.'),
    service('Child to parent abuse support', 'Children and young people', 'Help for families where a child is harming a parent or carer.'),
  ] },
  { name: 'Restorative Wyvern', kind: 'provider', services: [
    service('Restorative justice', 'Restorative justice', 'A safe, facilitated way for a victim to communicate with the person who harmed them, if both agree.'),
  ] },
  { name: 'Mindful Recovery Wyvern', kind: 'provider', services: [
    service('Trauma support after crime', 'Mental health', 'Short-term psychological support for anxiety, sleeplessness and distress after a crime.'),
    service('Group recovery programme', 'Mental health', 'An eight-week group for people rebuilding confidence after a crime.'),
  ] },
  { name: 'Wyvern Hate Crime Alliance', kind: 'provider', services: [
    service('Hate crime advocacy', 'Hate crime', 'Support for anyone targeted because of race, religion, disability, sexual orientation or gender identity.'),
    service('Third-party reporting', 'Hate crime', 'Report a hate incident without going to the police first.'),
  ] },
  { name: 'Scam Shield Wyvern', kind: 'provider', services: [
    service('Fraud and scam victim support', 'Fraud', 'Help to recover, protect accounts and avoid being targeted again after fraud or a scam.'),
    service('Doorstep crime response', 'Fraud', 'Visits and practical help after rogue traders or doorstep fraud.'),
  ] },
  { name: 'Wyvern Road Bereavement Support', kind: 'provider', services: [
    service('Road traffic bereavement support', 'Bereavement', 'Support for families bereaved by a road death, through the inquest and any criminal case.'),
  ] },
  { name: 'Wyvern Homicide Family Support', kind: 'provider', services: [
    service('Homicide family support', 'Bereavement', 'Long-term emotional and practical support for families bereaved by murder or manslaughter.'),
    service('Court and inquest accompaniment', 'Bereavement', 'A named worker who attends hearings with the family.'),
  ] },
  { name: 'Freedom Path Wyvern', kind: 'provider', services: [
    service('Modern slavery survivor support', 'Modern slavery', 'Safe housing, advocacy and help through the National Referral Mechanism for survivors of trafficking and forced labour.'),
  ] },
  { name: 'Wyvern Stalking Advocacy Service', kind: 'provider', services: [
    service('Independent stalking advocacy', 'Stalking', 'Specialist advocacy and safety planning for victims of stalking, including help with protection orders.'),
  ] },
  { name: 'Harbour Counselling', kind: 'provider', services: [
    service('Counselling for survivors of childhood abuse', 'Sexual violence', 'Long-term counselling for adults abused as children.'),
    service('Counselling for partners and families', 'Sexual violence', 'Support for people close to a survivor of sexual violence.'),
  ] },
  { name: 'SecureHome Wyvern', kind: 'provider', services: [
    service('Home security and target hardening', 'Home security', 'Free security surveys, locks, door chains, window alarms and video doorbells for repeat and vulnerable victims.'),
    service('Sanctuary scheme', 'Home security', 'A safe room and added security so a victim of domestic abuse can stay in their own home.'),
  ] },
  { name: 'Cymorth Dioddefwyr Wyvern', kind: 'provider', services: [
    service('Welsh-language victim support', 'Language', 'Emotional and practical support for any victim in Welsh, by phone, video or in person.'),
  ] },
  { name: 'Signing Bridge Wyvern', kind: 'provider', services: [
    service('British Sign Language interpreting', 'Accessibility', 'Qualified BSL interpreters for appointments, police interviews and court.'),
    service('Deaf victims advocacy', 'Accessibility', 'Support from a Deaf advocate who signs.'),
  ] },
  { name: 'Wyvern Community Interpreters', kind: 'provider', services: [
    service('Spoken language interpreting', 'Language', 'Interpreters in more than 40 languages for support appointments.'),
  ] },
  { name: 'Silver Shield Older Victims Service', kind: 'provider', services: [
    service('Older victims support', 'Older people', 'Support for people aged 60 and over after crime or abuse, including abuse by family or carers.'),
  ] },
  { name: 'Pride Wyvern Support', kind: 'provider', services: [
    service('LGBT+ victim support', 'LGBT+', 'Support from LGBT+ caseworkers after hate crime, domestic abuse or sexual violence.'),
    service('LGBT+ domestic abuse advocacy', 'Domestic abuse', 'Specialist advocacy for LGBT+ people experiencing domestic abuse.'),
  ] },
  { name: 'Wyvern Male Survivors Partnership', kind: 'provider', services: [
    service('Support for male survivors', 'Sexual violence', 'Advocacy and counselling for men and boys after sexual violence or domestic abuse.'),
  ] },
  { name: 'Wyvern Victim Assist', kind: 'provider', services: [
    service('General victim support', 'General support', 'Emotional and practical help after any crime, whether or not it was reported to the police.'),
    service('Criminal injuries compensation help', 'Practical support', 'Help to apply to the Criminal Injuries Compensation Authority.'),
  ] },
  { name: 'Wyvern Court Companions', kind: 'provider', services: [
    service('Pre-trial court visits', 'Court support', 'A visit to the court before the trial to see the room and the waiting areas.'),
    service('Court day support', 'Court support', 'A trained volunteer who stays with a witness on the day they give evidence.'),
  ] },
  { name: 'Wyvern Honour-Based Abuse Service', kind: 'provider', services: [
    service('Honour-based abuse and forced marriage support', 'Domestic abuse', 'Specialist, culturally aware support for people at risk of honour-based abuse or forced marriage.'),
  ] },
  { name: 'Wyvern Online Harms Support', kind: 'provider', services: [
    service('Online abuse and image-based abuse support', 'Online harm', 'Help after online harassment, sextortion or the sharing of intimate images, including getting content taken down.'),
  ] },
  { name: 'Wyvern Anti-Social Behaviour Advocates', kind: 'provider', services: [
    service('Anti-social behaviour victim advocacy', 'Anti-social behaviour', 'Support for people suffering persistent anti-social behaviour, including the anti-social behaviour case review.'),
  ] },
  { name: 'Wyvern Youth Violence Navigators', kind: 'provider', services: [
    service('Hospital youth violence navigators', 'Children and young people', 'Youth workers in the emergency department who reach young people injured by violence.'),
    service('Knife crime family support', 'Children and young people', 'Support for families of young people harmed by knife crime.'),
  ] },
  { name: 'Wyvern Disability Advocacy Network', kind: 'provider', services: [
    service('Disabled victims advocacy', 'Accessibility', 'Independent advocacy for disabled people and people with a learning disability after crime.'),
    service('Easy read information', 'Accessibility', 'Easy read guides to the police, court and support services.'),
  ] },
  { name: 'Wyvern Recovery Partnership', kind: 'provider', services: [
    service('Drug and alcohol support for victims', 'Substance use', 'Recovery support for victims whose drug or alcohol use makes it harder to get help.'),
  ] },
  { name: 'Wyvern Money and Housing Advice', kind: 'provider', services: [
    service('Housing and money advice after crime', 'Practical support', 'Advice on rehousing, benefits, debts and emergency grants after a crime.'),
  ] },
  { name: 'Wyvern Rural Crime Support', kind: 'provider', services: [
    service('Rural and farm crime support', 'General support', 'Support for people in isolated and farming communities after theft, arson or intimidation.'),
  ] },
  { name: 'Wyvern Suicide and Sudden Death Bereavement Service', kind: 'provider', services: [
    service('Bereavement support after a sudden death', 'Bereavement', 'Support for families after a death linked to crime, including suicide after domestic abuse.'),
  ] },
];
