// The staff start page at "/": who you are signed in as, what your role lets you do, and the overdue Victims' Code
// duties you are alerted to (as a case's coordinator, or as staff of the organisation that owns the duty).
import type { FastifyInstance } from 'fastify';
import { requireStaff } from '../../platform/auth/guard.ts';
import { ROLE_NAMES } from '../../platform/auth/roles.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { overdueAlertsFor } from '../obligations/service.ts';
import { abilitiesOf } from './rules.ts';

export function registerHomePage(app: FastifyInstance, deps: { db: Db }): void {
  addStaffNavigation({ href: '/', text: 'Home', roles: 'all' });
  app.get('/', { preHandler: requireStaff() }, async (request, reply) => {
    const staff = request.staff!;
    const overdue = await overdueAlertsFor(deps.db, { kind: 'staff', staff, requestId: request.id });
    return reply.view('home/views/home.njk', {
      roleName: ROLE_NAMES[staff.role],
      abilities: abilitiesOf(staff.role),
      overdue,
      // Case pages are for the hub's case workers; witness care and other owners see which cases, by reference.
      canOpenCases: staff.role === 'coordinator' || staff.role === 'supervisor',
    });
  });
}
