import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BAR_COLOUR, barChart, escapeXml, formatBarValue } from './charts.ts';

/** The relative luminance contrast of a colour against white (WCAG 2). */
function contrastWithWhite(hex: string): number {
  const channel = (index: number) => {
    const value = parseInt(hex.slice(1 + index * 2, 3 + index * 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}

test('each bar is as long as its share of the largest, and a hidden figure draws no bar and says [c]', () => {
  const svg = barChart({ id: 'source', title: 'Cases by source', unit: 'count', bars: [{ label: 'Police', value: 40 }, { label: 'Self', value: null }, { label: 'Agency', value: 20 }, { label: 'File', value: 0 }] });
  const widths = [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((match) => Number(match[1]));
  assert.deepEqual(widths, [330, 165]);
  assert.match(svg, />\[c\]</);
  assert.match(svg, />40</);
  assert.match(svg, />0</);
  assert.equal((svg.match(/<g>/g) ?? []).length, 4);
});

test('the chart is an image with a title and a description it is labelled by', () => {
  const svg = barChart({ id: 'role', title: 'Cases by role', unit: 'count', bars: [{ label: 'Victim', value: 9 }] });
  assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="role-title role-description"/);
  assert.match(svg, /<title id="role-title">Cases by role<\/title>/);
  assert.match(svg, /<desc id="role-description">[^<]+<\/desc>/);
});

test('no inline style, and the bar colour has at least 3:1 contrast against white', () => {
  const svg = barChart({ id: 'x', title: 'T', unit: 'share', bars: [{ label: 'A', value: 0.5 }] });
  assert.doesNotMatch(svg, /style/i);
  assert.ok(contrastWithWhite(BAR_COLOUR) >= 3, `contrast ${contrastWithWhite(BAR_COLOUR)}`);
});

test('shares are drawn against 100%, and written as whole percentages', () => {
  const svg = barChart({ id: 'share', title: 'Met on time', unit: 'share', bars: [{ label: 'A', value: 0.5 }, { label: 'B', value: 1 }] });
  assert.deepEqual([...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((match) => Number(match[1])), [165, 330]);
  assert.equal(formatBarValue(0.756, 'share'), '76%');
  assert.equal(formatBarValue(12345, 'count'), '12,345');
  assert.equal(formatBarValue(null, 'count'), '[c]');
});

test('every piece of text is escaped, and a long label is cut', () => {
  const svg = barChart({ id: 'a"b', title: '<script>alert(1)</script>', unit: 'count', bars: [{ label: 'Tom & Jerry’s "service" <b>', value: 5 }, { label: 'x'.repeat(80), value: 6 }] });
  assert.doesNotMatch(svg, /<script>|<b>/);
  assert.match(svg, /Tom &amp; Jerry’s &quot;service&quot; &lt;b&gt;/);
  assert.match(svg, /id="a&quot;b-title"/);
  assert.match(svg, /x{33}…</);
  assert.equal(escapeXml(`'&`), '&#39;&amp;');
});
