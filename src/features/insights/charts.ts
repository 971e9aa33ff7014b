// Server-rendered SVG bar charts for the insight dashboards. Pure: labelled figures in, SVG text out. The chart is a
// picture of the data table printed beside it, which is the real content; a hidden figure draws no bar and says [c].
// No style attributes or <style> (the CSP forbids inline styles): only SVG presentation attributes.

export type Bar = { label: string; value: number | null };
export type BarChart = {
  /** Unique on the page: the ids of the title and description are made from it. */
  id: string;
  title: string;
  description?: string;
  /** 'count' draws whole numbers against the largest; 'share' draws 0 to 1 against 100%. */
  unit: 'count' | 'share';
  bars: readonly Bar[];
};

/** GOV.UK blue: 5.2:1 against white, above the 3:1 that WCAG asks of graphics. */
export const BAR_COLOUR = '#1d70b8';
const TEXT_COLOUR = '#0b0c0c';
const WIDTH = 640;
const LABEL_WIDTH = 230;
const BAR_SPACE = 330;
const ROW_HEIGHT = 30;
const BAR_HEIGHT = 20;
const LABEL_CHARACTERS = 34;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] as string);
}

/** Long labels are cut to fit beside the bars; the table beside the chart has them in full. */
function shortLabel(label: string): string {
  return label.length <= LABEL_CHARACTERS ? label : `${label.slice(0, LABEL_CHARACTERS - 1).trimEnd()}…`;
}

export function formatBarValue(value: number | null, unit: BarChart['unit']): string {
  if (value === null) return '[c]';
  return unit === 'share' ? `${Math.round(value * 100)}%` : value.toLocaleString('en-GB');
}

/** A horizontal bar chart, one bar a row, with each bar's figure written after it. */
export function barChart(chart: BarChart): string {
  const titleId = escapeXml(`${chart.id}-title`);
  const descriptionId = escapeXml(`${chart.id}-description`);
  const description = chart.description ?? 'The figures are in the table that follows the chart.';
  const largest = chart.unit === 'share' ? 1 : Math.max(0, ...chart.bars.map((bar) => bar.value ?? 0));
  const height = Math.max(1, chart.bars.length) * ROW_HEIGHT + 10;
  const rows = chart.bars.map((bar, index) => {
    const y = index * ROW_HEIGHT + 5;
    const textY = y + BAR_HEIGHT / 2 + 5;
    const width = bar.value === null || largest === 0 ? 0 : Math.round((Math.min(bar.value, largest) / largest) * BAR_SPACE);
    const label = `<text x="${LABEL_WIDTH - 8}" y="${textY}" text-anchor="end" fill="${TEXT_COLOUR}" font-size="14">${escapeXml(shortLabel(bar.label))}</text>`;
    const drawn = width > 0 ? `<rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}" fill="${BAR_COLOUR}"/>` : '';
    const figure = `<text x="${LABEL_WIDTH + width + 6}" y="${textY}" fill="${TEXT_COLOUR}" font-size="14">${escapeXml(formatBarValue(bar.value, chart.unit))}</text>`;
    return `<g>${label}${drawn}${figure}</g>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="haven-chart" role="img" aria-labelledby="${titleId} ${descriptionId}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" width="100%" font-family="GDS Transport, arial, sans-serif">` +
    `<title id="${titleId}">${escapeXml(chart.title)}</title><desc id="${descriptionId}">${escapeXml(description)}</desc>` +
    `<line x1="${LABEL_WIDTH}" y1="0" x2="${LABEL_WIDTH}" y2="${height}" stroke="${TEXT_COLOUR}" stroke-width="1"/>` +
    `${rows.join('')}</svg>`
  );
}
