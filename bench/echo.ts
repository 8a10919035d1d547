/**
 * Keystroke echo round trip: the program is `stty raw -echo; exec cat`, so a
 * key typed comes straight back. One key at a time: write it into the viewer,
 * wait until it is in the viewer's output. Superkick is measured through a
 * raw attach viewer (the agent alone) and through `superkick attach` in a
 * node-pty (what a person types into); tmux through `tmux attach` in a
 * node-pty. p50 and p99 over 1,000 keys after a warm-up.
 */
import { log, percentile, now, sleep, withTimeout } from './common';
import { ECHO_COMMAND } from './payloads';
import type { Row } from './report';
import type { SuperkickWorld } from './superkick';
import type { TmuxWorld } from './peers/tmux';

const KEYS = 1000;
const WARMUP = 50;
/** Letters that are not the final byte of any escape sequence tmux or xterm would send. */
const ALPHABET = 'aijkopvwyz';
const SESSION = 'echo';

interface Echoing {
  expect(key: string): Promise<number>;
  type(key: string): void;
}

async function roundTrips(target: Echoing): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + KEYS; i++) {
    const key = ALPHABET[i % ALPHABET.length];
    const back = target.expect(key);
    const start = now();
    target.type(key);
    const at = await withTimeout(back, 10_000, `the echo of ${key}`);
    if (i >= WARMUP) times.push(at - start);
  }
  return times;
}

export async function runEcho(sk: SuperkickWorld, tmux: TmuxWorld): Promise<Row[]> {
  const agent = await sk.startAgent(SESSION, ECHO_COMMAND);
  await tmux.newSession(SESSION, { cols: 80, rows: 24, history: 1000, command: ECHO_COMMAND.map((word) => `'${word}'`).join(' ') });

  const viewer = await sk.viewer(agent, 80, 24);
  await viewer.nextSnapshot();
  await sleep(200);
  const raw = await roundTrips({ expect: (key) => viewer.expect(key), type: (key) => viewer.type(key) });
  viewer.close();

  const skTerminal = sk.attachTerminal(agent, 80, 24);
  await skTerminal.settle(300);
  const cli = await roundTrips({ expect: (key) => skTerminal.expect(key), type: (key) => skTerminal.write(key) });
  await skTerminal.close();

  const tmuxTerminal = tmux.attachTerminal(SESSION, 80, 24);
  await tmuxTerminal.settle(300);
  const viaTmux = await roundTrips({ expect: (key) => tmuxTerminal.expect(key), type: (key) => tmuxTerminal.write(key) });
  await tmuxTerminal.close();

  await sk.stopAgent(agent);
  await tmux.tmux(['kill-session', '-t', SESSION]);

  const stats = (times: number[]) => ({ p50: percentile(times, 50), p99: percentile(times, 99) });
  const r = stats(raw);
  const c = stats(cli);
  const t = stats(viaTmux);
  log(`  echo: superkick raw viewer p50 ${r.p50.toFixed(3)} / p99 ${r.p99.toFixed(3)} ms; superkick attach p50 ${c.p50.toFixed(3)} / p99 ${c.p99.toFixed(3)} ms; tmux attach p50 ${t.p50.toFixed(3)} / p99 ${t.p99.toFixed(3)} ms`);
  const section = `keystroke echo, ${KEYS} keys (tmux: tmux attach in a pty), ms`;
  return [
    { section, figure: 'p50, superkick attach in a pty', unit: 'ms', superkick: c.p50, tmux: t.p50, target: '<= 1.2x tmux', met: c.p50 <= 1.2 * t.p50 },
    { section, figure: 'p99, superkick attach in a pty', unit: 'ms', superkick: c.p99, tmux: t.p99, target: '<= 1.5x tmux', met: c.p99 <= 1.5 * t.p99 },
    { section, figure: 'p50, raw attach viewer', unit: 'ms', superkick: r.p50, tmux: t.p50, target: '<= 1.2x tmux', met: r.p50 <= 1.2 * t.p50 },
    { section, figure: 'p99, raw attach viewer', unit: 'ms', superkick: r.p99, tmux: t.p99, target: '<= 1.5x tmux', met: r.p99 <= 1.5 * t.p99 },
  ];
}
