/**
 * How busy the machine was with work that is not ours while a scenario ran: all CPU time
 * (/proc/stat) minus the measured server's, this bench process's and PostgreSQL's. The
 * machine is shared, so a number measured beside a busy neighbour is marked as such.
 */
import { readFileSync, readdirSync } from 'node:fs';

interface Snapshot {
  busy: number;
  total: number;
  ours: number;
}

function ticksOf(pid: number | string, path = `/proc/${pid}/stat`): { ticks: number; comm: string; nice: number } {
  try {
    const raw = readFileSync(path, 'utf8');
    const close = raw.lastIndexOf(')');
    const comm = raw.slice(raw.indexOf('(') + 1, close);
    const fields = raw.slice(close + 2).split(' ');
    // utime, stime and nice are fields 14, 15 and 19 of the whole line; [11], [12] and [16] after "pid (comm) ".
    return { ticks: Number(fields[11]) + Number(fields[12]), comm, nice: Number(fields[16]) };
  } catch {
    return { ticks: 0, comm: '', nice: 0 };
  }
}

function snapshot(pids: number[]): Snapshot | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    const total = cpu.reduce((a, b) => a + b, 0);
    let ours = pids.reduce((s, p) => s + ticksOf(p).ticks, 0);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const { ticks, comm } = ticksOf(entry);
      if (comm === 'postgres') ours += ticks;
    }
    return { busy: total - idle, total, ours };
  } catch {
    return undefined; // not Linux: no reading
  }
}

/** Starts a reading; the returned function gives other processes' CPU as a share of the whole machine (0–1). */
export function otherLoad(pids: () => number[]): () => number | undefined {
  const before = snapshot(pids());
  return () => {
    const after = snapshot(pids());
    if (!before || !after || after.total === before.total) return undefined;
    const other = after.busy - before.busy - (after.ours - before.ours);
    return Math.max(0, other / (after.total - before.total));
  };
}

/**
 * A process's CPU seconds so far, and the part of it spent on its hashing threads (Gatehouse's
 * argon2id workers, the only threads it runs at a raised nice value: src/core/passwords/argon2-pool.ts).
 * Threads that have exited are not listed, so only long-lived threads' share is exact.
 */
export function processCpuSplit(pid: number): { total: number; hashing: number } | undefined {
  const total = processCpuSeconds(pid);
  if (total === undefined) return undefined;
  let hashing = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const t = ticksOf(tid, `/proc/${pid}/task/${tid}/stat`);
      if (t.nice > 0) hashing += t.ticks / 100;
    }
  } catch {
    return { total, hashing: 0 };
  }
  return { total, hashing };
}

/** CPU seconds (user + system) a process has used so far; undefined where /proc is missing. */
export function processCpuSeconds(pid: number): number | undefined {
  const { ticks, comm } = ticksOf(pid);
  // Linux reports in USER_HZ, which is 100 on every mainstream distribution.
  return comm ? ticks / 100 : undefined;
}
