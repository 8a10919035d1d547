/**
 * Injection: how soon queued text reaches an agent after its screen turns
 * idle (the driver's settle time, the queue and the typing, end to end), and
 * what reading the screen costs an idle agent. tmux has no counterpart.
 *
 * The agent is a stand-in shaped like Claude Code's screens (it echoes what is
 * typed, as the real CLIs do), named `claude` so the claude driver reads it
 * (and hands it claude's options, which it ignores).
 * It writes the wall-clock time at which it drew the idle screen and at which
 * the queued line arrived.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Host } from '../server/src/protocol';
import { cpuSeconds, log, percentile, sleep, withTimeout } from './common';
import type { Row } from './report';
import type { SuperkickWorld } from './superkick';

const ROUNDS = 20;
const IDLE_CPU_SECONDS = 10;

const FAKE = `#!/usr/bin/env python3
import os, sys, time, tty
tty.setraw(0)
RULE = '\\u2500' * 50
out = open(sys.argv[-1], 'a', buffering=1)  # last: Superkick puts claude's own options (the MCP hand-off) first
WORKING = ('\\u273d Pondering\\u2026', '  esc to interrupt')
IDLE = ('\\u273b Worked for 1s', '  ? for shortcuts')
current = WORKING
def show(screen, typed=''):
    global current
    current = screen
    sys.stdout.write('\\x1b[2J\\x1b[H' + screen[0] + '\\r\\n' + RULE + '\\r\\n\\u276f ' + typed + '\\r\\n' + RULE + '\\r\\n' + screen[1])
    sys.stdout.flush()
show(WORKING)
line = b''
while True:
    line += os.read(0, 4096)
    if b'\\r' not in line:
        show(current, line.decode(errors='replace'))  # echo what is typed, as the real CLIs do
        continue
    text = line.split(b'\\r')[0].decode(errors='replace')
    line = b''
    if text == 'IDLE':
        show(IDLE)
        out.write('idle %f\\n' % time.time())
    else:
        out.write('got %f\\n' % time.time())
        show(WORKING)
`;

export async function runInjection(sk: SuperkickWorld, dir: string): Promise<Row[]> {
  const bin = path.join(dir, 'inject-bin');
  fs.mkdirSync(bin, { recursive: true });
  const program = path.join(bin, 'claude');
  fs.writeFileSync(program, FAKE, { mode: 0o755 });
  const times = path.join(dir, 'inject-times.txt');
  fs.writeFileSync(times, '');
  const agent = await sk.startAgent('inject', [program, times]);
  const host = sk.connection;
  const lines = () => fs.readFileSync(times, 'utf8').split('\n').filter(Boolean);
  // Until its screen is read, the program is still starting (and not yet in raw mode): see stateIs('working') below.

  const stateIs = async (state: string) =>
    withTimeout(
      (async () => {
        while ((await host.sendRequest(Host.ResolveAgent.type, { agent: agent.id })).record.state !== state) await sleep(5);
      })(),
      10_000,
      `the agent to be ${state}`,
    );
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // A real CLI works for seconds on what it got; let the driver see it working before it turns idle again.
    await stateIs('working');
    // Queued while the agent works; then the program turns idle.
    await host.sendRequest(Host.InjectAgent.type, { agent: agent.id, text: `message ${round}`, submit: true });
    const before = lines().length;
    await host.sendRequest(Host.InjectAgent.type, { agent: agent.id, text: 'IDLE', submit: true, now: true });
    await withTimeout(
      (async () => {
        while (lines().length < before + 2) await sleep(5);
      })(),
      10_000,
      `round ${round} of the injection bench (the program saw: ${lines().slice(-3).join(', ')})`,
    ).catch(async (error: Error) => {
      log(`  agent screen: ${JSON.stringify((await sk.cli(['logs', agent.id, '--plain'])).slice(-300))}`);
      throw error;
    });
    const [idle, got] = lines().slice(-2).map((entry) => Number(entry.split(' ')[1]));
    latencies.push((got - idle) * 1000);
  }
  log(`  injection latencies (ms): ${latencies.map((ms) => ms.toFixed(0)).join(' ')}`);

  // An idle agent: the screen does not change, so reading it should cost nothing.
  await host.sendRequest(Host.InjectAgent.type, { agent: agent.id, text: 'IDLE', submit: true, now: true });
  // Let the last round's work (garbage collection, the prepared snapshot) finish before measuring.
  await sleep(3000);
  const start = cpuSeconds(agent.pid);
  await sleep(IDLE_CPU_SECONDS * 1000);
  const end = cpuSeconds(agent.pid);
  const idleCpu = start && end ? ((end.main + end.others - start.main - start.others) / IDLE_CPU_SECONDS) * 100 : undefined;
  await sk.stopAgent(agent);

  const section = 'injection (stand-in CLI with Claude-shaped screens), ms';
  const p95 = percentile(latencies, 95);
  return [
    { section, figure: 'queued text after the screen turns idle, p50', unit: 'ms', superkick: percentile(latencies, 50), tmux: undefined },
    { section, figure: 'queued text after the screen turns idle, p95', unit: 'ms', superkick: p95, tmux: undefined, target: '<= 300 ms', met: p95 <= 300 },
    { section, figure: 'CPU of an idle agent (% of one core)', unit: '%', superkick: idleCpu, tmux: undefined, target: '< 1%', met: idleCpu === undefined ? undefined : idleCpu < 1 },
  ];
}
