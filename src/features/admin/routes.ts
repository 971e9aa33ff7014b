// The pages where administrators manage their organisation's users, and where an invited person sets their password;
// the bank holiday pages are registered from here too (bank-holiday-routes.ts).
// Each route parses the request, calls the service and renders or redirects; the service decides who may do what.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import { ROLE_NAMES, STAFF_ROLES } from '../../platform/auth/roles.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { registerBankHolidayPages } from './bank-holiday-routes.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, STATUS_NAMES, doneMessage, type FieldErrors } from './rules.ts';
import {
  InvitationUnusable,
  acceptInvitation,
  checkInvitationLink,
  disableUser,
  enableUser,
  inviteUser,
  listUsers,
  reissueInvitation,
  resetSecondFactor,
  viewUser,
  type IssuedInvitation,
} from './service.ts';

type Form = Record<string, unknown>;
type WithId = { Params: { id: string } };

const administrators = requireStaff(['administrator']);


const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;

/** Field errors in the order the form asks for them, shaped for the GOV.UK error summary. */
function errorList(fields: FieldErrors, order: readonly string[]) {
  return order.filter((name) => fields[name]).map((name) => ({ text: fields[name], href: `#${name}` }));
}

const roleOptions = STAFF_ROLES.map((role) => ({ value: role, text: ROLE_NAMES[role] }));

/** Pages that show a one-time link or personal data must not be kept by the browser or a proxy. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

function invitationLink(request: FastifyRequest, issued: IssuedInvitation): string {
  return `${request.protocol}://${request.host}/invitation?token=${issued.token}`;
}

export function registerAdminPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addStaffNavigation({ href: '/users', text: 'Users', roles: ['administrator'] });
  registerBankHolidayPages(app, deps);

  app.get('/users', { preHandler: administrators }, async (request, reply) => {
    const users = await listUsers(db, staffActor(request));
    noStore(reply);
    return reply.view('admin/views/users.njk', {
      title: 'Users',
      users: users.map((user) => ({ ...user, roleName: ROLE_NAMES[user.role], statusTag: STATUS_NAMES[user.status] })),
    });
  });

  app.get('/users/invite', { preHandler: administrators }, async (_request, reply) => {
    return reply.view('admin/views/invite.njk', { title: 'Invite a user', values: {}, roleOptions, fieldErrors: {} });
  });

  app.post('/users/invite', { preHandler: administrators }, async (request, reply) => {
    const form = formOf(request);
    try {
      const issued = await inviteUser(db, staffActor(request), form);
      noStore(reply);
      return await reply.view('admin/views/invitation-link.njk', {
        title: 'User invited',
        link: invitationLink(request, issued),
        expiresAt: issued.expiresAt,
        userId: issued.userId,
        reissued: false,
      });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return reply.code(422).view('admin/views/invite.njk', {
        title: 'Invite a user',
        values: { fullName: form.fullName, email: form.email, role: form.role },
        roleOptions,
        fieldErrors: error.fields,
        errors: errorList(error.fields, ['fullName', 'email', 'role']),
      });
    }
  });

  app.get<WithId & { Querystring: { done?: string } }>('/users/:id', { preHandler: administrators }, async (request, reply) => {
    const details = await viewUser(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('admin/views/user.njk', {
      title: 'User details',
      ...details,
      roleName: ROLE_NAMES[details.account.role],
      statusTag: STATUS_NAMES[details.account.status],
      done: doneMessage(request.query.done),
    });
  });

  app.get<WithId>('/users/:id/disable', { preHandler: administrators }, async (request, reply) => {
    const details = await viewUser(db, staffActor(request), request.params.id, 'disable');
    if (!details.actions.disable) return reply.redirect(`/users/${details.account.id}`, 303);
    noStore(reply);
    return reply.view('admin/views/confirm-disable.njk', { title: 'Disable user', ...details });
  });

  app.post<WithId>('/users/:id/disable', { preHandler: administrators }, async (request, reply) => {
    await disableUser(db, staffActor(request), request.params.id);
    return reply.redirect(`/users/${request.params.id}?done=disabled`, 303);
  });

  app.post<WithId>('/users/:id/enable', { preHandler: administrators }, async (request, reply) => {
    await enableUser(db, staffActor(request), request.params.id);
    return reply.redirect(`/users/${request.params.id}?done=enabled`, 303);
  });

  app.get<WithId>('/users/:id/reset-second-factor', { preHandler: administrators }, async (request, reply) => {
    const details = await viewUser(db, staffActor(request), request.params.id, 'reset_second_factor');
    if (!details.actions.resetSecondFactor) return reply.redirect(`/users/${details.account.id}`, 303);
    noStore(reply);
    return reply.view('admin/views/confirm-reset-second-factor.njk', { title: 'Reset second factor', ...details });
  });

  app.post<WithId>('/users/:id/reset-second-factor', { preHandler: administrators }, async (request, reply) => {
    await resetSecondFactor(db, staffActor(request), request.params.id);
    return reply.redirect(`/users/${request.params.id}?done=second-factor-reset`, 303);
  });

  app.post<WithId>('/users/:id/invitation', { preHandler: administrators }, async (request, reply) => {
    const issued = await reissueInvitation(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('admin/views/invitation-link.njk', {
      title: 'New invitation link',
      link: invitationLink(request, issued),
      expiresAt: issued.expiresAt,
      userId: issued.userId,
      reissued: true,
    });
  });

  // Reached by someone not yet signed in. The token is in the query string, which the logs leave out.
  app.get<{ Querystring: { token?: unknown } }>('/invitation', async (request, reply) => {
    noStore(reply);
    try {
      await checkInvitationLink(db, request.query.token);
    } catch (error) {
      if (error instanceof InvitationUnusable) return reply.code(410).view('admin/views/invitation-unusable.njk', { title: 'Invitation link not valid' });
      throw error;
    }
    return reply.view('admin/views/create-password.njk', passwordPage(request.query.token, {}));
  });

  app.post('/invitation', async (request, reply) => {
    const form = formOf(request);
    noStore(reply);
    try {
      await acceptInvitation(db, form.token, { password: form.password, confirmPassword: form.confirmPassword }, request.id);
    } catch (error) {
      if (error instanceof InvitationUnusable) return reply.code(410).view('admin/views/invitation-unusable.njk', { title: 'Invitation link not valid' });
      if (error instanceof Invalid) return reply.code(422).view('admin/views/create-password.njk', passwordPage(form.token, error.fields));
      throw error;
    }
    return reply.redirect('/invitation/accepted', 303);
  });

  app.get('/invitation/accepted', async (_request, reply) => {
    return reply.view('admin/views/invitation-accepted.njk', { title: 'Your password has been set' });
  });
}

function passwordPage(token: unknown, fieldErrors: FieldErrors) {
  return {
    title: 'Create your password',
    token: typeof token === 'string' ? token : '',
    fieldErrors,
    errors: errorList(fieldErrors, ['password', 'confirmPassword']),
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
  };
}
