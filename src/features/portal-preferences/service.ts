// Use-cases of the portal's preferences: the summary of each person the account reaches, one change form, and the
// change itself. Reach is decided by portal-access (a victim their own record, a parent or carer the child's, a
// supporter reads only). Each change is one transaction with its audit row (field names, never values) and a
// staff-only timeline event on each of the person's cases, so the coordinator knows that something changed.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvents } from '../cases/service.ts';
import { changeSafeContact } from '../people/service.ts';
import { casesInReach, portalCase, portalRefusalsAudited, type ReachableCase } from '../portal-access/service.ts';
// Pure rules (no I/O): the stored safe-contact profile read in full, with defaults for fields older rows lack.
import { storedSafeContact } from '../notifications/rules.ts';
import { preferencesOf, updatePreferences, type PersonPreferences, type PreferenceColumns } from './repository.ts';
import {
  changedFields,
  checkFrequency,
  checkLanguage,
  checkNeeds,
  checkSafeContactPreferences,
  notificationLanguage,
  readNeeds,
  secretsShown,
  writeNeeds,
  type CommunicationNeeds,
  type Form,
  type Language,
  type SafeContact,
  type Section,
} from './rules.ts';

export type { Section };

export type Preferences = {
  safeContact: SafeContact;
  language: Language;
  needs: CommunicationNeeds;
  updateFrequency: string | null;
};

/** One person's preferences as the summary shows them: secrets only to someone who may act. */
export type PreferencesSection = {
  caseId: string;
  relation: ReachableCase['relation'];
  canAct: boolean;
  /** The first name of someone the account acts for or supports; null for the victim's own record. */
  givenName: string | null;
  preferences: Preferences;
  secrets: ReturnType<typeof secretsShown>;
};

const WHAT = 'portal_preferences';

function preferencesFrom(person: PersonPreferences): Preferences {
  return {
    safeContact: storedSafeContact(person.safeContact),
    language: notificationLanguage(person.preferredLanguage),
    needs: readNeeds(person.communicationNeeds),
    updateFrequency: person.updateFrequency,
  };
}

/** One entry per person in reach, named by the first of their cases (own first); able to act if any link allows it. */
function peopleInReach(reach: readonly ReachableCase[]): ReachableCase[] {
  const byPerson = new Map<string, ReachableCase>();
  for (const item of reach) {
    const seen = byPerson.get(item.personId);
    if (!seen) byPerson.set(item.personId, item);
    else if (item.canAct && !seen.canAct) byPerson.set(item.personId, { ...item, caseId: seen.caseId });
  }
  return [...byPerson.values()];
}

/** The summary page: a section for each person the account reaches; each read is audited. */
export async function getPreferencesSummary(db: Db, actor: Actor): Promise<PreferencesSection[]> {
  return inTransaction(db, async (trx) => {
    const people = peopleInReach(await casesInReach(trx, actor));
    const found = new Map((await preferencesOf(trx, people.map((item) => item.personId))).map((person) => [person.id, person]));
    const sections: PreferencesSection[] = [];
    for (const item of people) {
      const person = found.get(item.personId);
      if (!person) continue;
      const preferences = preferencesFrom(person);
      sections.push({
        caseId: item.caseId,
        relation: item.relation,
        canAct: item.canAct,
        givenName: item.relation === 'self' ? null : person.givenName,
        preferences,
        secrets: secretsShown(preferences.safeContact, item.canAct),
      });
      await writeAudit(trx, actor, { action: 'portal_preferences.viewed', recordType: 'person', recordId: person.id, detail: { caseId: item.caseId, relation: item.relation, masked: !item.canAct } });
    }
    return sections;
  });
}

export type PreferenceForm = { caseId: string; relation: ReachableCase['relation']; givenName: string | null; preferences: Preferences; submissionKey: string };

async function personToChange(trx: Trx, actor: Actor, caseId: unknown, lock: boolean): Promise<{ reached: ReachableCase; person: PersonPreferences }> {
  const reached = await portalCase(trx, actor, caseId, 'act');
  const [person] = await preferencesOf(trx, [reached.personId], { lock });
  if (!person) throw new NotFound('case');
  return { reached, person };
}

/** One change page, for someone who may act on the case's person (a supporter is refused, and the refusal audited). */
export async function getPreferenceForm(db: Db, actor: Actor, caseId: unknown, section: Section): Promise<PreferenceForm> {
  return portalRefusalsAudited(db, actor, caseId, WHAT, () =>
    inTransaction(db, async (trx) => {
      const { reached, person } = await personToChange(trx, actor, caseId, false);
      await writeAudit(trx, actor, { action: 'portal_preferences.viewed', recordType: 'person', recordId: person.id, detail: { caseId: reached.caseId, relation: reached.relation, section } });
      return {
        caseId: reached.caseId,
        relation: reached.relation,
        givenName: reached.relation === 'self' ? null : person.givenName,
        preferences: preferencesFrom(person),
        submissionKey: randomUUID(),
      };
    }),
  );
}

type Checked = { columns: PreferenceColumns; safeContact?: SafeContact; fields: string[]; language?: Language };

/** The form checked against what is stored: the columns to write and the names of the fields that change. */
function checkSection(section: Section, form: Form, person: PersonPreferences): Checked {
  const before = preferencesFrom(person);
  const fail = (errors: Record<string, string>): never => {
    throw new Invalid(errors);
  };
  switch (section) {
    case 'safe-contact': {
      const checked = checkSafeContactPreferences(form, before.safeContact);
      if ('errors' in checked) return fail(checked.errors);
      return { columns: {}, safeContact: checked.value, fields: changedFields(before.safeContact, checked.value) };
    }
    case 'language': {
      const checked = checkLanguage(form);
      if ('errors' in checked) return fail(checked.errors);
      const fields = checked.value === before.language ? [] : ['preferredLanguage'];
      return { columns: { preferredLanguage: checked.value }, fields, language: checked.value };
    }
    case 'needs': {
      const checked = checkNeeds(form);
      if ('errors' in checked) return fail(checked.errors);
      return { columns: { communicationNeeds: writeNeeds(checked.value) }, fields: changedFields(before.needs, checked.value) };
    }
    case 'updates': {
      const checked = checkFrequency(form);
      if ('errors' in checked) return fail(checked.errors);
      return { columns: { updateFrequency: checked.value }, fields: checked.value === before.updateFrequency ? [] : ['updateFrequency'] };
    }
  }
}

const SECTION_NAMES: Record<Section, string> = {
  'safe-contact': 'safe contact',
  language: 'language',
  needs: 'accessibility and communication needs',
  updates: 'how often they want updates',
};

export type SaveOutcome = { changed: boolean; relation: ReachableCase['relation']; language: Language | null };

/**
 * Saves one section for the case's person. The submission key makes a form sent twice change things once; a form that
 * changes nothing writes nothing. Field errors come back as catalogue keys (Invalid), with nothing stored.
 */
export async function savePreferences(db: Db, actor: Actor, caseId: unknown, section: Section, form: Form, now = new Date()): Promise<SaveOutcome> {
  return portalRefusalsAudited(db, actor, caseId, WHAT, () =>
    inTransaction(db, async (trx) => {
      const { reached, person } = await personToChange(trx, actor, caseId, true);
      const submissionKey = form.submissionKey;
      if (!isUuid(submissionKey)) throw new Invalid({ submissionKey: 'portalPreferences.error.submissionKey' });
      const checked = checkSection(section, form, person);
      const outcome: SaveOutcome = { changed: false, relation: reached.relation, language: checked.language ?? null };
      if (!checked.fields.length) return outcome;
      // The coordinator of each of the person's cases learns that something changed (never what it changed to).
      const cases = (await casesInReach(trx, actor)).filter((item) => item.personId === person.id && item.canAct);
      const ordered = [reached, ...cases.filter((item) => item.caseId !== reached.caseId)];
      const who = reached.relation === 'self' ? 'The victim' : 'The victim’s parent or carer';
      const appended = await appendTimelineEvents(
        trx,
        actor,
        ordered.map((item) => ({
          caseId: item.caseId,
          kind: 'portal_preferences_changed',
          summary: `${who} changed their ${SECTION_NAMES[section]} in the portal`,
          detail: { section, fields: checked.fields, relation: reached.relation },
          source: 'portal',
          idempotencyKey: `portal-preferences:${submissionKey}:${item.caseId}`,
          visibility: 'staff' as const,
          occurredAt: now,
        })),
      );
      if (!appended[0]?.created) return outcome;
      if (checked.safeContact) await changeSafeContact(trx, actor, { id: person.id, areaId: person.areaId, safeContact: person.safeContact as unknown as SafeContact }, checked.safeContact);
      else if (!(await updatePreferences(trx, person, checked.columns))) throw new NotFound('case');
      await writeAudit(trx, actor, {
        action: 'portal_preferences.changed',
        recordType: 'person',
        recordId: person.id,
        detail: { caseId: reached.caseId, relation: reached.relation, section, fields: checked.fields },
      });
      return { ...outcome, changed: true };
    }),
  );
}
