// The English and Welsh text of the public directory page. The Welsh is a careful first draft for a translator to review.
import { addMessages } from '../../platform/views/i18n/catalogue.ts';

const en: Record<string, string> = {
  'directory.find.title': 'Find support after a crime',
  'directory.find.intro': 'Search the free support services in your area. You do not need to sign in or give your name, and you do not need to have reported the crime to the police.',
  'directory.find.need': 'What kind of support are you looking for?',
  'directory.find.needAny': 'Any kind of support',
  'directory.find.area': 'Your area',
  'directory.find.areaHint': 'The police force area where you live.',
  'directory.find.areaChoose': 'Choose your area',
  'directory.find.button': 'Search',
  'directory.find.resultsHeading': 'Services in {area}',
  'directory.find.resultsCount': '{count} services found',
  'directory.find.resultsCountOne': '1 service found',
  'directory.find.noResults': 'No service in {area} matches what you chose. Try a different kind of support, or ask for support and a coordinator will find the right help for you.',
  'directory.find.by': 'Run by {organisation}',
  'directory.find.whoFor': 'Who it is for',
  'directory.find.languages': 'Languages',
  'directory.find.accessibility': 'Accessibility',
  'directory.find.accessibilityNone': 'Ask the service what they can offer',
  'directory.find.wait': 'Wait',
  'directory.find.howReferred': 'How to be referred',
  'directory.find.askHeading': 'Not sure which service is right?',
  'directory.find.ask': 'Ask for support and a victim care coordinator will contact you safely and find the right help with you.',
  'directory.find.askLink': 'Ask for support',
  'directory.find.emergencyHeading': 'In an emergency',
  'directory.find.emergency': 'If you are in danger now, call 999. If you cannot speak, call 999 and then press 55 when asked.',
  'directory.find.error.area': 'Select your area from the list',
  'directory.find.error.areaRequired': 'Select your area',
  'directory.find.error.need': 'Select the kind of support you are looking for from the list',
};

const cy: Record<string, string> = {
  'directory.find.title': 'Dod o hyd i gymorth ar ôl trosedd',
  'directory.find.intro': 'Chwiliwch am y gwasanaethau cymorth am ddim yn eich ardal. Nid oes angen i chi fewngofnodi na rhoi eich enw, ac nid oes angen i chi fod wedi rhoi gwybod i’r heddlu am y drosedd.',
  'directory.find.need': 'Pa fath o gymorth ydych chi’n chwilio amdano?',
  'directory.find.needAny': 'Unrhyw fath o gymorth',
  'directory.find.area': 'Eich ardal',
  'directory.find.areaHint': 'Ardal yr heddlu lle rydych yn byw.',
  'directory.find.areaChoose': 'Dewiswch eich ardal',
  'directory.find.button': 'Chwilio',
  'directory.find.resultsHeading': 'Gwasanaethau yn {area}',
  'directory.find.resultsCount': 'Wedi dod o hyd i {count} gwasanaeth',
  'directory.find.resultsCountOne': 'Wedi dod o hyd i 1 gwasanaeth',
  'directory.find.noResults': 'Nid oes gwasanaeth yn {area} sy’n cyfateb i’r hyn a ddewisoch. Rhowch gynnig ar fath gwahanol o gymorth, neu gofynnwch am gymorth a bydd cydlynydd yn dod o hyd i’r help iawn i chi.',
  'directory.find.by': 'Yn cael ei redeg gan {organisation}',
  'directory.find.whoFor': 'Ar gyfer pwy',
  'directory.find.languages': 'Ieithoedd',
  'directory.find.accessibility': 'Hygyrchedd',
  'directory.find.accessibilityNone': 'Gofynnwch i’r gwasanaeth beth y gallant ei gynnig',
  'directory.find.wait': 'Aros',
  'directory.find.howReferred': 'Sut i gael eich atgyfeirio',
  'directory.find.askHeading': 'Ddim yn siŵr pa wasanaeth sy’n iawn?',
  'directory.find.ask': 'Gofynnwch am gymorth a bydd cydlynydd gofal dioddefwyr yn cysylltu â chi’n ddiogel ac yn dod o hyd i’r help iawn gyda chi.',
  'directory.find.askLink': 'Gofyn am gymorth',
  'directory.find.emergencyHeading': 'Mewn argyfwng',
  'directory.find.emergency': 'Os ydych mewn perygl nawr, ffoniwch 999. Os na allwch siarad, ffoniwch 999 ac yna pwyswch 55 pan ofynnir i chi.',
  'directory.find.error.area': 'Dewiswch eich ardal o’r rhestr',
  'directory.find.error.areaRequired': 'Dewiswch eich ardal',
  'directory.find.error.need': 'Dewiswch o’r rhestr y math o gymorth rydych yn chwilio amdano',
};

export function addDirectoryMessages(): void {
  addMessages(en, cy);
}
export const directoryMessages = { en, cy };
