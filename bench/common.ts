/**
 * Shared pieces of the benchmark suite: temp dirs and cleanup by pid, timing
 * statistics, RSS from /proc, a streaming marker scanner, and terminals
 * (node-pty) that read as fast as they can.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as pty from 'node-pty';
export { withTimeout } from '../server/src/common/withTimeout';

export const REPO = path.resolve(__dirname, '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');
export const TMUX = '/usr/bin/tmux';
export const MB = 1_000_000;

/** Size of each throughput run, in MB of program output (BENCH_MB shrinks it for quick runs). */
export function benchMb(): number {
  const raw = process.env.BENCH_MB;
  const value = raw === undefined || raw === '' ? 200 : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`BENCH_MB must be a positive number, not ${JSON.stringify(raw)}`);
  return value;
}

export const now = (): number => performance.now();

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Everything the run started, undone in reverse order at the end (or on ctrl-C). */
class CleanupList {
  private readonly steps: Array<{ what: string; fn: () => void | Promise<void> }> = [];

  add(what: string, fn: () => void | Promise<void>): () => void {
    const step = { what, fn };
    this.steps.push(step);
    return () => {
      const at = this.steps.indexOf(step);
      if (at >= 0) this.steps.splice(at, 1);
    };
  }

  async runAll(): Promise<void> {
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.fn();
      } catch (error) {
        log(`cleanup of ${step.what} failed: ${(error as Error).message}`);
      }
    }
  }
}

export const cleanup = new CleanupList();

/** A short temp dir (Unix socket paths are limited to about 100 bytes), removed at cleanup. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  cleanup.add(`temp dir ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killPid(pid: number | null | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Kills a process group we created (a pty's session leader and what it ran), by its leader's pid. */
export function killGroup(pgid: number | null | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!pgid) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    killPid(pgid, signal);
  }
}

export async function waitGone(pid: number, ms = 3_000): Promise<boolean> {
  const until = now() + ms;
  while (now() < until) {
    if (!alive(pid) || isZombie(pid)) return true;
    await sleep(20);
  }
  return false;
}

function isZombie(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

/** A memory field of /proc/PID/status, in bytes. */
function statusBytes(pid: number, field: 'VmRSS' | 'RssAnon'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Private resident memory in bytes (RssAnon): RSS less the pages mapped from
 * files, which for Node is mostly its own binary, shared by every Node process.
 */
export function privateRssBytes(pid: number): number | undefined {
  return statusBytes(pid, 'RssAnon');
}

/** Resident set size in bytes (VmRSS; for a process with worker threads it covers them all). */
export function rssBytes(pid: number): number | undefined {
  return statusBytes(pid, 'VmRSS');
}

/** CPU seconds (user + system) of a process: its main thread and all its other threads. */
export function cpuSeconds(pid: number): { main: number; others: number } | undefined {
  const tick = 100; // USER_HZ on Linux
  const read = (file: string) => {
    const stat = fs.readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / tick;
  };
  try {
    let main = 0;
    let others = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const seconds = read(`/proc/${pid}/task/${tid}/stat`);
      if (Number(tid) === pid) main = seconds;
      else others += seconds;
    }
    return { main, others };
  } catch {
    return undefined;
  }
}

/** mulberry32: a small seeded generator in [0, 1), so every run makes the same payloads and plays the same hour. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}


/**
 * Finds a marker in a byte stream without keeping the stream: each chunk is
 * searched together with the tail of the one before, so a marker split
 * across chunks is still found.
 */
export class MarkerScanner {
  private readonly marker: Buffer;
  private carry: Buffer = Buffer.alloc(0);

  constructor(marker: string | Buffer) {
    this.marker = typeof marker === 'string' ? Buffer.from(marker) : marker;
  }

  push(chunk: Buffer): boolean {
    if (chunk.indexOf(this.marker) >= 0) return true;
    const keep = this.marker.length - 1;
    if (this.carry.length) {
      const head = chunk.subarray(0, keep);
      if (Buffer.concat([this.carry, head]).indexOf(this.marker) >= 0) return true;
    }
    if (chunk.length >= keep) this.carry = Buffer.from(chunk.subarray(chunk.length - keep));
    else this.carry = Buffer.concat([this.carry, chunk]).subarray(-keep);
    return false;
  }

  reset(): void {
    this.carry = Buffer.alloc(0);
  }
}

/**
 * A terminal emulator stand-in: a node-pty running a client program (tmux
 * attach or superkick attach) whose output is read as fast as possible and
 * only scanned for markers, never rendered.
 */
export class BenchTerminal {
  readonly pty: pty.IPty;
  bytes = 0;
  lastDataAt = 0;
  exited = false;
  private waiter: { scanner: MarkerScanner; resolve: (at: number) => void } | undefined;
  private readonly exitPromise: Promise<void>;
  private readonly forget: () => void;

  constructor(file: string, args: string[], options: { cols: number; rows: number; env: NodeJS.ProcessEnv; cwd?: string }) {
    this.pty = pty.spawn(file, args, {
      name: 'xterm-256color',
      cols: options.cols,
      rows: options.rows,
      cwd: options.cwd ?? os.tmpdir(),
      env: { ...options.env, TERM: 'xterm-256color' } as Record<string, string>,
      encoding: null,
    });
    const pid = this.pty.pid;
    this.forget = cleanup.add(`terminal pid ${pid}`, () => killGroup(pid));
    this.pty.onData((data) => this.onData(data as unknown as Buffer));
    this.exitPromise = new Promise((resolve) =>
      this.pty.onExit(() => {
        this.exited = true;
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.pty.pid;
  }

  private onData(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.lastDataAt = now();
    const waiter = this.waiter;
    if (waiter && waiter.scanner.push(chunk)) {
      this.waiter = undefined;
      waiter.resolve(this.lastDataAt);
    }
  }

  /** Resolves with the time the marker arrived. Only output from now on counts. */
  expect(marker: string): Promise<number> {
    return new Promise((resolve) => {
      this.waiter = { scanner: new MarkerScanner(marker), resolve };
    });
  }

  /** Waits until output has been quiet for `quietMs` (the initial draw is done). */
  async settle(quietMs = 250, maxMs = 10_000): Promise<void> {
    const until = now() + maxMs;
    while (now() < until) {
      if (this.bytes > 0 && now() - this.lastDataAt >= quietMs) return;
      await sleep(25);
    }
  }

  write(data: string): void {
    this.pty.write(data);
  }

  async close(): Promise<void> {
    if (!this.exited) {
      killGroup(this.pty.pid, 'SIGHUP');
      await Promise.race([this.exitPromise, sleep(1_000)]);
      if (!this.exited) killGroup(this.pty.pid, 'SIGKILL');
      await Promise.race([this.exitPromise, sleep(1_000)]);
    }
    this.forget();
  }
}

/** Median wall time of `node ARGS` (default `node -e 0`: what any Node CLI pays before its first line runs). */
export async function nodeStartupMs(runs: number, args = ['-e', '0']): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', () => resolve());
    });
    times.push(now() - start);
  }
  return median(times);
}
