// The care plan's pure rules: checking a new action, the allowed status changes, overdue, and the victim's wording.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asPredicate, checkAction, checkCancelReason, isOverdue, isUuid, ownerPhrase, statusChange, victimText, writtenDate, type ActionForVictim, type OwnerChoices } from './rules.ts';

const TODAY = '2026-11-20';
const HUB = '11111111-1111-4111-8111-111111111111';
const PROVIDER = '22222222-2222-4222-8222-222222222222';
const SAM = '33333333-3333-4333-8333-333333333333';
const choices: OwnerChoices = {
  organisations: [
    { id: HUB, name: 'Haven Victim Gateway' },
    { id: PROVIDER, name: 'Safer Homes' },
  ],
  staff: [{ id: SAM, displayName: 'Sam Smith', organisationId: HUB }],
};
const form = (fields: Record<string, unknown> = {}) => ({
  description: 'arrange for a locksmith to fit new locks',
  owner: HUB,
  ownerUserId: '',
  'dueDate-day': '3',
  'dueDate-month': '12',
  'dueDate-year': '2026',
  ...fields,
});

describe('checkAction', () => {
  it('accepts an action for an organisation, tidying the description', () => {
    assert.deepEqual(checkAction(form({ description: '  arrange  a visit\nto check the locks ' }), TODAY, choices), {
      value: { description: 'arrange a visit to check the locks', owner: { kind: 'organisation', organisationId: HUB, userId: null }, dueDate: '2026-12-03' },
    });
  });

  it('accepts a named person of the owning organisation, and the victim as owner', () => {
    assert.deepEqual((checkAction(form({ ownerUserId: SAM }), TODAY, choices) as { value: { owner: unknown } }).value.owner, { kind: 'organisation', organisationId: HUB, userId: SAM });
    assert.deepEqual((checkAction(form({ owner: 'victim' }), TODAY, choices) as { value: { owner: unknown } }).value.owner, { kind: 'victim' });
  });

  it('keeps the description between 10 and 500 characters', () => {
    assert.deepEqual(checkAction(form({ description: '' }), TODAY, choices), { errors: { description: 'Enter what will be done' } });
    assert.deepEqual(checkAction(form({ description: 'call them' }), TODAY, choices), { errors: { description: 'What will be done must be 10 characters or more' } });
    assert.ok('value' in checkAction(form({ description: 'x'.repeat(10) }), TODAY, choices));
    assert.ok('value' in checkAction(form({ description: 'x'.repeat(500) }), TODAY, choices));
    assert.deepEqual(checkAction(form({ description: 'x'.repeat(501) }), TODAY, choices), { errors: { description: 'What will be done must be 500 characters or fewer' } });
  });

  it('needs an owner from the area, and a named person who works for it', () => {
    assert.deepEqual(checkAction(form({ owner: '' }), TODAY, choices), { errors: { owner: 'Select who will do this' } });
    assert.deepEqual(checkAction(form({ owner: '44444444-4444-4444-8444-444444444444' }), TODAY, choices), { errors: { owner: 'Select who will do this' } });
    assert.deepEqual(checkAction(form({ owner: PROVIDER, ownerUserId: SAM }), TODAY, choices), { errors: { ownerUserId: 'The named person must work for the organisation that will do this' } });
    assert.deepEqual(checkAction(form({ ownerUserId: PROVIDER }), TODAY, choices), { errors: { ownerUserId: 'Select a named person from the list' } });
    assert.deepEqual(checkAction(form({ owner: 'victim', ownerUserId: SAM }), TODAY, choices), { errors: { ownerUserId: 'Do not name a member of staff when the victim will do this' } });
  });

  it('needs a real due date, today or later', () => {
    assert.ok('value' in checkAction(form({ 'dueDate-day': '20', 'dueDate-month': '11' }), TODAY, choices), 'today is allowed');
    assert.deepEqual(checkAction(form({ 'dueDate-day': '19', 'dueDate-month': '11' }), TODAY, choices), { errors: { dueDate: 'Due date must be today or in the future' } });
    assert.deepEqual(checkAction(form({ 'dueDate-day': '31', 'dueDate-month': '11' }), TODAY, choices), { errors: { dueDate: 'Due date must be a real date' } });
    assert.deepEqual(checkAction(form({ 'dueDate-day': '', 'dueDate-month': '', 'dueDate-year': '' }), TODAY, choices), { errors: { dueDate: 'Enter the due date' } });
    assert.deepEqual(checkAction(form({ 'dueDate-year': '' }), TODAY, choices), { errors: { dueDate: 'Due date must include a year' } });
  });

  it('reports every problem at once', () => {
    const checked = checkAction({}, TODAY, choices);
    assert.deepEqual(checked, { errors: { description: 'Enter what will be done', owner: 'Select who will do this', dueDate: 'Enter the due date' } });
  });
});

describe('isUuid', () => {
  it('accepts a uuid in either case and nothing else', () => {
    assert.equal(isUuid(HUB), true);
    assert.equal(isUuid(HUB.toUpperCase()), true);
    for (const value of ['', 'nonsense', `${HUB}x`, HUB.replace(/-/g, ''), undefined, 42, [HUB]]) assert.equal(isUuid(value), false, String(value));
  });
});

describe('checkCancelReason', () => {
  it('needs a reason of at most 500 characters', () => {
    assert.deepEqual(checkCancelReason('  '), { errors: { reason: 'Enter why the action is cancelled' } });
    assert.deepEqual(checkCancelReason(undefined), { errors: { reason: 'Enter why the action is cancelled' } });
    assert.deepEqual(checkCancelReason('x'.repeat(501)), { errors: { reason: 'Reason must be 500 characters or fewer' } });
    assert.deepEqual(checkCancelReason(' They moved away '), { value: 'They moved away' });
  });
});

describe('statusChange', () => {
  it('lets an agreed action be done or cancelled, and nothing else', () => {
    assert.equal(statusChange('agreed', 'done'), 'change');
    assert.equal(statusChange('agreed', 'cancelled'), 'change');
    assert.equal(statusChange('done', 'cancelled'), 'refused');
    assert.equal(statusChange('cancelled', 'done'), 'refused');
    assert.equal(statusChange('done', 'agreed'), 'refused');
    assert.equal(statusChange('cancelled', 'agreed'), 'refused');
  });

  it('treats a change to the status it already has as a repeat', () => {
    for (const status of ['agreed', 'done', 'cancelled'] as const) assert.equal(statusChange(status, status), 'same');
  });
});

describe('isOverdue', () => {
  it('is overdue only when agreed and the due date has passed', () => {
    assert.equal(isOverdue({ status: 'agreed', dueDate: '2026-11-19' }, TODAY), true);
    assert.equal(isOverdue({ status: 'agreed', dueDate: TODAY }, TODAY), false);
    assert.equal(isOverdue({ status: 'done', dueDate: '2026-11-01' }, TODAY), false);
    assert.equal(isOverdue({ status: 'cancelled', dueDate: '2026-11-01' }, TODAY), false);
  });
});

describe('victim wording', () => {
  const action = (fields: Partial<ActionForVictim> = {}): ActionForVictim => ({
    description: 'arrange for a locksmith to fit new locks',
    ownerKind: 'organisation',
    ownerOrganisationName: 'Haven Victim Gateway',
    ownerUserName: null,
    dueDate: '2026-12-03',
    status: 'agreed',
    doneAt: null,
    ...fields,
  });

  it('says who will do what by when', () => {
    assert.equal(victimText(action()), 'Haven Victim Gateway will arrange for a locksmith to fit new locks by 3 December 2026.');
    assert.equal(victimText(action({ ownerUserName: 'Sam Smith' })), 'Sam Smith at Haven Victim Gateway will arrange for a locksmith to fit new locks by 3 December 2026.');
    assert.equal(
      victimText(action({ ownerKind: 'victim', ownerOrganisationName: null, description: 'Call the council about rehousing.' })),
      'You will call the council about rehousing by 3 December 2026.',
    );
  });

  it('says when it was done, or that it is no longer planned', () => {
    // 23:30 on 30 November in UTC is still 30 November in London (GMT); the London day is what the victim sees.
    assert.equal(victimText(action({ status: 'done', doneAt: new Date('2026-11-30T23:30:00Z') })), 'Done on 30 November 2026: Haven Victim Gateway agreed to arrange for a locksmith to fit new locks.');
    assert.equal(victimText(action({ status: 'done', doneAt: new Date('2026-06-30T23:30:00Z') })), 'Done on 1 July 2026: Haven Victim Gateway agreed to arrange for a locksmith to fit new locks.');
    assert.equal(victimText(action({ status: 'cancelled' })), 'No longer planned: Haven Victim Gateway was going to arrange for a locksmith to fit new locks by 3 December 2026.');
    assert.equal(victimText(action({ status: 'cancelled', ownerKind: 'victim' })), 'No longer planned: You were going to arrange for a locksmith to fit new locks by 3 December 2026.');
  });

  it('lowers an ordinary capital but keeps abbreviations, and drops a final full stop', () => {
    assert.equal(asPredicate('Arrange a visit.'), 'arrange a visit');
    assert.equal(asPredicate('BSL interpreter to be booked for the meeting'), 'BSL interpreter to be booked for the meeting');
    assert.equal(asPredicate('  book   a   room ... '), 'book a room');
  });

  it('names the owner', () => {
    assert.equal(ownerPhrase({ ownerKind: 'victim', ownerOrganisationName: null, ownerUserName: null }), 'You');
    assert.equal(ownerPhrase({ ownerKind: 'organisation', ownerOrganisationName: 'Safer Homes', ownerUserName: null }), 'Safer Homes');
  });

  it('writes dates without a weekday, as GOV.UK does in running text', () => {
    assert.equal(writtenDate('2027-03-26'), '26 March 2027');
  });
});
