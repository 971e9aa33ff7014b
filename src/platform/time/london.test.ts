// Europe/London conversions either side of the clock changes, whatever zone the process itself runs in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endOfLondonDay, londonDateOf, londonOffsetMs, startOfLondonDay } from './london.ts';

const HOUR = 3_600_000;

describe('Europe/London', () => {
  it('puts an instant on its London day, not its UTC day', () => {
    assert.equal(londonDateOf(new Date('2026-06-30T23:30:00Z')), '2026-07-01'); // 00:30 BST
    assert.equal(londonDateOf(new Date('2026-12-31T23:30:00Z')), '2026-12-31'); // 23:30 GMT
    assert.equal(londonDateOf(new Date('2026-03-28T23:59:59.999Z')), '2026-03-28'); // the night before the clocks go forward
    assert.equal(londonDateOf(new Date('2026-10-24T23:00:00Z')), '2026-10-25'); // midnight BST, the day the clocks go back
  });

  it('knows the offset either side of each change (01:00 UTC on the last Sunday of March and October)', () => {
    assert.equal(londonOffsetMs(new Date('2026-03-29T00:59:59Z')), 0);
    assert.equal(londonOffsetMs(new Date('2026-03-29T01:00:00Z')), HOUR);
    assert.equal(londonOffsetMs(new Date('2026-10-25T00:59:59Z')), HOUR);
    assert.equal(londonOffsetMs(new Date('2026-10-25T01:00:00Z')), 0);
  });

  it('ends a day at 23:59:59.999 London time in winter and in summer', () => {
    assert.equal(endOfLondonDay('2026-01-15').toISOString(), '2026-01-15T23:59:59.999Z');
    assert.equal(endOfLondonDay('2026-07-15').toISOString(), '2026-07-15T22:59:59.999Z');
  });

  it('gives the short and the long day their true lengths', () => {
    // 29 March 2026 has 23 hours and 25 October 2026 has 25.
    assert.equal(startOfLondonDay('2026-03-30').getTime() - startOfLondonDay('2026-03-29').getTime(), 23 * HOUR);
    assert.equal(startOfLondonDay('2026-10-26').getTime() - startOfLondonDay('2026-10-25').getTime(), 25 * HOUR);
    assert.equal(endOfLondonDay('2026-03-29').toISOString(), '2026-03-29T22:59:59.999Z');
    assert.equal(endOfLondonDay('2026-10-25').toISOString(), '2026-10-25T23:59:59.999Z');
    assert.equal(startOfLondonDay('2026-10-25').toISOString(), '2026-10-24T23:00:00.000Z');
  });

  it('refuses an invalid date', () => {
    assert.throws(() => londonDateOf(new Date(NaN)), RangeError);
  });
});
