// The administrator's bank holiday pages: the days in force from this year on, and the form to add a one-off day.
// Each route parses the request, calls the service and renders or redirects; the service decides who may do what.
import type { FastifyInstance } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { dateBoxesInError } from '../../platform/forms/date-input.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { HOLIDAY_NAME_MIN_LENGTH } from './bank-holiday-rules.ts';
import { addBankHoliday, listBankHolidays } from './bank-holidays.ts';
import { ONE_OFF_NAME_MAX } from '../../platform/time/one-off-holiday.ts';

const administrators = requireStaff(['administrator']);


const ADDED_MESSAGE = 'Bank holiday added. Code deadlines worked out from now on count it as a non-working day';

const formPage = (values: Record<string, unknown>, fieldErrors: Record<string, string>) => {
  const date = dateBoxesInError(values, 'date', Boolean(fieldErrors.date));
  return {
    title: 'Add a one-off bank holiday',
    values,
    fieldErrors,
    dateBoxesInError: date.boxes,
    nameMin: HOLIDAY_NAME_MIN_LENGTH,
    nameMax: ONE_OFF_NAME_MAX,
    errors: [
      ...(fieldErrors.date ? [{ text: fieldErrors.date, href: `#date-${date.first}` }] : []),
      ...(fieldErrors.name ? [{ text: fieldErrors.name, href: '#name' }] : []),
    ],
  };
};

export function registerBankHolidayPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addStaffNavigation({ href: '/bank-holidays', text: 'Bank holidays', roles: ['administrator'] });

  app.get<{ Querystring: { done?: string } }>('/bank-holidays', { preHandler: administrators }, async (request, reply) => {
    const years = await listBankHolidays(db, staffActor(request));
    return reply.view('admin/views/bank-holidays.njk', {
      title: 'Bank holidays',
      years,
      done: request.query.done === 'added' ? ADDED_MESSAGE : undefined,
    });
  });

  app.get('/bank-holidays/new', { preHandler: administrators }, async (_request, reply) => {
    return reply.view('admin/views/bank-holiday-new.njk', formPage({}, {}));
  });

  app.post('/bank-holidays/new', { preHandler: administrators }, async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    try {
      await addBankHoliday(db, staffActor(request), form);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return reply.code(422).view('admin/views/bank-holiday-new.njk', formPage(form, error.fields));
    }
    return reply.redirect('/bank-holidays?done=added', 303);
  });
}
