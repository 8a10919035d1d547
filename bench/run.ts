/**
 * `npm run bench`: throughput, attach time, keystroke echo and memory of
 * superkick, each measured in the same run side by side with tmux, then one
 * table with the ratio to tmux and the targets. Benchmarks only report: a
 * missed target or a failed workload never fails the run.
 *
 * BENCH_MB=20 npm run bench   # quicker throughput runs (default 200 MB each)
 * BENCH_ONLY=echo,memory      # a subset: throughput, attach, echo, memory, injection, spawn, github
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { CLI, TMUX, benchMb, cleanup, log, now, tempDir } from './common';
import { writeServeScript } from './payloads';
import { formatTable, type Row } from './report';
import { SuperkickWorld } from './superkick';
import { TmuxWorld } from './peers/tmux';
import { runThroughput } from './throughput';
import { runAttachTime } from './attachTime';
import { runEcho } from './echo';
import { runMemory } from './memory';
import { runInjection } from './injection';
import { runSpawn } from './spawn';
import { runGithub } from './github';

const WORKLOADS = ['throughput', 'attach', 'echo', 'memory', 'injection', 'spawn', 'github'] as const;
type Workload = (typeof WORKLOADS)[number];

function selected(): Set<Workload> {
  const only = process.env.BENCH_ONLY?.split(',').map((word) => word.trim()).filter(Boolean);
  if (!only?.length) return new Set(WORKLOADS);
  return new Set(WORKLOADS.filter((workload) => only.includes(workload)));
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  if (!fs.existsSync(TMUX)) throw new Error(`${TMUX} is missing: the benchmarks compare with tmux`);
  const started = now();
  const workloads = selected();
  log(`superkick bench: ${os.cpus().length} cores, node ${process.version}, ${benchMb()} MB per throughput run, workloads: ${[...workloads].join(', ')}`);

  const dir = tempDir('skbd');
  const serve = writeServeScript(dir);
  const sk = await SuperkickWorld.create();
  const tmux = TmuxWorld.create();
  const rows: Row[] = [];
  const stage = async (name: Workload, run: () => Promise<Row[]>) => {
    if (!workloads.has(name)) return;
    const at = now();
    log(`${name}...`);
    try {
      rows.push(...(await run()));
    } catch (error) {
      log(`${name} failed: ${(error as Error).stack ?? error}`);
    }
    log(`${name} took ${((now() - at) / 1000).toFixed(1)} s`);
  };
  await stage('throughput', () => runThroughput(sk, tmux, dir, serve));
  await stage('attach', () => runAttachTime(sk, tmux, dir, serve));
  await stage('echo', () => runEcho(sk, tmux));
  await stage('memory', () => runMemory(dir, serve));
  await stage('injection', () => runInjection(sk, dir));
  await stage('spawn', () => runSpawn(sk, dir));
  await stage('github', () => runGithub());

  process.stdout.write(`\n${formatTable(rows)}\n\n`);
  log(`bench took ${((now() - started) / 1000).toFixed(0)} s`);
}

let ending = false;
async function end(code: number): Promise<void> {
  if (ending) return;
  ending = true;
  await cleanup.runAll();
  process.exit(code);
}

process.on('SIGINT', () => void end(130));
process.on('SIGTERM', () => void end(143));
main().then(
  () => end(0),
  (error: unknown) => {
    log(`bench could not run: ${(error as Error).stack ?? error}`);
    // Benchmarks report; they never fail the build.
    void end(0);
  },
);
