// The staff service navigation. Each feature adds its own entry, for the roles (and, where it matters, the kinds of
// organisation) that may use it.
import type { OrganisationKind, StaffRole } from '../db/schema.ts';
import { translate, type Language } from './i18n/catalogue.ts';

type Entry = { href: string; text: string; roles: readonly StaffRole[] | 'all'; organisationKinds?: readonly OrganisationKind[] };

const entries: Entry[] = [];

export function addStaffNavigation(entry: Entry): void {
  if (!entries.some((existing) => existing.href === entry.href)) entries.push(entry);
}

/**
 * The entries for a staff member. An entry for some kinds of organisation only is left out when the organisation's
 * kind is known to be another; when it is not known, the page's own service still refuses the wrong organisation.
 */
export function staffNavigationFor(role: StaffRole | undefined, currentPath: string, organisationKind?: OrganisationKind) {
  if (!role) return [];
  return entries
    .filter((entry) => entry.roles === 'all' || entry.roles.includes(role))
    .filter((entry) => !entry.organisationKinds || !organisationKind || entry.organisationKinds.includes(organisationKind))
    .map((entry) => ({
      href: entry.href,
      text: entry.text,
      active: entry.href === '/' ? currentPath === '/' : currentPath.startsWith(entry.href),
    }));
}

// The victim's portal navigation: fixed, in the victim's language. The keys live in features/portal-sign-in/messages.ts.
const PORTAL_ENTRIES = [
  { href: '/my-case', key: 'portal.nav.cases' },
  { href: '/my-case/messages', key: 'portal.nav.messages' },
  { href: '/my-case/preferences', key: 'portal.nav.preferences' },
  { href: '/my-case/my-data', key: 'portal.nav.myData' },
] as const;

export function portalNavigationFor(language: Language, currentPath: string) {
  return PORTAL_ENTRIES.map((entry) => ({
    href: entry.href,
    text: translate(language, entry.key),
    active: entry.href === '/my-case' ? currentPath === '/my-case' || currentPath.startsWith('/my-case/cases') : currentPath.startsWith(entry.href),
  }));
}
