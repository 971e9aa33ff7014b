// The rules for messages on a case: what a body may hold, the keys that make a send replay-safe, who may write to the
// victim, and how the thread shows a message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holidayCalendar } from '../../platform/time/holiday-calendar.ts';
import {
  HUB_THREAD,
  MESSAGE_BODY_MAX_LENGTH,
  POLICE_THREAD,
  REPLY_TARGET_WORKING_DAYS,
  firstUnanswered,
  parseThreadSlug,
  providerThread,
  replyDueAt,
  replyOverdue,
  replyTaskKey,
  replyTaskTitle,
  staffParty,
  threadOf,
  threadSlug,
  threadsOfCase,
  canMessage,
  checkInboundKey,
  checkMessageBody,
  checkSubmissionKey,
  messageEventKey,
  messageLines,
  messageView,
  replyFormErrors,
} from './rules.ts';

describe('case message rules', () => {
  it('accepts 1 to 2,000 characters, counting a CRLF line break as one and dropping surrounding blank space', () => {
    assert.deepEqual(checkMessageBody('  Hello  '), { value: 'Hello' });
    assert.deepEqual(checkMessageBody('One\r\nTwo'), { value: 'One\nTwo' });
    assert.deepEqual(checkMessageBody('x'.repeat(MESSAGE_BODY_MAX_LENGTH)), { value: 'x'.repeat(2000) });
    const crlf = 'x'.repeat(1000) + '\r\n' + 'y'.repeat(999);
    assert.ok('value' in checkMessageBody(crlf), 'a CRLF counts as one character, as the character count showed it');
  });

  it('refuses an empty, blank, missing or over-long body with words for the page', () => {
    for (const body of ['', '   \n ', undefined, null, 42]) assert.deepEqual(checkMessageBody(body), { errors: { body: 'Enter a message' } });
    assert.deepEqual(checkMessageBody('x'.repeat(2001)), { errors: { body: 'Message must be 2,000 characters or fewer' } });
  });

  it('takes a uuid submission key from staff forms and any short key from the portal', () => {
    assert.deepEqual(checkSubmissionKey('0B9A1F2E-1111-4222-8333-444455556666'), { value: '0b9a1f2e-1111-4222-8333-444455556666' });
    for (const key of ['', 'not-a-uuid', undefined, 7]) assert.ok('errors' in checkSubmissionKey(key));
    assert.deepEqual(checkInboundKey(' portal-123 '), { value: 'portal-123' });
    for (const key of ['', '  ', 'k'.repeat(201), undefined]) assert.ok('errors' in checkInboundKey(key));
  });

  it('lets the hub and the police write to the victim, and no other agency', () => {
    assert.equal(canMessage('hub'), true);
    assert.equal(canMessage('police'), true);
    assert.equal(canMessage('witness_care'), false);
    assert.equal(canMessage('probation'), false);
  });

  it('keys the timeline event by the message, and shows a message as paragraphs with who wrote it', () => {
    assert.equal(messageEventKey('m1'), 'case_message:m1');
    assert.deepEqual(messageLines('One\n\nTwo\n'), ['One', 'Two']);
    const at = new Date('2026-03-01T10:00:00Z');
    const reply = messageView({ id: 'a', direction: 'to_victim', authorName: 'PC Ellis', body: 'Hi\nThere', createdAt: at, readAt: null });
    assert.equal(reply.heading, 'From PC Ellis');
    assert.deepEqual(reply.lines, ['Hi', 'There']);
    assert.equal(reply.createdIso, '2026-03-01T10:00:00.000Z');
    assert.equal(messageView({ id: 'b', direction: 'from_victim', authorName: null, body: 'Q', createdAt: at, readAt: at }).heading, 'From the victim');
  });

  it('points every reply form error at the message box, the key first', () => {
    assert.deepEqual(replyFormErrors({ body: 'Enter a message', submissionKey: 'Open again' }), [
      { text: 'Open again', href: '#body' },
      { text: 'Enter a message', href: '#body' },
    ]);
  });
});

describe('threads and the reply target', () => {
  const noHolidays = holidayCalendar();
  // Friday 6 March 2026, 15:00 in London (GMT).
  const friday = new Date('2026-03-06T15:00:00Z');

  it('names a thread in a URL and reads it back, refusing anything else', () => {
    const org = '0B9A1F2E-1111-4222-8333-444455556666';
    assert.equal(threadSlug(POLICE_THREAD), 'police');
    assert.equal(threadSlug(HUB_THREAD), 'hub');
    assert.deepEqual(parseThreadSlug(`provider-${org}`), { party: 'provider', organisationId: org.toLowerCase() });
    assert.equal(threadSlug(providerThread(org)), `provider-${org.toLowerCase()}`);
    for (const raw of ['', 'Police', 'probation', 'provider-', 'provider-nope', undefined, ['police']]) assert.equal(parseThreadSlug(raw), undefined);
    assert.deepEqual(threadOf('provider', org), providerThread(org));
    assert.deepEqual(threadOf('police', null), POLICE_THREAD);
    assert.equal(staffParty('police'), 'police');
    assert.equal(staffParty('provider'), 'provider');
    assert.equal(staffParty('witness_care'), undefined);
  });

  it('makes a reply due by the end of the 2nd working day, skipping weekends and bank holidays', () => {
    assert.equal(REPLY_TARGET_WORKING_DAYS, 2);
    assert.equal(replyDueAt(friday, noHolidays).toISOString(), '2026-03-10T23:59:59.999Z', 'Friday’s message is due by the end of Tuesday');
    const mondayHoliday = holidayCalendar([{ date: '2026-03-09', title: 'Test', notes: '', origin: 'added' }]);
    assert.equal(replyDueAt(friday, mondayHoliday).toISOString(), '2026-03-11T23:59:59.999Z');
    assert.equal(replyOverdue(friday, new Date('2026-03-10T23:59:59.999Z'), noHolidays), false);
    assert.equal(replyOverdue(friday, new Date('2026-03-11T00:00:00Z'), noHolidays), true);
  });

  it('finds the victim’s first unanswered message: a reply answers all before it', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 6, 10, minute));
    const q1 = { id: 'q1', direction: 'from_victim' as const, createdAt: at(1) };
    const q2 = { id: 'q2', direction: 'from_victim' as const, createdAt: at(2) };
    const a1 = { id: 'a1', direction: 'to_victim' as const, createdAt: at(3) };
    const q3 = { id: 'q3', direction: 'from_victim' as const, createdAt: at(4) };
    assert.equal(firstUnanswered([]), undefined);
    assert.equal(firstUnanswered([q1, q2])?.id, 'q1');
    assert.equal(firstUnanswered([q1, q2, a1]), undefined);
    assert.equal(firstUnanswered([q1, a1, q3])?.id, 'q3');
    assert.equal(firstUnanswered([a1]), undefined);
    assert.equal(replyTaskKey('q3'), 'message_reply_overdue:q3');
    assert.match(replyTaskTitle('police'), /police thread[\s\S]*2 working days/);
  });

  it('lists a case’s threads: police, hub, live providers, and any older thread that still has messages, read-only', () => {
    const live = 'aaaaaaaa-1111-4222-8333-444455556666';
    const gone = 'bbbbbbbb-1111-4222-8333-444455556666';
    const last = new Date('2026-03-06T10:00:00Z');
    const threads = threadsOfCase(
      { hasPolice: true, providers: [{ organisationId: live, name: 'Kind Support' }] },
      [
        { party: 'hub', organisationId: null, messages: 2, unreadByVictim: 1, unreadByStaff: 0, lastAt: last },
        { party: 'provider', organisationId: gone, messages: 1, unreadByVictim: 0, unreadByStaff: 1, lastAt: last },
      ],
      new Map([[gone, 'Old Support']]),
    );
    assert.deepEqual(threads.map((item) => [item.slug, item.open, item.organisationName, item.unreadByVictim]), [
      ['police', true, null, 0],
      ['hub', true, null, 1],
      [`provider-${live}`, true, 'Kind Support', 0],
      [`provider-${gone}`, false, 'Old Support', 0],
    ]);
    assert.deepEqual(threadsOfCase({ hasPolice: false, providers: [] }, [], new Map()).map((item) => item.slug), ['hub'], 'no crime, no police thread');
  });
});
