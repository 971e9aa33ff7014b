// What each update means for the victim, and what happens next, in English and Welsh. The victim's timeline, the
// officer's preview and (later) the portal all read these words, so one update reads the same everywhere. Pure.
// The Welsh was written by the team and should be checked by a Welsh Language Standards translator before go-live.
import type { CaseUpdateType, UpdateDetail } from './rules.ts';

export type Language = 'en' | 'cy';
export type PlainWords = { title: string; meaning: string; next: string };

type Words = { title: string; meaning: string; next: string };
type Catalogue = Record<CaseUpdateType, { en: Words; cy: Words }>;

const VRR_EN =
  'You have the right to ask for this decision to be reviewed (the Victims’ Right to Review). Ask within 5 working days if you can; requests are accepted up to 3 months after the decision. Your coordinator can help you ask.';
const VRR_CY =
  'Mae gennych hawl i ofyn i’r penderfyniad hwn gael ei adolygu (Hawl Dioddefwyr i Adolygiad). Gofynnwch o fewn 5 diwrnod gwaith os gallwch; derbynnir ceisiadau hyd at 3 mis ar ôl y penderfyniad. Gall eich cydlynydd eich helpu i ofyn.';

const WORDS: Catalogue = {
  officer_assigned: {
    en: { title: 'A police officer is in charge of your case', meaning: 'This officer leads the investigation and is the person to ask about it.', next: 'You can send them a message from your case page.' },
    cy: { title: 'Mae swyddog heddlu yn gyfrifol am eich achos', meaning: 'Y swyddog hwn sy’n arwain yr ymchwiliad a dyma’r person i ofyn iddo amdano.', next: 'Gallwch anfon neges ato o dudalen eich achos.' },
  },
  suspect_arrested: {
    en: { title: 'A suspect has been arrested', meaning: 'The police have arrested someone they think may have committed the crime.', next: 'The police will usually interview them. We will tell you what happens next.' },
    cy: { title: 'Mae rhywun a amheuir wedi cael ei arestio', meaning: 'Mae’r heddlu wedi arestio rhywun y maen nhw’n meddwl a allai fod wedi cyflawni’r drosedd.', next: 'Bydd yr heddlu fel arfer yn ei gyfweld. Byddwn yn dweud wrthych beth sy’n digwydd nesaf.' },
  },
  suspect_interviewed: {
    en: { title: 'The suspect has been interviewed', meaning: 'The police have questioned the suspect under caution about the crime.', next: 'The police will decide whether to charge them, release them while they investigate, or take no further action.' },
    cy: { title: 'Mae’r sawl a amheuir wedi cael ei gyfweld', meaning: 'Mae’r heddlu wedi holi’r sawl a amheuir dan rybudd am y drosedd.', next: 'Bydd yr heddlu yn penderfynu a ddylid ei gyhuddo, ei ryddhau tra byddan nhw’n ymchwilio, neu beidio â gweithredu ymhellach.' },
  },
  released_under_investigation: {
    en: { title: 'The suspect has been released while the police investigate', meaning: 'The suspect is not on bail and has no conditions, but the investigation goes on.', next: 'If you feel unsafe, call 999 in an emergency or tell your coordinator. We will tell you when there is a decision.' },
    cy: { title: 'Mae’r sawl a amheuir wedi cael ei ryddhau tra bydd yr heddlu yn ymchwilio', meaning: 'Nid yw’r sawl a amheuir ar fechnïaeth ac nid oes ganddo amodau, ond mae’r ymchwiliad yn parhau.', next: 'Os ydych chi’n teimlo’n anniogel, ffoniwch 999 mewn argyfwng neu dywedwch wrth eich cydlynydd. Byddwn yn dweud wrthych pan fydd penderfyniad.' },
  },
  suspect_bailed: {
    en: { title: 'The suspect has been released on bail', meaning: 'The suspect has been released but must follow conditions while the police investigate.', next: 'If they break a condition, call 999 in an emergency or 101 otherwise, and tell your coordinator.' },
    cy: { title: 'Mae’r sawl a amheuir wedi cael ei ryddhau ar fechnïaeth', meaning: 'Mae’r sawl a amheuir wedi cael ei ryddhau ond rhaid iddo ddilyn amodau tra bydd yr heddlu yn ymchwilio.', next: 'Os yw’n torri amod, ffoniwch 999 mewn argyfwng neu 101 fel arall, a dywedwch wrth eich cydlynydd.' },
  },
  suspect_charged: {
    en: { title: 'The suspect has been charged', meaning: 'The suspect has been formally accused of the crime and the case will go to court.', next: 'Witness care will tell you the date of the first hearing and whether you need to give evidence.' },
    cy: { title: 'Mae’r sawl a amheuir wedi cael ei gyhuddo', meaning: 'Mae’r sawl a amheuir wedi cael ei gyhuddo’n ffurfiol o’r drosedd a bydd yr achos yn mynd i’r llys.', next: 'Bydd gofal tystion yn dweud wrthych ddyddiad y gwrandawiad cyntaf ac a oes angen i chi roi tystiolaeth.' },
  },
  no_further_action: {
    en: { title: 'The police will take no further action', meaning: 'The police have decided not to take the investigation further for now.', next: `You can ask the police to explain. ${VRR_EN}` },
    cy: { title: 'Ni fydd yr heddlu yn gweithredu ymhellach', meaning: 'Mae’r heddlu wedi penderfynu peidio â mynd â’r ymchwiliad ymhellach am y tro.', next: `Gallwch ofyn i’r heddlu egluro. ${VRR_CY}` },
  },
  out_of_court_disposal: {
    en: { title: 'The case has been dealt with outside court', meaning: 'The police have dealt with the offender without a court case, for example with a caution.', next: 'Your coordinator can explain what this means for you, and any conditions the offender must keep.' },
    cy: { title: 'Mae’r achos wedi cael ei ddelio ag ef y tu allan i’r llys', meaning: 'Mae’r heddlu wedi delio â’r troseddwr heb achos llys, er enghraifft gyda rhybudd.', next: 'Gall eich cydlynydd egluro beth mae hyn yn ei olygu i chi, ac unrhyw amodau y mae’n rhaid i’r troseddwr eu cadw.' },
  },
  charge_dropped: {
    en: { title: 'The prosecutor has dropped the charge', meaning: 'The Crown Prosecution Service has decided not to go on with the case in court.', next: VRR_EN },
    cy: { title: 'Mae’r erlynydd wedi gollwng y cyhuddiad', meaning: 'Mae Gwasanaeth Erlyn y Goron wedi penderfynu peidio â pharhau â’r achos yn y llys.', next: VRR_CY },
  },
  charge_changed: {
    en: { title: 'The charge has changed', meaning: 'The Crown Prosecution Service has changed what the suspect is accused of.', next: VRR_EN },
    cy: { title: 'Mae’r cyhuddiad wedi newid', meaning: 'Mae Gwasanaeth Erlyn y Goron wedi newid yr hyn y mae’r sawl a amheuir wedi’i gyhuddo ohono.', next: VRR_CY },
  },
  hearing_listed: {
    en: { title: 'A court hearing has been set', meaning: 'The court has set a date and time for a hearing in the case.', next: 'Witness care will tell you if you need to go. You can add the hearing to your calendar.' },
    cy: { title: 'Mae gwrandawiad llys wedi cael ei bennu', meaning: 'Mae’r llys wedi pennu dyddiad ac amser ar gyfer gwrandawiad yn yr achos.', next: 'Bydd gofal tystion yn dweud wrthych a oes angen i chi fynd. Gallwch ychwanegu’r gwrandawiad at eich calendr.' },
  },
  hearing_moved: {
    en: { title: 'A court hearing has moved', meaning: 'The hearing will now happen at a different date, time or place.', next: 'Check the new date. Tell witness care if you cannot go.' },
    cy: { title: 'Mae gwrandawiad llys wedi symud', meaning: 'Bydd y gwrandawiad nawr yn digwydd ar ddyddiad, amser neu le gwahanol.', next: 'Gwiriwch y dyddiad newydd. Dywedwch wrth ofal tystion os na allwch fynd.' },
  },
  hearing_vacated: {
    en: { title: 'A court hearing will not go ahead', meaning: 'The court has cancelled the hearing that was set.', next: 'You do not need to go. Witness care will tell you about any new date.' },
    cy: { title: 'Ni fydd gwrandawiad llys yn mynd yn ei flaen', meaning: 'Mae’r llys wedi canslo’r gwrandawiad a bennwyd.', next: 'Nid oes angen i chi fynd. Bydd gofal tystion yn dweud wrthych am unrhyw ddyddiad newydd.' },
  },
  witness_required: {
    en: { title: 'You are needed as a witness', meaning: 'The court needs you to give evidence.', next: 'Witness care will talk to you about the help you can have, such as giving evidence from another room, and a visit to the court beforehand.' },
    cy: { title: 'Mae eich angen fel tyst', meaning: 'Mae angen i chi roi tystiolaeth yn y llys.', next: 'Bydd gofal tystion yn siarad â chi am y cymorth y gallwch ei gael, fel rhoi tystiolaeth o ystafell arall, ac ymweliad â’r llys ymlaen llaw.' },
  },
  special_measures_application: {
    en: { title: 'Help to give evidence has been asked for', meaning: 'The prosecutor has asked the court for help for you when you give evidence.', next: 'We will tell you what the court decides.' },
    cy: { title: 'Gofynnwyd am gymorth i roi tystiolaeth', meaning: 'Mae’r erlynydd wedi gofyn i’r llys am gymorth i chi pan fyddwch yn rhoi tystiolaeth.', next: 'Byddwn yn dweud wrthych beth mae’r llys yn ei benderfynu.' },
  },
  special_measures_outcome: {
    en: { title: 'The court has decided on help for you to give evidence', meaning: 'The court has decided which kinds of help you will have when you give evidence.', next: 'Witness care will explain what this means on the day. Ask them if anything is unclear.' },
    cy: { title: 'Mae’r llys wedi penderfynu ar gymorth i chi roi tystiolaeth', meaning: 'Mae’r llys wedi penderfynu pa fathau o gymorth y byddwch yn eu cael pan fyddwch yn rhoi tystiolaeth.', next: 'Bydd gofal tystion yn egluro beth mae hyn yn ei olygu ar y diwrnod. Gofynnwch iddyn nhw os oes rhywbeth yn aneglur.' },
  },
  verdict: {
    en: { title: 'The court has reached a verdict', meaning: 'The court has decided whether the defendant is guilty.', next: 'If they were found guilty, the court will decide the sentence. We will tell you.' },
    cy: { title: 'Mae’r llys wedi dod i reithfarn', meaning: 'Mae’r llys wedi penderfynu a yw’r diffynnydd yn euog.', next: 'Os cafwyd ef yn euog, bydd y llys yn penderfynu ar y ddedfryd. Byddwn yn dweud wrthych.' },
  },
  sentence: {
    en: { title: 'The offender has been sentenced', meaning: 'The court has decided the offender’s punishment.', next: 'Your coordinator can explain the sentence. If it is 12 months or more in custody for a violent or sexual offence, you can join the Victim Contact Scheme.' },
    cy: { title: 'Mae’r troseddwr wedi cael ei ddedfrydu', meaning: 'Mae’r llys wedi penderfynu ar gosb y troseddwr.', next: 'Gall eich cydlynydd egluro’r ddedfryd. Os yw’n 12 mis neu fwy yn y ddalfa am drosedd dreisgar neu rywiol, gallwch ymuno â’r Cynllun Cyswllt â Dioddefwyr.' },
  },
  appeal: {
    en: { title: 'There is an appeal', meaning: 'A higher court has been asked to look again at the case.', next: 'Witness care will tell you the date and whether you are needed.' },
    cy: { title: 'Mae apêl', meaning: 'Gofynnwyd i lys uwch edrych eto ar yr achos.', next: 'Bydd gofal tystion yn dweud wrthych y dyddiad ac a oes eich angen.' },
  },
  victim_contact_scheme_eligible: {
    en: { title: 'You can join the Victim Contact Scheme', meaning: 'Because of the sentence, probation can keep you told about the offender’s sentence and release.', next: 'You will be asked if you want to join. It is your choice.' },
    cy: { title: 'Gallwch ymuno â’r Cynllun Cyswllt â Dioddefwyr', meaning: 'Oherwydd y ddedfryd, gall y gwasanaeth prawf roi gwybod i chi am ddedfryd a rhyddhau’r troseddwr.', next: 'Gofynnir i chi a ydych chi am ymuno. Eich dewis chi yw hynny.' },
  },
  victim_contact_scheme_referred: {
    en: { title: 'You have been referred to the Victim Contact Scheme', meaning: 'Probation’s victim liaison officer has your details.', next: 'They will contact you to explain the scheme and ask if you want to join.' },
    cy: { title: 'Rydych wedi cael eich atgyfeirio at y Cynllun Cyswllt â Dioddefwyr', meaning: 'Mae gan swyddog cyswllt dioddefwyr y gwasanaeth prawf eich manylion.', next: 'Byddan nhw’n cysylltu â chi i egluro’r cynllun a gofyn a ydych chi am ymuno.' },
  },
  victim_contact_scheme_opted_in: {
    en: { title: 'You have joined the Victim Contact Scheme', meaning: 'Probation will keep you told about the offender’s sentence.', next: 'You can say how much you want to hear, and change your mind at any time.' },
    cy: { title: 'Rydych wedi ymuno â’r Cynllun Cyswllt â Dioddefwyr', meaning: 'Bydd y gwasanaeth prawf yn rhoi gwybod i chi am ddedfryd y troseddwr.', next: 'Gallwch ddweud faint rydych chi am ei glywed, a newid eich meddwl unrhyw bryd.' },
  },
  victim_contact_scheme_contact_level: {
    en: { title: 'Your Victim Contact Scheme choices are recorded', meaning: 'Probation has recorded how much you want to hear about the offender.', next: 'Tell your victim liaison officer if you want to change it.' },
    cy: { title: 'Mae eich dewisiadau ar gyfer y Cynllun Cyswllt â Dioddefwyr wedi’u cofnodi', meaning: 'Mae’r gwasanaeth prawf wedi cofnodi faint rydych chi am ei glywed am y troseddwr.', next: 'Dywedwch wrth eich swyddog cyswllt dioddefwyr os ydych chi am ei newid.' },
  },
};

/** Facts the agency gave that the victim should read, in the words the agency wrote them (never invented here). */
const FACT_LABELS: Record<string, { en: string; cy: string }> = {
  officerName: { en: 'Officer', cy: 'Swyddog' },
  bailConditions: { en: 'Bail conditions', cy: 'Amodau mechnïaeth' },
  bailUntil: { en: 'Bailed until', cy: 'Ar fechnïaeth tan' },
  charges: { en: 'Charge', cy: 'Cyhuddiad' },
  reason: { en: 'Reason', cy: 'Rheswm' },
  sentence: { en: 'Sentence', cy: 'Dedfryd' },
  courtName: { en: 'Court', cy: 'Llys' },
};

export type PlainUpdate = PlainWords & { facts: { label: string; value: string }[]; personalNote: string | null };

/** The update as the victim reads it, in their language, with the agency's facts and the officer's own note. */
export function plainWords(type: CaseUpdateType, language: Language, detail: UpdateDetail | Record<string, unknown> = {}, personalNote: string | null = null): PlainUpdate {
  const words = WORDS[type][language];
  const facts = Object.entries(FACT_LABELS)
    .filter(([name]) => typeof detail[name] === 'string' && (detail[name]).trim() !== '')
    .map(([name, label]) => ({ label: label[language], value: detail[name] as string }));
  if (typeof detail.hearingAt === 'string') facts.unshift({ label: language === 'cy' ? 'Dyddiad ac amser' : 'Date and time', value: londonDateTime(detail.hearingAt, language) });
  return { ...words, facts, personalNote };
}

/** The victim's language from the person's record: Welsh when they asked for it, English otherwise. */
export const languageOf = (preferredLanguage: string | null | undefined): Language => (/^(cy|welsh|cymraeg)$/i.test((preferredLanguage ?? '').trim()) ? 'cy' : 'en');

function londonDateTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // GOV.UK style: "Tuesday 12 January 2027 at 10am", with no commas.
  const day = new Intl.DateTimeFormat(language === 'cy' ? 'cy-GB' : 'en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .formatToParts(date)
    .map((part) => (part.type === 'literal' ? ' ' : part.value))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  const [hour = 0, minute = 0] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date).split(':').map(Number);
  const time = `${hour % 12 || 12}${minute ? `:${String(minute).padStart(2, '0')}` : ''}${hour < 12 ? 'am' : 'pm'}`;
  return `${day} ${language === 'cy' ? 'am' : 'at'} ${time}`;
}
