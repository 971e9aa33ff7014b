// The rules for messages on a case: what a body may hold, the keys that make a send replay-safe, who may write to the
// victim, and how the thread shows a message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MESSAGE_BODY_MAX_LENGTH,
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
