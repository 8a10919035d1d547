/**
 * Attach time, after 10 MB of coloured output, at 80x24 and 200x50, with the
 * screen only and with 1,000 lines of scrollback:
 *
 *  (a) snapshot: a raw viewer connects, says Hello and receives the Snapshot
 *      frame (the agent's snapshot latency, end to end over its socket).
 *      tmux's counterpart: `capture-pane -p -e [-S -1000]` answered to a
 *      control-mode client already connected (the server serializing its
 *      screen, no process start).
 *  (b) end to end: `superkick attach ID` spawned in a node-pty until the last
 *      line drawn (the end marker) is in its output, against `tmux attach`
 *      the same way. Node's bare startup is reported beside it.
 *
 * Medians of several runs; superkick and tmux runs alternate.
 */
import * as path from 'node:path';
import { CLI, MB, log, type BenchTerminal, median, nodeStartupMs, now, sleep, withTimeout } from './common';
import { endMarker, writePayload } from './payloads';
import type { Row } from './report';
import type { SuperkickWorld } from './superkick';
import type { TmuxWorld } from './peers/tmux';

const SNAPSHOT_RUNS = 21;
const ATTACH_RUNS = 9;
const CONFIGS = [
  { cols: 80, rows: 24, history: 0 },
  { cols: 80, rows: 24, history: 1000 },
  { cols: 200, rows: 50, history: 0 },
  { cols: 200, rows: 50, history: 1000 },
];

export async function runAttachTime(sk: SuperkickWorld, tmux: TmuxWorld, dir: string, serve: string): Promise<Row[]> {
  const file = path.join(dir, 'colour10.txt');
  writePayload(file, 'colour', 10 * MB, 3);
  const snapshotRows: Row[] = [];
  const attachRows: Row[] = [];
  const node = await nodeStartupMs(ATTACH_RUNS);
  const cliStartup = await nodeStartupMs(ATTACH_RUNS, [CLI, '--version']);
  log(`  node -e 0: ${node.toFixed(1)} ms; node dist/cli.js --version: ${cliStartup.toFixed(1)} ms`);

  for (const config of CONFIGS) {
    const { cols, rows, history } = config;
    const name = `at${cols}h${history}`;
    const label = `${cols}x${rows}, ${history ? `${history} lines scrollback` : 'screen only'}`;
    const marker = endMarker(name);

    // Superkick: size the pty through a first viewer, then print 10 MB and the marker.
    const agent = await sk.startAgent(name, ['sh', serve], history);
    const first = await sk.viewer(agent, cols, rows);
    await first.nextSnapshot();
    const printed = first.expect(marker);
    first.type(`${file} 1 ${name}\r`);
    await withTimeout(printed, 120_000, `superkick ${name} output`);
    first.close();
    // A snapshot is answered only once the screen model has parsed everything before it.
    const check = await sk.viewer(agent, cols, rows);
    const parsed = await withTimeout(check.nextSnapshot(), 120_000, 'a snapshot');
    check.close();
    if (parsed.payload.indexOf(marker) < 0) log(`  warning: superkick ${name} snapshot lacks the end marker`);

    // tmux: the same program and bytes in a session of the same size and history.
    await tmux.newSession(name, { cols, rows, history, command: `sh ${serve}` });
    await tmux.tmux(['send-keys', '-t', name, '-l', `${file} 1 ${name}`, ';', 'send-keys', '-t', name, 'Enter']);
    await tmux.untilScreen(name, marker);

    // (a) snapshot over the socket vs capture-pane in the server.
    const control = await tmux.control(name);
    const capture = `capture-pane -p -e -t ${name}${history ? ` -S -${history}` : ''}`;
    const skSnap: number[] = [];
    const tmuxSnap: number[] = [];
    let snapshotBytes = 0;
    for (let i = 0; i < SNAPSHOT_RUNS; i++) {
      const start = now();
      const viewer = await sk.viewer(agent, cols, rows);
      const snapshot = await withTimeout(viewer.nextSnapshot(), 30_000, 'a snapshot');
      skSnap.push(snapshot.at - start);
      snapshotBytes = snapshot.bytes;
      viewer.close();
      tmuxSnap.push(await control.command(capture));
      await sleep(20);
    }
    await control.close();
    const skSnapMs = median(skSnap.slice(1));
    const tmuxSnapMs = median(tmuxSnap.slice(1));
    const limit = history ? 10 : 2;
    log(`  snapshot ${label}: superkick ${skSnapMs.toFixed(2)} ms (${(snapshotBytes / 1024).toFixed(0)} KiB frame), tmux capture-pane ${tmuxSnapMs.toFixed(2)} ms`);
    snapshotRows.push({
      section: 'attach: snapshot (viewer connect -> Snapshot frame; tmux: capture-pane -e in control mode), median ms',
      figure: label,
      unit: 'ms',
      superkick: skSnapMs,
      tmux: tmuxSnapMs,
      target: `<= ${limit} ms`,
      met: skSnapMs <= limit,
    });

    // (b) end to end in a terminal.
    const skAttach: number[] = [];
    const tmuxAttach: number[] = [];
    for (let i = 0; i < ATTACH_RUNS; i++) {
      skAttach.push(await attachOnce(() => sk.attachTerminal(agent, cols, rows), marker));
      tmuxAttach.push(await attachOnce(() => tmux.attachTerminal(name, cols, rows), marker));
    }
    const skMs = median(skAttach);
    const tmuxMs = median(tmuxAttach);
    const allowed = 1.2 * tmuxMs + node;
    log(`  attach ${label}: superkick ${skMs.toFixed(1)} ms, tmux ${tmuxMs.toFixed(1)} ms`);
    attachRows.push({
      section: 'attach: end to end (spawn client in a pty -> last line drawn), median ms',
      figure: label,
      unit: 'ms',
      superkick: skMs,
      tmux: tmuxMs,
      target: `<= 1.2x tmux + node = ${allowed.toFixed(0)} ms`,
      met: skMs <= allowed,
    });
    await sk.stopAgent(agent);
    await tmux.tmux(['kill-session', '-t', name]);
  }
  attachRows.push({
    section: 'attach: end to end (spawn client in a pty -> last line drawn), median ms',
    figure: 'node startup alone (node -e 0)',
    unit: 'ms',
    superkick: node,
    tmux: undefined,
  });
  attachRows.push({
    section: 'attach: end to end (spawn client in a pty -> last line drawn), median ms',
    figure: 'superkick CLI startup alone (cli.js --version)',
    unit: 'ms',
    superkick: cliStartup,
    tmux: undefined,
  });
  return [...snapshotRows, ...attachRows];
}

async function attachOnce(open: () => BenchTerminal, marker: string): Promise<number> {
  const start = now();
  const terminal = open();
  try {
    const at = await withTimeout(terminal.expect(marker), 30_000, `${marker} drawn by an attach client`);
    return at - start;
  } finally {
    await terminal.close();
    await sleep(50);
  }
}
