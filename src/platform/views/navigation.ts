// The staff service navigation. Each feature adds its own entry, for the roles (and, where it matters, the kinds of
// organisation) that may use it.
import type { OrganisationKind, StaffRole } from '../db/schema.ts';

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
