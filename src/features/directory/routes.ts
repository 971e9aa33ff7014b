// The service directory's pages: a provider administrator's list of their services, the form to add or edit one, the
// quick form for open places and wait, and the public "Find support" page, in English and Welsh, with no sign-in.
// Each route parses the request, calls the service and renders or redirects.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { translate } from '../../platform/views/i18n/catalogue.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { addDirectoryMessages } from './messages.ts';
import {
  ACCESSIBILITY,
  ACCESSIBILITY_LABELS,
  AGE_BANDS,
  AGE_BAND_LABELS,
  DESCRIPTION_MAX_LENGTH,
  GENDERS,
  GENDER_LABELS,
  LANGUAGE_CODES,
  LANGUAGE_LABELS,
  NAME_MAX_LENGTH,
  NEEDS,
  NEED_LABELS,
  OFFENCE_GROUPS,
  REFERRAL_ROUTES,
  REFERRAL_ROUTE_LABELS,
  SERVICE_FIELDS,
  SPECIALISMS,
  SPECIALISM_LABELS,
  isUuid,
  label,
  waitText,
  whoItIsFor,
  type FieldErrors,
  type Label,
  type Language,
} from './rules.ts';
import {
  createService,
  findSupport,
  getOwnService,
  listOwnServices,
  newServiceForm,
  updateCapacity,
  updateService,
  type ProviderService,
} from './service.ts';

type Form = Record<string, unknown>;
type WithService = { Params: { serviceId: string } };

const BASE = '/services';
const PUBLIC_PATH = '/find-support';
const administrators = requireStaff(['administrator']);
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
// Staff pages are not cached: they show what a provider is about to change.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : []);

/** Error summary entries in the order the form asks, linking to each field's first input. */
const errorList = (fields: FieldErrors, order: readonly string[]) =>
  order.filter((field) => fields[field]).map((field) => ({ text: fields[field]!, href: `#${field}` }));

const checkboxItems = (options: readonly string[], labels: Record<string, Label> | null, chosen: unknown) => {
  const selected = asList(chosen);
  return options.map((option) => ({ value: option, text: labels ? label(labels, option, 'en') : option, checked: selected.includes(option) }));
};

const radioItems = (options: readonly string[], labels: Record<string, Label>, chosen: unknown) =>
  options.map((option) => ({ value: option, text: label(labels, option, 'en'), checked: chosen === option }));

const yesNoItems = (chosen: unknown) => [
  { value: 'yes', text: 'Yes', checked: chosen === 'yes' },
  { value: 'no', text: 'No', checked: chosen === 'no' },
];

/** A stored service as the form's values. */
const valuesOf = (service: ProviderService): Form => ({
  name: service.name,
  description: service.description,
  welshName: service.welshName ?? '',
  welshDescription: service.welshDescription ?? '',
  specialism: service.specialism,
  offenceGroups: service.offenceGroups,
  ageBands: service.ageBands,
  genders: service.genders,
  enhancedOnly: service.enhancedOnly ? 'yes' : 'no',
  referralRoutes: service.referralRoutes,
  languages: service.languages,
  accessibility: service.accessibility,
  capacity: String(service.capacity),
  waitDays: String(service.waitDays),
  responseWorkingDays: String(service.responseWorkingDays),
  active: service.active ? 'yes' : 'no',
  revision: String(service.revision),
});

/** A new service starts open, in English, taking referrals from the hub, answering in the default 2 working days. */
const NEW_SERVICE_VALUES: Form = { enhancedOnly: 'no', referralRoutes: ['coordinator'], languages: ['en'], responseWorkingDays: '2', active: 'yes' };

function serviceFormPage(page: { title: string; action: string; submitText: string; serviceId?: string }, values: Form, fieldErrors: FieldErrors) {
  return {
    ...page,
    values,
    fieldErrors,
    errors: errorList(fieldErrors, ['submissionKey', 'revision', ...SERVICE_FIELDS]),
    nameMax: NAME_MAX_LENGTH,
    descriptionMax: DESCRIPTION_MAX_LENGTH,
    specialismItems: radioItems(SPECIALISMS, SPECIALISM_LABELS, values.specialism),
    offenceGroupItems: checkboxItems(OFFENCE_GROUPS, null, values.offenceGroups),
    ageBandItems: checkboxItems(AGE_BANDS, AGE_BAND_LABELS, values.ageBands),
    genderItems: checkboxItems(GENDERS, GENDER_LABELS, values.genders),
    enhancedOnlyItems: yesNoItems(values.enhancedOnly),
    referralRouteItems: checkboxItems(REFERRAL_ROUTES, STAFF_ROUTE_LABELS, values.referralRoutes),
    languageItems: checkboxItems(LANGUAGE_CODES, LANGUAGE_LABELS, values.languages),
    accessibilityItems: checkboxItems(ACCESSIBILITY, ACCESSIBILITY_LABELS, values.accessibility),
    activeItems: yesNoItems(values.active),
  };
}

/** The referral routes as a provider names them (the public labels speak to the victim). */
const STAFF_ROUTE_LABELS: Record<string, Label> = {
  coordinator: { en: 'Victim care coordinators at the hub', cy: '' },
  self: { en: 'Self-referral by the victim', cy: '' },
  police: { en: 'Police', cy: '' },
  agency: { en: 'Other agencies, such as health, schools or housing', cy: '' },
};

const DONE: Record<string, string> = {
  created: 'Service added to the directory',
  updated: 'Service details saved',
  capacity: 'Open places and wait updated',
};

/** A service as the provider's list shows it. */
const rowOf = (service: ProviderService) => ({
  ...service,
  specialismName: SPECIALISM_LABELS[service.specialism].en,
  waitName: waitText(service, 'en'),
});

/** A service as the public page shows it, in the reader's language. */
function resultOf(service: ProviderService, language: Language) {
  const welsh = language === 'cy';
  return {
    id: service.id,
    name: (welsh && service.welshName) || service.name,
    description: (welsh && service.welshDescription) || service.description,
    organisationName: service.organisationName,
    specialism: SPECIALISM_LABELS[service.specialism][language],
    whoFor: whoItIsFor(service, language),
    languages: service.languages.map((code) => label(LANGUAGE_LABELS, code, language)),
    accessibility: service.accessibility.map((item) => ACCESSIBILITY_LABELS[item][language]),
    wait: waitText(service, language),
    full: service.capacity === 0,
    routes: service.referralRoutes.map((route) => REFERRAL_ROUTE_LABELS[route][language]),
  };
}

export function registerDirectoryPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addDirectoryMessages();
  addStaffNavigation({ href: BASE, text: 'Services', roles: ['administrator'], organisationKinds: ['provider'] });

  app.get<{ Querystring: { done?: unknown } }>(BASE, { preHandler: administrators }, async (request, reply) => {
    const own = await listOwnServices(db, staffActor(request));
    noStore(reply);
    return reply.view('directory/views/services.njk', {
      title: 'Your services',
      organisationName: own.organisationName,
      services: own.services.map(rowOf),
      done: typeof request.query.done === 'string' ? DONE[request.query.done] : undefined,
    });
  });

  app.get(`${BASE}/new`, { preHandler: administrators }, async (request, reply) => {
    const form = await newServiceForm(db, staffActor(request));
    noStore(reply);
    return reply.view(
      'directory/views/service-form.njk',
      serviceFormPage({ title: 'Add a service', action: BASE, submitText: 'Add service' }, { ...NEW_SERVICE_VALUES, submissionKey: form.submissionKey }, {}),
    );
  });

  app.post(BASE, { preHandler: administrators }, async (request, reply) => {
    const values = formOf(request);
    try {
      const { serviceId } = await createService(db, staffActor(request), values);
      return await reply.redirect(`${BASE}?done=created#service-${serviceId}`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      // Keep the key that was sent, so the corrected form still adds the service only once.
      const submissionKey = isUuid(values.submissionKey) ? values.submissionKey : (await newServiceForm(db, staffActor(request))).submissionKey;
      noStore(reply);
      return reply
        .code(422)
        .view('directory/views/service-form.njk', serviceFormPage({ title: 'Add a service', action: BASE, submitText: 'Add service' }, { ...values, submissionKey }, error.fields));
    }
  });

  const editPage = (service: ProviderService) => ({ title: `Edit ${service.name}`, action: `${BASE}/${service.id}/edit`, submitText: 'Save changes', serviceId: service.id });

  app.get<WithService>(`${BASE}/:serviceId/edit`, { preHandler: administrators }, async (request, reply) => {
    const service = await getOwnService(db, staffActor(request), request.params.serviceId);
    noStore(reply);
    return reply.view('directory/views/service-form.njk', serviceFormPage(editPage(service), valuesOf(service), {}));
  });

  app.post<WithService>(`${BASE}/:serviceId/edit`, { preHandler: administrators }, async (request, reply) => {
    const actor = staffActor(request);
    const values = formOf(request);
    try {
      await updateService(db, actor, request.params.serviceId, values);
      return await reply.redirect(`${BASE}?done=updated#service-${request.params.serviceId}`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const service = await getOwnService(db, actor, request.params.serviceId);
      // A stale form is shown again with what was typed, at the current revision: saving again is then deliberate.
      noStore(reply);
      return reply.code(422).view('directory/views/service-form.njk', serviceFormPage(editPage(service), { ...values, revision: String(service.revision) }, error.fields));
    }
  });

  const capacityPage = (service: ProviderService, values: Form, fieldErrors: FieldErrors) => ({
    title: `Update open places: ${service.name}`,
    service,
    values,
    fieldErrors,
    errors: errorList(fieldErrors, ['capacity', 'waitDays']),
  });

  app.get<WithService>(`${BASE}/:serviceId/capacity`, { preHandler: administrators }, async (request, reply) => {
    const service = await getOwnService(db, staffActor(request), request.params.serviceId);
    noStore(reply);
    return reply.view('directory/views/capacity.njk', capacityPage(service, { capacity: String(service.capacity), waitDays: String(service.waitDays) }, {}));
  });

  app.post<WithService>(`${BASE}/:serviceId/capacity`, { preHandler: administrators }, async (request, reply) => {
    const actor = staffActor(request);
    const values = formOf(request);
    try {
      await updateCapacity(db, actor, request.params.serviceId, values);
      return await reply.redirect(`${BASE}?done=capacity#service-${request.params.serviceId}`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const service = await getOwnService(db, actor, request.params.serviceId);
      noStore(reply);
      return reply.code(422).view('directory/views/capacity.njk', capacityPage(service, values, error.fields));
    }
  });

  // The public page: a GET form, so a search has an address to share; the address holds an area code and a need only.
  app.get<{ Querystring: { area?: unknown; need?: unknown } }>(PUBLIC_PATH, async (request, reply) => {
    const language = request.language;
    const t = (key: string) => translate(language, key);
    const search = await findSupport(db, request.query);
    const errors = Object.entries(search.errors).map(([field, key]) => ({ field, text: t(key) }));
    const chosenArea = typeof request.query.area === 'string' ? request.query.area : '';
    const chosenNeed = typeof request.query.need === 'string' ? request.query.need : '';
    // The language switch keeps the search, built from the values the page understood (nothing else is echoed).
    const kept = new URLSearchParams();
    if (search.area) kept.set('area', search.area.code);
    if (search.need) kept.set('need', search.need);
    const switchHref = (to: Language) => `${PUBLIC_PATH}?${new URLSearchParams([...kept, ['lang', to]]).toString()}`;
    return reply.code(errors.length ? 400 : 200).view('directory/views/find-support.njk', {
      title: t('directory.find.title'),
      errors: errors.map(({ field, text }) => ({ text, href: `#${field}` })),
      fieldErrors: Object.fromEntries(errors.map(({ field, text }) => [field, { text }])),
      needItems: [
        ...NEEDS.map((need) => ({ value: need, text: NEED_LABELS[need][language], checked: chosenNeed === need })),
        { divider: language === 'cy' ? 'neu' : 'or' },
        { value: 'any', text: t('directory.find.needAny'), checked: chosenNeed === 'any' || (!!search.area && !search.need && chosenNeed === '') },
      ],
      areaItems: [
        { value: '', text: t('directory.find.areaChoose'), selected: !chosenArea },
        ...search.areas.map((area) => ({ value: area.code, text: area.name, selected: chosenArea === area.code })),
      ],
      area: search.area,
      results: search.results?.map((service) => resultOf(service, language)),
      languageLinks: { en: switchHref('en'), cy: switchHref('cy') },
    });
  });
}
