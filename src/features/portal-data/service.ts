// Use-cases of "My data" in the victim's portal: the hub, who has seen the record, the consents with withdrawal, and
// the subject access export. The record is a person's: the victim's own, or a child's for their parent or carer. A
// supporter reads the case pages but not this, so every use-case here refuses them (403); a person not in reach is a
// 404 like a guessed id. Each read of personal data is audited, and refusals are audited in a transaction of their own.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Forbidden, NotFound } from '../../platform/http/domain-errors.ts';
import type { Language } from '../../platform/views/i18n/catalogue.ts';
import { caseReference } from '../cases/rules.ts';
import { consentsOfPerson, withdrawConsentOfPerson, type ConsentWithState } from '../consent/service.ts';
import { casesInReach, victimOf, type ReachableCase } from '../portal-access/service.ts';
import {
  casesOf,
  complaintsOf,
  feedbackOf,
  hearingsOf,
  messagesOf,
  personDetails,
  personNames,
  recordKeysOf,
  referralsOf,
  trailPage,
  victimTimelines,
} from './repository.ts';
import { groupByDay, ownLabel, TRAIL_PAGE_SIZE, type TrailDay } from './rules.ts';

const RECORD = 'person';

/** A person whose record the account reaches, with the cases it reaches of theirs. */
export type PersonInReach = { personId: string; relation: ReachableCase['relation']; canAct: boolean; caseIds: string[] };

function peopleOf(reach: readonly ReachableCase[]): PersonInReach[] {
  const people = new Map<string, PersonInReach>();
  for (const item of reach) {
    const person = people.get(item.personId) ?? { personId: item.personId, relation: item.relation, canAct: item.canAct, caseIds: [] };
    person.caseIds.push(item.caseId);
    if (item.relation === 'self' || (item.canAct && !person.canAct)) Object.assign(person, { relation: item.relation, canAct: item.canAct });
    people.set(item.personId, person);
  }
  return [...people.values()];
}

/**
 * The person a page asks for (?person=, or else the first the account may act for: their own record first). NotFound
 * for an id not in reach; Forbidden where the account is only a supporter.
 */
async function personFor(db: Db | Trx, actor: Actor, asked: unknown): Promise<{ person: PersonInReach; people: PersonInReach[] }> {
  victimOf(actor);
  const people = peopleOf(await casesInReach(db, actor));
  const wanted = typeof asked === 'string' && asked !== '' ? asked : undefined;
  if (wanted !== undefined) {
    if (!isUuid(wanted)) throw new NotFound('person');
    const person = people.find((entry) => entry.personId === wanted.toLowerCase());
    if (!person) throw new NotFound('person');
    if (!person.canAct) throw new Forbidden('a supporter cannot see or download the victim’s data');
    return { person, people };
  }
  const person = people.find((entry) => entry.canAct);
  if (person) return { person, people };
  if (people.length) throw new Forbidden('a supporter cannot see or download the victim’s data');
  throw new NotFound('person');
}

/** Runs a use-case and, when it is refused, records the refused attempt in its own transaction; then refuses as before. */
async function refusalsAudited<T>(db: Db, actor: Actor, asked: unknown, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotFound || error instanceof Forbidden) {
      await inTransaction(db, (trx) =>
        writeAudit(trx, actor, { action: 'portal.data_access_refused', recordType: RECORD, recordId: isUuid(asked) ? asked : null, detail: { what, refusal: error.name } }),
      );
    }
    throw error;
  }
}

export type HubPage = { people: { personId: string; own: boolean; name: string; current: boolean }[]; personId: string | null };

/** The hub: which records the account may see here (usually just one), and the one shown. */
export async function getDataHub(db: Db, actor: Actor, asked: unknown): Promise<HubPage> {
  return refusalsAudited(db, actor, asked, 'hub', async () => {
    let chosen: { person: PersonInReach; people: PersonInReach[] };
    try {
      chosen = await personFor(db, actor, asked);
    } catch (error) {
      // An account with no record in reach yet sees an empty hub, not an error; an asked-for id still gets its 404.
      if (error instanceof NotFound && (asked === undefined || asked === '')) return { people: [], personId: null };
      throw error;
    }
    const acting = chosen.people.filter((person) => person.canAct);
    return inTransaction(db, async (trx) => {
      const names = new Map((await personNames(trx, acting.map((person) => person.personId))).map((row) => [row.id, [row.givenName, row.familyName].filter(Boolean).join(' ')]));
      await writeAudit(trx, actor, { action: 'portal.data_viewed', recordType: RECORD, recordId: chosen.person.personId, detail: { page: 'hub' } });
      return {
        personId: chosen.person.personId,
        people: acting.map((person) => ({ personId: person.personId, own: person.relation === 'self', name: names.get(person.personId) ?? '', current: person.personId === chosen.person.personId })),
      };
    });
  });
}

export type TrailPage = { personId: string; several: boolean; page: number; more: boolean; days: TrailDay[] };

/** One page of who has seen the record, in plain words, newest first; the viewer's own actions are left out. */
export async function getWhoHasSeen(db: Db, actor: Actor, asked: unknown, page: number, language: Language): Promise<TrailPage> {
  return refusalsAudited(db, actor, asked, 'who_has_seen', async () => {
    const { person, people } = await personFor(db, actor, asked);
    return inTransaction(db, async (trx) => {
      const keys = await recordKeysOf(trx, person.personId, person.caseIds);
      const { rows, more } = await trailPage(trx, keys, ownLabel(victimOf(actor).accountId), page, TRAIL_PAGE_SIZE);
      await writeAudit(trx, actor, { action: 'portal.audit_trail_viewed', recordType: RECORD, recordId: person.personId, detail: { page, rows: rows.length } });
      return { personId: person.personId, several: people.filter((entry) => entry.canAct).length > 1, page, more, days: groupByDay(rows, language) };
    });
  });
}

export type ConsentsPage = { personId: string; several: boolean; inForce: ConsentWithState[]; past: ConsentWithState[] };

export async function getMyConsents(db: Db, actor: Actor, asked: unknown, now = new Date()): Promise<ConsentsPage> {
  return refusalsAudited(db, actor, asked, 'consents', async () => {
    const { person, people } = await personFor(db, actor, asked);
    return inTransaction(db, async (trx) => {
      const consents = await consentsOfPerson(trx, person.personId, now);
      await writeAudit(trx, actor, { action: 'portal.consents_viewed', recordType: RECORD, recordId: person.personId, detail: { count: consents.length } });
      return {
        personId: person.personId,
        several: people.filter((entry) => entry.canAct).length > 1,
        inForce: consents.filter((consent) => consent.state === 'in_force'),
        past: consents.filter((consent) => consent.state !== 'in_force'),
      };
    });
  });
}

/**
 * The victim (or their parent or carer) withdraws a consent online. It goes through the consent ledger's own
 * withdrawal, as a coordinator's does, so it takes effect at once: referrals to the organisation close in the same
 * transaction and the provider's queries see nothing more. withdrawn: false when it had already been withdrawn.
 */
export async function withdrawMyConsent(db: Db, actor: Actor, asked: unknown, consentId: unknown, now = new Date()): Promise<{ personId: string; withdrawn: boolean }> {
  return refusalsAudited(db, actor, asked, 'withdraw_consent', async () => {
    const { person } = await personFor(db, actor, asked);
    if (!isUuid(consentId)) throw new NotFound('consent');
    return inTransaction(db, async (trx) => {
      const { withdrawn } = await withdrawConsentOfPerson(trx, actor, { personId: person.personId }, consentId.toLowerCase(), { how: 'online' }, null, now);
      return { personId: person.personId, withdrawn };
    });
  });
}

export type ExportFormat = 'html' | 'json';

/** The subject access export: what Haven holds about the person that the victim may read, as plain data. */
export type SubjectAccessExport = {
  madeAt: string;
  person: {
    name: string;
    otherNames: string[];
    dateOfBirth: string | null;
    email: string | null;
    phone: string | null;
    address: string[];
    preferredLanguage: string;
    communicationNeeds: string | null;
    updateFrequency: string | null;
    safeContact: {
      channels: string[];
      safeTimes: string | null;
      voicemailSafe: boolean | null;
      homeVisitSafe: boolean | null;
      safeAddress: string | null;
      codeWord: string | null;
      doNotContact: boolean | null;
      quietHours: { from: string; to: string } | null;
    };
  };
  cases: {
    reference: string;
    crimeReference: string | null;
    offence: string | null;
    status: string;
    openedAt: string;
    timeline: { at: string; summary: string }[];
    referrals: { service: string; organisation: string; status: string; outcome: string | null; summary: string; sentAt: string | null; closedAt: string | null }[];
    messages: { at: string; direction: string; thread: string; organisation: string | null; body: string; readAt: string | null }[];
    hearings: { at: string; court: string; type: string }[];
    feedback: { moment: string; rating: number; comment: string | null; at: string }[];
    complaints: { organisation: string; body: string; receivedAt: string; answeredAt: string | null; answer: string | null }[];
  }[];
  consents: { organisation: string; purpose: string; givenAt: string; givenHow: string; expiresAt: string | null; withdrawnAt: string | null; withdrawnHow: string | null; state: string }[];
};

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);
const bool = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);

export async function exportMyData(db: Db, actor: Actor, asked: unknown, format: ExportFormat, now = new Date()): Promise<{ personId: string; data: SubjectAccessExport }> {
  return refusalsAudited(db, actor, asked, `export_${format}`, async () => {
    const { person } = await personFor(db, actor, asked);
    return inTransaction(db, async (trx) => {
      const ids = person.caseIds;
      const [details, cases, timeline, referrals, messages, hearings, feedback, complaints, consents] = await Promise.all([
        personDetails(trx, person.personId),
        casesOf(trx, ids),
        victimTimelines(trx, ids),
        referralsOf(trx, ids),
        messagesOf(trx, ids),
        hearingsOf(trx, ids),
        feedbackOf(trx, ids),
        complaintsOf(trx, ids),
        consentsOfPerson(trx, person.personId, now),
      ]);
      const safe: Record<string, unknown> = details.safe_contact ?? {};
      const quiet = safe.quietHours as { from?: unknown; to?: unknown } | null | undefined;
      const data: SubjectAccessExport = {
        madeAt: now.toISOString(),
        person: {
          name: [details.given_name, details.family_name].filter(Boolean).join(' '),
          otherNames: details.other_names ?? [],
          dateOfBirth: details.date_of_birth,
          email: details.email,
          phone: details.phone,
          address: [details.address_line_1, details.address_line_2, details.town, details.postcode].filter((line): line is string => Boolean(line)),
          preferredLanguage: details.preferred_language,
          communicationNeeds: details.communication_needs,
          updateFrequency: details.update_frequency,
          // Every field the victim gave, but not the staff's reason for "do not contact", which is never shown to them.
          safeContact: {
            channels: Array.isArray(safe.channels) ? safe.channels.filter((channel): channel is string => typeof channel === 'string') : [],
            safeTimes: text(safe.safeTimes),
            voicemailSafe: bool(safe.voicemailSafe),
            homeVisitSafe: bool(safe.homeVisitSafe),
            safeAddress: text(safe.safeAddress),
            codeWord: text(safe.codeWord),
            doNotContact: bool(safe.doNotContact),
            quietHours: quiet && typeof quiet.from === 'string' && typeof quiet.to === 'string' ? { from: quiet.from, to: quiet.to } : null,
          },
        },
        cases: cases.map((row) => ({
          reference: caseReference(row.id),
          crimeReference: row.crime_reference,
          offence: text(row.offence_category) ?? row.offence_code,
          status: row.status,
          openedAt: row.created_at.toISOString(),
          timeline: timeline.filter((event) => event.case_id === row.id).map((event) => ({ at: event.occurred_at.toISOString(), summary: event.summary })),
          referrals: referrals
            .filter((referral) => referral.case_id === row.id)
            .map((referral) => ({
              service: referral.service_name,
              organisation: referral.organisation_name,
              status: referral.status,
              outcome: referral.outcome,
              summary: referral.summary,
              sentAt: iso(referral.sent_at),
              closedAt: iso(referral.closed_at),
            })),
          messages: messages
            .filter((message) => message.case_id === row.id)
            .map((message) => ({ at: message.created_at.toISOString(), direction: message.direction, thread: message.party, organisation: message.organisation_name, body: message.body, readAt: iso(message.read_at) })),
          hearings: hearings.filter((hearing) => hearing.case_id === row.id).map((hearing) => ({ at: hearing.hearing_at.toISOString(), court: hearing.court_name, type: hearing.hearing_type })),
          feedback: feedback.filter((entry) => entry.case_id === row.id).map((entry) => ({ moment: entry.moment, rating: entry.rating, comment: entry.comment, at: entry.given_at.toISOString() })),
          complaints: complaints
            .filter((entry) => entry.case_id === row.id)
            .map((entry) => ({ organisation: entry.organisation_name, body: entry.body, receivedAt: entry.received_at.toISOString(), answeredAt: iso(entry.answered_at), answer: entry.answer_summary })),
        })),
        // Who recorded or withdrew a consent is a staff name, which the victim's pages never show.
        consents: consents.map((consent) => ({
          organisation: consent.recipientName,
          purpose: consent.purpose,
          givenAt: consent.givenAt.toISOString(),
          givenHow: consent.givenHow,
          expiresAt: iso(consent.expiresAt),
          withdrawnAt: iso(consent.withdrawnAt),
          withdrawnHow: consent.withdrawnHow,
          state: consent.state,
        })),
      };
      await writeAudit(trx, actor, { action: 'portal.data_exported', recordType: RECORD, recordId: person.personId, detail: { format, cases: cases.length } });
      return { personId: person.personId, data };
    });
  });
}
