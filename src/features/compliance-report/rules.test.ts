import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DUTIES } from '../obligations/rules.ts';
import { csvField, quarterName, recentQuarters, rightOf } from './rules.ts';

test('every duty the Code clock keeps belongs to one of the 12 rights', () => {
  for (const duty of DUTIES) assert.ok(rightOf(duty) >= 1 && rightOf(duty) <= 12, duty);
  assert.equal(rightOf('needs_assessment'), 4);
  assert.equal(rightOf('complaint_response'), 12);
});

test('the last 8 complete quarters, most recent first, across a year end', () => {
  assert.deepEqual(recentQuarters('2026-02-10'), ['2025-Q4', '2025-Q3', '2025-Q2', '2025-Q1', '2024-Q4', '2024-Q3', '2024-Q2', '2024-Q1']);
  assert.equal(recentQuarters('2026-07-01')[0], '2026-Q2');
  assert.equal(quarterName('2026-Q3'), 'July to September 2026');
});

test('CSV fields are quoted where needed and never run as a formula', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a, b'), '"a, b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField('-1'), "'-1");
});
