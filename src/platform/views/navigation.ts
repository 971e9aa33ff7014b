// The staff service navigation. Each feature adds its own entry, for the roles that may use it.
import type { StaffRole } from '../db/schema.ts';

type Entry = { href: string; text: string; roles: readonly StaffRole[] | 'all' };

const entries: Entry[] = [];

export function addStaffNavigation(entry: Entry): void {
  if (!entries.some((existing) => existing.href === entry.href)) entries.push(entry);
}

export function staffNavigationFor(role: StaffRole | undefined, currentPath: string) {
  if (!role) return [];
  return entries
    .filter((entry) => entry.roles === 'all' || entry.roles.includes(role))
    .map((entry) => ({
      href: entry.href,
      text: entry.text,
      active: entry.href === '/' ? currentPath === '/' : currentPath.startsWith(entry.href),
    }));
}
