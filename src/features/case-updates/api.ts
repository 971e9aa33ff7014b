// POST /api/v1/events: the police, prosecutor, witness care and probation systems send what happened on a crime. The zod
// schema here is the published contract; what each type's `detail` carries is checked by rules.ts and listed below.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db/transaction.ts';
import { apiClientActor } from '../../platform/auth/identity.ts';
import { defineApiOperation } from '../../platform/http/openapi.ts';
import { CASE_UPDATE_TYPES, PERSONAL_NOTE_MAX, SOURCE_EVENT_ID_PATTERN, TYPE_NAMES, UPDATE_TYPES } from './rules.ts';
import { receiveUpdate } from './service.ts';

const detailGuide = CASE_UPDATE_TYPES.map((type) => {
  const fields = UPDATE_TYPES[type].fields.map((field) => `${field.name}${field.required ? ' (required)' : ''}${field.choices ? `: one of ${field.choices.join(', ')}` : ''}`);
  return `${type} (${TYPE_NAMES[type]}): ${fields.length ? fields.join('; ') : 'no details'}`;
}).join('. ');

export const CaseEventBody = z
  .object({
    sourceEventId: z
      .string()
      .regex(SOURCE_EVENT_ID_PATTERN, 'Enter your system’s id for this event: letters, digits and . _ : / - only, up to 200 characters')
      .describe('Your system’s own id for this event. It is the idempotency key: send it again and nothing new happens.'),
    type: z.enum(CASE_UPDATE_TYPES).describe('What happened.'),
    crimeReference: z.string().trim().min(1, 'Enter the crime reference').max(50).describe('The force’s crime reference the event is about, like WY/12345/26.'),
    occurredAt: z.iso
      .datetime({ offset: true, message: 'Enter when it happened in ISO 8601 with an offset, like 2026-04-03T16:00:00+01:00' })
      .transform((value) => new Date(value))
      .describe('When it happened, ISO 8601 with a time zone offset. Code deadlines run from this time.'),
    detail: z.record(z.string(), z.unknown()).optional().describe(`What the event carries, by type. ${detailGuide}. hearingAt is ISO 8601; custodyMonths a whole number; yes/no fields are booleans; lists are arrays of strings.`),
    personalNote: z.string().max(PERSONAL_NOTE_MAX).nullish().describe('A note for the victim in the sender’s own words, shown under the plain-words explanation.'),
  })
  .strict();

const Receipt = z.object({
  id: z.string().describe('Haven’s id for the event.'),
  state: z
    .enum(['applied', 'flagged', 'quarantined', 'dismissed'])
    .describe('applied: on the cases of the crime. flagged: accepted, but out of the expected order (a sentence with no verdict), so a person checks it before the victim sees it. quarantined: no crime with this reference is known; a person will match it. dismissed: a person set it aside.'),
  created: z.boolean().describe('True only on the request that delivered the event; false on a replay.'),
  cases: z.number().int().describe('How many cases (victims and witnesses of the crime) it was applied to on this request.'),
  reason: z.string().nullable().describe('Why the event is flagged or quarantined.'),
  receivedAt: z.string().describe('When Haven first received the event.'),
});

export function registerCaseUpdateApi(app: FastifyInstance, deps: { db: Db }): void {
  defineApiOperation(
    app,
    {
      method: 'POST',
      path: '/api/v1/events',
      operationId: 'sendCaseEvent',
      summary: 'Send what happened on a crime',
      description:
        'Tells the gateway of an investigation, prosecution, court or probation event on a crime. It is applied to every case on ' +
        'the crime, explained to the victim in plain words and, where the Victims’ Code calls for it, sent to them. The source ' +
        'event id is the idempotency key for your organisation: a replay answers 200 with the first receipt. An event for a crime ' +
        'reference Haven does not know is kept in quarantine (202) for a person to match; it is never dropped. Events may arrive ' +
        'out of order: a late one is kept as history and cannot move the case back.',
      scopes: ['events:write'],
      body: CaseEventBody,
      responses: {
        201: { description: 'The event was received and applied (or flagged for review).', schema: Receipt },
        202: { description: 'The event was received but names no known crime: it waits in quarantine.', schema: Receipt },
        200: { description: 'A replay: this source event id was received before. Nothing new happened.', schema: Receipt },
      },
    },
    async ({ client, body, request, reply }) => {
      const receipt = await receiveUpdate(deps.db, apiClientActor(client, request.id), { ...body, detail: body.detail ?? {}, personalNote: body.personalNote ?? null });
      void reply.code(!receipt.created ? 200 : receipt.state === 'quarantined' ? 202 : 201);
      return Receipt.parse({ ...receipt, receivedAt: receipt.receivedAt.toISOString() });
    },
  );
}
