// Funding awards to providers, under /insights/funding: the area's awards, the form to record one, and the cost of
// support per provider over a date range. Routes parse and render; the service authorises, checks and audits.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { dateBoxesInError } from '../../platform/forms/date-input.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { writtenDate } from '../care-plan/rules.ts';
import { INSIGHT_READERS, readDateRange } from '../insights/rules.ts';
import { AWARD_KIND_NAMES, NOTE_MAX_LENGTH, REFERENCE_MAX_LENGTH, formatPounds } from './rules.ts';
import { awardFormChoices, fundingCosts, listAwards, recordAward } from './service.ts';

type Form = Record<string, unknown>;

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const poundsOrNothing = (pence: number | null) => (pence === null ? null : formatPounds(pence));

/** The error summary's links, in the order the fields appear on the form; a date links to its first box in error. */
function summaryLinks(values: Form, fieldErrors: Record<string, string>, order: readonly string[], dates: readonly string[], firstOf: Record<string, string> = {}) {
  return order
    .filter((field) => fieldErrors[field])
    .map((field) => ({ text: fieldErrors[field], href: dates.includes(field) ? `#${field}-${dateBoxesInError(values, field, true).first}` : `#${firstOf[field] ?? field}` }));
}

export function registerFundingPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  const readers = { preHandler: requireStaff(INSIGHT_READERS) };

  app.get('/insights/funding', readers, async (request, reply) => {
    const { awards, mayRecord } = await listAwards(db, staffActor(request));
    noStore(reply);
    return reply.view('funding/views/awards.njk', {
      title: 'Funding',
      mayRecord,
      done: (request.query as { done?: unknown }).done === 'recorded',
      awards: awards.map((award) => ({
        ...award,
        kindName: AWARD_KIND_NAMES[award.kind],
        period: `${writtenDate(award.periodStart)} to ${writtenDate(award.periodEnd)}`,
        amount: formatPounds(award.amountPence),
      })),
    });
  });

  async function formPage(request: FastifyRequest, reply: FastifyReply, values: Form = {}, fieldErrors: Record<string, string> = {}) {
    const { providers } = await awardFormChoices(db, staffActor(request));
    noStore(reply);
    const failed = Object.keys(fieldErrors).length > 0;
    return reply.code(failed ? 422 : 200).view('funding/views/record.njk', {
      title: 'Record funding',
      providers,
      // Keep the key the form was first sent with, so that correcting it and sending again still stores one award.
      submissionKey: isUuid(values.submissionKey) ? values.submissionKey : randomUUID(),
      referenceMax: REFERENCE_MAX_LENGTH,
      noteMax: NOTE_MAX_LENGTH,
      values: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, text(value)])),
      fieldErrors,
      periodStartBoxes: dateBoxesInError(values, 'periodStart', Boolean(fieldErrors.periodStart)).boxes,
      periodEndBoxes: dateBoxesInError(values, 'periodEnd', Boolean(fieldErrors.periodEnd)).boxes,
      errors: summaryLinks(values, fieldErrors, ['organisationId', 'kind', 'reference', 'periodStart', 'periodEnd', 'amount', 'note', 'submissionKey'], ['periodStart', 'periodEnd'], { kind: 'kind', submissionKey: 'organisationId' }),
    });
  }

  app.get('/insights/funding/new', readers, (request, reply) => formPage(request, reply));

  app.post('/insights/funding/new', readers, async (request, reply) => {
    const values = (request.body ?? {}) as Form;
    try {
      await recordAward(db, staffActor(request), values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return formPage(request, reply, values, error.fields);
    }
    return reply.redirect('/insights/funding?done=recorded', 303);
  });

  app.get('/insights/funding/costs', readers, async (request, reply) => {
    const query = (request.query ?? {}) as Form;
    const asked = readDateRange(query, londonDateOf(new Date()));
    noStore(reply);
    const dateValues = Object.fromEntries(['from', 'to'].flatMap((name) => ['day', 'month', 'year'].map((box) => [`${name}-${box}`, text(query[`${name}-${box}`])])));
    if ('errors' in asked) {
      return reply.code(400).view('funding/views/costs.njk', {
        title: 'Cost of support',
        values: dateValues,
        fieldErrors: asked.errors,
        fromBoxes: dateBoxesInError(query, 'from', Boolean(asked.errors.from)).boxes,
        toBoxes: dateBoxesInError(query, 'to', Boolean(asked.errors.to)).boxes,
        errors: summaryLinks(query, asked.errors, ['from', 'to'], ['from', 'to']),
      });
    }
    const { range } = asked;
    const costs = await fundingCosts(db, staffActor(request), range);
    const [fromParts, toParts] = [range.from, range.to].map((date) => date.split('-').map(Number));
    return reply.view('funding/views/costs.njk', {
      title: 'Cost of support',
      values: {
        'from-day': String(fromParts?.[2]), 'from-month': String(fromParts?.[1]), 'from-year': String(fromParts?.[0]),
        'to-day': String(toParts?.[2]), 'to-month': String(toParts?.[1]), 'to-year': String(toParts?.[0]),
      },
      fieldErrors: {},
      fromBoxes: {},
      toBoxes: {},
      range: { from: writtenDate(range.from), to: writtenDate(range.to) },
      rows: costs.rows.map((row) => ({
        ...row,
        funding: formatPounds(row.fundingPence),
        costPerVictim: poundsOrNothing(row.costPerVictimPence),
        costPerOutcome: poundsOrNothing(row.costPerOutcomePence),
      })),
      totals: {
        ...costs.totals,
        funding: formatPounds(costs.totals.fundingPence),
        costPerVictim: poundsOrNothing(costs.totals.costPerVictimPence),
        costPerOutcome: poundsOrNothing(costs.totals.costPerOutcomePence),
      },
    });
  });
}
