// POST /api/v1/referrals and GET /api/v1/referrals/{policeReference}: a police records system refers a victim or
// witness to the gateway, and reads back the receipt. The zod schemas here are the published contract.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CASE_ROLES } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { defineApiOperation } from '../../platform/http/openapi.ts';
import { isRealDate, POLICE_REFERENCE_PATTERN, SUPPORT_CHOICES } from './rules.ts';
import { getPoliceReferral, receivePoliceReferral } from './service.ts';

const optionalText = (max: number, description: string) => z.string().trim().max(max).nullish().describe(description);

const calendarDate = (description: string) =>
  z
    .string()
    .refine(isRealDate, { message: 'Enter a real date as YYYY-MM-DD, like 2026-03-27' })
    .describe(`${description} A date as YYYY-MM-DD.`);

const instant = (description: string) =>
  z.iso
    .datetime({ offset: true, message: 'Enter a date and time in ISO 8601 with an offset, like 2026-03-26T17:40:00+00:00' })
    .transform((value) => new Date(value))
    .describe(`${description} ISO 8601 with a time zone offset.`);

const Victim = z
  .object({
    givenName: z.string().trim().min(1, 'Enter the victim’s given name').max(100).describe('Given (first) name.'),
    familyName: optionalText(100, 'Family name.'),
    otherNames: z.array(z.string().trim().min(1).max(100)).max(10).optional().describe('Other names the person is known by.'),
    dateOfBirth: calendarDate('Date of birth.').nullish(),
    phone: optionalText(30, 'A UK number (07700 900982) or an international number starting with + and the country code.'),
    email: optionalText(254, 'Email address.'),
    address: z
      .object({
        line1: optionalText(200, 'First line of the address.'),
        line2: optionalText(200, 'Second line of the address.'),
        town: optionalText(100, 'Town or city.'),
        postcode: optionalText(10, 'UK postcode.'),
      })
      .nullish(),
    preferredLanguage: optionalText(50, 'The language the person prefers, like "en" or "Polish".'),
    communicationNeeds: optionalText(500, 'Interpreter, accessibility or other communication needs, in plain words.'),
  })
  .describe('The person being referred. Only the given name is required.');

const Crime = z
  .object({
    crimeReference: z.string().trim().min(1, 'Enter the crime reference').max(50).describe('The force’s crime reference, like WY/12345/26.'),
    offenceCode: z.string().trim().min(1, 'Enter the Home Office offence code').max(10).describe('Home Office offence code, like 28E.'),
    offenceCategory: z.string().trim().min(1, 'Enter the offence category').max(100).describe('Home Office offence category, like "Theft offences".'),
    committedFrom: calendarDate('When the offence began (or happened).').nullish(),
    committedTo: calendarDate('When the offence ended, if over a period.').nullish(),
    reportedAt: instant('When the crime was reported to the police.').nullish(),
    officerInCharge: optionalText(200, 'The officer in charge: name, rank and collar number.'),
  })
  .describe('The crime the person is a victim of or a witness to.');

export const PoliceReferralBody = z
  .object({
    policeReference: z
      .string()
      .regex(POLICE_REFERENCE_PATTERN, 'Enter the police system’s reference: letters, digits and . _ : - only, up to 80 characters')
      .describe('Your system’s own id for this referral. It is the idempotency key: send it again and nothing new is made.'),
    victim: Victim,
    role: z.enum(CASE_ROLES).describe('The person’s role in the crime.'),
    crime: Crime,
    indicators: z
      .object({
        domesticAbuse: z.boolean().optional(),
        hateCrime: z.boolean().optional(),
        sexualOffence: z.boolean().optional(),
      })
      .optional()
      .describe('Flags the force has recorded on the crime.'),
    consent: z
      .object({
        support: z
          .enum(SUPPORT_CHOICES)
          .describe(
            'What the victim chose about referral to support. not_asked is refused (422) for those who must opt in: victims of ' +
              'sexual offences or domestic abuse, and bereaved relatives. opted_out is recorded: the case is kept for the Code ' +
              'duties, but no onward referral to support services is made.',
          ),
      })
      .describe('The victim’s consent to being referred for support.'),
    referredAt: instant('When your system made the referral; it starts the Code clocks. Defaults to when Haven receives it.').nullish(),
    notes: optionalText(5000, 'Anything else the hub should know, in plain words. Shown to staff only.'),
  })
  .strict();

const Receipt = z.object({
  referralId: z.string().describe('Haven’s id for the case this referral made or joined.'),
  policeReference: z.string(),
  personMatch: z
    .enum(['new_person', 'linked_certain', 'new_person_possible_match_queued'])
    .describe('new_person; linked_certain (joined someone Haven already holds); or new_person_possible_match_queued (a near match waits for review).'),
  supportConsent: z.enum(['opted_out', 'opted_in', 'not_asked', 'implied']).describe('The consent recorded; implied where police may refer unless the victim opts out.'),
  created: z.boolean().describe('True only on the request that made the referral; false on a replay.'),
  receivedAt: z.string().describe('When Haven first received the referral.'),
  links: z.object({ self: z.string(), openapi: z.string() }),
});

export function registerReferralApi(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  defineApiOperation(
    app,
    {
      method: 'POST',
      path: '/api/v1/referrals',
      operationId: 'createReferral',
      summary: 'Refer a victim or witness',
      description:
        'Refers one person on one crime to the gateway. The police reference is the idempotency key for your organisation: ' +
        'sending it again (even at the same moment) creates nothing and answers 200 with the first receipt and created: false. ' +
        'Errors are problem+json with a reason for each field, named by its path, like victim.phone or crime.offenceCode.',
      scopes: ['referrals:write'],
      body: PoliceReferralBody,
      responses: {
        201: { description: 'The referral was received and a case made or joined.', schema: Receipt },
        200: { description: 'A replay: this police reference was received before. Nothing new was made.', schema: Receipt },
      },
    },
    async ({ client, body, request, reply }) => {
      const receipt = await receivePoliceReferral(db, client, body, request.id);
      void reply.code(receipt.created ? 201 : 200).header('location', receipt.links.self);
      return Receipt.parse(receipt);
    },
  );

  defineApiOperation(
    app,
    {
      method: 'GET',
      path: '/api/v1/referrals/:policeReference',
      operationId: 'getReferral',
      summary: 'Read a referral’s receipt',
      description: 'The receipt of a referral your organisation sent. Another organisation’s reference is not found.',
      scopes: ['referrals:read'],
      responses: {
        200: { description: 'The referral’s receipt.', schema: Receipt },
        404: { description: 'Your organisation has sent no referral with this reference.' },
      },
    },
    async ({ client, request }) => {
      const { policeReference } = request.params as { policeReference: string };
      return Receipt.parse(await getPoliceReferral(db, client, policeReference, request.id));
    },
  );
}
