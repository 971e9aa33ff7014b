// Generates synthetic people, crimes, cases and timeline events, deterministically from a seed, in chunks so a million
// people never sit in memory at once. Pure: no I/O. The loader (load.ts) writes the rows.
import { matchingFullName } from '../../src/features/people/rules.ts';
import type { CaseRole, CaseSource, CaseStatus } from '../../src/platform/db/schema.ts';
import { createRandom, draw, type Random } from './random.ts';
import {
  caseInsights, drawEquality, type InsightEvent, type InsightsContext, type SyntheticComplaint, type SyntheticFeedback,
  type SyntheticObligation, type SyntheticPortalAccount, type SyntheticReferral,
} from './insights.ts';
import {
  CLOSED_REASONS, EMAIL_DOMAINS, FAMILY_NAMES, FAMILY_NAME_VARIANTS, FEMALE_NAMES, GIVEN_NAME_VARIANTS, MALE_NAMES,
  OFFENCES, POLICE_UPDATES, POSTCODE_LETTERS, STREETS, TOWNS, type Offence,
} from './tables.ts';

export type SyntheticContext = {
  areaId: string;
  policeOrganisationId: string;
  agencyOrganisationId: string;
  coordinatorUserIds: string[];
  /** The hub, witness care and providers' services the insights rows point at; needed when `insights` is asked for. */
  insights?: InsightsContext;
};

export type SyntheticPerson = {
  id: string; givenName: string; familyName: string | null; matchName: string; dateOfBirth: string | null;
  email: string | null; phone: string | null; addressLine1: string | null; town: string | null; postcode: string | null;
  safeContact: Record<string, unknown>; repeatVictim: boolean; createdAt: Date;
  /** Equality monitoring (null: not asked); always null unless `insights` is asked for. */
  sex: string | null; ethnicGroup: string | null; disabled: string | null;
};
export type SyntheticCrime = {
  id: string; crimeReference: string; offenceCode: string; offenceCategory: string; offenceGroup: string;
  committedFrom: string; committedTo: string | null; reportedAt: Date; officerInCharge: string;
  policeOrganisationId: string; status: string; createdAt: Date;
};
export type SyntheticCase = {
  id: string; personId: string; crimeId: string | null; role: CaseRole; source: CaseSource; sourceReference: string | null;
  referringOrganisationId: string | null; status: CaseStatus; closedReason: string | null; coordinatorUserId: string | null;
  supportConsent: 'opted_out' | 'opted_in' | 'not_asked' | 'implied'; createdAt: Date;
  /** Not a column: what the referral said, for building import files. */
  domesticAbuse: boolean;
};
export type SyntheticEvent = {
  caseId: string; kind: string; summary: string; detail: Record<string, unknown>; source: string; idempotencyKey: string;
  visibility: 'victim' | 'staff'; occurredAt: Date; recordedByUserId: string | null;
};
export type SyntheticChunk = {
  people: SyntheticPerson[]; crimes: SyntheticCrime[]; cases: SyntheticCase[]; events: SyntheticEvent[];
  /** How many of this chunk's people are near-duplicate spellings of another person in the data. */
  nearDuplicates: number;
  /** The insights rows (empty unless `insights` is asked for). Obligations and referrals name events by their index in `events`. */
  obligations: SyntheticObligation[]; referrals: SyntheticReferral[]; portalAccounts: SyntheticPortalAccount[];
  feedback: SyntheticFeedback[]; complaints: SyntheticComplaint[];
};

export type GeneratorOptions = {
  people: number;
  seed?: number;
  /** YYYY-MM-DD: nothing is dated after it. Defaults to today (UTC). */
  today?: string;
  chunkSize?: number;
  /** Share of people with 2 or more cases. */
  repeatShare?: number;
  /** Share of people who are a near-duplicate record of someone else. */
  nearDuplicateShare?: number;
  /** Crime references count up from here (WY/<n>/<yy>), so a second batch in the same area does not reuse them. */
  crimeNumberStart?: number;
  /** How far back the first cases go, in days (5 years unless said). */
  historyDays?: number;
  /** Prefix of the cases' source references, so a second batch does not replay the first one's. */
  referencePrefix?: string;
  /**
   * Also make what the commissioner's insights read (bench/synthetic/insights.ts): equality monitoring, about ten
   * events a case, duties, support referrals, feedback and complaints. Drawn from a random stream of its own, so the
   * people, crimes, cases and their own events are the same with it (only the events' idempotency keys, which count
   * within the chunk, differ). Needs `context.insights`.
   */
  insights?: boolean;
};

const DAY = 86_400_000;
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);

/** Mostly adults 18 to 45, some children from 10 and older people up to 95. */
function drawAge(random: Random): number {
  const band = random.next();
  if (band < 0.08) return random.int(10, 17);
  if (band < 0.68) return random.int(18, 45);
  if (band < 0.93) return random.int(46, 69);
  return random.int(70, 95);
}

/**
 * Numbers from Ofcom's ranges for drama (07700 900xxx, 0113 496 0xxx, ...), and most from the wider 07700 9xxxxx block
 * so that a million people do not share a few thousand numbers (real numbers are nearly unique).
 */
function drawPhone(random: Random): string {
  const roll = random.next();
  if (roll < 0.02) return `+447700900${String(random.int(0, 999)).padStart(3, '0')}`;
  if (roll < 0.1) {
    const landline = random.pick(['113496', '114496', '115496', '116496', '117496', '118496', '121496', '131496', '141496', '151496', '161496', '2079460', '1914980']);
    return `+44${landline}${String(random.int(0, 999)).padStart(landline.length === 7 ? 3 : 4, '0')}`;
  }
  return `+4477009${String(random.int(0, 99_999)).padStart(5, '0')}`;
}

function drawPostcode(random: Random): string {
  const letter = () => POSTCODE_LETTERS[random.int(0, POSTCODE_LETTERS.length - 1)] ?? 'A';
  return `WY${random.int(1, 30)} ${random.int(0, 9)}${letter()}${letter()}`;
}

/** Swaps two neighbouring letters inside a name, as fast typing does. */
function transpose(random: Random, name: string): string {
  if (name.length < 4) return name;
  const at = random.int(1, name.length - 3);
  return name.slice(0, at) + name.charAt(at + 1) + name.charAt(at) + name.slice(at + 2);
}

/**
 * The same person as another feed might write them: a short or long form of the given name, a variant spelling of the
 * family name, two letters swapped, or the date of birth left out. Also used by the bench for lookup inputs.
 */
export function nearDuplicateOf(
  random: Random,
  person: { givenName: string; familyName: string | null; dateOfBirth: string | null },
): { givenName: string; familyName: string | null; dateOfBirth: string | null } {
  let { givenName, familyName, dateOfBirth } = person;
  const change = random.int(0, 3);
  if (change === 0) {
    const variants = GIVEN_NAME_VARIANTS[givenName];
    givenName = variants ? random.pick(variants) : transpose(random, givenName);
  } else if (change === 1 && familyName) {
    const variants = FAMILY_NAME_VARIANTS[familyName];
    familyName = variants ? random.pick(variants) : transpose(random, familyName);
  } else if (change === 2) {
    if (familyName && random.chance(0.6)) familyName = transpose(random, familyName);
    else givenName = transpose(random, givenName);
  } else {
    dateOfBirth = null;
  }
  if (change !== 3 && random.chance(0.25)) dateOfBirth = null;
  return { givenName, familyName, dateOfBirth };
}

const SOURCES: readonly (readonly [CaseSource, number])[] = [
  ['police_feed', 0.55], ['police_api', 0.15], ['file_import', 0.15], ['self_referral', 0.08], ['agency_referral', 0.07],
];

function drawSource(random: Random): CaseSource {
  let roll = random.next();
  for (const [source, share] of SOURCES) {
    roll -= share;
    if (roll < 0) return source;
  }
  return 'police_feed';
}

function drawCaseCount(random: Random, repeatShare: number): number {
  if (!random.chance(repeatShare)) return 1;
  const roll = random.next();
  if (roll < 0.7) return 2;
  if (roll < 0.92) return 3;
  return random.int(4, 6);
}

const STATUS_SHARE: readonly (readonly [CaseStatus, number])[] = [['new', 0.15], ['contacted', 0.15], ['active', 0.3], ['closed', 0.4]];

export function* generateSyntheticData(context: SyntheticContext, options: GeneratorOptions): Generator<SyntheticChunk> {
  const seed = options.seed ?? 1;
  const random = createRandom(seed);
  const todayText = options.today ?? new Date().toISOString().slice(0, 10);
  const today = Date.parse(`${todayText}T00:00:00Z`);
  const chunkSize = options.chunkSize ?? 20_000;
  const repeatShare = options.repeatShare ?? 0.15;
  const nearDuplicateShare = options.nearDuplicateShare ?? 0.03;
  // Ids: eight random hex digits (so indexes see realistic spread), then the seed, the table and a counter (so they are
  // unique without checking). Seeds up to 65535 keep runs with different seeds apart in one database.
  const seedHex = (seed & 0xffff).toString(16).padStart(4, '0');
  let counter = 0;
  const id = (table: string) => {
    counter += 1;
    return `${random.hex8()}-${seedHex}-4${table}${seedHex.slice(0, 2)}-8${seedHex.slice(2)}0-${counter.toString(16).padStart(12, '0')}`;
  };
  // The insights rows' own stream and ids (tables 5 to 9), so asking for them changes nothing else.
  const insightsContext = options.insights ? context.insights : undefined;
  if (options.insights && !insightsContext) throw new Error('insights data needs context.insights (the hub, witness care and services)');
  const extra = createRandom((seed * 7919 + 104_729) >>> 0);
  let extraCounter = 0;
  const extraId = (table: string) => {
    extraCounter += 1;
    return `${extra.hex8()}-${seedHex}-4${table}${seedHex.slice(0, 2)}-8${seedHex.slice(2)}0-${extraCounter.toString(16).padStart(12, '0')}`;
  };
  let crimeNumber = options.crimeNumberStart ?? 0;
  let referenceNumber = 0;
  // Recent people, so a near-duplicate copies someone who really is in the data.
  const recent: SyntheticPerson[] = [];

  for (let start = 0; start < options.people; start += chunkSize) {
    const chunk: SyntheticChunk = { people: [], crimes: [], cases: [], events: [], nearDuplicates: 0, obligations: [], referrals: [], portalAccounts: [], feedback: [], complaints: [] };
    const end = Math.min(options.people, start + chunkSize);
    for (let index = start; index < end; index += 1) {
      const base = recent.length > 0 && random.chance(nearDuplicateShare) ? random.pick(recent) : undefined;
      let givenName: string;
      let familyName: string | null;
      let dateOfBirth: string | null;
      let phone: string | null;
      let email: string | null;
      let female: boolean | undefined;
      if (base) {
        ({ givenName, familyName, dateOfBirth } = nearDuplicateOf(random, base));
        phone = random.chance(0.5) ? base.phone : null;
        email = random.chance(0.3) ? base.email : null;
        chunk.nearDuplicates += 1;
      } else {
        female = random.chance(0.52);
        givenName = draw(random, female ? FEMALE_NAMES : MALE_NAMES);
        familyName = random.chance(0.99) ? draw(random, FAMILY_NAMES) : null;
        const age = drawAge(random);
        dateOfBirth = random.chance(0.05) ? null : isoDate(today - age * 365.25 * DAY - random.int(0, 364) * DAY);
        phone = random.chance(0.78) ? drawPhone(random) : null;
        email = random.chance(0.55)
          ? `${givenName}.${familyName ?? 'x'}${random.int(1, 9999)}@${random.pick(EMAIL_DOMAINS)}`.toLowerCase().replace(/[^a-z0-9.@]/g, '')
          : null;
      }
      const caseCount = base ? 1 : drawCaseCount(random, repeatShare);
      const firstCaseAt = today - random.int(1, options.historyDays ?? 5 * 365) * DAY - random.int(0, DAY - 1);
      const caseTimes: number[] = [firstCaseAt];
      for (let more = 1; more < caseCount; more += 1) {
        // Most repeat victimisation comes within a year.
        const previous = caseTimes[caseTimes.length - 1] ?? firstCaseAt;
        caseTimes.push(Math.min(today - 3_600_000, previous + random.int(3, random.chance(0.8) ? 300 : 900) * DAY));
      }
      const repeatVictim = caseTimes.some((time, at) => at > 0 && time - (caseTimes[at - 1] ?? time) <= 365 * DAY);
      const person: SyntheticPerson = {
        id: id('1'),
        givenName,
        familyName,
        matchName: matchingFullName(givenName, familyName),
        dateOfBirth,
        email,
        phone,
        addressLine1: random.chance(0.85) ? `${random.int(1, 240)} ${random.pick(STREETS)}` : null,
        town: random.pick(TOWNS),
        postcode: random.chance(0.9) ? drawPostcode(random) : null,
        safeContact: {},
        repeatVictim,
        createdAt: new Date(firstCaseAt),
        ...(insightsContext ? drawEquality(extra, female) : { sex: null, ethnicGroup: null, disabled: null }),
      };
      let portalAccount: SyntheticPortalAccount | undefined;
      const accountId = () => {
        if (!portalAccount) {
          portalAccount = { id: extraId('7'), personId: person.id, displayName: givenName, createdAt: person.createdAt };
          chunk.portalAccounts.push(portalAccount);
        }
        return portalAccount.id;
      };
      let domestic = false;
      for (const caseAt of caseTimes) {
        const offence: Offence = draw(random, OFFENCES);
        domestic ||= offence.domesticAbuse;
        const source = drawSource(random);
        let crime: SyntheticCrime | null = null;
        if (source !== 'self_referral' || random.chance(0.4)) {
          crimeNumber += 1;
          const committed = caseAt - random.int(0, 20) * DAY;
          crime = {
            id: id('2'),
            crimeReference: `WY/${crimeNumber}/${String(new Date(committed).getUTCFullYear() % 100).padStart(2, '0')}`,
            offenceCode: offence.code,
            offenceCategory: offence.category,
            offenceGroup: offence.group,
            committedFrom: isoDate(committed),
            committedTo: random.chance(0.2) ? isoDate(Math.min(caseAt, committed + random.int(0, 2) * DAY)) : null,
            reportedAt: new Date(Math.min(caseAt, committed + random.int(0, 3) * DAY)),
            officerInCharge: `PC ${random.int(1000, 9999)} ${draw(random, FAMILY_NAMES)}`,
            policeOrganisationId: context.policeOrganisationId,
            status: random.chance(0.6) ? 'open' : 'closed',
            createdAt: new Date(caseAt),
          };
          chunk.crimes.push(crime);
        }
        let roll = random.next();
        let status: CaseStatus = 'closed';
        for (const [each, share] of STATUS_SHARE) {
          roll -= share;
          if (roll < 0) { status = each; break; }
        }
        const police = source === 'police_feed' || source === 'police_api' || source === 'file_import';
        const roleRoll = random.next();
        const role: CaseRole = roleRoll < 0.9 ? 'victim' : roleRoll < 0.96 ? 'witness' : roleRoll < 0.985 ? 'parent_of_child_victim' : 'bereaved_relative';
        const coordinator = status === 'new' ? null : random.pick(context.coordinatorUserIds);
        referenceNumber += 1;
        const victimCase: SyntheticCase = {
          id: id('3'),
          personId: person.id,
          crimeId: crime?.id ?? null,
          role,
          source,
          sourceReference: `${options.referencePrefix ?? (source === 'self_referral' ? 'HVN' : 'REF')}-${seedHex}-${referenceNumber}`,
          referringOrganisationId: police ? context.policeOrganisationId : source === 'agency_referral' ? context.agencyOrganisationId : null,
          status,
          closedReason: status === 'closed' ? random.pick(CLOSED_REASONS) : null,
          coordinatorUserId: coordinator,
          supportConsent: police ? (offence.domesticAbuse || offence.sexualOffence ? 'opted_in' : random.chance(0.1) ? 'opted_out' : 'implied') : 'opted_in',
          createdAt: new Date(caseAt),
          domesticAbuse: offence.domesticAbuse,
        };
        chunk.cases.push(victimCase);
        let eventAt = caseAt;
        const firstEvent = chunk.events.length;
        const event = (kind: string, summary: string, visibility: 'victim' | 'staff', detail: Record<string, unknown> = {}, by: string | null = null) => {
          chunk.events.push({
            caseId: victimCase.id, kind, summary, detail, source: by ? 'staff' : victimCase.source,
            idempotencyKey: `case:${victimCase.id}:${kind}:${chunk.events.length}`, visibility, occurredAt: new Date(eventAt), recordedByUserId: by,
          });
          eventAt = Math.min(today, eventAt + random.int(1, 10) * DAY);
        };
        event('referral_received', 'Referral received', 'victim', {
          indicators: { domesticAbuse: offence.domesticAbuse, hateCrime: offence.hateCrime, sexualOffence: offence.sexualOffence },
        });
        if (coordinator) {
          event('coordinator_assigned', 'Your coordinator has been assigned', 'victim', {}, coordinator);
          event('status_changed', 'Case contacted', 'staff', { to: 'contacted' }, coordinator);
          if (crime && random.chance(0.5)) event('police_update', random.pick(POLICE_UPDATES), 'victim');
          if (status === 'active' || status === 'closed') event('status_changed', 'Case active', 'staff', { to: 'active' }, coordinator);
          if (status === 'closed') event('status_changed', `Case closed: ${victimCase.closedReason ?? ''}`, 'staff', { to: 'closed' }, coordinator);
        }
        if (insightsContext) {
          const made = caseInsights(extra, {
            caseAt, today, crime: crime !== null, coordinator: coordinator !== null, supportConsent: victimCase.supportConsent,
            closed: status === 'closed', enhanced: offence.domesticAbuse || offence.sexualOffence, context: insightsContext,
          });
          const indexOf = new Map<InsightEvent, number>();
          for (const each of made.events) {
            indexOf.set(each, chunk.events.length);
            const by = each.byStaff ? coordinator ?? context.coordinatorUserIds[0] ?? null : null;
            chunk.events.push({
              caseId: victimCase.id, kind: each.kind, summary: each.summary, detail: each.detail ?? {}, source: by ? 'staff' : victimCase.source,
              idempotencyKey: `case:${victimCase.id}:${each.kind}:${chunk.events.length}`, visibility: each.visibility, occurredAt: new Date(each.at), recordedByUserId: by,
            });
          }
          const eventIndex = (trigger: InsightEvent | 'referral_received') => (trigger === 'referral_received' ? firstEvent : indexOf.get(trigger) ?? firstEvent);
          for (const { trigger, ...obligation } of made.obligations) {
            chunk.obligations.push({ ...obligation, id: extraId('5'), caseId: victimCase.id, triggerEvent: eventIndex(trigger) });
          }
          for (const { sent, ...referral } of made.referrals) {
            const id = extraId('6');
            chunk.referrals.push({
              ...referral, id, caseId: victimCase.id, personId: person.id, sentEvent: sent ? eventIndex(sent) : null, submissionKey: `bench:${id}`,
              createdByUserId: coordinator ?? context.coordinatorUserIds[0] ?? '',
            });
          }
          for (const feedback of made.feedback) chunk.feedback.push({ ...feedback, id: extraId('8'), caseId: victimCase.id, accountId: accountId() });
          for (const complaint of made.complaints) {
            const id = extraId('9');
            chunk.complaints.push({ ...complaint, id, caseId: victimCase.id, accountId: accountId(), submissionKey: `bench:${id}` });
          }
        }
      }
      if (domestic) {
        person.safeContact = { channels: ['sms'], safeTimes: 'Weekdays 10am to 2pm', voicemailSafe: false, homeVisitSafe: false, safeAddress: null, codeWord: 'bluebell' };
      } else if (phone || email) {
        person.safeContact = { channels: [...(phone ? ['phone', 'sms'] : []), ...(email ? ['email'] : []), 'letter'], safeTimes: null, voicemailSafe: true, homeVisitSafe: null, safeAddress: null, codeWord: null };
      }
      chunk.people.push(person);
      if (!base) {
        if (recent.length < 5000) recent.push(person);
        else recent[random.int(0, recent.length - 1)] = person;
      }
    }
    yield chunk;
  }
}
