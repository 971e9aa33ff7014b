// Unit tests for the account rules: form checks, token shape and hashing, expiry and the actions offered.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EMAIL_MAX_LENGTH,
  INVITATION_VALID_DAYS,
  NAME_MAX_LENGTH,
  availableActions,
  checkInvitation,
  checkNewPassword,
  doneMessage,
  hashInvitationToken,
  invitationExpiry,
  isEmailAddress,
  isInvitationUsable,
  isUuid,
  isWellFormedToken,
  normaliseEmail,
  statusOnEnable,
} from './rules.ts';

describe('checkInvitation', () => {
  it('accepts a complete form, tidying the name and lower-casing the email', () => {
    const result = checkInvitation({ fullName: '  Ada   Lovelace ', email: ' Ada@Example.ORG ', role: 'coordinator' });
    assert.deepEqual(result, { value: { fullName: 'Ada Lovelace', email: 'ada@example.org', role: 'coordinator' } });
  });

  it('names every missing field', () => {
    const result = checkInvitation({});
    assert.deepEqual(result, {
      errors: { fullName: 'Enter the person’s full name', email: 'Enter an email address', role: 'Select a role' },
    });
  });

  it('treats blank text as missing', () => {
    const result = checkInvitation({ fullName: '   ', email: ' ', role: 'administrator' });
    assert.ok('errors' in result);
    assert.deepEqual(Object.keys(result.errors).sort(), ['email', 'fullName']);
  });

  it('refuses an email in the wrong format', () => {
    for (const email of ['ada', 'ada@', '@example.org', 'ada@example', 'ada lovelace@example.org', 'ada@example..org']) {
      const result = checkInvitation({ fullName: 'Ada', email, role: 'coordinator' });
      assert.ok('errors' in result, email);
      assert.match(result.errors.email ?? '', /correct format/, email);
    }
  });

  it('refuses a role that is not a staff role', () => {
    for (const role of ['root', '', ['administrator'], 3]) {
      const result = checkInvitation({ fullName: 'Ada', email: 'ada@example.org', role });
      assert.ok('errors' in result);
      assert.equal(result.errors.role, 'Select a role');
    }
  });

  it('refuses a repeated field (sent as an array) as if it were missing', () => {
    const result = checkInvitation({ fullName: ['a', 'b'], email: 'ada@example.org', role: 'coordinator' });
    assert.ok('errors' in result);
    assert.ok(result.errors.fullName);
  });

  it('refuses names that are too long', () => {
    const result = checkInvitation({ fullName: 'x'.repeat(NAME_MAX_LENGTH + 1), email: 'ada@example.org', role: 'coordinator' });
    assert.ok('errors' in result);
    assert.match(result.errors.fullName ?? '', /200 characters or fewer/);
  });
});

describe('isEmailAddress and normaliseEmail', () => {
  it('accepts ordinary addresses and refuses overlong ones', () => {
    assert.equal(isEmailAddress('first.last+tag@police.example.gov.uk'), true);
    assert.equal(isEmailAddress(`${'a'.repeat(EMAIL_MAX_LENGTH)}@example.org`), false);
  });
  it('lower-cases and trims', () => {
    assert.equal(normaliseEmail('  A@B.Example '), 'a@b.example');
  });
});

describe('checkNewPassword', () => {
  const good = 'correct horse battery';

  it('accepts a long enough password confirmed the same', () => {
    assert.deepEqual(checkNewPassword({ password: good, confirmPassword: good }), { value: good });
  });

  it('keeps spaces as typed', () => {
    assert.deepEqual(checkNewPassword({ password: ` ${good} `, confirmPassword: ` ${good} ` }), { value: ` ${good} ` });
  });

  it('asks for a password when there is none', () => {
    assert.deepEqual(checkNewPassword({}), { errors: { password: 'Enter a password' } });
  });

  it('refuses fewer than 12 characters, and accepts exactly 12', () => {
    assert.deepEqual(checkNewPassword({ password: 'x'.repeat(11), confirmPassword: 'x'.repeat(11) }), {
      errors: { password: 'Password must be 12 characters or more' },
    });
    assert.ok('value' in checkNewPassword({ password: 'x'.repeat(12), confirmPassword: 'x'.repeat(12) }));
  });

  it('refuses more than 256 characters, and accepts exactly 256', () => {
    assert.deepEqual(checkNewPassword({ password: 'x'.repeat(257), confirmPassword: 'x'.repeat(257) }), {
      errors: { password: 'Password must be 256 characters or fewer' },
    });
    assert.ok('value' in checkNewPassword({ password: 'x'.repeat(256), confirmPassword: 'x'.repeat(256) }));
  });

  it('asks for the confirmation, and for it to match', () => {
    assert.deepEqual(checkNewPassword({ password: good }), { errors: { confirmPassword: 'Confirm your password' } });
    assert.deepEqual(checkNewPassword({ password: good, confirmPassword: `${good}!` }), {
      errors: { confirmPassword: 'Passwords must match' },
    });
  });
});

describe('invitation tokens', () => {
  it('hashes to 64 hex characters, the same each time, different per token', () => {
    const token = 'A'.repeat(43);
    assert.match(hashInvitationToken(token), /^[0-9a-f]{64}$/);
    assert.equal(hashInvitationToken(token), hashInvitationToken(token));
    assert.notEqual(hashInvitationToken(token), hashInvitationToken('B'.repeat(43)));
  });

  it('recognises only the shape of a 32-byte base64url token', () => {
    assert.equal(isWellFormedToken(Buffer.alloc(32, 7).toString('base64url')), true);
    assert.equal(isWellFormedToken('short'), false);
    assert.equal(isWellFormedToken(`${'A'.repeat(42)}=`), false);
    assert.equal(isWellFormedToken(undefined), false);
    assert.equal(isWellFormedToken(['A'.repeat(43)]), false);
  });

  it('expires after seven days', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const expiry = invitationExpiry(now);
    assert.equal(INVITATION_VALID_DAYS, 7);
    assert.equal(expiry.toISOString(), '2026-03-08T12:00:00.000Z');
    assert.equal(isInvitationUsable({ status: 'invited', invitationExpiresAt: expiry }, now), true);
    assert.equal(isInvitationUsable({ status: 'invited', invitationExpiresAt: expiry }, expiry), false);
  });

  it('is unusable once the account is active or disabled, or has no expiry', () => {
    const later = new Date('2030-01-01T00:00:00Z');
    const now = new Date('2026-01-01T00:00:00Z');
    assert.equal(isInvitationUsable({ status: 'active', invitationExpiresAt: later }, now), false);
    assert.equal(isInvitationUsable({ status: 'disabled', invitationExpiresAt: later }, now), false);
    assert.equal(isInvitationUsable({ status: 'invited', invitationExpiresAt: null }, now), false);
  });
});

describe('availableActions', () => {
  const me = '00000000-0000-4000-8000-000000000001';
  const other = '00000000-0000-4000-8000-000000000002';

  it('offers disable and reset for another active account', () => {
    assert.deepEqual(availableActions({ id: other, status: 'active', hasPassword: true }, me), {
      disable: true,
      enable: false,
      resetSecondFactor: true,
      reissueInvitation: false,
    });
  });

  it('never offers disable or reset on the administrator’s own account', () => {
    const actions = availableActions({ id: me, status: 'active', hasPassword: true }, me);
    assert.equal(actions.disable, false);
    assert.equal(actions.resetSecondFactor, false);
  });

  it('offers enable for a disabled account, and a new link for an invited one', () => {
    assert.equal(availableActions({ id: other, status: 'disabled', hasPassword: true }, me).enable, true);
    const invited = availableActions({ id: other, status: 'invited', hasPassword: false }, me);
    assert.equal(invited.reissueInvitation, true);
    assert.equal(invited.disable, true);
    assert.equal(invited.resetSecondFactor, false);
  });
});

describe('statusOnEnable', () => {
  it('returns an account that was set up to active, and one that never was to invited', () => {
    assert.equal(statusOnEnable({ hasPassword: true }), 'active');
    assert.equal(statusOnEnable({ hasPassword: false }), 'invited');
  });
});

describe('isUuid and doneMessage', () => {
  it('accepts only uuids', () => {
    assert.equal(isUuid('3f2b8a9e-1c4d-4e5f-8a6b-7c8d9e0f1a2b'), true);
    assert.equal(isUuid('3f2b8a9e'), false);
    assert.equal(isUuid("' or 1=1 --"), false);
  });

  it('knows only its own flags', () => {
    assert.match(doneMessage('disabled') ?? '', /disabled/);
    assert.equal(doneMessage('toString'), undefined);
    assert.equal(doneMessage('__proto__'), undefined);
    assert.equal(doneMessage(undefined), undefined);
  });
});
