import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNewClient } from './rules.ts';

describe('checkNewClient', () => {
  test('accepts a name and known scopes, dropping repeats', () => {
    assert.deepEqual(checkNewClient({ name: ' Niche RMS ', scopes: ['referrals:write', 'referrals:write', ' referrals:read'] }), {
      value: { name: 'Niche RMS', scopes: ['referrals:write', 'referrals:read'] },
    });
  });

  test('refuses a missing name, no scopes or an unknown scope', () => {
    const none = checkNewClient({ name: ' ', scopes: [] });
    assert.ok('errors' in none && none.errors.name && none.errors.scopes);
    const unknown = checkNewClient({ name: 'x', scopes: ['referrals:write', 'admin'] });
    assert.ok('errors' in unknown && /Unknown scope admin/.test(unknown.errors.scopes ?? ''));
  });
});
