import type { DayCount } from '../../../core/admin/overview-stats.js';
import { html, raw, type Html } from './html.js';

const width = 360;
const height = 150;
const pad = { top: 10, right: 4, bottom: 22, left: 26 };

/** A round upper bound for the axis: 1, 2, 5, 10, 20, 50, … */
function niceMax(max: number): number {
  if (max <= 4) return Math.max(max, 1);
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

/** A bar chart of counts per day as inline SVG (styled by the console stylesheet, no script). */
export function dayChart(title: string, series: DayCount[], tone: 'accent' | 'ok' | 'danger' = 'accent'): Html {
  const top = niceMax(Math.max(0, ...series.map((d) => d.count)));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const slot = plotW / Math.max(series.length, 1);
  const barW = Math.max(2, slot * 0.64);
  const total = series.reduce((sum, d) => sum + d.count, 0);
  const labelEvery = Math.ceil(series.length / 7);
  const bars = series.map((d, i) => {
    const h = top ? (d.count / top) * plotH : 0;
    const x = pad.left + i * slot + (slot - barW) / 2;
    const y = pad.top + plotH - h;
    // Counted back from today, so the latest day is always labelled.
    const label = (series.length - 1 - i) % labelEvery === 0 ? d.day.slice(5) : '';
    return raw(
      `<g><title>${d.day}: ${d.count}</title><rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(h, d.count ? 1 : 0).toFixed(1)}" rx="2"/>` +
        (label ? `<text class="axis" x="${(x + barW / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle">${label}</text>` : '') +
        '</g>',
    );
  });
  // Gridlines at 0, the top and (when it is a whole number) halfway.
  const ticks = top % 2 === 0 ? [0, top / 2, top] : [0, top];
  const grid = ticks.map((value) => {
    const y = pad.top + plotH - (value / top) * plotH;
    return raw(`<line class="grid" x1="${pad.left}" x2="${width - pad.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/><text class="axis" x="${pad.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${value}</text>`);
  });
  const id = `chart-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return html`<figure class="card chart chart-${tone}">
  <figcaption><span id="${id}">${title}</span><strong>${total}</strong></figcaption>
  <svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}">${grid}${bars}</svg>
</figure>`;
}
