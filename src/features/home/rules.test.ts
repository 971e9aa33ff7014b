import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STAFF_ROLES } from '../../platform/auth/roles.ts';
import { abilitiesOf } from './rules.ts';

test('every role has something it can do', () => {
  for (const role of STAFF_ROLES) assert.ok(abilitiesOf(role).length > 0, role);
});
