// The demo staff: one per role, all with the same published password. They set up their authenticator app at first
// sign-in. Browser journeys sign in as these people too.
import { ROLE_NAMES } from '../platform/auth/roles.ts';
import type { ApiScope } from '../platform/auth/api-credentials.ts';
import type { StaffRole } from '../platform/db/schema.ts';
import { COMMISSIONER, HUB, POLICE, PROBATION, SEXUAL_VIOLENCE_CENTRE, WITNESS_CARE } from './organisations.ts';

export const DEMO_PASSWORD = 'Haven-demo-2026';

export type DemoUser = { email: string; displayName: string; role: StaffRole; organisation: string };

export const DEMO_USERS: DemoUser[] = [
  { email: 'coordinator@haven.example', displayName: 'Priya Shah', role: 'coordinator', organisation: HUB },
  { email: 'supervisor@haven.example', displayName: 'Tom Okafor', role: 'supervisor', organisation: HUB },
  { email: 'police.officer@haven.example', displayName: 'Sam Hughes', role: 'police_officer', organisation: POLICE },
  { email: 'witness.care@haven.example', displayName: 'Aisha Rahman', role: 'witness_care_officer', organisation: WITNESS_CARE },
  { email: 'caseworker@haven.example', displayName: 'Megan Lloyd', role: 'provider_caseworker', organisation: SEXUAL_VIOLENCE_CENTRE },
  { email: 'liaison@haven.example', displayName: 'Gareth Evans', role: 'victim_liaison_officer', organisation: PROBATION },
  { email: 'analyst@haven.example', displayName: 'Ruth Adeyemi', role: 'commissioner_analyst', organisation: COMMISSIONER },
  { email: 'admin@haven.example', displayName: 'Alex Morgan', role: 'administrator', organisation: HUB },
];

/** The police force's records system, with fixed credentials for trying the API. Demo data only, like the accounts. */
export const DEMO_API_CLIENT: { clientId: string; secret: string; name: string; organisation: string; scopes: ApiScope[] } = {
  clientId: 'hvn_demo_wyvern_police',
  secret: 'demo-secret-wyvern-constabulary-2026',
  name: 'Wyvern Constabulary records system (demo)',
  organisation: POLICE,
  scopes: ['referrals:write', 'referrals:read', 'imports:write', 'events:write'],
};

export function demoUserFor(role: StaffRole): DemoUser {
  const user = DEMO_USERS.find((each) => each.role === role);
  if (!user) throw new Error(`No demo user has the role ${role}.`);
  return user;
}

/** The sign-ins as a plain-text table for the console. */
export function formatDemoSignIns(): string {
  const rows = DEMO_USERS.map((user) => [ROLE_NAMES[user.role], user.email, user.organisation]);
  const header = ['Role', 'Email', 'Organisation'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('   ').trimEnd();
  return [
    'Demo sign-ins (demo data only, never loaded in production)',
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `Password for every account: ${DEMO_PASSWORD}`,
    'At first sign-in each account sets up an authenticator app for its second factor.',
    '',
    `Demo API client (HTTP Basic), ${DEMO_API_CLIENT.organisation}`,
    `Client id: ${DEMO_API_CLIENT.clientId}`,
    `Secret:    ${DEMO_API_CLIENT.secret}`,
    `Scopes:    ${DEMO_API_CLIENT.scopes.join(', ')}`,
    'API reference: /api/docs',
  ].join('\n');
}
