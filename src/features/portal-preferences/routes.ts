// The portal's preferences pages: a summary of each person the account reaches, and one change page per section
// (safe contact, language, communication needs, how often updates come). The person is chosen by one of their case
// ids in the URL, never by a name. Thin: read the form, call the service, render or redirect.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireVictim, victimActor } from '../../platform/auth/portal-sessions.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { translate } from '../../platform/views/i18n/catalogue.ts';
import { addPortalPreferenceMessages } from './messages.ts';
import {
  CODE_DEFAULT,
  CODE_WORD_MAX_LENGTH,
  INTERPRETER_LANGUAGE_MAX_LENGTH,
  NEEDS,
  NEEDS_OTHER_MAX_LENGTH,
  NO_CHANNEL,
  SAFE_ADDRESS_MAX_LENGTH,
  SAFE_TIMES_MAX_LENGTH,
  UPDATE_FREQUENCIES,
  isSection,
  type Form,
  type Section,
} from './rules.ts';
import { getPreferenceForm, getPreferencesSummary, savePreferences, type PreferenceForm, type Preferences } from './service.ts';

const BASE = '/my-case/preferences';
type WithSection = { Params: { caseId: string; section: string } };

const TITLES: Record<Section, string> = {
  'safe-contact': 'portalPreferences.safeContact.title',
  language: 'portalPreferences.language.title',
  needs: 'portalPreferences.needs.title',
  updates: 'portalPreferences.updates.title',
};
/** Each section's fields in page order: the error summary lists them so, and links to the first input of each. */
const FIELD_ORDER: Record<Section, string[]> = {
  'safe-contact': ['submissionKey', 'channels', 'safeTimes', 'voicemailSafe', 'safeAddress', 'codeWord'],
  language: ['submissionKey', 'language'],
  needs: ['submissionKey', 'needs', 'interpreterLanguage', 'other'],
  updates: ['submissionKey', 'frequency'],
};
const FIRST_INPUT: Record<string, string> = { submissionKey: 'main-content', channels: 'channels', voicemailSafe: 'voicemailSafe', language: 'language', needs: 'needs', frequency: 'frequency' };

/** What the form shows: the stored preferences, or what was sent when it comes back with errors. */
function formValues(section: Section, preferences: Preferences): Form {
  const yesNo = (value: boolean | null | undefined) => (value === true ? 'yes' : value === false ? 'no' : '');
  switch (section) {
    case 'safe-contact': {
      const profile = preferences.safeContact;
      return { channels: profile.channels, safeTimes: profile.safeTimes ?? '', voicemailSafe: yesNo(profile.voicemailSafe), safeAddress: profile.safeAddress ?? '', codeWord: profile.codeWord ?? '' };
    }
    case 'language':
      return { language: preferences.language };
    case 'needs':
      return { needs: preferences.needs.needs, interpreterLanguage: preferences.needs.interpreterLanguage ?? '', other: preferences.needs.other ?? '' };
    case 'updates':
      return { frequency: preferences.updateFrequency ?? CODE_DEFAULT };
  }
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]).filter((item): item is string => typeof item === 'string');

export function registerPortalPreferencePages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addPortalPreferenceMessages();
  const t = (request: FastifyRequest, key: string, values?: Record<string, string | number>) => translate(request.language, key, values);
  const guard = requireVictim();

  function sectionOf(raw: string): Section {
    if (!isSection(raw)) throw new NotFound('page');
    return raw;
  }

  function renderForm(request: FastifyRequest, reply: FastifyReply, section: Section, page: PreferenceForm, values: Form, fieldKeys: Record<string, string> = {}) {
    const fieldErrors = Object.fromEntries(Object.entries(fieldKeys).map(([name, key]) => [name, { text: t(request, key) }]));
    const errors = FIELD_ORDER[section].filter((name) => fieldKeys[name]).map((name) => ({ text: t(request, fieldKeys[name]!), href: `#${FIRST_INPUT[name] ?? name}` }));
    return reply.code(errors.length ? 422 : 200).view(`portal-preferences/views/${section}.njk`, {
      title: t(request, TITLES[section]),
      action: `${BASE}/${page.caseId}/${section}`,
      backHref: BASE,
      submissionKey: page.submissionKey,
      givenName: page.givenName,
      values: { ...values, channels: asList(values.channels), needs: asList(values.needs) },
      fieldErrors,
      errors,
      options: { NEEDS, UPDATE_FREQUENCIES, CODE_DEFAULT, NO_CHANNEL },
      limits: { SAFE_TIMES_MAX_LENGTH, SAFE_ADDRESS_MAX_LENGTH, CODE_WORD_MAX_LENGTH, INTERPRETER_LANGUAGE_MAX_LENGTH, NEEDS_OTHER_MAX_LENGTH },
    });
  }

  app.get(BASE, { preHandler: guard }, async (request, reply) => {
    const sections = await getPreferencesSummary(db, victimActor(request));
    const query = request.query as Record<string, unknown>;
    return reply.view('portal-preferences/views/summary.njk', {
      title: t(request, 'portalPreferences.title'),
      sections,
      saved: query.saved === '1',
      base: BASE,
    });
  });

  app.get<WithSection>(`${BASE}/:caseId/:section`, { preHandler: guard }, async (request, reply) => {
    const section = sectionOf(request.params.section);
    const page = await getPreferenceForm(db, victimActor(request), request.params.caseId, section);
    return renderForm(request, reply, section, page, formValues(section, page.preferences));
  });

  app.post<WithSection>(`${BASE}/:caseId/:section`, { preHandler: guard }, async (request, reply) => {
    const section = sectionOf(request.params.section);
    const actor = victimActor(request);
    const form = (request.body ?? {}) as Form;
    try {
      const outcome = await savePreferences(db, actor, request.params.caseId, section, form);
      // Her own language also becomes the language of these pages: ?lang= sets the language cookie as the toggle does.
      const query = new URLSearchParams();
      if (outcome.changed) query.set('saved', '1');
      if (outcome.language && outcome.relation === 'self') query.set('lang', outcome.language);
      return await reply.redirect(query.size ? `${BASE}?${query.toString()}` : BASE, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const page = await getPreferenceForm(db, actor, request.params.caseId, section);
      // The key that was sent is kept, so the corrected form still changes things only once.
      if (isUuid(form.submissionKey)) page.submissionKey = form.submissionKey;
      return renderForm(request, reply, section, page, form, error.fields);
    }
  });
}
