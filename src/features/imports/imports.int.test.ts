// The daily file import end to end on the configured backend: good rows imported, bad rows quarantined with a reason
// per column, the same file twice changes nothing, wrong files refused whole, journey 3's repeated police row
// recognised, and the three doors (service, API, upload page) with their audit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, csrfFor, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { referralFile, referralRow } from '../../../test/support/referral-file.ts';
import { basicAuthorization } from '../../platform/auth/api-credentials.ts';
import { systemActor } from '../../platform/auth/identity.ts';
import { inTransaction, type Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { createApiClient } from '../api-clients/service.ts';
import { receiveReferral } from '../intake/service.ts';
import { rowStatusCounts } from './repository.ts';
import { REFERRAL_FILE_COLUMNS } from './rules.ts';
import { runImport, startImport } from './service.ts';

let testApp: TestApp;
let db: Db;
let force: { id: string; name: string; areaId: string };
let coordinator: TestStaffUser;
let authorization: string;
const actor = systemActor('test');

const caseCount = async () => Number((await db.selectFrom('victim_case').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const personCount = async () => Number((await db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

before(async () => {
  testApp = await createTestApp();
  db = testApp.database.db;
  force = await createOrganisation(db, { name: 'West Yorkshire Police', kind: 'police' });
  await createOrganisation(db, { name: 'Haven West Yorkshire', kind: 'hub', areaId: force.areaId });
  const hub = await db.selectFrom('organisation').select('id').where('name', '=', 'Haven West Yorkshire').executeTakeFirstOrThrow();
  coordinator = await createStaffUser(db, { organisationId: hub.id, role: 'coordinator', displayName: 'Cara Coordinator' });
  const client = await createApiClient(db, actor, { organisation: force.name, name: 'Daily file', scopes: ['imports:write'] });
  authorization = basicAuthorization(client.clientId, client.secret);
});
after(() => testApp.close());

async function importText(text: string, options: { organisationId?: string } = {}) {
  const started = await startImport(db, actor, { content: Buffer.from(text), organisationId: options.organisationId ?? force.id });
  const totals = await runImport(db, actor, started.importFile.id, { batchSize: 7 });
  return { ...started, totals };
}

async function reasonsOf(importFileId: string) {
  const rows = await db
    .selectFrom('import_row')
    .select(['row_number', 'status', 'reasons', 'case_id'])
    .where('import_file_id', '=', importFileId)
    .orderBy('row_number')
    .execute();
  return rows;
}

async function waitForImport(id: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const response = await testApp.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: { authorization } });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<Record<string, unknown>>();
    if (body.status === 'done') return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('The import did not finish');
}

describe('importing a daily referral file', () => {
  test('good rows become cases; bad rows are quarantined with a reason for each column; nothing is lost', async () => {
    const casesBefore = await caseCount();
    const rows = [
      referralRow(1),
      referralRow(2, { phone: '12345', crime_reference: 'not a reference' }),
      referralRow(3),
      referralRow(4, { offence_code: '999Z', offence_date_from: '01/01/2099' }),
      referralRow(5, { given_name: '', date_of_birth: '31/02/1980' }),
      referralRow(6, { email: 'someone@example.com', phone: '+33 1 23 45 67 89' }),
    ];
    const { importFile, created, totals } = await importText(referralFile(rows));
    assert.equal(created, true);
    assert.deepEqual(
      { imported: totals.imported, replayed: totals.replayed, quarantined: totals.quarantined, status: totals.status },
      { imported: 3, replayed: 0, quarantined: 3, status: 'done' },
    );
    assert.equal(await caseCount(), casesBefore + 3);
    const staged = await reasonsOf(importFile.id);
    assert.deepEqual(staged.map((row) => row.status), ['imported', 'quarantined', 'imported', 'quarantined', 'quarantined', 'imported']);
    assert.ok(staged[0]?.case_id);
    assert.equal(staged[1]?.case_id, null);
    assert.deepEqual(Object.keys(staged[1].reasons).sort(), ['crime_reference', 'phone']);
    assert.match(staged[1].reasons.phone!, /UK phone number/);
    assert.match(staged[1].reasons.crime_reference!, /WY\/12345\/26/);
    assert.deepEqual(Object.keys(staged[3]!.reasons).sort(), ['offence_date_from']);
    assert.match(staged[3]!.reasons.offence_date_from!, /future/);
    assert.deepEqual(Object.keys(staged[4]!.reasons).sort(), ['date_of_birth', 'given_name']);
    assert.deepEqual(await rowStatusCounts(db, importFile.id), { pending: 0, imported: 3, replayed: 0, quarantined: 3 });

    // What is not an offence code at all is intake's reason, reported under the file's column.
    const notACode = await importText(referralFile([referralRow(40, { offence_code: 'ZZ9' })]));
    const [row] = await reasonsOf(notACode.importFile.id);
    assert.deepEqual(Object.keys(row!.reasons), ['offence_code']);
    assert.match(row!.reasons.offence_code!, /offence code/);
    // A code in the Home Office shape that Haven does not know is imported, for a coordinator to classify.
    const unknownCode = await importText(referralFile([referralRow(41, { offence_code: '999Z' })]));
    const [imported] = await reasonsOf(unknownCode.importFile.id);
    assert.equal(imported?.status, 'imported');
    const task = await db.selectFrom('case_task').select(['kind', 'status']).where('case_id', '=', imported?.case_id ?? '').execute();
    assert.deepEqual(task, [{ kind: 'manual_offence_classification', status: 'open' }]);
  });

  test('the same file again changes nothing and gives back the first import', async () => {
    const text = referralFile([referralRow(10), referralRow(11, { phone: 'call me' })]);
    const first = await importText(text);
    const cases = await caseCount();
    const auditsBefore = await db.selectFrom('import_row').select('row_number').where('import_file_id', '=', first.importFile.id).execute();
    const again = await importText(text);
    assert.equal(again.created, false);
    assert.equal(again.importFile.id, first.importFile.id);
    assert.equal(await caseCount(), cases);
    assert.equal((await reasonsOf(first.importFile.id)).length, auditsBefore.length);
    assert.deepEqual(
      { imported: again.totals.imported, quarantined: again.totals.quarantined },
      { imported: 1, quarantined: 1 },
    );
  });

  test('the same rows in a different file are recognised by their police references, not imported twice', async () => {
    await importText(referralFile([referralRow(20), referralRow(21)]));
    const cases = await caseCount();
    const second = await importText(referralFile([referralRow(21), referralRow(20), referralRow(22)]));
    assert.equal(second.created, true);
    assert.deepEqual([second.totals.imported, second.totals.replayed], [1, 2]);
    assert.equal(await caseCount(), cases + 1);
  });

  test('journey 3: the daily file repeating the police API row is recognised, not re-imported', async () => {
    const jon = {
      police_reference: 'WYP-J3-0001',
      crime_reference: 'WY/55501/26',
      offence_code: '105A',
      offence_category: 'Violence against the person',
      given_name: 'Jon',
      family_name: 'Smyth',
      date_of_birth: '04/07/1990',
      phone: '07700 900123',
      role: 'victim',
    };
    const received = await inTransaction(db, (trx) =>
      receiveReferral(trx, actor, {
        source: 'police_api',
        sourceReference: jon.police_reference,
        referringOrganisationId: force.id,
        areaId: force.areaId,
        person: { givenName: 'Jon', familyName: 'Smyth', dateOfBirth: '1990-07-04', phone: '07700 900123' },
        crime: { crimeReference: jon.crime_reference, offenceCode: jon.offence_code, offenceCategory: jon.offence_category },
        role: 'victim',
        supportConsent: 'not_asked',
      }),
    );
    assert.equal(received.created, true);
    const [cases, people] = [await caseCount(), await personCount()];
    const { importFile, totals } = await importText(referralFile([referralRow(30, { ...jon, offence_date_from: '01/01/2026', reported_date: '02/01/2026' })]));
    assert.deepEqual([totals.imported, totals.replayed, totals.quarantined], [0, 1, 0]);
    const [row] = await reasonsOf(importFile.id);
    assert.equal(row?.status, 'replayed');
    assert.equal(row?.case_id, received.caseId);
    assert.equal(await caseCount(), cases);
    assert.equal(await personCount(), people);
  });

  test('a file with the wrong columns or that is not CSV is refused whole, and nothing is staged', async () => {
    const before = await db.selectFrom('import_file').select('id').execute();
    const wrongColumns = referralFile([referralRow(50)], [...REFERRAL_FILE_COLUMNS.filter((column) => column !== 'support'), 'notes']);
    await assert.rejects(
      () => startImport(db, actor, { content: Buffer.from(wrongColumns), organisationId: force.id }),
      (error) => error instanceof Invalid && /Missing: support\. Not expected: notes\./.test(error.fields.file ?? '') && /police_reference, crime_reference/.test(error.fields.file ?? ''),
    );
    await assert.rejects(
      () => startImport(db, actor, { content: Buffer.from('%PDF-1.4\n\0\0\0'), organisationId: force.id }),
      (error) => error instanceof Invalid && /must be a CSV file/.test(error.fields.file ?? ''),
    );
    assert.equal((await db.selectFrom('import_file').select('id').execute()).length, before.length);
  });
});

describe('the import API', () => {
  test('POST /api/v1/imports takes text/csv, answers 202, and the worker finishes it; the same file again is 200', async () => {
    const text = referralFile([referralRow(60), referralRow(61, { postcode: 'nowhere' })]);
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { authorization, 'content-type': 'text/csv' },
      payload: text,
    });
    assert.equal(response.statusCode, 202, response.body);
    const accepted = response.json<{ id: string; rows: number; status: string }>();
    assert.equal(accepted.rows, 2);
    assert.equal(response.headers.location, `/api/v1/imports/${accepted.id}`);
    const done = await waitForImport(accepted.id);
    assert.deepEqual([done.imported, done.quarantined, done.pending], [1, 1, 0]);

    const again = await testApp.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { authorization, 'content-type': 'text/csv' }, payload: text });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json<{ id: string }>().id, accepted.id);

    const audit = await db.selectFrom('audit_event').select('action').where('record_id', '=', accepted.id).execute();
    assert.deepEqual(new Set(audit.map((row) => row.action)), new Set(['import.received', 'import.completed', 'import.repeated']));
  });

  test('wrong columns are 422 naming the expected columns; not CSV is 422 or 415; oversized is 413 before reading', async () => {
    const headers = { authorization, 'content-type': 'text/csv' };
    const wrong = await testApp.app.inject({ method: 'POST', url: '/api/v1/imports', headers, payload: 'name,dob\nJo,01/01/1990\n' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.headers['content-type'] as string, /problem\+json/);
    assert.match(wrong.json<{ errors: { file: string } }>().errors.file, /must name these columns: police_reference, crime_reference/);

    const binary = await testApp.app.inject({ method: 'POST', url: '/api/v1/imports', headers, payload: Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0xff]) });
    assert.equal(binary.statusCode, 422);
    assert.match(binary.json<{ errors: { file: string } }>().errors.file, /must be a CSV file/);

    const pdf = await testApp.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { authorization, 'content-type': 'application/pdf' }, payload: '%PDF' });
    assert.equal(pdf.statusCode, 415);

    // The length alone refuses it: the few bytes actually sent are never read.
    const oversized = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { ...headers, 'content-length': String(60 * 1024 * 1024) },
      payload: 'police_reference\n',
    });
    assert.equal(oversized.statusCode, 413);

    // A 300 KB file is over the app's usual body limit, but within the limit for files.
    const large = referralFile(Array.from({ length: 2000 }, (_, index) => referralRow(100_000 + index, { role: 'nobody' })));
    assert.ok(large.length > 256 * 1024);
    const accepted = await testApp.app.inject({ method: 'POST', url: '/api/v1/imports', headers, payload: large });
    assert.equal(accepted.statusCode, 202, accepted.body);
    // Other routes keep the usual limit.
    const elsewhere = await testApp.app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `a=${'x'.repeat(300 * 1024)}` });
    assert.equal(elsewhere.statusCode, 413);
  });

  test('another organisation cannot see the import, and the operations are in the OpenAPI document', async () => {
    const other = await createApiClient(db, actor, { organisation: (await createOrganisation(db, { kind: 'police' })).name, name: 'Other', scopes: ['imports:write'] });
    const mine = await importText(referralFile([referralRow(70)]));
    const response = await testApp.app.inject({
      method: 'GET',
      url: `/api/v1/imports/${mine.importFile.id}`,
      headers: { authorization: basicAuthorization(other.clientId, other.secret) },
    });
    assert.equal(response.statusCode, 404);
    const document = (await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> }>();
    assert.ok(document.paths['/api/v1/imports']?.post?.requestBody?.content['text/csv']);
    assert.ok(document.paths['/api/v1/imports/{id}']?.get);
  });
});

function multipart(fields: Record<string, string>, file: { name: string; content: string | Buffer; type?: string }) {
  const boundary = '----haven-test-boundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`));
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('the upload pages', () => {
  test('a coordinator uploads a file, follows its progress and downloads the quarantine report; both are audited', async () => {
    const cookie = await signIn(testApp.app, coordinator);
    const form = await csrfFor(testApp.app, cookie, '/imports/new');
    assert.match((await testApp.app.inject({ method: 'GET', url: '/imports/new', headers: { cookie } })).body, /type="file"/);

    const body = multipart({ _csrf: form.csrfToken }, { name: 'daily-2025-06-01.csv', content: referralFile([referralRow(80), referralRow(81, { date_of_birth: '1990/07/04' })]) });
    const upload = await testApp.app.inject({ method: 'POST', url: '/imports/new', headers: { cookie: form.cookie, 'content-type': body.contentType }, payload: body.payload });
    assert.equal(upload.statusCode, 303, upload.body);
    const location = upload.headers.location as string;
    assert.match(location, /^\/imports\/[0-9a-f-]{36}$/);
    const id = location.split('/').pop()!;

    let page = await testApp.app.inject({ method: 'GET', url: location, headers: { cookie } });
    assert.equal(page.statusCode, 200);
    for (let attempt = 0; attempt < 200 && /http-equiv="refresh"/.test(page.body); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = await testApp.app.inject({ method: 'GET', url: location, headers: { cookie } });
    }
    assert.doesNotMatch(page.body, /http-equiv="refresh"/);
    assert.match(page.body, /Import finished/);
    assert.doesNotMatch(page.body, /daily-2025-06-01/);
    assert.match(page.body, /quarantine\.csv/);

    const report = await testApp.app.inject({ method: 'GET', url: `${location}/quarantine.csv`, headers: { cookie } });
    assert.equal(report.statusCode, 200);
    assert.match(report.headers['content-type'] as string, /text\/csv/);
    assert.equal(report.body, 'row_number,police_reference,column,reason\r\n2,WYP-0000081,date_of_birth,"Enter a real date as DD/MM/YYYY, like 04/07/2025"\r\n');

    const list = await testApp.app.inject({ method: 'GET', url: '/imports', headers: { cookie } });
    assert.match(list.body, new RegExp(`/imports/${id}`));

    const audit = await db.selectFrom('audit_event').select(['action', 'actor_user_id']).where('record_id', '=', id).execute();
    assert.ok(audit.some((row) => row.action === 'import.received' && row.actor_user_id === coordinator.id));
    assert.ok(audit.some((row) => row.action === 'import.quarantine_downloaded' && row.actor_user_id === coordinator.id));
  });

  test('a file that is not CSV, or none, is an error on the page; without the CSRF token the upload is refused', async () => {
    const cookie = await signIn(testApp.app, coordinator);
    const form = await csrfFor(testApp.app, cookie, '/imports/new');
    const spreadsheet = multipart({ _csrf: form.csrfToken }, { name: 'referrals.xlsx', content: Buffer.from([0x50, 0x4b, 3, 4, 0, 0]), type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const refused = await testApp.app.inject({ method: 'POST', url: '/imports/new', headers: { cookie: form.cookie, 'content-type': spreadsheet.contentType }, payload: spreadsheet.payload });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /govuk-error-summary/);
    assert.match(refused.body, /must be a CSV file/);

    const wrongColumns = multipart({ _csrf: form.csrfToken }, { name: 'referrals.csv', content: 'name,dob\nJo,1/1/1990\n' });
    const wrong = await testApp.app.inject({ method: 'POST', url: '/imports/new', headers: { cookie: form.cookie, 'content-type': wrongColumns.contentType }, payload: wrongColumns.payload });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /Missing: police_reference/);

    const noToken = multipart({}, { name: 'referrals.csv', content: referralFile([referralRow(90)]) });
    const forged = await testApp.app.inject({ method: 'POST', url: '/imports/new', headers: { cookie: form.cookie, 'content-type': noToken.contentType }, payload: noToken.payload });
    assert.equal(forged.statusCode, 403);

    const oversized = await testApp.app.inject({
      method: 'POST',
      url: '/imports/new',
      headers: { cookie: form.cookie, 'content-type': noToken.contentType, 'content-length': String(80 * 1024 * 1024) },
      payload: noToken.payload,
    });
    assert.equal(oversized.statusCode, 413);
  });
});
