/** One SVG of a run: throughput (left) and p99 latency (right) per scenario and backend, log scales. */
import type { RunResult } from './results.js';

const colors: Record<string, string> = { sqlite: '#2f6fb0', postgres: '#d2772b' };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function logScale(min: number, max: number, width: number) {
  const lo = Math.log10(min);
  const hi = Math.log10(max);
  return (v: number) => (Math.max(0, Math.min(1, (Math.log10(Math.max(v, min)) - lo) / (hi - lo))) * width);
}

function ticks(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) if (10 ** e >= min && 10 ** e <= max) out.push(10 ** e);
  return out;
}

const fmt = (v: number) => (v >= 1000 ? `${Math.round(v / 100) / 10}k` : v >= 1 ? String(Math.round(v * 10) / 10) : String(v));

export function renderChart(run: RunResult): string {
  const ids = [...new Set(run.backends.flatMap((b) => b.scenarios.map((s) => s.id)))];
  const titles = new Map(run.backends.flatMap((b) => b.scenarios.map((s) => [s.id, s.title] as const)));
  const labelW = 330;
  const panelW = 330;
  const gap = 60;
  const bar = 9;
  const rowH = run.backends.length * (bar + 2) + 10;
  const top = 70;
  const height = top + ids.length * rowH + 40;
  const width = labelW + 2 * panelW + gap + 40;
  const rpsX = logScale(1, 100_000, panelW);
  const latX = logScale(0.1, 10_000, panelW);
  const left1 = labelW;
  const left2 = labelW + panelW + gap;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  out.push(`<text x="10" y="20" font-size="14" font-weight="bold">Gatehouse bench ${esc(run.date.slice(0, 10))} (${esc(run.plan)}, ${esc(run.commit)}) — ${run.machine.cpus} cores, server and load generator sharing them</text>`);
  out.push(`<text x="${left1}" y="${top - 22}" font-weight="bold">Throughput, 2xx/s (log) — label: share of its limit</text>`);
  out.push(`<text x="${left2}" y="${top - 22}" font-weight="bold">p99 latency, ms (log)</text>`);
  run.backends.forEach((b, i) => {
    out.push(`<rect x="${10 + i * 90}" y="${top - 32}" width="10" height="10" fill="${colors[b.backend]}"/><text x="${24 + i * 90}" y="${top - 23}">${b.backend}</text>`);
  });
  const axisY = top + ids.length * rowH;
  for (const [left, scale, min, max] of [[left1, rpsX, 1, 100_000], [left2, latX, 0.1, 10_000]] as const) {
    for (const t of ticks(min, max)) {
      const x = left + scale(t);
      out.push(`<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${axisY}" stroke="#ddd"/><text x="${x}" y="${axisY + 14}" text-anchor="middle" fill="#555">${fmt(t)}</text>`);
    }
    out.push(`<line x1="${left}" y1="${axisY}" x2="${left + panelW}" y2="${axisY}" stroke="#888"/>`);
  }
  ids.forEach((id, row) => {
    const y0 = top + row * rowH;
    if (row % 2 === 1) out.push(`<rect x="0" y="${y0 - 4}" width="${width}" height="${rowH}" fill="#f6f6f6"/>`);
    out.push(`<text x="10" y="${y0 + rowH / 2}" fill="#222">${esc(titles.get(id) ?? id)}</text>`);
    run.backends.forEach((b, i) => {
      const s = b.scenarios.find((x) => x.id === id);
      if (!s) return;
      const y = y0 + i * (bar + 2);
      const w = rpsX(s.rps);
      out.push(`<rect x="${left1}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${colors[b.backend]}"/>`);
      const note = s.ratio !== undefined ? ` (${(s.ratio * 100).toFixed(0)}%)` : typeof s.detail?.p99VsIdle === 'number' ? ` (p99 ${s.detail.p99VsIdle.toFixed(1)}× idle)` : '';
      out.push(`<text x="${left1 + w + 3}" y="${y + bar - 1}" font-size="9" fill="#333">${fmt(s.rps)}${esc(note)}</text>`);
      if (s.latency) {
        const lw = latX(s.latency.p99);
        out.push(`<rect x="${left2}" y="${y}" width="${lw.toFixed(1)}" height="${bar}" fill="${colors[b.backend]}"/>`);
        out.push(`<text x="${left2 + lw + 3}" y="${y + bar - 1}" font-size="9" fill="#333">${s.latency.p99.toFixed(s.latency.p99 < 10 ? 2 : 0)}</text>`);
      }
    });
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
