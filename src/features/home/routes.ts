// The staff start page at "/": who you are signed in as and what your role lets you do.
import type { FastifyInstance } from 'fastify';
import { requireStaff } from '../../platform/auth/guard.ts';
import { ROLE_NAMES } from '../../platform/auth/roles.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { abilitiesOf } from './rules.ts';

export function registerHomePage(app: FastifyInstance): void {
  addStaffNavigation({ href: '/', text: 'Home', roles: 'all' });
  app.get('/', { preHandler: requireStaff() }, async (request, reply) => {
    const staff = request.staff!;
    return reply.view('home/views/home.njk', {
      roleName: ROLE_NAMES[staff.role],
      abilities: abilitiesOf(staff.role),
    });
  });
}
