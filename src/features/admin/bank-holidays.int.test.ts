// The bank holiday pages through the whole application (app.inject): administrators only, the GOV.UK error summary for
// each kind of bad date, and a one-off day that is stored, audited and counted by working-day arithmetic at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createStaffUser, csrfFor, mergeCookies, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { addDays, isWeekend, partsOf, type CalendarDate } from '../../platform/time/calendar-date.ts';
import { holidaysFor } from '../../platform/time/calendar.ts';
import { shippedCalendar } from '../../platform/time/holiday-calendar.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { addWorkingDays } from '../../platform/time/working-days.ts';

async function postForm(app: FastifyInstance, url: string, cookie: string, fields: Record<string, string>, csrfFrom = url) {
  const { cookie: withCsrf, csrfToken } = await csrfFor(app, cookie, csrfFrom);
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: withCsrf, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfToken, ...fields }).toString(),
  });
}

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';

/** The form's three date boxes for a calendar day. */
const dateFields = (date: CalendarDate) => {
  const { day, month, year } = partsOf(date);
  return { 'date-day': String(day), 'date-month': String(month), 'date-year': String(year) };
};

/** The first weekday at least `from` days ahead that is not a bank holiday: the test works whatever day it runs. */
function freeWeekday(from: number): CalendarDate {
  let day = addDays(londonDateOf(new Date()), from);
  while (isWeekend(day) || shippedCalendar.has(day)) day = addDays(day, 1);
  return day;
}

/** The last working day before today: a past day that only the "not in the past" check refuses, whatever today is. */
function pastWeekday(): CalendarDate {
  let day = addDays(londonDateOf(new Date()), -1);
  while (isWeekend(day) || shippedCalendar.has(day)) day = addDays(day, -1);
  return day;
}

describe('bank holiday pages', () => {
  let test: TestApp;
  let admin: TestStaffUser;
  let coordinator: TestStaffUser;
  let adminCookie: string;

  before(async () => {
    test = await createTestApp();
    admin = await createStaffUser(test.database.db, { role: 'administrator' });
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', organisationId: admin.organisationId });
    adminCookie = await signIn(test.app, admin);
  });
  after(async () => {
    await test.close();
  });

  const get = (url: string, cookie = adminCookie) => test.app.inject({ method: 'GET', url, headers: { cookie } });
  const storedDays = async () => (await test.database.db.selectFrom('bank_holiday_added').select('date').execute()).map((row) => row.date);

  it('lists the bank holidays from this year on, for administrators, with a link to add one', async () => {
    const page = await get('/bank-holidays');
    assert.equal(page.statusCode, 200);
    assert.equal(titleOf(page.body), 'Bank holidays – Haven');
    const year = partsOf(londonDateOf(new Date())).year;
    assert.match(page.body, new RegExp(`data-testid="holidays-${year}"`));
    assert.doesNotMatch(page.body, new RegExp(`data-testid="holidays-${year - 1}"`));
    assert.match(page.body, /Christmas Day/);
    assert.match(page.body, /href="\/bank-holidays\/new"/);
    assert.match(page.body, /govuk-service-navigation__link" href="\/bank-holidays"/);
    const form = await get('/bank-holidays/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /moves Code deadlines that fall on or after it/);
    assert.match(form.body, /name="date-day"/);
  });

  it('sends people who are not signed in to sign in, and refuses other roles with 403', async () => {
    const anonymous = await test.app.inject({ method: 'GET', url: '/bank-holidays' });
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/sign-in');
    const cookie = await signIn(test.app, coordinator);
    assert.equal((await get('/bank-holidays', cookie)).statusCode, 403);
    assert.equal((await get('/bank-holidays/new', cookie)).statusCode, 403);
    // A real token from a page the coordinator may open, so only the role check can refuse the post.
    const post = await postForm(test.app, '/bank-holidays/new', cookie, { ...dateFields(freeWeekday(40)), name: 'Not allowed' }, '/');
    assert.equal(post.statusCode, 403);
    assert.match(post.body, /You cannot see this page/);
    assert.deepEqual(await storedDays(), []);
  });

  it('shows GOV.UK errors for bad input and stores nothing', async () => {
    const today = londonDateOf(new Date());
    let weekend = addDays(today, 10);
    while (!isWeekend(weekend)) weekend = addDays(weekend, 1);
    const nextHoliday = shippedCalendar.holidays.find((holiday) => holiday.date > today)?.date ?? '';
    const cases: [Record<string, string>, RegExp][] = [
      [{ name: '' }, /href="#date-day"[^>]*>Enter the date of the bank holiday[\s\S]*href="#name"[^>]*>Enter the name of the bank holiday/],
      [{ 'date-day': '31', 'date-month': '2', 'date-year': '2030', name: 'A day' }, /href="#date-day"[^>]*>Date of the bank holiday must be a real date/],
      [{ ...dateFields(pastWeekday()), name: 'A day' }, /Date of the bank holiday must be today or in the future/],
      [{ ...dateFields(weekend), name: 'A day' }, /Date of the bank holiday must be a weekday/],
      [{ ...dateFields(nextHoliday), name: 'A day' }, /That date is already a bank holiday/],
      [{ ...dateFields(freeWeekday(40)), name: 'VE' }, /href="#name"[^>]*>Name of the bank holiday must be 3 characters or more/],
    ];
    for (const [fields, message] of cases) {
      const page = await postForm(test.app, '/bank-holidays/new', adminCookie, fields);
      assert.equal(page.statusCode, 422, JSON.stringify(fields));
      assert.equal(titleOf(page.body), 'Error: Add a one-off bank holiday – Haven');
      assert.match(page.body, /govuk-error-summary/);
      assert.match(page.body, message, JSON.stringify(fields));
      if (fields.name) assert.match(page.body, new RegExp(`value="${fields.name}"`), 'what was typed is kept');
    }
    assert.deepEqual(await storedDays(), []);
  });

  it('adds a one-off holiday, audits it, shows it marked, and working days skip it at once', async () => {
    const day = freeWeekday(60);
    const dayBefore = addDays(day, -1);
    // Warm this process's cached calendar first, so the test proves the addition refreshes it.
    assert.equal((await holidaysFor(test.database.db)).has(day), false);
    const before = addWorkingDays(dayBefore, 1, await holidaysFor(test.database.db));
    assert.equal(before, day);

    const done = await postForm(test.app, '/bank-holidays/new', adminCookie, { ...dateFields(day), name: '  Bank holiday for a   royal wedding ' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/bank-holidays?done=added');

    const after = addWorkingDays(dayBefore, 1, await holidaysFor(test.database.db));
    assert.ok(after > day, `the next working day after ${dayBefore} is now ${after}, not ${day}`);

    const list = await get(done.headers.location);
    assert.match(list.body, /govuk-notification-banner--success/);
    assert.match(list.body, /Bank holiday added/);
    const row = new RegExp(`<time datetime="${day}">[^<]+</time></td>\\s*<td[^>]*>Bank holiday for a royal wedding</td>\\s*<td[^>]*>\\s*<strong class="govuk-tag govuk-tag--purple">\\s*One-off`);
    assert.match(list.body, row);

    const stored = await test.database.db.selectFrom('bank_holiday_added').selectAll().execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.date, day);
    assert.equal(stored[0]?.name, 'Bank holiday for a royal wedding');
    assert.equal(stored[0]?.added_by_user_id, admin.id);
    const audit = await test.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'bank_holiday.added').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor_user_id, admin.id);
    assert.equal(audit[0]?.record_id, day);

    const again = await postForm(test.app, '/bank-holidays/new', adminCookie, { ...dateFields(day), name: 'Twice' });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /That date is already a bank holiday/);
    assert.equal((await storedDays()).length, 1);
  });

  it('refuses a form without its CSRF token', async () => {
    const page = await test.app.inject({
      method: 'POST',
      url: '/bank-holidays/new',
      headers: { cookie: mergeCookies(adminCookie, await get('/bank-holidays/new')), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...dateFields(freeWeekday(90)), name: 'No token' }).toString(),
    });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /Your form could not be sent/);
  });
});
