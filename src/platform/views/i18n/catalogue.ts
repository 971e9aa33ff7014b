// The English and Welsh text of shared pages. Features add their own keys under their own prefix.
// Welsh text here is a first draft and needs review by a Welsh translator before go-live.
export const LANGUAGES = ['en', 'cy'] as const;
export type Language = (typeof LANGUAGES)[number];

type Catalogue = Record<string, string>;

export const en: Catalogue = {
  'service.name': 'Haven',
  'layout.skipLink': 'Skip to main content',
  'layout.language': 'Language',
  'layout.footer.cookies': 'Cookies',
  'layout.footer.accessibility': 'Accessibility statement',
  'layout.footer.support': 'Support links',
  'layout.footer.copyright': '© Police and crime commissioner',
  'layout.exitThisPage': 'Exit this page',
  'layout.exitThisPage.activated': 'Loading.',
  'layout.exitThisPage.timedOut': 'Exit this page expired.',
  'layout.exitThisPage.pressTwoMoreTimes': 'Shift, press 2 more times to exit.',
  'layout.exitThisPage.pressOneMoreTime': 'Shift, press 1 more time to exit.',
  'layout.errorSummary.title': 'There is a problem',
  'error.404.title': 'Page not found',
  'error.404.body': 'If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.',
  'error.403.title': 'You cannot see this page',
  'error.403.body': 'Your role does not give you access to this page. If you think it should, ask an administrator in your organisation.',
  'error.405.title': 'This page cannot be used that way',
  'error.405.body': 'The page exists, but not for what your browser asked it to do. Go back and try again.',
  'error.csrf.title': 'Your form could not be sent',
  'error.csrf.body': 'This can happen when a form has been open for a long time, or was not sent from Haven. Go back, refresh the page and try again.',
  'error.400.title': 'Sorry, there is a problem with what was sent',
  'error.400.body': 'Haven could not read the form or request. Go back and try again.',
  'error.413.title': 'What you sent is too large',
  'error.413.body': 'Go back and send less, or split it into smaller parts.',
  'error.429.title': 'Too many requests',
  'error.429.body': 'Wait a few minutes, then try again.',
  'error.500.title': 'Sorry, there is a problem with the service',
  'error.500.body': 'Try again later. What you entered has not been saved if you saw this page straight after sending a form.',
  'error.503.title': 'Sorry, the service is unavailable',
  'error.503.body': 'Haven cannot reach its database at the moment. Try again in a few minutes. Nothing you have already saved has been lost.',
  'error.reference': 'If you contact us about this, give this reference:',
  'cookies.title': 'Cookies',
  'accessibility.title': 'Accessibility statement for Haven',
};

export const cy: Catalogue = {
  'service.name': 'Haven',
  'layout.skipLink': 'Neidio i’r prif gynnwys',
  'layout.language': 'Iaith',
  'layout.footer.cookies': 'Cwcis',
  'layout.footer.accessibility': 'Datganiad hygyrchedd',
  'layout.footer.support': 'Dolenni cymorth',
  'layout.footer.copyright': '© Comisiynydd heddlu a throseddu',
  'layout.exitThisPage': 'Gadael y dudalen hon',
  'layout.exitThisPage.activated': 'Yn llwytho.',
  'layout.exitThisPage.timedOut': 'Mae’r opsiwn gadael y dudalen hon wedi dod i ben.',
  'layout.exitThisPage.pressTwoMoreTimes': 'Shift, pwyswch 2 waith arall i adael.',
  'layout.exitThisPage.pressOneMoreTime': 'Shift, pwyswch 1 waith arall i adael.',
  'layout.errorSummary.title': 'Mae problem wedi codi',
  'error.404.title': 'Heb ddod o hyd i’r dudalen',
  'error.404.body': 'Os gwnaethoch deipio’r cyfeiriad gwe, gwiriwch ei fod yn gywir. Os gwnaethoch ei ludo, gwiriwch eich bod wedi copïo’r cyfeiriad cyfan.',
  'error.403.title': 'Ni allwch weld y dudalen hon',
  'error.403.body': 'Nid yw eich rôl yn rhoi mynediad i’r dudalen hon. Os ydych chi’n credu y dylai, gofynnwch i weinyddwr yn eich sefydliad.',
  'error.405.title': 'Ni ellir defnyddio’r dudalen hon fel hyn',
  'error.405.body': 'Mae’r dudalen yn bodoli, ond nid ar gyfer yr hyn y gofynnodd eich porwr amdano. Ewch yn ôl a rhowch gynnig arall arni.',
  'error.csrf.title': 'Nid oedd modd anfon eich ffurflen',
  'error.csrf.body': 'Gall hyn ddigwydd pan fydd ffurflen wedi bod ar agor am amser hir. Ewch yn ôl, adnewyddwch y dudalen a rhowch gynnig arall arni.',
  'error.400.title': 'Mae’n ddrwg gennym, mae problem gyda’r hyn a anfonwyd',
  'error.400.body': 'Nid oedd Haven yn gallu darllen y ffurflen. Ewch yn ôl a rhowch gynnig arall arni.',
  'error.413.title': 'Mae’r hyn a anfonwyd gennych yn rhy fawr',
  'error.413.body': 'Ewch yn ôl ac anfonwch lai, neu rhannwch ef yn rhannau llai.',
  'error.429.title': 'Gormod o geisiadau',
  'error.429.body': 'Arhoswch ychydig funudau, yna rhowch gynnig arall arni.',
  'error.500.title': 'Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth',
  'error.500.body': 'Rhowch gynnig arall arni yn nes ymlaen.',
  'error.503.title': 'Mae’n ddrwg gennym, nid yw’r gwasanaeth ar gael',
  'error.503.body': 'Ni all Haven gyrraedd ei gronfa ddata ar hyn o bryd. Rhowch gynnig arall arni mewn ychydig funudau. Nid oes dim a gadwyd gennych wedi’i golli.',
  'error.reference': 'Os byddwch yn cysylltu â ni am hyn, rhowch y cyfeirnod hwn:',
  'cookies.title': 'Cwcis',
  'accessibility.title': 'Datganiad hygyrchedd ar gyfer Haven',
};

const catalogues: Record<Language, Catalogue> = { en, cy };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Looks a key up in the chosen language, falling back to English, then to the key itself so a gap is visible. */
export function translate(language: Language, key: string, values: Record<string, string | number> = {}): string {
  const text = catalogues[language][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/** A feature adds its own text at start-up, with keys under its own prefix. */
export function addMessages(english: Catalogue, welsh: Catalogue): void {
  for (const key of Object.keys(english)) {
    if (key in en && en[key] !== english[key]) throw new Error(`Message key ${key} is defined twice`);
  }
  Object.assign(en, english);
  Object.assign(cy, welsh);
}
