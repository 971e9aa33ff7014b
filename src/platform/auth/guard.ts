// The route guard: pages need a fully signed-in staff member (and, where given, one of the listed roles).
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { StaffRole } from '../db/schema.ts';
import type { Actor } from './identity.ts';
import { Forbidden } from '../http/domain-errors.ts';
import { sendError } from '../http/error-pages.ts';
import { isApiRequest } from '../http/security.ts';

export function requireStaff(roles?: readonly StaffRole[]): preHandlerAsyncHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const staff = request.staff;
    if (!staff) {
      if (isApiRequest(request.url)) {
        await sendError(request, reply, { status: 401, key: '401', title: 'Unauthorized' });
        return reply;
      }
      // Answering early from an async hook: send, then return the reply so Fastify stops here.
      return reply.redirect('/sign-in', 303);
    }
    if (roles && !roles.includes(staff.role)) throw new Forbidden('role not allowed');
    return undefined;
  };
}

/**
 * The signed-in staff member as the actor a service authorises and audits, with the request id for the audit trail.
 * For routes behind requireStaff; anyone else is refused.
 */
export function staffActor(request: FastifyRequest): Actor {
  if (!request.staff) throw new Forbidden('not signed in');
  return { kind: 'staff', staff: request.staff, requestId: request.id };
}
