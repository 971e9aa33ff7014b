// The coordinator's import pages: the list of imports, the upload form, the progress page (which refreshes itself
// without JavaScript while the import runs) and the quarantine report download. No file name is shown or kept.
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { MAX_FILE_BYTES, pendingOf, percentDone } from './rules.ts';
import { forcesForUpload, getImport, IMPORT_ROLES, listImports, quarantineReport, startImport, type EnqueueImport, type ImportFile } from './service.ts';
import { refuseOversizedFiles } from './upload-limit.ts';

type WithId = { Params: { id: string } };
type UploadedFile = { filename: string; content: Buffer };
type UploadForm = { _csrf?: string; organisation?: string; file?: UploadedFile };

const importers = requireStaff(IMPORT_ROLES);


const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const STATUS_TAGS: Record<ImportFile['status'], { text: string; colour: string }> = {
  queued: { text: 'Queued', colour: 'grey' },
  running: { text: 'Importing', colour: 'blue' },
  done: { text: 'Done', colour: 'green' },
  failed: { text: 'Failed', colour: 'red' },
};

function viewOf(file: ImportFile) {
  const totals = { rowCount: file.rowCount, imported: file.imported, replayed: file.replayed, quarantined: file.quarantined };
  return { ...file, pending: pendingOf(totals), percent: percentDone(totals), statusTag: STATUS_TAGS[file.status] };
}

// A spreadsheet saved as CSV may be sent as text/csv, text/plain or (by Windows) application/vnd.ms-excel: the
// name's ending and the content decide, not the browser's guess.
const CSV_NAME = /\.(csv|txt)$/i;

export async function registerImportPages(app: FastifyInstance, deps: { db: Db; enqueue: EnqueueImport }): Promise<void> {
  const { db, enqueue } = deps;
  addStaffNavigation({ href: '/imports', text: 'Imports', roles: [...IMPORT_ROLES] });

  app.get('/imports', { preHandler: importers }, async (request, reply) => {
    const imports = await listImports(db, staffActor(request));
    noStore(reply);
    return reply.view('imports/views/imports.njk', { title: 'Imports', imports: imports.map(viewOf) });
  });

  app.get('/imports/new', { preHandler: importers }, async (request, reply) => {
    const forces = await forcesForUpload(db, staffActor(request));
    return reply.view('imports/views/upload.njk', uploadPage(forces, {}, undefined));
  });

  // Its own scope: only the upload takes multipart bodies, and only it takes one as large as the file limit.
  await app.register(async (scope) => {
    refuseOversizedFiles(scope);
    await scope.register(fastifyMultipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5, parts: 6 },
      // Kept in memory (up to the limit) with the name, which is checked for its ending and then forgotten.
      async onFile(part) {
        const content = await part.toBuffer();
        (part as unknown as { value: UploadedFile }).value = { filename: part.filename, content };
      },
    });

    scope.post('/imports/new', { preHandler: importers, bodyLimit: MAX_FILE_BYTES }, async (request, reply) => {
      const form = (request.body ?? {}) as UploadForm;
      const actor = staffActor(request);
      const forces = await forcesForUpload(db, actor);
      const organisation = typeof form.organisation === 'string' && form.organisation ? form.organisation : undefined;
      try {
        const file = form.file;
        if (!file || !file.filename || !file.content.length) throw new Invalid({ file: 'Select a CSV file' });
        if (!CSV_NAME.test(file.filename)) throw new Invalid({ file: 'The selected file must be a CSV file' });
        const { importFile } = await startImport(db, actor, { content: file.content, organisationId: organisation }, enqueue);
        return await reply.redirect(`/imports/${importFile.id}`, 303);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return reply.code(422).view('imports/views/upload.njk', uploadPage(forces, error.fields, organisation));
      }
    });
  });

  app.get<WithId>('/imports/:id', { preHandler: importers }, async (request, reply) => {
    const file = await getImport(db, staffActor(request), request.params.id);
    noStore(reply);
    const running = file.status === 'queued' || file.status === 'running';
    return reply.view('imports/views/import.njk', { title: running ? 'Import in progress' : 'Import finished', file: viewOf(file), running });
  });

  app.get<WithId>('/imports/:id/quarantine.csv', { preHandler: importers }, async (request, reply) => {
    const report = await quarantineReport(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="quarantine-report.csv"')
      .send(report);
  });
}

function uploadPage(forces: { id: string; name: string }[], fieldErrors: Record<string, string>, organisation: string | undefined) {
  const order = ['organisation', 'file'];
  return {
    title: 'Import a referral file',
    forces: forces.map((force) => ({ value: force.id, text: force.name, checked: force.id === organisation })),
    askForce: forces.length > 1,
    maxMegabytes: MAX_FILE_BYTES / 1024 / 1024,
    fieldErrors,
    errors: order.filter((name) => fieldErrors[name]).map((name) => ({ text: fieldErrors[name], href: name === 'organisation' ? '#organisation' : '#file' })),
  };
}
