/**
 * Throughput: BENCH_MB (default 200) MB of output from the program to 1, 4
 * and 16 viewers that read as fast as they can. Superkick: raw attach viewers
 * on the agent's socket. tmux: `tmux attach` clients, each in its own
 * node-pty. Timed from the trigger that starts the output until the last
 * viewer has received the end marker (live, or in a catch-up snapshot /
 * redraw after falling behind: both systems skip output for a slow viewer).
 */
import * as path from 'node:path';
import { MB, benchMb, cpuSeconds, log, now, sleep, withTimeout } from './common';
import { endMarker, writePayload, type PayloadKind } from './payloads';
import type { Row } from './report';
import type { AgentHandle, SuperkickWorld } from './superkick';
import type { TmuxWorld } from './peers/tmux';

const VIEWER_COUNTS = [1, 4, 16];
const KINDS: PayloadKind[] = ['plain', 'colour'];
const COLS = 80;
const ROWS = 24;
const SESSION = 'tput';

interface RunResult { seconds: number; detail: string }

let nextTag = 1;

export async function runThroughput(sk: SuperkickWorld, tmux: TmuxWorld, dir: string, serve: string): Promise<Row[]> {
  const total = benchMb() * MB;
  const fileBytes = Math.min(total, 10 * MB);
  const files = new Map<PayloadKind, { file: string; repeats: number; bytes: number }>();
  for (const kind of KINDS) {
    const file = path.join(dir, `${kind}.txt`);
    const size = writePayload(file, kind, fileBytes);
    const repeats = Math.max(1, Math.round(total / size));
    files.set(kind, { file, repeats, bytes: size * repeats });
  }

  // The screen model keeps at most 1,000 lines of scrollback; give tmux the same.
  const agent = await sk.startAgent(SESSION, ['sh', serve], 1000);
  await tmux.newSession(SESSION, { cols: COLS, rows: ROWS, history: 1000, command: `sh ${serve}` });

  const rows: Row[] = [];
  for (const kind of KINDS) {
    const payload = files.get(kind)!;
    for (const viewers of VIEWER_COUNTS) {
      const trigger = (tag: string) => `${payload.file} ${payload.repeats} ${tag}\r`;
      const mb = payload.bytes / MB;
      let skResult: RunResult | undefined;
      let tmuxResult: RunResult | undefined;
      try {
        skResult = await superkickRun(sk, agent, viewers, trigger);
        log(`  superkick ${kind} x${viewers}: ${(mb / skResult.seconds).toFixed(1)} MB/s (${skResult.seconds.toFixed(2)} s; ${skResult.detail})`);
      } catch (error) {
        log(`  superkick ${kind} x${viewers}: failed: ${(error as Error).message}`);
      }
      try {
        tmuxResult = await tmuxRun(tmux, viewers, trigger);
        log(`  tmux      ${kind} x${viewers}: ${(mb / tmuxResult.seconds).toFixed(1)} MB/s (${tmuxResult.seconds.toFixed(2)} s; ${tmuxResult.detail})`);
      } catch (error) {
        log(`  tmux ${kind} x${viewers}: failed: ${(error as Error).message}`);
      }
      const skMbps = skResult ? mb / skResult.seconds : undefined;
      const tmuxMbps = tmuxResult ? mb / tmuxResult.seconds : undefined;
      const wanted = viewers >= 16 ? 0.5 : 1.0;
      rows.push({
        section: `throughput, ${benchMb()} MB of output per run, MB/s (higher is better)`,
        figure: `${kind === 'plain' ? '80-col plain' : 'coloured ls -laR'}, ${viewers} viewer${viewers > 1 ? 's' : ''}`,
        unit: 'MB/s',
        superkick: skMbps,
        tmux: tmuxMbps,
        target: `>= ${wanted.toFixed(1)}x tmux`,
        met: skMbps !== undefined && tmuxMbps !== undefined ? skMbps >= wanted * tmuxMbps : undefined,
      });
    }
  }
  await sk.stopAgent(agent);
  await tmux.tmux(['kill-session', '-t', SESSION]);
  return rows;
}

async function superkickRun(sk: SuperkickWorld, agent: AgentHandle, count: number, trigger: (tag: string) => string): Promise<RunResult> {
  const viewers = await Promise.all(Array.from({ length: count }, () => sk.viewer(agent, COLS, ROWS)));
  try {
    // The attach snapshots also tell us the screen model has caught up with the previous run.
    await withTimeout(Promise.all(viewers.map((viewer) => viewer.nextSnapshot())), 60_000, 'attach snapshots');
    const tag = `t${nextTag++}`;
    const arrivals = viewers.map((viewer) => viewer.expect(endMarker(tag)));
    const cpu = cpuMeter(agent.pid);
    const start = now();
    viewers[0].type(trigger(tag));
    const times = await withTimeout(Promise.all(arrivals), 300_000, 'the end marker at every superkick viewer');
    const seconds = (Math.max(...times) - start) / 1000;
    const received = viewers.reduce((sum, viewer) => sum + viewer.outputBytes, 0) / count / MB;
    const resyncs = viewers.reduce((sum, viewer) => sum + viewer.snapshots - 1, 0);
    const largest = Math.max(...viewers.map((viewer) => viewer.largestOutput));
    return { seconds, detail: `${received.toFixed(0)} MB of output frames per viewer, largest frame ${(largest / 1024).toFixed(0)} KiB, ${resyncs} catch-up snapshots in all; CPU: ${cpu()}` };
  } finally {
    for (const viewer of viewers) viewer.close();
    await sleep(100);
  }
}

async function tmuxRun(tmux: TmuxWorld, count: number, trigger: (tag: string) => string): Promise<RunResult> {
  const terminals = Array.from({ length: count }, () => tmux.attachTerminal(SESSION, COLS, ROWS));
  try {
    await Promise.all(terminals.map((terminal) => terminal.settle(300)));
    const before = terminals.map((terminal) => terminal.bytes);
    const tag = `t${nextTag++}`;
    const arrivals = terminals.map((terminal) => terminal.expect(endMarker(tag)));
    const cpu = cpuMeter(tmux.pid() ?? 0, terminals.map((terminal) => terminal.pid));
    const start = now();
    terminals[0].write(trigger(tag));
    const times = await withTimeout(Promise.all(arrivals), 300_000, 'the end marker at every tmux client');
    const seconds = (Math.max(...times) - start) / 1000;
    const received = terminals.reduce((sum, terminal, i) => sum + terminal.bytes - before[i], 0) / count / MB;
    return { seconds, detail: `${received.toFixed(0)} MB of terminal output per client; CPU: ${cpu()}` };
  } finally {
    await Promise.all(terminals.map((terminal) => terminal.close()));
    await sleep(100);
  }
}

/**
 * CPU seconds spent during a run by the server process (superkick: the agent,
 * main thread and other threads, which include the screen worker; tmux: the
 * server), by viewer client processes, and by this process (the viewers' reader).
 */
function cpuMeter(server: number, clients: number[] = []): () => string {
  const bench = process.cpuUsage();
  const first = cpuSeconds(server);
  const clientCpu = () => clients.reduce((sum, pid) => {
    const cpu = cpuSeconds(pid);
    return sum + (cpu ? cpu.main + cpu.others : 0);
  }, 0);
  const clientsFirst = clientCpu();
  return () => {
    const last = cpuSeconds(server);
    const used = process.cpuUsage(bench);
    const parts: string[] = [];
    if (first && last) {
      parts.push(clients.length ? `server ${(last.main + last.others - first.main - first.others).toFixed(2)} s` : `agent main thread ${(last.main - first.main).toFixed(2)} s + other threads ${(last.others - first.others).toFixed(2)} s`);
    }
    if (clients.length) parts.push(`tmux clients ${(clientCpu() - clientsFirst).toFixed(2)} s`);
    parts.push(`bench reader ${((used.user + used.system) / 1e6).toFixed(2)} s`);
    return parts.join(', ');
  };
}
