/** The shape of bench/results/<date>.json. */
import type { LoadResult } from './load.js';
import type { PacedResult } from './paced.js';
import type { Backend } from './database.js';
import type { ProbeReading } from './probe.js';

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** Requests per second answered 2xx (or hashes per second for the hash limit). */
  rps: number;
  latency?: Latency;
  connections?: number;
  /** What the scenario is compared with, and rps ÷ that. */
  limit?: { id: string; rps: number };
  ratio?: number;
  eldP99?: number;
  rssPeak?: number;
  /** Other processes' CPU while this ran, as a share of the whole machine (noise indicator). */
  otherCpu?: number;
  /** CPU time (user + system) the measured server spent per request, microseconds. */
  cpuPerRequestUs?: number;
  non2xx?: number;
  errors?: number;
  firstFailure?: string;
  detail?: Record<string, unknown>;
}

export interface Target {
  scenario: string;
  text: string;
  measured: string;
  met: boolean;
}

export interface BackendResult {
  backend: Backend;
  /** Spawn to first answered /healthz: first start on a migrated database (keys generated), a restart, a restart with the scale users. */
  readyMs: { firstStart: number; restart: number; restartScale: number };
  rss: { idle: number; afterLoad: number; peak: number };
  seedSeconds: { users1k: number; usersScale: number };
  scenarios: ScenarioResult[];
  targets: Target[];
}

export interface RunResult {
  date: string;
  plan: string;
  commit: string;
  machine: { cpus: number; model: string; memoryGiB: number; node: string; postgres?: string; uvThreadpool: number; loadAverage: { start: number; end: number } };
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  settings: Record<string, number>;
  backends: BackendResult[];
  totalSeconds: number;
}

export function fromLoad(id: string, title: string, r: LoadResult, probe?: ProbeReading, rssPeak?: number): ScenarioResult {
  return {
    id,
    title,
    rps: r.rps,
    latency: r.latency,
    connections: r.connections,
    eldP99: probe?.eld.p99,
    rssPeak,
    non2xx: r.non2xx,
    errors: r.errors,
    ...(r.firstFailure ? { firstFailure: r.firstFailure } : {}),
  };
}

export function fromPaced(id: string, title: string, r: PacedResult, probe?: ProbeReading): ScenarioResult {
  return { id, title, rps: r.ok / r.seconds, latency: r.latency, eldP99: probe?.eld.p99, non2xx: r.failed, detail: { rate: r.rate, eld: probe?.eld } };
}
