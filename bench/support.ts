/** What the benchmark parts share: seeding, timing, percentiles and process memory. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const round = (n: number, digits = 2) => Number(n.toFixed(digits));
export const seconds = (since: number) => (performance.now() - since) / 1000;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The pid of the process listening on a loopback TCP port (from /proc, no extra tools). */
export function pidListeningOn(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ip:port in hex; state 0A is LISTEN.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode && inodes.has(inode)) return Number(pid);
      }
    } catch {
      // not ours to read, or gone
    }
  }
  throw new Error(`no process listens on port ${port}`);
}

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * KiB : 0;
}

/** Samples each process's RSS every 100 ms while `work` runs; answers the largest growth in bytes. */
export async function maxRssGrowth<T>(pids: number[], work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = pids.map(rssBytes);
  const peak = [...before];
  const timer = setInterval(() => pids.forEach((pid, i) => (peak[i] = Math.max(peak[i], rssBytes(pid)))), 100);
  try {
    const result = await work();
    return { result, growth: Math.max(...peak.map((p, i) => p - before[i])) };
  } finally {
    clearInterval(timer);
  }
}

/** Runs `fn` `total` times with `concurrency` calls in flight; answers calls per second. */
export async function rate(total: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await fn(next++);
    }),
  );
  return total / seconds(started);
}

/**
 * Two sides of one comparison measured in alternating rounds (A then B, then B then A, ...), so a
 * burst of other work on this shared machine falls on both sides alike. Answers each side's total
 * seconds; `round(i)` runs round i of one side.
 */
export async function interleaved(
  rounds: number,
  ours: (round: number) => Promise<void>,
  reference: (round: number) => Promise<void>,
): Promise<{ oursSeconds: number; referenceSeconds: number }> {
  let oursSeconds = 0;
  let referenceSeconds = 0;
  for (let r = 0; r < rounds; r++) {
    const timed = async (side: (round: number) => Promise<void>) => {
      const started = performance.now();
      await side(r);
      return seconds(started);
    };
    if (r % 2 === 0) {
      oursSeconds += await timed(ours);
      referenceSeconds += await timed(reference);
    } else {
      referenceSeconds += await timed(reference);
      oursSeconds += await timed(ours);
    }
  }
  return { oursSeconds, referenceSeconds };
}
