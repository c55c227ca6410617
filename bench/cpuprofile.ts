/** Reads a V8 .cpuprofile (node --cpu-prof): self time by function and by package, and a flame graph SVG. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  byPackage: { name: string; share: number }[];
  byFunction: { name: string; where: string; share: number }[];
}

/** Where a frame's code lives: our src, a dependency, Node itself, or V8 (GC, idle, program). */
export function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const ours = /\/dist\/((?:src|bench)\/[^/]+(?:\/[^/]+)?)/.exec(url);
  return ours ? ours[1]!.replace(/\.js$/, '') : url;
}

export function summarize(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const hits = profile.nodes.reduce((n, x) => n + x.hitCount, 0) || 1;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, { name: string; where: string; hits: number }>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n.hitCount);
    const key = `${functionName}@${url}:${lineNumber}`;
    const entry = byFunction.get(key) ?? { name: functionName || '(anonymous)', where: `${pkg}:${lineNumber + 1}`, hits: 0 };
    entry.hits += n.hitCount;
    byFunction.set(key, entry);
  }
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    byPackage: [...byPackage].map(([name, h]) => ({ name, share: h / hits })).sort((a, b) => b.share - a.share).slice(0, top),
    byFunction: [...byFunction.values()].map((f) => ({ name: f.name, where: f.where, share: f.hits / hits })).sort((a, b) => b.share - a.share).slice(0, top),
  };
}

export function summaryMarkdown(s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `Profile of ${(s.totalMs / 1000).toFixed(1)} s (share of samples; "(idle)" is time the event loop waited).`,
    '',
    '| Package | Self |',
    '|---|---:|',
    ...s.byPackage.map((p) => `| ${p.name} | ${pct(p.share)} |`),
    '',
    '| Function | Where | Self |',
    '|---|---|---:|',
    ...s.byFunction.map((f) => `| ${f.name} | ${f.where} | ${pct(f.share)} |`),
  ].join('\n');
}

/** An icicle-style flame graph: width is inclusive time, colour is the frame's package kind. */
export function flameGraphSvg(file: string, title: string): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = new Map<number, number>();
  const totalOf = (n: ProfileNode): number => {
    const t = n.hitCount + (n.children ?? []).reduce((s, c) => s + totalOf(byId.get(c)!), 0);
    total.set(n.id, t);
    return t;
  };
  const root = profile.nodes[0]!;
  const all = totalOf(root) || 1;
  const width = 1200;
  const rowH = 16;
  const rects: string[] = [];
  let maxDepth = 0;
  const colour = (pkg: string) =>
    pkg.startsWith('src/') ? '#e8a33d' : pkg.startsWith('node:') ? '#7fb3d5' : pkg.startsWith('(') ? '#cccccc' : '#9fcf8f';
  const walk = (n: ProfileNode, x: number, depth: number) => {
    const w = ((total.get(n.id) ?? 0) / all) * width;
    if (w < 0.3 || depth > 80) return;
    maxDepth = Math.max(maxDepth, depth);
    const { functionName, url } = n.callFrame;
    const pkg = packageOf(url, functionName);
    const label = `${functionName || '(anonymous)'} ${pkg}`;
    const esc = label.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    rects.push(
      `<g><title>${esc} — ${(((total.get(n.id) ?? 0) / all) * 100).toFixed(1)}%</title><rect x="${x.toFixed(1)}" y="${30 + depth * rowH}" width="${w.toFixed(1)}" height="${rowH - 1}" fill="${colour(pkg)}"/>` +
        (w > 40 ? `<text x="${(x + 2).toFixed(1)}" y="${30 + depth * rowH + 11}" font-size="10">${esc.slice(0, Math.floor(w / 6))}</text>` : '') +
        '</g>',
    );
    let cx = x;
    for (const c of n.children ?? []) {
      const child = byId.get(c)!;
      walk(child, cx, depth + 1);
      cx += ((total.get(child.id) ?? 0) / all) * width;
    }
  };
  walk(root, 0, 0);
  const height = 40 + (maxDepth + 1) * rowH;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace"><rect width="100%" height="100%" fill="#fff"/><text x="4" y="18" font-size="13" font-family="sans-serif">${title.replace(/</g, '&lt;')} — orange: Gatehouse src, green: dependencies, blue: Node, grey: V8</text>\n${rects.join('\n')}\n</svg>\n`;
}
