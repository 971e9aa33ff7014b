// POST /api/v1/imports and GET /api/v1/imports/{id}: a force sends its daily referral file as a text/csv body and
// follows the import until it is done. Only these routes take a body as large as the file limit.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiClientActor } from '../../platform/auth/identity.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { defineApiOperation } from '../../platform/http/openapi.ts';
import { refuseOversizedFiles } from './upload-limit.ts';
import { REFERRAL_FILE_COLUMNS, MAX_FILE_BYTES, pendingOf } from './rules.ts';
import { getImport, startImport, type EnqueueImport, type ImportFile } from './service.ts';

const ImportStatus = z.object({
  id: z.string().describe('Haven’s id for this import.'),
  status: z.enum(['queued', 'running', 'done', 'failed']).describe('queued, then running, then done (or failed, to be retried).'),
  rows: z.number().int().describe('Data rows in the file (the header row is not counted).'),
  imported: z.number().int().describe('Rows that made a new case.'),
  replayed: z.number().int().describe('Rows Haven already had (the same police reference, or the same person and crime): nothing new was made.'),
  quarantined: z.number().int().describe('Rows refused, each with a reason for every column that was wrong.'),
  pending: z.number().int().describe('Rows still to be processed.'),
  receivedAt: z.string().describe('When Haven first received this file (ISO 8601).'),
  finishedAt: z.string().nullable().describe('When processing finished.'),
});

const statusOf = (file: ImportFile) =>
  ImportStatus.parse({
    id: file.id,
    status: file.status,
    rows: file.rowCount,
    imported: file.imported,
    replayed: file.replayed,
    quarantined: file.quarantined,
    pending: pendingOf({ rowCount: file.rowCount, imported: file.imported, replayed: file.replayed, quarantined: file.quarantined }),
    receivedAt: file.createdAt.toISOString(),
    finishedAt: file.finishedAt?.toISOString() ?? null,
  });

export async function registerImportApi(app: FastifyInstance, deps: { db: Db; enqueue: EnqueueImport }): Promise<void> {
  const { db, enqueue } = deps;
  // An encapsulated scope: the CSV parser and its large limit apply to these routes only.
  await app.register((scope, _options, done) => {
    refuseOversizedFiles(scope);
    scope.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_request, body, done) => {
      done(null, body);
    });

    defineApiOperation(
      scope,
      {
        method: 'POST',
        path: '/api/v1/imports',
        operationId: 'importReferralFile',
        summary: 'Send a daily referral file',
        description:
          'Send the file as the body with Content-Type text/csv (see the daily referral file layout). Its columns are ' +
          `${REFERRAL_FILE_COLUMNS.join(', ')}. The file is checked and its rows staged at once, then processed in the ` +
          'background: follow it with GET /api/v1/imports/{id}. Sending the same file again changes nothing and returns ' +
          `the first import. Files over ${MAX_FILE_BYTES / 1024 / 1024} MB are refused before they are read.`,
        scopes: ['imports:write'],
        rawBody: { mediaType: 'text/csv', description: 'The daily referral file, UTF-8, with its header row.' },
        responses: {
          202: { description: 'The file was accepted and its rows are queued.', schema: ImportStatus },
          200: { description: 'Haven already had this file from your organisation: this is the earlier import.', schema: ImportStatus },
          413: { description: 'The file is larger than the limit.' },
          415: { description: 'The body is not text/csv.' },
          422: { description: 'The file is not CSV, or its columns are wrong: errors.file says which columns were expected.' },
        },
      },
      async ({ client, request, reply }) => {
        const content = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const { importFile, created } = await startImport(db, apiClientActor(client, request.id), { content }, enqueue);
        void reply.code(created ? 202 : 200).header('location', `/api/v1/imports/${importFile.id}`);
        return statusOf(importFile);
      },
    );

    defineApiOperation(
      scope,
      {
        method: 'GET',
        path: '/api/v1/imports/:id',
        operationId: 'getImport',
        summary: 'Follow an import',
        description: 'The status and totals of an import your organisation sent.',
        scopes: ['imports:write'],
        responses: { 200: { description: 'The import.', schema: ImportStatus }, 404: { description: 'No import of yours has that id.' } },
      },
      async ({ client, request }) => {
        const { id } = request.params as { id: string };
        return statusOf(await getImport(db, apiClientActor(client, request.id), id));
      },
    );
    done();
  });
}
