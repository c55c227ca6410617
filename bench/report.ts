/** The markdown table of one run (bench/results/<date>.md, pasted into docs/performance.md). */
import type { RunResult, ScenarioResult } from './results.js';

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const num = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

function ratioCell(s: ScenarioResult): string {
  if (s.id === 'mixed-me-storm' && s.detail && typeof s.detail.p99VsIdle === 'number') return `p99 ${s.detail.p99VsIdle.toFixed(2)}× idle`;
  return s.ratio === undefined ? '' : `${(s.ratio * 100).toFixed(0)}% of ${s.limit!.id.replace('limit-', '')}`;
}

export function renderMarkdown(run: RunResult, chartFile: string): string {
  const lines: string[] = [];
  const m = run.machine;
  lines.push(`### Bench run ${run.date.slice(0, 16).replace('T', ' ')} UTC (${run.plan}, commit ${run.commit})`, '');
  lines.push(`${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}${m.postgres ? `, PostgreSQL ${m.postgres}` : ''}; load generator on the same machine. ` +
    `argon2id m=${run.argon2.memoryCost} KiB, t=${run.argon2.timeCost}, p=${run.argon2.parallelism}; libuv pool ${m.uvThreadpool}. ` +
    `Load average ${m.loadAverage.start.toFixed(1)} at the start, ${m.loadAverage.end.toFixed(1)} at the end; "other load" is CPU used by processes that are not part of the bench.`, '');
  const ids = [...new Set(run.backends.flatMap((b) => b.scenarios.map((s) => s.id)))];
  const header = ['Scenario', ...run.backends.flatMap((b) => [`${b.backend} /s`, 'p50 ms', 'p99 ms', 'vs limit', 'loop delay p99 ms', 'server CPU µs/req', 'other load'])];
  lines.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const id of ids) {
    const cells: string[] = [];
    let title = id;
    for (const b of run.backends) {
      const s = b.scenarios.find((x) => x.id === id);
      if (!s) {
        cells.push('', '', '', '', '', '', '');
        continue;
      }
      title = `${s.title}`;
      cells.push(num(s.rps), s.latency ? s.latency.p50.toFixed(2) : '', s.latency ? s.latency.p99.toFixed(2) : '', ratioCell(s), s.eldP99 !== undefined ? s.eldP99.toFixed(1) : '', s.cpuPerRequestUs !== undefined ? s.cpuPerRequestUs.toFixed(0) : '', s.otherCpu !== undefined ? `${(s.otherCpu * 100).toFixed(0)}%` : '');
    }
    lines.push(`| ${title} | ${cells.join(' | ')} |`);
  }
  lines.push('', `![throughput and p99 per scenario](${chartFile})`, '');
  for (const b of run.backends) {
    lines.push(`**${b.backend}** — ready (spawn → first /healthz answer) in ${b.readyMs.restart.toFixed(0)} ms on a restart, ${b.readyMs.firstStart.toFixed(0)} ms on the first start (keys generated), ${b.readyMs.restartScale.toFixed(0)} ms with the scale users; ` +
      `RSS ${mb(b.rss.idle)} idle, ${mb(b.rss.peak)} peak under load, ${mb(b.rss.afterLoad)} idle after load; ` +
      `seeding ${b.seedSeconds.users1k.toFixed(2)} s for the first users, ${b.seedSeconds.usersScale.toFixed(1)} s for the scale users.`, '');
    lines.push('| Target | Measured | Met |', '|---|---|:-:|');
    for (const t of b.targets) lines.push(`| ${t.scenario}: ${t.text} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`);
    lines.push('');
  }
  return lines.join('\n');
}
