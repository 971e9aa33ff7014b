// Journey 8 (shared/domain/scenarios.md), the commissioner's quarter, through the real services on PGlite and on
// PostgreSQL. One area has a quarter's work in July to September 2026: fifteen cases from three sources and three
// kinds of offence (two groups under 5), the hub's needs assessments and referrals made on time and late, two
// providers answering on time and late (accepting, declining, with no capacity), victims' ratings and complaints. The
// upkeep refreshes the aggregates; the commissioner's analyst then reads the dashboards and the quarterly report, as a
// printable page and a CSV file, with every group under 5 shown as [c] and no person anywhere.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { signInVictim } from '../support/portal.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { actorFor, createOrganisation, createStaffUser, signIn, type TestStaffUser } from '../support/staff.ts';
import { testBackend } from '../support/test-database.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { QUESTIONS } from '../../src/features/assessment/rules.ts';
import { saveAssessment } from '../../src/features/assessment/service.ts';
import { assignFromTriage, logContact } from '../../src/features/cases/service.ts';
import { recordConsent } from '../../src/features/consent/service.ts';
import { recordEqualityAnswers } from '../../src/features/equality/service.ts';
import { makeComplaint } from '../../src/features/feedback/complaint-service.ts';
import { giveFeedback } from '../../src/features/feedback/service.ts';
import { refreshInsights } from '../../src/features/insights-upkeep/service.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';
import { runCodeClock, sweepOverdue } from '../../src/features/obligations/service.ts';
import { answerReferral, startSupport } from '../../src/features/support-referrals/provider-service.ts';
import { createReferral } from '../../src/features/support-referrals/service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const DAY_MS = 86_400_000;
/** The quarter, as the dashboards' date inputs ask for it. */
const Q3 = 'from-day=1&from-month=7&from-year=2026&to-day=30&to-month=9&to-year=2026';
/** Fifteen weekdays in July 2026 on which a case arrives, at 10:00 in London (09:00 GMT). */
const ARRIVALS = ['06', '07', '08', '09', '10', '13', '14', '15', '16', '17', '20', '21', '22', '23', '24'].map((day) => new Date(`2026-07-${day}T09:00:00Z`));
const later = (at: Date, days: number, hours = 0) => new Date(at.getTime() + days * DAY_MS + hours * 3_600_000);

/** A complete needs assessment as the form sends it, on the London day of `at`. */
function assessmentForm(at: Date): Record<string, string> {
  const [year, month, day] = at.toISOString().slice(0, 10).split('-') as [string, string, string];
  const form: Record<string, string> = { submissionKey: randomUUID(), method: 'phone', day, month, year, language: 'English' };
  for (const question of QUESTIONS) if (question.required && question.type !== 'text') form[question.id] = question.type === 'yes_no' ? 'no' : question.options![0]!.value;
  return form;
}

/** The rows of the table with this data-testid, as the text of each header and cell as it is seen (not as it is read aloud). */
function tableRows(html: string, testId: string): string[][] {
  const table = new RegExp(`<table[^>]*data-testid="${testId}"[\\s\\S]*?</table>`).exec(html)?.[0];
  assert.ok(table, `the page has the table ${testId}`);
  return [...table.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1]!.replace(/<span class="govuk-visually-hidden">[^<]*<\/span>/g, '').replace(/<[^>]+>/g, '').replace(/&#39;|&rsquo;/g, '’').replace(/\s+/g, ' ').trim()),
  );
}

/** The cells of the row whose leading header cells match `heads` (a row head, or the duty and agency). */
function rowOf(rows: string[][], ...heads: RegExp[]): string[] {
  const row = rows.find((cells) => heads.every((head, index) => head.test(cells[index] ?? '')));
  assert.ok(row, `a row for ${heads.join(' / ')} in ${JSON.stringify(rows)}`);
  return row.slice(heads.length);
}

/** Every count a page or file shows is 0, 5 or more, or [c]: never a group of 1 to 4 people. */
function assertNoSmallCounts(cells: readonly string[], where: string): void {
  for (const cell of cells) assert.ok(!/^[1-4]$/.test(cell), `${where} shows a count of ${cell}`);
}

describe(`journey 8: the commissioner’s quarter (${testBackend()})`, () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let analyst: TestStaffUser;
  let analystCookie: string;
  let hubId: string;
  const names: string[] = [];
  const crimeReferences: string[] = [];
  const COMMENT = 'The caseworker Bronwen was kind and rang me back the same day';

  before(async () => {
    test = await createTestApp();
    const db = test.database.db;
    const force = await createOrganisation(db, { kind: 'police', name: 'Northshire Police' });
    const area = force.areaId;
    hubId = (await createOrganisation(db, { kind: 'hub', areaId: area, name: 'Northshire Victim Gateway' })).id;
    coordinator = await createStaffUser(db, { role: 'coordinator', organisationId: hubId, displayName: 'Jo Coordinator' });
    const safeHomes = await createOrganisation(db, { kind: 'provider', areaId: area, name: 'Safe Homes Northshire' });
    const listening = await createOrganisation(db, { kind: 'provider', areaId: area, name: 'Listening Ear' });
    const safeHomesWorker = await createStaffUser(db, { role: 'provider_caseworker', organisationId: safeHomes.id });
    const listeningWorker = await createStaffUser(db, { role: 'provider_caseworker', organisationId: listening.id });
    const service = (organisationId: string, name: string, specialism: string, capacity: number, waitDays: number) =>
      db.insertInto('organisation_service').values({ organisation_id: organisationId, name, category: 'Support', description: 'Support after a crime.', specialism, capacity, wait_days: waitDays }).returning('id').executeTakeFirstOrThrow();
    const locks = (await service(safeHomes.id, 'Locks and home security', 'practical', 4, 3)).id;
    const listeningService = (await service(listening.id, 'Someone to talk to', 'emotional', 0, 10)).id;
    const commissioner = await createOrganisation(db, { kind: 'commissioner', areaId: area, name: 'Northshire Police and Crime Commissioner' });
    analyst = await createStaffUser(db, { role: 'commissioner_analyst', organisationId: commissioner.id, displayName: 'Ana Analyst' });
    const hub = actorFor(coordinator);

    // Fifteen cases: eight burglaries from the force's records system, five assaults from its daily file (the last two
    // the same man twice, a repeat victim), and two self-referrals with no crime reported.
    const caseIds: string[] = [];
    const personIds: string[] = [];
    for (const [index, at] of ARRIVALS.entries()) {
      const source = index < 8 ? 'police_api' : index < 13 ? 'police_feed' : 'self_referral';
      const repeat = index === 12;
      const givenName = repeat ? names[11]!.split(' ')[0]! : `Victim${String.fromCharCode(65 + index)}`;
      const familyName = repeat ? names[11]!.split(' ')[1]! : `Northshire${index}`;
      if (!repeat) names.push(`${givenName} ${familyName}`);
      const crimeReference = `NS/${41000 + index}/26`;
      if (source !== 'self_referral') crimeReferences.push(crimeReference);
      const receipt = await inTransaction(db, (trx) =>
        receiveReferral(trx, police, {
          source,
          sourceReference: `J8-${index}-${randomUUID()}`,
          referringOrganisationId: source === 'self_referral' ? null : force.id,
          areaId: area,
          person: { givenName, familyName, dateOfBirth: `1980-05-0${((repeat ? 11 : index) % 9) + 1}`, phone: `07700 9008${String(repeat ? 11 : index).padStart(2, '0')}`, email: `${givenName.toLowerCase()}@example.org` },
          crime: source === 'self_referral' ? null : { crimeReference, offenceCode: source === 'police_api' ? '28E' : '8N', offenceCategory: '' },
          role: 'victim',
          supportConsent: 'implied',
          indicators: {},
          receivedAt: at,
        }),
      );
      // Intake stamps a case as opened when it is stored; in this quarter it was stored when it arrived.
      // (created_at is never written by the application's types, so the test says it in SQL.)
      await sql`update victim_case set created_at = ${at} where id = ${receipt.caseId}`.execute(db);
      caseIds.push(receipt.caseId);
      personIds.push(receipt.personId);
    }
    assert.equal(personIds[11], personIds[12], 'the same man twice is one person');
    await runCodeClock(db, { settle: true });

    for (const [index, caseId] of caseIds.entries()) {
      const at = ARRIVALS[index]!;
      const onTime = index < 10;
      await assignFromTriage(db, hub, caseId, coordinator.id);
      // The first ten are reached and assessed the day they arrive; the last five three weeks late.
      const assessedAt = onTime ? later(at, 0, 4) : later(at, 21);
      await logContact(db, hub, caseId, { channel: 'phone', direction: 'outbound', outcome: 'successful', day: String(assessedAt.getUTCDate()), month: String(assessedAt.getUTCMonth() + 1), year: '2026', time: '09:30' }, assessedAt);
      await saveAssessment(db, hub, caseId, assessmentForm(assessedAt), { now: later(assessedAt, 0, 1) });
      // Referred the next hour (or, late, the same day as the late assessment): ten to Safe Homes, five to Listening Ear.
      const toSafeHomes = index < 10;
      const sentAt = later(assessedAt, 0, 2);
      await recordConsent(db, hub, caseId, { submissionKey: randomUUID(), recipientOrganisationId: toSafeHomes ? safeHomes.id : listening.id, purpose: 'support_referral', legalBasis: 'consent', givenHow: 'verbal' }, later(sentAt, 0, -1));
      const { referralId, sent } = await createReferral(db, hub, caseId, { submissionKey: randomUUID(), serviceId: toSafeHomes ? locks : listeningService, summary: 'Needs support after the crime.', approvedHow: 'phone', action: 'send' }, sentAt);
      assert.equal(sent, true);
      if (index < 5) {
        // Safe Homes accepts five the same afternoon, and starts each 3 to 7 days later.
        await answerReferral(db, actorFor(safeHomesWorker), referralId, { answer: 'accepted' }, later(sentAt, 0, 3));
        await startSupport(db, actorFor(safeHomesWorker), referralId, later(sentAt, 3 + index));
      } else if (index < 10) {
        // It declines five, a fortnight late.
        await answerReferral(db, actorFor(safeHomesWorker), referralId, { answer: 'declined', declineReason: 'Outside our area of work.' }, later(sentAt, 14));
      } else {
        // Listening Ear has no places, and says so the same day.
        await answerReferral(db, actorFor(listeningWorker), referralId, { answer: 'no_capacity' }, later(sentAt, 0, 1));
      }
    }

    // Ten victims rate their first contact in August, five very satisfied and five satisfied; five complain about the hub.
    for (const [index, caseId] of caseIds.slice(0, 10).entries()) {
      const victim = await signInVictim(db, personIds[index]!);
      const givenAt = new Date(`2026-08-${String(index + 3).padStart(2, '0')}T10:00:00Z`);
      const given = await giveFeedback(db, victim.actor, caseId, 'first_contact', { rating: String(index < 5 ? 5 : 4), comment: index === 0 ? COMMENT : '' }, givenAt);
      assert.equal(given.created, true);
      if (index < 5) {
        const complaint = await makeComplaint(db, victim.actor, caseId, { organisationId: hubId, body: `${names[index]} says the letters went to the wrong house.`, submissionKey: randomUUID() }, later(givenAt, 1));
        assert.equal(complaint.created, true);
      }
    }
    // Six victims answer the equality questions: the equality dashboard counts them without names.
    for (const caseId of caseIds.slice(0, 6)) await recordEqualityAnswers(db, hub, caseId, { sex: 'female', ethnicGroup: 'white', disabled: 'no' });

    await runCodeClock(db, { settle: true });
    // The worker's sweep turns every duty past its deadline overdue: the complaints were never answered.
    await sweepOverdue(db);
    const refreshed = await refreshInsights(db);
    assert.ok(refreshed.buckets > 0, 'the upkeep recomputed the quarter’s buckets');
    analystCookie = await signIn(test.app, analyst);
  });
  after(() => test.close());

  const read = (url: string) => test.app.inject({ method: 'GET', url, headers: { cookie: analystCookie } });
  /** No name, crime reference, id or victim's words on anything the analyst reads. */
  function assertNoPerson(body: string, where: string): void {
    for (const personal of [...names, ...crimeReferences, COMMENT, 'wrong house', '@example.org', '07700']) assert.ok(!body.includes(personal), `${where} shows ${personal}`);
    assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(body.replace(/name="_csrf" value="[^"]*"/g, '')), `${where} shows an id`);
  }

  it('shows referrals by source and by offence, with the groups under 5 as [c], and repeat victims', async () => {
    const page = await read(`/insights/demand?${Q3}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /\[c\] hidden to protect privacy: fewer than 5 people, or a figure that would let one be worked out/);
    const bySource = tableRows(page.body, 'table-source');
    assert.equal(rowOf(bySource, /^Police system \(API\)$/)[0], '8');
    assert.equal(rowOf(bySource, /^Self-referral$/)[0], '[c]', 'two self-referrals are hidden');
    assert.equal(rowOf(bySource, /^Police daily file$/)[0], '[c]', 'and so is the next smallest group, or the two could be worked out from the total');
    assert.equal(rowOf(bySource, /^Total|^All/)[0], '15');
    const byOffence = tableRows(page.body, 'table-offence');
    assert.equal(rowOf(byOffence, /burglary/i)[0], '8');
    assert.equal(rowOf(byOffence, /^No crime reported$/)[0], '[c]', 'two self-referrals with no crime');
    assert.equal(rowOf(byOffence, /^Violence with injury$/)[0], '[c]');
    const repeat = tableRows(page.body, 'table-repeat');
    assert.equal(rowOf(repeat, /^Repeat victims$/)[0], '[c]', 'two cases of one repeat victim');
    for (const id of ['source', 'offence', 'role', 'enhanced', 'repeat']) assertNoSmallCounts(tableRows(page.body, `table-${id}`).flat(), `demand ${id}`);
    assertNoPerson(page.body, 'the demand dashboard');
  });

  it('shows each Code duty’s share met on time by agency', async () => {
    const page = await read(`/insights/compliance?${Q3}`);
    assert.equal(page.statusCode, 200);
    const rows = tableRows(page.body, 'table-duties');
    // Due, met on time, met late, overdue, not met, not yet due, share met on time.
    const assessments = rowOf(rows, /^Assess the victim’s needs/, /^Northshire Victim Gateway$/);
    assert.deepEqual(assessments.slice(0, 3), ['15', '10', '5']);
    assert.equal(assessments[6], '67%');
    const referrals = rowOf(rows, /^Refer the victim to support services/, /^Northshire Victim Gateway$/);
    assert.deepEqual(referrals.slice(0, 3), ['15', '10', '5']);
    const safeHomes = rowOf(rows, /^Accept or decline the referral/, /^Safe Homes Northshire$/);
    assert.deepEqual([safeHomes[0], safeHomes[1], safeHomes[2], safeHomes[6]], ['10', '5', '5', '50%']);
    const listening = rowOf(rows, /^Accept or decline the referral/, /^Listening Ear$/);
    assert.deepEqual([listening[0], listening[1], listening[6]], ['5', '5', '100%']);
    // The five complaints to the hub went unanswered past their deadline.
    const complaints = rowOf(rows, /^Acknowledge or answer the complaint/, /^Northshire Victim Gateway$/);
    assert.deepEqual([complaints[0], complaints[1], complaints[3], complaints[6]], ['5', '0', '5', '0%']);
    assert.deepEqual(rowOf(rows, /^All duties$/, /^All agencies$/).slice(0, 3), ['50', '30', '15']);
    assertNoSmallCounts(rows.flat(), 'compliance');
    assertNoPerson(page.body, 'the compliance dashboard');
  });

  it('shows waits against capacity for each provider', async () => {
    const page = await read(`/insights/provision?${Q3}`);
    assert.equal(page.statusCode, 200);
    const rows = tableRows(page.body, 'table-services');
    // Sent, accepted, declined, no capacity, returned, completed, awaiting, average wait, places, wait declared, gaps.
    const safeHomes = rowOf(rows, /^Safe Homes Northshire$/, /^Locks and home security$/);
    assert.deepEqual(safeHomes.slice(0, 4), ['10', '5', '5', '0']);
    assert.equal(safeHomes[7], '5.0', 'started 3 to 7 days after sending: 5 days on average');
    assert.equal(safeHomes[8], '4');
    assert.equal(safeHomes[9], '3');
    assert.match(safeHomes[10] ?? '', /Wait longer than declared/);
    const listening = rowOf(rows, /^Listening Ear$/, /^Someone to talk to$/);
    assert.deepEqual(listening.slice(0, 4), ['5', '0', '0', '5']);
    assert.match(listening[10] ?? '', /Often no capacity/);
    assert.match(listening[10] ?? '', /No open places declared/);
    assertNoPerson(page.body, 'the provision dashboard');
  });

  it('shows satisfaction and complaints from victims’ feedback, without their words', async () => {
    const page = await read(`/insights/voice?${Q3}`);
    assert.equal(page.statusCode, 200);
    const ratings = rowOf(tableRows(page.body, 'table-ratings'), /first contact/i);
    assert.deepEqual(ratings.slice(0, 7), ['5', '5', '0', '0', '0', '10', '100%']);
    const complaints = rowOf(tableRows(page.body, 'table-complaints'), /^Northshire Victim Gateway$/);
    assert.equal(complaints[0], '5');
    assertNoPerson(page.body, 'the voice dashboard');

    const equality = await read(`/insights/equality?${Q3}`);
    assert.equal(equality.statusCode, 200);
    assert.equal(rowOf(tableRows(equality.body, 'table-equality-sex'), /^Female$/)[0], '6');
    assertNoPerson(equality.body, 'the equality dashboard');
  });

  it('gives the quarterly report as a printable page and a CSV with the same suppression', async () => {
    const page = await read('/insights/report?quarter=2026-Q3');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<title>Victims’ Code compliance report, [^<]*2026[^<]*<\/title>/);
    assert.match(page.body, /1 July 2026 to 30 September 2026/);
    const assessments = rowOf(tableRows(page.body, 'duty-needs_assessment'), /^Northshire Victim Gateway$/);
    assert.deepEqual(assessments.slice(0, 3), ['15', '10', '5']);
    const demand = tableRows(page.body, 'demand');
    assert.equal(rowOf(demand, /^Self-referral$/)[0], '[c]');
    assert.equal(rowOf(demand, /^All sources$/)[0], '15');
    assert.match(page.body, /data-testid="satisfaction"[\s\S]*?Ratings given[\s\S]*?10[\s\S]*?Share rated 4 or 5[\s\S]*?100/);
    assertNoPerson(page.body, 'the report');

    const csv = await read('/insights/report.csv?quarter=2026-Q3');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /code-compliance-2026-Q3\.csv/);
    const lines = csv.body.split('\r\n');
    assert.ok(lines.includes('Demand,Cases opened,All,Self-referral,[c]'), 'the same [c] as the page');
    assert.ok(lines.includes('Demand,Cases opened,All,All sources,15'));
    assert.ok(lines.some((line) => line.includes('Assess the victim’s needs') && line.endsWith(',Northshire Victim Gateway,Due in the quarter,15')), 'the hub’s assessments due');
    assert.ok(lines.some((line) => line.includes('Assess the victim’s needs') && line.endsWith(',Northshire Victim Gateway,Met late,5')));
    assert.ok(lines.includes('Satisfaction,Ratings after key moments,All,Responses,10'));
    assertNoSmallCounts(lines.map((line) => line.split(',').at(-1) ?? ''), 'the report CSV');
    assertNoPerson(csv.body, 'the report CSV');
  });
});
