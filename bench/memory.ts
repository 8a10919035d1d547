/**
 * Memory: 20 agents at 200x50, each having had 10,000 lines of 200 coloured
 * columns pushed through it (default --history 10000; the screen model keeps
 * 1,000 lines of it, the rest is in the output log), in a fresh world so the
 * host holds just these 20. RSS from /proc/PID/status VmRSS: each agent
 * process (its screen worker is a thread, so included) and the host. tmux: one
 * server with history-limit 10000 and 20 windows of 200x50 that printed the
 * same file.
 */
import * as path from 'node:path';
import { log, mean, privateRssBytes, rssBytes, sleep, withTimeout } from './common';
import { endMarker, writeWideLines } from './payloads';
import type { Row } from './report';
import { SuperkickWorld, type AgentHandle } from './superkick';
import { TmuxWorld } from './peers/tmux';

const AGENTS = 20;
const LINES = 10_000;
const COLS = 200;
const ROWS = 50;
/** Agents fed at the same time (2 cores). */
const PARALLEL = 4;
const SETTLE_MS = 3_000;
const MIB = 1024 * 1024;

export async function runMemory(dir: string, serve: string): Promise<Row[]> {
  const file = path.join(dir, 'wide.txt');
  const bytes = writeWideLines(file, LINES);
  log(`  ${AGENTS} x ${LINES} lines of ${COLS} columns (${(bytes / MIB).toFixed(1)} MiB each)`);

  // Superkick: a world of its own, so the host holds only these agents.
  const sk = await SuperkickWorld.create('skm');
  const agents: AgentHandle[] = [];
  for (let i = 0; i < AGENTS; i++) agents.push(await sk.startAgent(`mem${i}`, ['sh', serve]));
  await sleep(1_000);
  const idle = agents.map((agent) => rssBytes(agent.pid) ?? Number.NaN);
  const hostIdle = rssBytes(sk.hostPid() ?? 0);
  for (let i = 0; i < agents.length; i += PARALLEL) {
    await Promise.all(agents.slice(i, i + PARALLEL).map((agent, j) => feed(sk, agent, file, `m${i + j}`)));
  }
  await sleep(SETTLE_MS);
  const full = agents.map((agent) => rssBytes(agent.pid) ?? Number.NaN);
  const fullPrivate = agents.map((agent) => privateRssBytes(agent.pid) ?? Number.NaN);
  const host = rssBytes(sk.hostPid() ?? 0);

  // tmux: 20 windows of one server, history-limit 10000, the same program and bytes.
  const tmux = TmuxWorld.create('tmm');
  await tmux.newSession('mem', { cols: COLS, rows: ROWS, history: LINES, command: `sh ${serve}` });
  const windows = ['mem:0'];
  for (let i = 1; i < AGENTS; i++) windows.push(await tmux.newWindow('mem', `sh ${serve}`));
  await sleep(1_000);
  const serverPid = tmux.pid();
  const serverIdle = serverPid ? rssBytes(serverPid) : undefined;
  for (const [i, window] of windows.entries()) {
    await tmux.tmux(['send-keys', '-t', window, '-l', `${file} 1 w${i}`, ';', 'send-keys', '-t', window, 'Enter']);
  }
  for (const [i, window] of windows.entries()) await tmux.untilScreen(window, endMarker(`w${i}`));
  await sleep(SETTLE_MS);
  const history = (await tmux.tmux(['list-windows', '-t', 'mem', '-F', '#{history_size}'])).trim().split('\n').map(Number);
  const server = serverPid ? rssBytes(serverPid) : undefined;

  const toMb = (value: number | undefined) => (value === undefined ? undefined : value / MIB);
  const perTmuxWindow = server === undefined ? undefined : server / AGENTS;
  const total = full.reduce((a, b) => a + b, 0) + (host ?? 0);
  log(`  superkick: agents idle ${(mean(idle) / MIB).toFixed(1)} MiB each, full ${(mean(full) / MIB).toFixed(1)} MiB each (max ${(Math.max(...full) / MIB).toFixed(1)}), host ${((hostIdle ?? 0) / MIB).toFixed(1)} -> ${((host ?? 0) / MIB).toFixed(1)} MiB`);
  log(`  tmux: server ${((serverIdle ?? 0) / MIB).toFixed(1)} -> ${((server ?? 0) / MIB).toFixed(1)} MiB, history per window ${Math.min(...history)}..${Math.max(...history)} lines`);

  await sk.dispose();
  await tmux.dispose();

  const section = `memory, ${AGENTS} agents x ${LINES} lines x ${COLS} cols at ${COLS}x${ROWS} (RSS)`;
  return [
    { section, figure: 'per agent, before output (tmux: server / 20)', unit: 'MiB', superkick: toMb(mean(idle)), tmux: serverIdle === undefined ? undefined : toMb(serverIdle / AGENTS) },
    { section, figure: 'per agent, full scrollback, mean (tmux: server / 20)', unit: 'MiB', superkick: toMb(mean(full)), tmux: toMb(perTmuxWindow), target: '<= 60 MiB', met: mean(full) / MIB <= 60 },
    { section, figure: 'per agent, full scrollback, max', unit: 'MiB', superkick: toMb(Math.max(...full)), tmux: undefined, target: '<= 60 MiB', met: Math.max(...full) / MIB <= 60 },
    { section, figure: 'per agent, full scrollback, private (RssAnon) mean', unit: 'MiB', superkick: toMb(mean(fullPrivate)), tmux: undefined },
    { section, figure: 'host', unit: 'MiB', superkick: toMb(host), tmux: undefined },
    {
      section,
      figure: 'total: 20 agents + host vs tmux server',
      unit: 'MiB',
      superkick: toMb(total),
      tmux: toMb(server),
      note: `superkick's screen model keeps ${Math.min(LINES, 1000)} lines of scrollback per agent (deeper history is in its output log on disk); tmux holds ${Math.min(...history)}+ lines per window in memory`,
    },
  ];
}

/** Sizes the agent to 200x50 through a viewer, pushes the file through it, and waits until the screen model has parsed it all. */
async function feed(sk: SuperkickWorld, agent: AgentHandle, file: string, tag: string): Promise<void> {
  const viewer = await sk.viewer(agent, COLS, ROWS);
  await viewer.nextSnapshot();
  const done = viewer.expect(endMarker(tag));
  viewer.type(`${file} 1 ${tag}\r`);
  await withTimeout(done, 120_000, `agent ${agent.id} output`);
  viewer.close();
  const check = await sk.viewer(agent, COLS, ROWS);
  const snapshot = await withTimeout(check.nextSnapshot(), 120_000, `agent ${agent.id} snapshot`);
  check.close();
  if (snapshot.payload.indexOf(endMarker(tag)) < 0) log(`  warning: agent ${agent.id} snapshot lacks its end marker`);
}
