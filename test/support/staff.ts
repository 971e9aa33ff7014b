// Staff fixtures for integration tests: create a user straight in the database, and sign them in through the real
// pages (password, then a TOTP code) to get the cookie header a signed-in browser would send.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import * as OTPAuth from 'otpauth';
import type { Actor } from '../../src/platform/auth/identity.ts';
import type { Db } from '../../src/platform/db/transaction.ts';
import type { StaffRole, StaffStatus, OrganisationKind } from '../../src/platform/db/schema.ts';
import { hashPassword } from '../../src/platform/auth/passwords.ts';

export type TestStaffUser = {
  id: string;
  email: string;
  password: string;
  displayName: string;
  role: StaffRole;
  organisationId: string;
  organisationName: string;
  areaId: string;
  /** Base32; null when the user has not set up an authenticator yet. */
  totpSecret: string | null;
  /** Kept so signIn() can clear the last accepted TOTP step, letting a test sign the same user in many times. */
  db: Db;
};

export type StaffUserOptions = {
  email?: string;
  password?: string;
  displayName?: string;
  role?: StaffRole;
  status?: StaffStatus;
  /** Put the user in this organisation; otherwise a new area and organisation are created. */
  organisationId?: string;
  organisationName?: string;
  organisationKind?: OrganisationKind;
  /** true (default): the user already has an authenticator. false: they will be asked to set one up. */
  withTotp?: boolean;
};

const unique = () => randomBytes(4).toString('hex');

export async function createOrganisation(
  db: Db,
  options: { name?: string; kind?: OrganisationKind; areaId?: string } = {},
): Promise<{ id: string; name: string; areaId: string }> {
  const areaId =
    options.areaId ??
    (await db.insertInto('area').values({ code: `A${unique()}`, name: `Area ${unique()}` }).returning('id').executeTakeFirstOrThrow()).id;
  const name = options.name ?? `Organisation ${unique()}`;
  const organisation = await db
    .insertInto('organisation')
    .values({ area_id: areaId, name, kind: options.kind ?? 'hub' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: organisation.id, name, areaId };
}

export async function createStaffUser(db: Db, options: StaffUserOptions = {}): Promise<TestStaffUser> {
  let organisation: { id: string; name: string; areaId: string };
  if (options.organisationId) {
    const row = await db
      .selectFrom('organisation')
      .select(['id', 'name', 'area_id'])
      .where('id', '=', options.organisationId)
      .executeTakeFirstOrThrow();
    organisation = { id: row.id, name: row.name, areaId: row.area_id };
  } else {
    organisation = await createOrganisation(db, { name: options.organisationName, kind: options.organisationKind });
  }
  const email = options.email ?? `staff-${unique()}@example.gov.uk`;
  const password = options.password ?? `correct horse battery ${unique()}`;
  const totpSecret = options.withTotp === false ? null : new OTPAuth.Secret({ size: 20 }).base32;
  const user = await db
    .insertInto('staff_user')
    .values({
      organisation_id: organisation.id,
      email,
      display_name: options.displayName ?? 'Sam Staff',
      role: options.role ?? 'coordinator',
      status: options.status ?? 'active',
      password_hash: await hashPassword(password),
      totp_secret: totpSecret,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    id: user.id,
    email,
    password,
    displayName: options.displayName ?? 'Sam Staff',
    role: options.role ?? 'coordinator',
    organisationId: organisation.id,
    organisationName: organisation.name,
    areaId: organisation.areaId,
    totpSecret,
    db,
  };
}

/** The current code for a base32 TOTP secret (or the code `offsetSteps` steps away). */
export function totpCode(secret: string, offsetSteps = 0): string {
  const totp = new OTPAuth.TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

/** name=value pairs from a response's Set-Cookie headers. */
export function setCookies(response: LightMyRequestResponse): Record<string, string> {
  const found: Record<string, string> = {};
  for (const cookie of response.cookies as { name: string; value: string }[]) found[cookie.name] = cookie.value;
  return found;
}

/** Merges a response's Set-Cookie into a Cookie header (a cleared cookie is dropped). */
export function mergeCookies(cookieHeader: string, response: LightMyRequestResponse): string {
  const jar = new Map<string, string>();
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name) jar.set(name, rest.join('='));
  }
  for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
    const cleared = cookie.value === '' || cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() <= Date.now());
    if (cleared) jar.delete(cookie.name);
    else jar.set(cookie.name, cookie.value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** The CSRF token in a page's forms. */
export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No CSRF token on the page');
  return match[1];
}

/** Fetches a page with the given cookies and returns a CSRF token to post its forms, and the cookies to send with it. */
export async function csrfFor(app: FastifyInstance, cookie: string, url = '/'): Promise<{ cookie: string; csrfToken: string }> {
  const page = await app.inject({ method: 'GET', url, headers: { cookie } });
  return { cookie: mergeCookies(cookie, page), csrfToken: csrfTokenIn(page.body) };
}

/**
 * Posts a form as the browser would: with the CSRF token of a page the same browser fetched first (`csrfFrom`), and
 * each field, repeated for a list (checkboxes).
 */
export async function postForm(app: FastifyInstance, url: string, cookie: string, fields: Record<string, string | string[]>, csrfFrom: string) {
  const csrf = await csrfFor(app, cookie, csrfFrom);
  const body = new URLSearchParams({ _csrf: csrf.csrfToken });
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return app.inject({ method: 'POST', url, headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
}

/**
 * Signs a user with an authenticator in through /sign-in and /sign-in/second-factor and returns the Cookie header
 * (session and CSRF cookies) of the signed-in browser. Post forms with csrfFor(app, cookie) to get a token.
 */
export async function signIn(app: FastifyInstance, user: TestStaffUser, options: { remoteAddress?: string } = {}): Promise<string> {
  if (!user.totpSecret) throw new Error('signIn() needs a user with an authenticator: createStaffUser(db, { withTotp: true })');
  // The service refuses a TOTP step already used; tests sign the same user in many times within one step.
  await user.db.updateTable('staff_user').set({ totp_last_step: null }).where('id', '=', user.id).execute();
  const remoteAddress = options.remoteAddress ?? '127.0.0.1';
  const start = await csrfFor(app, '', '/sign-in');
  const password = await app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress,
    headers: { cookie: start.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: start.csrfToken, email: user.email, password: user.password }).toString(),
  });
  if (password.statusCode !== 303 || password.headers.location !== '/sign-in/second-factor') {
    throw new Error(`Password step failed: ${password.statusCode} ${String(password.headers.location)}`);
  }
  const afterPassword = mergeCookies(start.cookie, password);
  const code = await app.inject({
    method: 'POST',
    url: '/sign-in/second-factor',
    remoteAddress,
    headers: { cookie: afterPassword, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: start.csrfToken, code: totpCode(user.totpSecret) }).toString(),
  });
  if (code.statusCode !== 303 || code.headers.location !== '/') {
    throw new Error(`Second factor failed: ${code.statusCode} ${String(code.headers.location)}`);
  }
  return mergeCookies(afterPassword, code);
}

/** The test user as the staff actor the services take, as if they had signed in. */
export const actorFor = (user: TestStaffUser): Actor => ({
  kind: 'staff',
  staff: { userId: user.id, email: user.email, displayName: user.displayName, role: user.role, organisationId: user.organisationId, organisationName: user.organisationName, areaId: user.areaId },
});
