import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ProbeCommand, ProbeReading } from './probe.js';

/** dist/ (this file compiles to dist/bench/processes.js). */
export const distDir = fileURLToPath(new URL('..', import.meta.url));
const probeFile = fileURLToPath(new URL('./probe.js', import.meta.url));

/** Flags every measured process gets, Gatehouse and the limits alike. */
export function nodeFlags(extra: string[] = []): string[] {
  return ['--import', probeFile, ...extra];
}

export interface Measured {
  child: ChildProcess;
  url: string;
  /** From spawn to the first answered /healthz (or listening line for the bare route). */
  readyMs: number;
  probe(command?: ProbeCommand): Promise<ProbeReading>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `node <flags> <script> <args>` with an IPC channel for the probe, and waits until `readyPath` answers 200. */
export async function startMeasured(options: {
  script: string;
  args?: string[];
  env: Record<string, string>;
  port: number;
  readyPath: string;
  flags?: string[];
  label: string;
}): Promise<Measured> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags(options.flags), options.script, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${options.port}`;
  for (;;) {
    if (exited) throw new Error(`${options.label} exited before it was ready:\n${output}`);
    if (performance.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`${options.label} not ready after 60 s:\n${output}`);
    }
    try {
      const res = await fetch(url + options.readyPath);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  const readyMs = performance.now() - started;
  const pending: ((r: ProbeReading) => void)[] = [];
  child.on('message', (m) => pending.shift()?.(m as ProbeReading));
  return {
    child,
    url,
    readyMs,
    probe(command: ProbeCommand = 'read') {
      return new Promise((resolve, reject) => {
        if (exited) return reject(new Error(`${options.label} has exited:\n${output}`));
        pending.push(resolve);
        child.send(command);
      });
    },
    async stop() {
      if (exited) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Runs a node script to completion with the measured flags and returns its stdout. */
export async function runNode(script: string, args: string[], env: Record<string, string> = {}, flags: string[] = [], onSpawn?: (pid: number) => void): Promise<string> {
  const child = spawn(process.execPath, [...flags, script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) onSpawn?.(child.pid);
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} failed (${code}):\n${err}${out}`);
  return out;
}

/** Samples a process's RSS while `during` runs; returns the peak in bytes. */
export async function peakRss(target: Measured, during: Promise<unknown>): Promise<number> {
  let peak = 0;
  let running = true;
  void during.finally(() => (running = false)).catch(() => {});
  while (running) {
    peak = Math.max(peak, (await target.probe()).rss);
    await Promise.race([sleep(250), during.catch(() => {})]);
  }
  return Math.max(peak, (await target.probe()).rss);
}
