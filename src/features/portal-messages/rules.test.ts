// The portal's message rules: how threads and messages are named for the victim (catalogue keys), the addresses, and
// the words for a refused message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HUB_THREAD, POLICE_THREAD, providerThread } from '../case-messages/rules.ts';
import { portalMessagesMessages } from './messages.ts';
import { formErrors, partyName, threadPath, threadTitle, unreadText, victimMessageView } from './rules.ts';

const org = 'aaaaaaaa-1111-4222-8333-444455556666';

describe('portal message rules', () => {
  it('names each thread, a provider by its name, but never puts the provider in the title', () => {
    assert.deepEqual(partyName({ thread: POLICE_THREAD, organisationName: null }), { key: 'portalMessages.party.police' });
    assert.deepEqual(partyName({ thread: providerThread(org), organisationName: 'Kind Support' }), { key: 'portalMessages.party.provider', values: { name: 'Kind Support' } });
    assert.deepEqual(partyName({ thread: providerThread(org), organisationName: null }), { key: 'portalMessages.party.providerUnnamed' });
    assert.deepEqual(threadTitle(providerThread(org)), { key: 'portalMessages.thread.title.provider' });
    assert.deepEqual(threadTitle(HUB_THREAD), { key: 'portalMessages.thread.title.hub' });
    assert.equal(threadPath('c1', 'police'), '/my-case/cases/c1/messages/police');
  });

  it('shows a message as paragraphs, with who wrote it', () => {
    const at = new Date('2026-03-06T10:00:00Z');
    const view = victimMessageView({ id: 'm', direction: 'to_victim', authorName: 'PC Ellis', body: 'One\n\nTwo', createdAt: at });
    assert.deepEqual(view.lines, ['One', 'Two']);
    assert.deepEqual(view.heading, { key: 'portalMessages.fromStaff', values: { name: 'PC Ellis' } });
    assert.deepEqual(victimMessageView({ id: 'm', direction: 'from_victim', authorName: null, body: 'Q', createdAt: at }).heading, { key: 'portalMessages.fromYou' });
  });

  it('turns a refused message into catalogue words pointing at the message box', () => {
    assert.deepEqual(formErrors({ body: 'Enter a message' }), [{ key: 'portalMessages.error.empty', href: '#body', field: 'body' }]);
    assert.deepEqual(formErrors({ body: 'Message must be 2,000 characters or fewer', idempotencyKey: 'x' }).map((error) => error.key), ['portalMessages.error.key', 'portalMessages.error.tooLong']);
    assert.deepEqual(unreadText(2), { key: 'portalMessages.unread', values: { count: 2 } });
    assert.deepEqual(unreadText(0), { key: 'portalMessages.noUnread' });
  });

  it('has every key in Welsh as in English', () => {
    assert.deepEqual(Object.keys(portalMessagesMessages.cy).sort(), Object.keys(portalMessagesMessages.en).sort());
    for (const key of Object.keys(portalMessagesMessages.en)) assert.ok(key.startsWith('portalMessages.'));
  });
});
