/** The targets, checked against one backend's results. */
import type { Plan } from './plan.js';
import type { BackendResult, ScenarioResult, Target } from './results.js';

const mb = (b: number) => b / 1024 / 1024;
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

export function evaluateTargets(r: BackendResult, plan: Plan): Target[] {
  const by = (id: string): ScenarioResult | undefined => r.scenarios.find((s) => s.id === id);
  const out: Target[] = [];
  const add = (scenario: string, text: string, measured: string, met: boolean) => out.push({ scenario, text, measured, met });

  for (const id of ['me-bearer', 'me-token']) {
    const s = by(id);
    if (!s?.ratio || !s.latency) continue;
    add(id, '≥ 50% of the bare route', pct(s.ratio), s.ratio >= 0.5);
    add(id, `p99 < 10 ms at ${plan.connections} connections`, `${s.latency.p99.toFixed(2)} ms`, s.latency.p99 < 10);
  }
  const login = by('login');
  if (login?.ratio !== undefined) add('login', '≥ 85% of the raw argon2id rate', pct(login.ratio), login.ratio >= 0.85);
  const idle = by('mixed-me-idle');
  const storm = by('mixed-me-storm');
  if (idle?.latency && storm?.latency) {
    const x = storm.latency.p99 / idle.latency.p99;
    add('mixed', '/v1/me p99 during a login storm ≤ 2× idle', `${storm.latency.p99.toFixed(2)} vs ${idle.latency.p99.toFixed(2)} ms (${x.toFixed(2)}×)`, x <= 2);
    add('mixed', 'event-loop delay p99 < 20 ms during the storm', `${storm.eldP99} ms`, (storm.eldP99 ?? Infinity) < 20);
  }
  for (const kind of ['me', 'login']) {
    const small = r.scenarios.find((s) => s.id.startsWith(`scale-${kind}-`));
    const big = r.scenarios.filter((s) => s.id.startsWith(`scale-${kind}-`))[1];
    if (!small?.latency || !big?.latency) continue;
    const x = big.latency.mean / small.latency.mean;
    const p99 = big.latency.p99 / small.latency.p99;
    const sign = (v: number) => `${v >= 1 ? '+' : ''}${((v - 1) * 100).toFixed(1)}%`;
    add(`scale-${kind}`, `mean latency with ${big.id.split('-').pop()} users within 10% of the ${small.id.split('-').pop()}-user figure`, `mean ${big.latency.mean.toFixed(2)} vs ${small.latency.mean.toFixed(2)} ms (${sign(x)}); p99 ${sign(p99)}`, x <= 1.1);
  }
  add('memory', 'RSS < 150 MB idle', `${mb(r.rss.idle).toFixed(0)} MB (${mb(r.rss.afterLoad).toFixed(0)} MB idle after load)`, mb(Math.max(r.rss.idle, r.rss.afterLoad)) < 150);
  add('memory', 'RSS < 300 MB under load', `${mb(r.rss.peak).toFixed(0)} MB peak`, mb(r.rss.peak) < 300);
  if (r.backend === 'sqlite') {
    add('start', 'ready < 1 s (spawn to first /healthz answer, restart)', `${r.readyMs.restart.toFixed(0)} ms (first start ${r.readyMs.firstStart.toFixed(0)} ms)`, r.readyMs.restart < 1000);
  }
  return out;
}
